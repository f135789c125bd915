"""« Retirer » a member: a confirmation page (GET), then the removal (POST)."""

import pytest
from django.urls import reverse

from accounts.models import Membership
from campaigns.factories import CampaignFactory
from tests.accounts.typography import typography_faults
from tests.pages import page_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def colleague_membership(organization, colleague):
    return Membership.objects.get(organization=organization, user=colleague)


def _url(membership):
    return reverse("team_member_remove", args=[membership.pk])


def test_admin_is_asked_to_confirm_and_nothing_changes_yet(team_admin, colleague_membership, colleague):
    response = team_admin.get(_url(colleague_membership))
    text = page_text(response)
    assert f"Retirer {colleague.get_full_name()} ({colleague.email}) de l'équipe\u00a0?" in text
    assert "Son compte et les campagnes qu'elle a créées sont conservés." in text
    assert "Retirer de l'équipe</button>" in text
    assert typography_faults(response.content.decode()) == []
    assert Membership.objects.filter(pk=colleague_membership.pk).exists()


def test_admin_removes_a_member_who_keeps_his_account_and_campaigns(
    team_admin, colleague_membership, colleague, organization
):
    campaign = CampaignFactory(organization=organization, creator=colleague)
    response = team_admin.post(_url(colleague_membership), follow=True)

    assert not Membership.objects.filter(pk=colleague_membership.pk).exists()
    assert f"{colleague.get_full_name()} ne fait plus partie de l'équipe." in page_text(response)
    campaign.refresh_from_db()
    assert campaign.owner == colleague


def test_the_removed_member_loses_the_console(team_admin, team_member, colleague_membership):
    team_admin.post(_url(colleague_membership))
    assert team_member.get(reverse("campaigns:list")).status_code == 403


def test_removing_oneself_goes_to_leaving(team_admin, organization, teacher):
    own = Membership.objects.get(organization=organization, user=teacher)
    assert team_admin.post(_url(own))["Location"] == reverse("team_leave")
    assert Membership.objects.filter(pk=own.pk).exists()


def test_member_cannot_remove(team_member, organization, teacher):
    admin = Membership.objects.get(organization=organization, user=teacher)
    assert team_member.get(_url(admin)).status_code == 403
    assert team_member.post(_url(admin)).status_code == 403
    assert Membership.objects.filter(pk=admin.pk).exists()


def test_another_organization_gets_404(other_school_admin, colleague_membership):
    assert other_school_admin.post(_url(colleague_membership)).status_code == 404
    assert Membership.objects.filter(pk=colleague_membership.pk).exists()


def test_anonymous_visitor_is_sent_to_login(client, colleague_membership):
    assert client.post(_url(colleague_membership))["Location"].startswith(reverse("login"))


def test_a_pupil_is_refused(pupil_client, colleague_membership):
    assert pupil_client.post(_url(colleague_membership)).status_code == 403


def test_wrong_method_is_refused(team_admin, colleague_membership):
    assert team_admin.delete(_url(colleague_membership)).status_code == 405
    assert Membership.objects.filter(pk=colleague_membership.pk).exists()
