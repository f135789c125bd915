"""Inviter des membres (/orga/equipe/inviter/): one or several addresses at once, with a role."""

import pytest
from django.core import mail
from django.urls import reverse

from accounts.factories import InvitationFactory, MembershipFactory, UserFactory
from accounts.models import Invitation
from tests.accounts.conftest import link_path
from tests.accounts.typography import typography_faults
from tests.pages import page_text

pytestmark = pytest.mark.django_db

URL = reverse("team_invite")


@pytest.fixture
def send_on_commit(django_capture_on_commit_callbacks):
    """Run what the request queued after its commit (the e-mail task), as production does."""

    def post(client, data):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(URL, data)
        return response

    return post


def test_admin_sees_the_form_with_member_as_default_role(team_admin):
    text = page_text(team_admin.get(URL))
    assert '<textarea name="emails"' in text
    assert 'value="MEMBER" id="id_role_1" required checked' in text
    assert "un lien personnel, valable 7 jours." in text


def test_admin_invites_several_addresses_with_a_role(team_admin, send_on_commit, organization, teacher):
    response = send_on_commit(
        team_admin, {"emails": "Anne@Example.org, paul@example.org\nmarc@example.org", "role": "ADMIN"}
    )

    assert response["Location"] == reverse("campaigns:team") + "?onglet=invitations"
    rows = Invitation.objects.filter(organization=organization).order_by("email")
    assert [(i.email, i.role, i.invited_by) for i in rows] == [
        ("anne@example.org", "ADMIN", teacher),
        ("marc@example.org", "ADMIN", teacher),
        ("paul@example.org", "ADMIN", teacher),
    ]
    assert sorted(message.to[0] for message in mail.outbox) == [
        "anne@example.org",
        "marc@example.org",
        "paul@example.org",
    ]
    assert link_path(mail.outbox[0].body).startswith("/invitation/")


def test_the_success_message_lists_the_addresses(team_admin, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        team_admin.post(URL, {"emails": "anne@example.org paul@example.org", "role": "MEMBER"})
    text = page_text(team_admin.get(reverse("campaigns:team") + "?onglet=invitations"))
    assert "2 invitations ont été envoyées\u00a0: anne@example.org, paul@example.org." in text
    assert "Invitations (2)" in text


def test_malformed_addresses_are_listed_on_the_field_and_nothing_is_sent(team_admin, send_on_commit):
    response = send_on_commit(
        team_admin, {"emails": "anne@example.org, paul@, marc.example.org", "role": "MEMBER"}
    )

    text = page_text(response)
    assert response.status_code == 200
    assert text.startswith("<!doctype html>")
    assert "<title>Erreur\u00a0: Inviter des membres" in text
    assert (
        "Ces 2 adresses ne sont pas valides\u00a0: paul@, marc.example.org. Corrigez-les ou retirez-les, "
        "aucune invitation n'a été envoyée."
    ) in text
    assert 'aria-invalid="true"' in text
    assert 'aria-describedby="id_emails_helptext id_emails_error"' in text
    assert 'id="id_emails_error"' in text
    # What was typed is kept, for the person to correct it.
    assert "anne@example.org, paul@, marc.example.org</textarea>" in text
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_one_malformed_address_is_named_in_the_singular(team_admin):
    text = page_text(team_admin.post(URL, {"emails": "anne@example", "role": "MEMBER"}))
    assert "Cette adresse n'est pas valide\u00a0: anne@example." in text


@pytest.mark.parametrize("emails", ["", "  \n , ; "])
def test_no_address_is_refused(team_admin, emails):
    text = page_text(team_admin.post(URL, {"emails": emails, "role": "MEMBER"}))
    assert "Saisissez au moins une adresse e-mail." in text
    assert not Invitation.objects.exists()


def test_too_many_addresses_at_once_are_refused(team_admin):
    emails = " ".join(f"p{n}@example.org" for n in range(101))
    text = page_text(team_admin.post(URL, {"emails": emails, "role": "MEMBER"}))
    assert "Vous avez saisi 101 adresses\u00a0: envoyez-en 100 au plus à la fois." in text
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("role", ["", "OWNER", "ADMIN\x00"])
def test_an_unknown_role_is_refused(team_admin, role):
    response = team_admin.post(URL, {"emails": "anne@example.org", "role": role})
    assert response.status_code in (200, 400)
    assert not Invitation.objects.exists()


def test_an_address_of_the_team_is_refused_on_the_field(team_admin, organization, send_on_commit):
    MembershipFactory(organization=organization, user=UserFactory(email="paul@example.org"))

    text = page_text(
        send_on_commit(team_admin, {"emails": "anne@example.org, PAUL@example.org", "role": "MEMBER"})
    )

    assert (
        "paul@example.org fait déjà partie de l'équipe\u00a0: retirez-la de la liste. "
        "Aucune invitation n'a été envoyée."
    ) in text
    assert 'id="id_emails_error"' in text
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_inviting_an_invited_address_again_sends_a_fresh_invitation(team_admin, organization, send_on_commit):
    InvitationFactory(organization=organization, email="anne@example.org", role="MEMBER")
    send_on_commit(team_admin, {"emails": "anne@example.org", "role": "ADMIN"})
    invitation = Invitation.objects.get()
    assert (invitation.role, invitation.send_count) == ("ADMIN", 2)
    assert len(mail.outbox) == 1


def test_member_cannot_invite(team_member, send_on_commit):
    assert team_member.get(URL).status_code == 403
    response = send_on_commit(team_member, {"emails": "anne@example.org", "role": "ADMIN"})
    assert response.status_code == 403
    assert "Seuls les administrateurs" in page_text(response)
    assert not Invitation.objects.exists()


def test_invitations_go_to_the_admins_current_organization(other_school_admin, send_on_commit, stranger):
    send_on_commit(other_school_admin, {"emails": "anne@example.org", "role": "MEMBER"})
    assert Invitation.objects.get().organization == stranger.memberships.get().organization


def test_anonymous_visitor_is_sent_to_login(client):
    response = client.post(URL, {"emails": "anne@example.org", "role": "MEMBER"})
    assert response["Location"].startswith(reverse("login"))
    assert not Invitation.objects.exists()


def test_a_pupil_is_refused(pupil_client):
    assert pupil_client.get(URL).status_code == 403


def test_wrong_method_is_refused(team_admin):
    assert team_admin.put(URL).status_code == 405


def test_page_follows_french_typography(team_admin):
    assert typography_faults(team_admin.get(URL).content.decode()) == []
    assert typography_faults(team_admin.post(URL, {"emails": "x@", "role": "MEMBER"}).content.decode()) == []
