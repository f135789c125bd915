"""« Renvoyer » an invitation (POST /orga/equipe/invitations/<id>/renvoyer/): a new link, the old one dead."""

import pytest
from django.core import mail
from django.urls import reverse

from accounts.factories import InvitationFactory, MembershipFactory, UserFactory
from accounts.invitations import invitation_token
from accounts.models import Invitation
from tests.accounts.conftest import link_path
from tests.pages import page_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def invitation(organization):
    return InvitationFactory(organization=organization, email="anne@example.org", status="FAILED")


def _url(invitation):
    return reverse("team_invitation_resend", args=[invitation.pk])


def test_admin_resends_with_a_new_link(team_admin, invitation, django_capture_on_commit_callbacks):
    old_token = invitation_token(invitation)
    with django_capture_on_commit_callbacks(execute=True):
        response = team_admin.post(_url(invitation), follow=True)

    invitation.refresh_from_db()
    assert (invitation.status, invitation.send_count) == ("PENDING", 2)
    (message,) = mail.outbox
    assert message.to == ["anne@example.org"]
    assert old_token not in message.body
    assert link_path(message.body) == reverse("invitation_accept", args=[invitation_token(invitation)])
    assert response.redirect_chain[-1][0] == reverse("campaigns:team") + "?onglet=invitations"
    assert "Une invitation a été envoyée à anne@example.org." in page_text(response)


def test_a_cancelled_invitation_is_not_resent(team_admin, organization, django_capture_on_commit_callbacks):
    invitation = InvitationFactory(organization=organization, email="anne@example.org", status="CANCELLED")
    with django_capture_on_commit_callbacks(execute=True):
        response = team_admin.post(_url(invitation), follow=True)
    assert "L'invitation de anne@example.org a été annulée." in page_text(response)
    assert mail.outbox == []
    assert Invitation.objects.get().status == "CANCELLED"


def test_someone_who_joined_meanwhile_is_not_invited_again(team_admin, invitation, organization):
    MembershipFactory(organization=organization, user=UserFactory(email="anne@example.org"))
    response = team_admin.post(_url(invitation), follow=True)
    assert "anne@example.org fait déjà partie de l'équipe\u00a0: inutile de lui renvoyer l'invitation." in (
        page_text(response)
    )


def test_member_cannot_resend(team_member, invitation):
    old_key = invitation.key
    response = team_member.post(_url(invitation))
    assert response.status_code == 403
    invitation.refresh_from_db()
    assert (invitation.key, invitation.status) == (old_key, "FAILED")


def test_another_organization_gets_404(other_school_admin, invitation):
    assert other_school_admin.post(_url(invitation)).status_code == 404
    assert Invitation.objects.get().key == invitation.key


def test_anonymous_visitor_is_sent_to_login(client, invitation):
    assert client.post(_url(invitation))["Location"].startswith(reverse("login"))


def test_a_pupil_is_refused(pupil_client, invitation):
    assert pupil_client.post(_url(invitation)).status_code == 403


def test_get_is_refused(team_admin, invitation):
    assert team_admin.get(_url(invitation)).status_code == 405
    assert Invitation.objects.get().key == invitation.key


@pytest.mark.parametrize("pk", ["0", "١٢", "99999999999999999999", "abc"])
def test_malformed_ids_are_not_found(team_admin, pk):
    assert team_admin.post(f"/orga/equipe/invitations/{pk}/renvoyer/").status_code == 404
