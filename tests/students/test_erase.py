"""RGPD: an organization admin deletes a pupil's participations, or the pupil and all his data."""

import pytest
from django.urls import reverse

from campaigns.models import Campaign, Participation, RelaunchRecipient
from campaigns.relaunch import relaunch_record
from profiles.models import ProfileSnapshot
from students.models import LearnerClaim, OrganizationLearner
from tests.campaigns.sendings import sent
from tests.pages import page_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def sending(campaign, teacher):
    participation = sent(campaign, last_name="Martin")
    LearnerClaim.objects.create(learner=participation.learner, user=participation.user)
    relaunch_record(
        campaign=campaign,
        learners=[participation.learner],
        channel="MESSAGE",
        message="x",
        user=teacher,
        join_url="",
    )
    return participation


def _url(learner):
    return reverse("students:erase", args=[learner.pk])


def test_page_spells_out_what_goes_and_what_stays(client, teacher, sending, campaign):
    client.force_login(teacher)
    text = page_text(client.get(_url(sending.learner)))
    assert campaign.name in text and "définitive" in text
    assert "Son compte personnel pixorga et son profil Pix lui appartiennent" in text


def test_deleting_participations_keeps_the_pupil_and_recounts_the_campaign(
    client, teacher, sending, campaign
):
    client.force_login(teacher)
    response = client.post(_url(sending.learner), {"action": "participations", "confirmation": "oui"})
    assert response.status_code == 302
    assert not Participation.objects.filter(learner=sending.learner).exists()
    assert not ProfileSnapshot.objects.filter(pk=sending.snapshot_id).exists()
    assert OrganizationLearner.objects.filter(pk=sending.learner_id).exists()
    campaign = Campaign.objects.get(pk=campaign.pk)
    assert (campaign.participants_count, campaign.received_count) == (0, 0)


def test_deleting_the_pupil_removes_every_trace_but_his_account(client, teacher, sending):
    client.force_login(teacher)
    client.post(_url(sending.learner), {"action": "eleve", "confirmation": "oui"})
    assert not OrganizationLearner.objects.filter(pk=sending.learner_id).exists()
    assert not LearnerClaim.objects.exists() and not RelaunchRecipient.objects.exists()
    assert not Participation.objects.exists()
    sending.user.refresh_from_db()


def test_nothing_is_deleted_without_the_confirmation(client, teacher, sending):
    client.force_login(teacher)
    response = client.post(_url(sending.learner), {"action": "eleve"}, follow=True)
    assert "Cochez la case de confirmation" in page_text(response)
    assert OrganizationLearner.objects.filter(pk=sending.learner_id).exists()


def test_a_member_who_is_not_admin_is_refused(client, colleague, sending):
    client.force_login(colleague)
    assert client.get(_url(sending.learner)).status_code == 403
    assert client.post(_url(sending.learner), {"action": "eleve", "confirmation": "oui"}).status_code == 403
    assert OrganizationLearner.objects.filter(pk=sending.learner_id).exists()


def test_another_organization_gets_404(client, stranger, sending):
    client.force_login(stranger)
    assert client.get(_url(sending.learner)).status_code == 404


def test_claims_are_shown_on_the_pupil_page(client, teacher, sending):
    client.force_login(teacher)
    text = page_text(client.get(sending.learner.get_absolute_url()))
    assert "Rattaché par l'élève le" in text and sending.user.username in text
