import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from campaigns.factories import CampaignFactory, ParticipationFactory, SharedParticipationFactory
from campaigns.models import Participation
from profiles.factories import ProfileSnapshotFactory
from profiles.models import ImmutableSnapshotError, ProfileSnapshot

pytestmark = pytest.mark.django_db


def test_campaign_code_is_unique_in_the_database():
    CampaignFactory(code="MPPHCD934")
    with pytest.raises(IntegrityError), transaction.atomic():
        CampaignFactory(code="MPPHCD934")


def test_campaign_links(campaign):
    assert campaign.get_absolute_url() == f"/orga/campagnes/{campaign.pk}/"
    assert campaign.get_join_url() == f"/campagnes/{campaign.code}"


def test_only_one_live_participation_per_user_and_campaign(campaign):
    first = ParticipationFactory(campaign=campaign)
    with pytest.raises(IntegrityError), transaction.atomic():
        Participation.objects.create(campaign=campaign, user=first.user, learner=first.learner)


def test_improved_participations_stay_beside_the_live_one(campaign):
    old = SharedParticipationFactory(campaign=campaign, is_improved=True)
    live = SharedParticipationFactory(campaign=campaign, user=old.user, learner=old.learner)
    assert set(campaign.participations.all()) == {old, live}


def test_sent_participation_needs_a_date_and_a_snapshot(campaign):
    with pytest.raises(IntegrityError), transaction.atomic():
        ParticipationFactory(campaign=campaign, status=Participation.Status.SHARED)


def test_unsent_participation_cannot_be_marked_improved(campaign):
    with pytest.raises(IntegrityError), transaction.atomic():
        ParticipationFactory(campaign=campaign, is_improved=True)


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
