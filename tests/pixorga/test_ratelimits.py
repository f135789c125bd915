"""Abuse resistance: each limit answers 429 with a French page and Retry-After, and only the abuser waits."""

import datetime
import re

import pytest
from django.contrib.admin.sites import site
from django.core import mail
from django.http import HttpResponse, HttpResponseNotFound
from django.test import RequestFactory
from django.urls import reverse

from accounts.factories import UserFactory
from pixorga.ratelimits import invitation_limited
from students.factories import OrganizationLearnerFactory
from students.models import LearnerClaim, OrganizationLearner
from students.services import ALREADY_LINKED_MESSAGE, NO_MATCH_MESSAGE, learner_reconcile
from tests.accounts.typography import typography_faults
from tests.pages import page_text

pytestmark = pytest.mark.django_db
PASSWORD = "motdepasse-de-test"
SCHOOL_ADDRESS = {"REMOTE_ADDR": "203.0.113.7"}


def _limits(settings, **rates):
    settings.RATELIMITS = {**settings.RATELIMITS, **rates}


def assert_too_many(response, *, at_most_seconds):
    assert response.status_code == 429
    content = page_text(response)
    assert "<title>Trop de tentatives · pixorga</title>" in content
    assert re.search(
        r"Réessayez dans \d+\xa0(secondes?|minutes?|heures), à partir de \d+\xa0h\xa0\d\d\.", content
    )
    assert 0 < int(response["Retry-After"]) <= at_most_seconds


def _login(client, username, password=PASSWORD, **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


# Login: per account (django-axes) and per address.


def test_five_wrong_passwords_lock_the_account_even_against_the_right_one(client):
    UserFactory(username="lea.martin")
    for _ in range(4):
        assert _login(client, "lea.martin", "faux").status_code == 200
    assert_too_many(_login(client, "lea.martin", "faux"), at_most_seconds=15 * 60)
    locked = _login(client, "lea.martin")
    assert_too_many(locked, at_most_seconds=15 * 60)
    assert "Ce compte est bloqué après plusieurs mots de passe incorrects" in page_text(locked)
    assert "Réessayez dans 15\xa0minutes" in page_text(locked)
    assert "_auth_user_id" not in client.session


def test_the_lockout_counts_one_account_whatever_the_case_typed(client):
    UserFactory(username="lea.martin")
    for typed in ("lea.martin", "LEA.MARTIN", " Lea.Martin", "lea.MARTIN", "Lea.martin "):
        _login(client, typed, "faux")
    assert _login(client, "lea.martin").status_code == 429


def test_a_locked_account_does_not_lock_the_others_of_the_school(client):
    UserFactory(username="lea.martin")
    UserFactory(username="hugo.petit")
    for _ in range(5):
        _login(client, "lea.martin", "faux", **SCHOOL_ADDRESS)
    assert _login(client, "hugo.petit", **SCHOOL_ADDRESS).status_code == 302


def test_a_right_password_before_the_limit_forgets_the_failures(client):
    UserFactory(username="lea.martin")
    for _ in range(4):
        _login(client, "lea.martin", "faux")
    assert _login(client, "lea.martin").status_code == 302
    client.logout()
    for _ in range(4):
        _login(client, "lea.martin", "faux")
    assert _login(client, "lea.martin").status_code == 302


def test_failed_logins_from_one_address_on_many_accounts_are_limited(client, settings):
    _limits(settings, **{"login-ip": "3/15m"})
    UserFactory(username="hugo.petit")
    for name in ("a", "b", "c"):
        assert _login(client, name, "faux", **SCHOOL_ADDRESS).status_code == 200
    assert_too_many(_login(client, "hugo.petit", **SCHOOL_ADDRESS), at_most_seconds=15 * 60)
    assert _login(client, "hugo.petit", REMOTE_ADDR="198.51.100.1").status_code == 302


def test_successful_logins_of_a_whole_class_are_not_counted(client, settings):
    _limits(settings, **{"login-ip": "3/15m"})
    for index in range(6):
        UserFactory(username=f"eleve{index}")
        assert _login(client, f"eleve{index}", **SCHOOL_ADDRESS).status_code == 302
        client.logout()


def test_force_login_still_works_with_axes(client, pupil):
    client.force_login(pupil)
    assert client.get(reverse("pupil:home")).status_code == 200


# Campaign codes.


def test_wrong_codes_are_limited_per_pupil(client, pupil, campaign):
    client.force_login(pupil)
    for index in range(20):
        assert client.get(f"/campagnes/ZZZZZZ{100 + index}").status_code == 404
    assert_too_many(client.get(f"/campagnes/{campaign.code}"), at_most_seconds=10 * 60)
    assert_too_many(client.get(reverse("pupil:code"), {"code": campaign.code}), at_most_seconds=10 * 60)


def test_wrong_codes_typed_in_the_form_count_too(client, pupil, settings):
    _limits(settings, **{"code-user": "2/10m"})
    client.force_login(pupil)
    client.get(reverse("pupil:code"), {"code": "abc"})
    client.get("/campagnes/ZZZZZZ999")
    assert client.get(reverse("pupil:code"), {"code": "def"}).status_code == 429


def test_a_class_entering_the_right_code_is_never_limited(client, campaign, organization, settings):
    _limits(settings, **{"code-user": "2/10m", "code-ip": "2/10m"})
    for _ in range(5):
        user = UserFactory()
        OrganizationLearnerFactory(organization=organization, user=user)
        client.force_login(user)
        assert client.get(reverse("pupil:code"), {"code": campaign.code}).status_code == 302
        assert client.get(f"/campagnes/{campaign.code}", **SCHOOL_ADDRESS).status_code == 200


def test_anonymous_code_guesses_are_limited_per_address(client, settings, campaign):
    _limits(settings, **{"code-ip": "3/10m"})
    for index in range(3):
        client.get(f"/campagnes/ZZZZZZ{100 + index}", **SCHOOL_ADDRESS)
    assert client.get(f"/campagnes/{campaign.code}", **SCHOOL_ADDRESS).status_code == 429
    assert client.get(f"/campagnes/{campaign.code}", REMOTE_ADDR="198.51.100.1").status_code == 200


def test_behind_a_proxy_the_address_is_the_one_the_proxy_saw(client, settings, campaign):
    settings.TRUSTED_PROXY_COUNT = 1
    _limits(settings, **{"code-ip": "2/10m"})
    for forged in ("1.1.1.1", "2.2.2.2"):
        client.get("/campagnes/ZZZZZZ999", HTTP_X_FORWARDED_FOR=f"{forged}, 203.0.113.7")
    assert client.get(campaign.get_join_url(), HTTP_X_FORWARDED_FOR="9.9.9.9, 203.0.113.7").status_code == 429
    assert client.get(campaign.get_join_url(), HTTP_X_FORWARDED_FOR="198.51.100.1").status_code == 200


# Reconciliation.

BIRTH = datetime.date(2008, 5, 14)


@pytest.fixture
def roster_entry(organization):
    return OrganizationLearnerFactory(
        organization=organization, first_name="Éloïse", last_name="Lefèvre-Roux", birthdate=BIRTH, user=None
    )


def _reconcile(client, campaign, birthdate, *, first_name="Éloïse", last_name="Lefèvre-Roux"):
    return client.post(
        reverse("pupil:reconcile", args=[campaign.code]),
        {"first_name": first_name, "last_name": last_name, "birthdate": birthdate.isoformat()},
    )


def _newcomer(client):
    user = UserFactory()
    client.force_login(user)
    return user


def test_trying_birth_dates_from_one_account_is_stopped_after_five_failures(client, campaign, roster_entry):
    _newcomer(client)
    for day in range(1, 6):
        assert NO_MATCH_MESSAGE in page_text(
            _reconcile(client, campaign, BIRTH + datetime.timedelta(days=day))
        )
    assert_too_many(_reconcile(client, campaign, BIRTH), at_most_seconds=15 * 60)
    roster_entry.refresh_from_db()
    assert roster_entry.user is None, "the right birth date, once limited, is not even compared"


def test_trying_birth_dates_of_one_pupil_from_many_accounts_is_stopped(client, campaign, roster_entry):
    for day in range(1, 11):
        _newcomer(client)
        _reconcile(client, campaign, BIRTH + datetime.timedelta(days=day), first_name="ELOISE")
    _newcomer(client)
    assert_too_many(_reconcile(client, campaign, BIRTH), at_most_seconds=60 * 60)
    other = OrganizationLearnerFactory(organization=campaign.organization, user=None)
    response = _reconcile(
        client, campaign, other.birthdate, first_name=other.first_name, last_name=other.last_name
    )
    assert response.status_code == 302, "another pupil of the school is not held up"


def test_an_entry_already_linked_looks_like_no_entry_to_who_has_not_proven_the_birth_date(
    client, campaign, roster_entry
):
    roster_entry.user = UserFactory()
    roster_entry.save()
    _newcomer(client)
    linked = page_text(_reconcile(client, campaign, BIRTH + datetime.timedelta(days=1)))
    missing = page_text(_reconcile(client, campaign, BIRTH, last_name="Inconnu"))
    assert NO_MATCH_MESSAGE in linked and NO_MATCH_MESSAGE in missing
    assert ALREADY_LINKED_MESSAGE not in linked
    assert ALREADY_LINKED_MESSAGE in page_text(_reconcile(client, campaign, BIRTH))


def test_a_successful_claim_is_recorded_for_the_school(client, campaign, roster_entry, admin_client):
    user = _newcomer(client)
    _reconcile(client, campaign, BIRTH)
    claim = LearnerClaim.objects.get()
    assert (claim.learner, claim.user) == (roster_entry, user)
    assert list(LearnerClaim.objects.filter(learner__organization=campaign.organization)) == [claim]
    changelist = admin_client.get(reverse("admin:students_learnerclaim_changelist"))
    assert "Lefèvre-Roux" in page_text(changelist)
    assert LearnerClaim in site._registry


def test_reconciling_again_the_same_account_records_no_second_claim(client, campaign, roster_entry):
    user = _newcomer(client)
    _reconcile(client, campaign, BIRTH)
    OrganizationLearner.objects.filter(pk=roster_entry.pk).update(user=user)
    learner_reconcile(
        organization=campaign.organization,
        user=user,
        first_name="Éloïse",
        last_name="Lefèvre-Roux",
        birthdate=BIRTH,
    )
    assert LearnerClaim.objects.count() == 1


# Signup, password reset, invitations.

SIGNUP = {"first_name": "Paul", "last_name": "Durand", "password1": "un-mot-de-passe-long"}


def _signup(client, email, **extra):
    data = {**SIGNUP, "email": email, "password2": SIGNUP["password1"]}
    return client.post(reverse("signup"), data, **extra)


def test_signups_to_one_email_address_are_limited(client):
    for _ in range(3):
        assert _signup(client, "paul@example.org").status_code == 302
    assert_too_many(_signup(client, "PAUL@example.org"), at_most_seconds=3600)
    assert len(mail.outbox) == 3
    assert _signup(client, "pierre@example.org").status_code == 302


def test_signups_from_one_address_are_limited(client, settings):
    _limits(settings, **{"signup-ip": "2/h"})
    _signup(client, "a@example.org", **SCHOOL_ADDRESS)
    _signup(client, "b@example.org", **SCHOOL_ADDRESS)
    assert _signup(client, "c@example.org", **SCHOOL_ADDRESS).status_code == 429
    assert client.get(reverse("signup"), **SCHOOL_ADDRESS).status_code == 200, "the form still shows"


def test_password_reset_requests_for_one_address_are_limited(client):
    UserFactory(email="paul@example.org")
    for _ in range(3):
        assert client.post(reverse("password_reset"), {"email": "paul@example.org"}).status_code == 302
    assert_too_many(
        client.post(reverse("password_reset"), {"email": "paul@example.org"}), at_most_seconds=3600
    )
    assert len(mail.outbox) == 3


def test_password_reset_requests_from_one_address_are_limited(client, settings):
    _limits(settings, **{"password-reset-ip": "2/h"})
    for email in ("a@example.org", "b@example.org"):
        client.post(reverse("password_reset"), {"email": email}, **SCHOOL_ADDRESS)
    assert (
        client.post(reverse("password_reset"), {"email": "c@example.org"}, **SCHOOL_ADDRESS).status_code
        == 429
    )


def test_the_invitation_hook_limits_links_that_lead_nowhere(rf: RequestFactory, settings):
    _limits(settings, **{"invitation-ip": "2/h"})

    @invitation_limited
    def accept(request, token):
        return HttpResponse("ok") if token == "bon" else HttpResponseNotFound("inconnue")

    def call(token):
        request = rf.get(f"/invitation/{token}/", REMOTE_ADDR="203.0.113.7")
        request.user = UserFactory.build()
        return accept(request, token)

    assert call("bon").status_code == 200
    assert [call("faux").status_code for _ in range(2)] == [404, 404]
    assert call("bon").status_code == 429


def test_invitation_links_that_lead_nowhere_are_limited_per_address(client, settings):
    _limits(settings, **{"invitation-ip": "2/h"})
    assert [client.get("/invitation/faux-jeton/").status_code for _ in range(2)] == [400, 400]
    assert_too_many(client.get("/invitation/autre-jeton/"), at_most_seconds=3600)


def test_the_429_and_signup_pages_and_emails_follow_french_typography(client, settings):
    UserFactory(username="lea.martin", email="lea@example.org")
    for _ in range(5):
        _login(client, "lea.martin", "faux")
    pages = [
        _login(client, "lea.martin"),
        client.get(reverse("signup_sent")),
        client.post("/inscription/activer/MQ/x/"),
    ]
    _signup(client, "lea@example.org")
    _signup(client, "paul@example.org")
    activation = re.search(r"http://testserver(/inscription/activer/\S+)", mail.outbox[-1].body).group(1)
    pages.append(client.get(activation))
    faults = [fault for page in pages for fault in typography_faults(page.content.decode())]
    faults += [
        fault for message in mail.outbox for fault in typography_faults(f"{message.subject}\n{message.body}")
    ]
    assert faults == []
