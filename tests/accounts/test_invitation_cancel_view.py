"""« Annuler » an invitation: a confirmation page (GET), then the cancellation (POST)."""

import pytest
from django.urls import reverse

from accounts.factories import InvitationFactory
from accounts.invitations import invitation_token
from accounts.models import Invitation
from tests.accounts.typography import typography_faults
from tests.pages import page_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def invitation(organization):
    return InvitationFactory(organization=organization, email="anne@example.org")


def _url(invitation):
    return reverse("team_invitation_cancel", args=[invitation.pk])


def test_admin_is_asked_to_confirm_and_nothing_changes_yet(team_admin, invitation):
    response = team_admin.get(_url(invitation))
    text = page_text(response)
    assert "Annuler l'invitation envoyée à anne@example.org\u00a0?" in text
    assert '<button type="submit" class="button button--danger">Annuler l\'invitation</button>' in text
    assert typography_faults(response.content.decode()) == []
    assert Invitation.objects.get().status == "PENDING"


def test_admin_cancels_and_the_link_stops_working(team_admin, invitation, client):
    token = invitation_token(invitation)
    response = team_admin.post(_url(invitation), follow=True)

    invitation.refresh_from_db()
    assert invitation.status == "CANCELLED" and invitation.cancelled_at is not None
    text = page_text(response)
    assert "L'invitation de anne@example.org est annulée\u00a0: son lien ne fonctionne plus." in text
    assert "Invitations (0)" in text
    assert "Invitation annulée" in page_text(client.get(reverse("invitation_accept", args=[token])))


def test_cancelling_twice_says_it_is_already_cancelled(team_admin, invitation):
    team_admin.post(_url(invitation))
    response = team_admin.post(_url(invitation), follow=True)
    assert "L'invitation de anne@example.org a été annulée." in page_text(response)


def test_member_cannot_cancel(team_member, invitation):
    assert team_member.get(_url(invitation)).status_code == 403
    assert team_member.post(_url(invitation)).status_code == 403
    assert Invitation.objects.get().status == "PENDING"


def test_another_organization_gets_404(other_school_admin, invitation):
    assert other_school_admin.get(_url(invitation)).status_code == 404
    assert other_school_admin.post(_url(invitation)).status_code == 404
    assert Invitation.objects.get().status == "PENDING"


def test_anonymous_visitor_is_sent_to_login(client, invitation):
    assert client.post(_url(invitation))["Location"].startswith(reverse("login"))
    assert Invitation.objects.get().status == "PENDING"


def test_a_pupil_is_refused(pupil_client, invitation):
    assert pupil_client.post(_url(invitation)).status_code == 403


def test_wrong_method_is_refused(team_admin, invitation):
    assert team_admin.delete(_url(invitation)).status_code == 405
    assert Invitation.objects.get().status == "PENDING"
