import itertools

import pytest

from campaigns.factories import CampaignFactory, ParticipationFactory
from campaigns.models import Campaign, Participation
from campaigns.services import (
    CampaignArchivedError,
    CampaignTypeNotSupportedError,
    CodeGenerationError,
    ProfileAlreadySentError,
    campaign_archive,
    campaign_create,
    campaign_unarchive,
    participation_send_profile,
    participation_start,
)
from profiles.framework import COMPETENCE_CODES
from profiles.services import competence_pix_set
from students.models import OrganizationLearner

pytestmark = pytest.mark.django_db


def test_campaign_create_generates_a_code_and_defaults_owner_to_creator(organization, teacher):
    campaign = campaign_create(organization=organization, creator=teacher, name="Collecte 2nde")
    assert campaign.owner == teacher
    assert campaign.type == Campaign.Type.PROFILES_COLLECTION
    assert len(campaign.code) == 9


def test_campaign_create_retries_when_the_code_is_taken(organization, teacher):
    CampaignFactory(code="AAAAAA111")
    codes = iter(["AAAAAA111", "AAAAAA111", "BBBBBB222"])
    campaign = campaign_create(
        organization=organization, creator=teacher, name="Collecte", code_generator=lambda: next(codes)
    )
    assert campaign.code == "BBBBBB222"


def test_campaign_create_gives_up_when_no_code_is_free(organization, teacher):
    CampaignFactory(code="AAAAAA111")
    with pytest.raises(CodeGenerationError):
        campaign_create(
            organization=organization,
            creator=teacher,
            name="Collecte",
            code_generator=itertools.repeat("AAAAAA111").__next__,
        )


def test_archive_and_unarchive(campaign, teacher):
    campaign_archive(campaign=campaign, user=teacher)
    campaign.refresh_from_db()
    assert campaign.is_archived and campaign.archived_by == teacher
    campaign_unarchive(campaign=campaign)
    campaign.refresh_from_db()
    assert not campaign.is_archived


def _learner(pupil, organization):
    return OrganizationLearner.objects.get(user=pupil, organization=organization)


def test_start_twice_gives_the_same_participation(campaign, pupil, organization):
    learner = _learner(pupil, organization)
    first = participation_start(campaign=campaign, user=pupil, learner=learner)
    second = participation_start(campaign=campaign, user=pupil, learner=learner)
    assert first == second
    assert first.status == Participation.Status.TO_SHARE


def test_archived_campaign_refuses_new_participants(campaign, pupil, organization, teacher):
    campaign_archive(campaign=campaign, user=teacher)
    with pytest.raises(CampaignArchivedError, match="archivée"):
        participation_start(campaign=campaign, user=pupil, learner=_learner(pupil, organization))
    assert not Participation.objects.exists()


def test_assessment_campaign_is_not_supported_yet(organization, teacher, pupil):
    campaign = CampaignFactory(organization=organization, creator=teacher, type=Campaign.Type.ASSESSMENT)
    with pytest.raises(CampaignTypeNotSupportedError):
        participation_start(campaign=campaign, user=pupil, learner=_learner(pupil, organization))


def test_sending_freezes_the_live_profile(campaign, pupil, organization):
    competence_pix_set(user=pupil, pix_by_competence=dict.fromkeys(COMPETENCE_CODES[:5], 12))
    participation = participation_start(campaign=campaign, user=pupil, learner=_learner(pupil, organization))

    sent = participation_send_profile(participation=participation)

    assert sent.status == Participation.Status.SHARED
    assert sent.shared_at is not None
    assert (sent.snapshot.pix_score, sent.snapshot.certifiable_competences_count) == (60, 5)
    assert sent.snapshot.is_certifiable
    assert sent.snapshot.competences["1.1"] == {"pix": 12, "level": 1}
    competence_pix_set(user=pupil, pix_by_competence={"5.2": 40})
    sent.snapshot.refresh_from_db()
    assert sent.snapshot.pix_score == 60


def test_second_click_on_send_makes_no_second_sending(campaign, pupil, organization):
    participation = participation_start(campaign=campaign, user=pupil, learner=_learner(pupil, organization))
    first = participation_send_profile(participation=participation)
    second = participation_send_profile(participation=participation)
    assert first == second
    assert campaign.participations.count() == 1


def test_resend_is_refused_when_the_campaign_allows_one_sending(campaign, pupil, organization):
    participation = participation_start(campaign=campaign, user=pupil, learner=_learner(pupil, organization))
    participation_send_profile(participation=participation)
    with pytest.raises(ProfileAlreadySentError, match="déjà envoyé votre profil le"):
        participation_send_profile(participation=participation, resend=True)
    assert campaign.participations.count() == 1


def test_resend_supersedes_the_previous_sending_when_allowed(organization, teacher, pupil):
    campaign = CampaignFactory(organization=organization, creator=teacher, multiple_sendings=True)
    competence_pix_set(user=pupil, pix_by_competence=dict.fromkeys(COMPETENCE_CODES[:4], 8))
    first = participation_send_profile(
        participation=participation_start(
            campaign=campaign, user=pupil, learner=_learner(pupil, organization)
        )
    )
    competence_pix_set(user=pupil, pix_by_competence={"5.1": 16})

    second = participation_send_profile(participation=first, resend=True)

    first.refresh_from_db()
    assert first.is_improved and not second.is_improved
    assert (first.snapshot.is_certifiable, second.snapshot.is_certifiable) == (False, True)
    assert second.snapshot.pix_score == 48


def test_replayed_resend_makes_no_third_sending(organization, teacher, pupil):
    campaign = CampaignFactory(organization=organization, creator=teacher, multiple_sendings=True)
    first = participation_send_profile(
        participation=participation_start(
            campaign=campaign, user=pupil, learner=_learner(pupil, organization)
        )
    )
    second = participation_send_profile(participation=first, resend=True)
    replay = participation_send_profile(participation=first, resend=True)
    assert replay == second
    assert campaign.participations.count() == 2


def test_sending_is_refused_once_the_campaign_is_archived(campaign, pupil, organization, teacher):
    participation = ParticipationFactory(campaign=campaign, user=pupil, learner=_learner(pupil, organization))
    campaign_archive(campaign=campaign, user=teacher)
    with pytest.raises(CampaignArchivedError):
        participation_send_profile(participation=participation)
    participation.refresh_from_db()
    assert participation.status == Participation.Status.TO_SHARE
