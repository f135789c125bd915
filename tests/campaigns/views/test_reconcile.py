"""« Qui êtes-vous ? »: a pupil who signed up himself is linked, for good, to the pupil of the school's
roster with his names and birth date."""

import datetime

import pytest
from django.urls import reverse

from accounts.factories import UserFactory
from campaigns.models import Participation
from students.factories import OrganizationLearnerFactory
from students.models import OrganizationLearner

from .checks import assert_method_not_allowed, assert_sent_to_login, fr
from .html import document, element, field_errors, text, title
from .pupils import send_url

pytestmark = pytest.mark.django_db


def _url(campaign):
    return reverse("pupil:reconcile", args=[campaign.code])


@pytest.fixture
def newcomer(organization):
    """A pupil who signed up himself; the school's roster knows him, unlinked."""
    OrganizationLearnerFactory(
        organization=organization,
        first_name="Éloïse",
        last_name="Lefèvre-Roux",
        birthdate=datetime.date(2008, 5, 14),
        user=None,
        division="2NDE1",
    )
    return UserFactory(first_name="Eloise", last_name="Lefevre")


@pytest.fixture
def as_newcomer(login, newcomer):
    return login(newcomer)


def test_unlinked_pupil_is_asked_who_he_is(as_newcomer, campaign):
    response = as_newcomer.post(campaign.get_join_url(), follow=True)
    assert response.redirect_chain == [(_url(campaign), 302)]
    doc = document(response)
    assert text(element(doc, "h1")) == fr("Qui êtes-vous ?")
    assert "Votre compte sera rattaché définitivement à cet élève." in text(element(doc, "section"))


def test_names_match_without_case_accents_or_dashes_and_he_joins(as_newcomer, newcomer, campaign):
    response = as_newcomer.post(
        _url(campaign), {"first_name": "ELOISE", "last_name": "lefevre roux", "birthdate": "2008-05-14"}
    )
    assert response["Location"] == send_url(campaign)
    learner = OrganizationLearner.objects.get(user=newcomer)
    assert learner.last_name == "Lefèvre-Roux"
    assert Participation.objects.get().learner == learner


def test_french_date_format_is_accepted(as_newcomer, newcomer, campaign):
    as_newcomer.post(
        _url(campaign), {"first_name": "Éloïse", "last_name": "Lefèvre-Roux", "birthdate": "14/05/2008"}
    )
    assert OrganizationLearner.objects.get(user=newcomer).first_name == "Éloïse"


def test_no_match_tells_him_to_see_his_teacher(as_newcomer, newcomer, campaign):
    response = as_newcomer.post(
        _url(campaign), {"first_name": "Éloïse", "last_name": "Lefèvre-Roux", "birthdate": "2008-05-15"}
    )
    assert "rapprochez-vous de votre enseignant" in text(element(document(response), "div", role="alert"))
    assert not OrganizationLearner.objects.filter(user=newcomer).exists()
    assert not Participation.objects.exists()


def test_pupil_linked_to_another_account_is_refused(as_newcomer, campaign):
    learner = OrganizationLearner.objects.get(last_name="Lefèvre-Roux")
    learner.user = UserFactory()
    learner.save()
    response = as_newcomer.post(
        _url(campaign), {"first_name": "Éloïse", "last_name": "Lefèvre-Roux", "birthdate": "14/05/2008"}
    )
    assert "Cet élève est déjà rattaché à un autre compte" in text(
        element(document(response), "div", role="alert")
    )
    assert not Participation.objects.exists()


def test_errors_are_in_french_next_to_their_fields_and_named_in_the_title(as_newcomer, campaign):
    response = as_newcomer.post(_url(campaign), {"birthdate": "hier"})
    doc = document(response)
    assert title(doc).startswith(fr("Erreur : "))
    assert field_errors(doc, "first_name") == ["Ce champ est obligatoire."]
    assert field_errors(doc, "birthdate") == [
        "Saisissez une date de naissance valide, par exemple 21/03/2009."
    ]


def test_ten_thousand_character_names_are_refused_without_a_500(as_newcomer, campaign):
    response = as_newcomer.post(
        _url(campaign), {"first_name": "x" * 10_000, "last_name": "Lefèvre-Roux", "birthdate": "14/05/2008"}
    )
    assert response.status_code == 200
    assert field_errors(document(response), "first_name")


def test_pupil_already_linked_goes_back_to_the_landing_page(as_pupil, campaign):
    assert as_pupil.get(_url(campaign))["Location"] == campaign.get_join_url()
    assert not Participation.objects.exists()


def test_anonymous_visitor_is_sent_to_login(client, campaign):
    assert_sent_to_login(client.get(_url(campaign)), _url(campaign))


def test_put_is_405(as_newcomer, newcomer, campaign):
    assert_method_not_allowed(as_newcomer.put(_url(campaign)), "GET", "POST")
    assert not OrganizationLearner.objects.filter(user=newcomer).exists()
