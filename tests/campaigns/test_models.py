"""What the database itself guarantees about campaigns, participations and snapshots."""

import pytest
from django.db import DataError, IntegrityError, transaction
from django.utils import timezone

from accounts.factories import OrganizationFactory, UserFactory
from campaigns.factories import CampaignFactory, ParticipationFactory, SharedParticipationFactory
from campaigns.models import Campaign, Participation
from profiles.factories import ProfileSnapshotFactory
from profiles.models import ImmutableSnapshotError, ProfileSnapshot
from students.factories import OrganizationLearnerFactory

pytestmark = pytest.mark.django_db


def test_campaign_code_is_unique_in_the_database():
    CampaignFactory(code="MPPHCD934")
    with pytest.raises(IntegrityError), transaction.atomic():
        CampaignFactory(code="MPPHCD934")


@pytest.mark.parametrize("code", ["", "mpphcd934", "MPPHCD93", "MPPHC9934", "MPPHCD9345", "MPPHCDÉ34"])
def test_database_refuses_a_code_in_the_wrong_format(code):
    # PostgreSQL refuses a 10-character code for its length (DataError) before checking its format.
    with pytest.raises((IntegrityError, DataError)), transaction.atomic():
        CampaignFactory(code=code)


def test_external_id_label_and_type_go_together():
    with pytest.raises(IntegrityError), transaction.atomic():
        CampaignFactory(external_id_label="numéro d'élève", external_id_type="")


def test_campaign_links(campaign):
    assert campaign.get_absolute_url() == f"/orga/campagnes/{campaign.pk}/"
    assert campaign.get_join_url() == f"/campagnes/{campaign.code}"


def test_only_one_live_participation_per_user_and_campaign(campaign):
    first = ParticipationFactory(campaign=campaign)
    other_learner = OrganizationLearnerFactory(organization=campaign.organization)
    with pytest.raises(IntegrityError), transaction.atomic():
        Participation.objects.create(campaign=campaign, user=first.user, learner=other_learner)


def test_only_one_live_participation_per_learner_even_from_another_account(campaign):
    """A learner re-linked to a new account must not get a second live participation."""
    first = ParticipationFactory(campaign=campaign)
    new_account = UserFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Participation.objects.create(campaign=campaign, user=new_account, learner=first.learner)


def test_participation_learner_must_belong_to_the_campaign_organization(campaign):
    foreign_learner = OrganizationLearnerFactory(organization=OrganizationFactory())
    with pytest.raises(IntegrityError), transaction.atomic():
        Participation.objects.create(campaign=campaign, user=UserFactory(), learner=foreign_learner)


def test_participation_cannot_be_moved_to_a_learner_of_another_organization(campaign):
    participation = ParticipationFactory(campaign=campaign)
    participation.learner = OrganizationLearnerFactory(organization=OrganizationFactory())
    with pytest.raises(IntegrityError), transaction.atomic():
        participation.save()


def test_improved_participations_stay_beside_the_live_one(campaign):
    old = SharedParticipationFactory(campaign=campaign, is_improved=True, is_latest_sending=False)
    live = SharedParticipationFactory(
        campaign=campaign, user=old.user, learner=old.learner, sending_number=2, previous_pix_score=40
    )
    assert set(campaign.participations.all()) == {old, live}


def test_only_one_latest_sending_per_learner_and_campaign(campaign):
    old = SharedParticipationFactory(campaign=campaign, is_improved=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        SharedParticipationFactory(campaign=campaign, user=old.user, learner=old.learner)


def test_sent_participation_needs_a_date_a_snapshot_and_its_scores(campaign):
    with pytest.raises(IntegrityError), transaction.atomic():
        ParticipationFactory(campaign=campaign, status=Participation.Status.SHARED)
    with pytest.raises(IntegrityError), transaction.atomic():
        SharedParticipationFactory(campaign=campaign, pix_score=None)


def test_pending_participation_cannot_be_a_latest_sending(campaign):
    with pytest.raises(IntegrityError), transaction.atomic():
        ParticipationFactory(campaign=campaign, is_latest_sending=True)


def test_unsent_participation_cannot_be_marked_improved(campaign):
    with pytest.raises(IntegrityError), transaction.atomic():
        ParticipationFactory(campaign=campaign, is_improved=True)


def test_missing_competences_is_what_certifiability_still_needs(campaign):
    four = SharedParticipationFactory(
        campaign=campaign, snapshot__pix={"1.1": 8, "1.2": 8, "1.3": 8, "2.1": 8}
    )
    assert four.missing_competences == 1
    assert SharedParticipationFactory(campaign=campaign).missing_competences == 0
    assert ParticipationFactory(campaign=campaign).missing_competences is None


def test_factories_keep_the_campaign_counters_true(campaign):
    SharedParticipationFactory(campaign=campaign)
    SharedParticipationFactory(campaign=campaign, snapshot__pix={"1.1": 8})
    ParticipationFactory(campaign=campaign)
    campaign = Campaign.objects.get(pk=campaign.pk)
    assert (campaign.participants_count, campaign.received_count, campaign.certifiable_count) == (3, 2, 1)
    assert (campaign.pending_count, campaign.not_certifiable_count) == (1, 1)


def test_snapshot_cannot_be_saved_again():
    snapshot = ProfileSnapshotFactory()
    snapshot.pix_score = 999
    with pytest.raises(ImmutableSnapshotError):
        snapshot.save()
    snapshot.refresh_from_db()
    assert snapshot.pix_score == 40


def test_snapshot_cannot_be_bulk_updated():
    ProfileSnapshotFactory()
    with pytest.raises(ImmutableSnapshotError):
        ProfileSnapshot.objects.update(pix_score=0, taken_at=timezone.now())
