import itertools

import pytest

from accounts.factories import UserFactory
from campaigns.consent import sending_consent_text
from campaigns.factories import CampaignFactory, ParticipationFactory, SharedParticipationFactory
from campaigns.models import Campaign, CampaignActivityDay, ExportLog, Participation
from campaigns.services import (
    CampaignArchivedError,
    CodeGenerationError,
    ParticipationDeletedError,
    campaign_archive,
    campaign_counters_rebuild,
    campaign_create,
    campaign_delete,
    campaign_duplicate,
    campaign_unarchive,
    export_log_start,
    participation_delete,
    participation_send_profile,
    participation_start,
)
from profiles.framework import COMPETENCE_CODES
from profiles.models import ProfileSnapshot
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


def test_joining_an_assessment_starts_a_participation_that_answers_before_it_sends(
    organization, teacher, pupil
):
    campaign = CampaignFactory(organization=organization, creator=teacher, type=Campaign.Type.ASSESSMENT)
    participation = participation_start(campaign=campaign, user=pupil, learner=_learner(pupil, organization))
    assert participation.status == Participation.Status.STARTED


def test_sending_freezes_the_live_profile(campaign, pupil, organization):
    competence_pix_set(user=pupil, pix_by_competence=dict.fromkeys(COMPETENCE_CODES[:5], 12))
    participation = participation_start(campaign=campaign, user=pupil, learner=_learner(pupil, organization))

    sent = participation_send_profile(participation=participation)

    assert sent.status == Participation.Status.SHARED
    assert sent.shared_at is not None
    assert (sent.snapshot.pix_score, sent.snapshot.certifiable_competences_count) == (60, 5)
    assert sent.snapshot.is_certifiable
    assert (sent.pix_score, sent.certifiable_competences_count, sent.is_certifiable) == (60, 5, True)
    assert (sent.sending_number, sent.previous_pix_score, sent.is_latest_sending) == (1, None, True)
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


def test_a_single_sending_campaign_gives_back_the_sent_participation(campaign, pupil, organization):
    learner = _learner(pupil, organization)
    sent = participation_send_profile(
        participation=participation_start(campaign=campaign, user=pupil, learner=learner)
    )
    again = participation_start(campaign=campaign, user=pupil, learner=learner)
    assert again == sent and again.is_shared
    assert campaign.participations.count() == 1


def _campaign_with_multiple_sendings(organization, teacher):
    return CampaignFactory(organization=organization, creator=teacher, multiple_sendings=True)


def test_entering_the_code_again_starts_a_new_participation_at_once(organization, teacher, pupil):
    campaign = _campaign_with_multiple_sendings(organization, teacher)
    learner = _learner(pupil, organization)
    first = participation_send_profile(
        participation=participation_start(campaign=campaign, user=pupil, learner=learner)
    )

    new = participation_start(campaign=campaign, user=pupil, learner=learner)

    first.refresh_from_db()
    assert new != first and new.status == Participation.Status.TO_SHARE
    assert first.is_improved and first.is_latest_sending
    assert participation_start(campaign=campaign, user=pupil, learner=learner) == new


def test_new_sending_becomes_the_latest_with_its_rank_and_previous_score(organization, teacher, pupil):
    campaign = _campaign_with_multiple_sendings(organization, teacher)
    learner = _learner(pupil, organization)
    competence_pix_set(user=pupil, pix_by_competence=dict.fromkeys(COMPETENCE_CODES[:4], 8))
    first = participation_send_profile(
        participation=participation_start(campaign=campaign, user=pupil, learner=learner)
    )
    competence_pix_set(user=pupil, pix_by_competence={"5.1": 16})

    second = participation_send_profile(
        participation=participation_start(campaign=campaign, user=pupil, learner=learner)
    )

    first.refresh_from_db()
    assert not first.is_latest_sending and second.is_latest_sending
    assert (first.is_certifiable, second.is_certifiable) == (False, True)
    assert (second.pix_score, second.previous_pix_score, second.sending_number) == (48, 32, 2)
    campaign.refresh_from_db()
    assert (campaign.participants_count, campaign.received_count, campaign.certifiable_count) == (1, 1, 1)


def test_replayed_sending_makes_no_third_sending(organization, teacher, pupil):
    campaign = _campaign_with_multiple_sendings(organization, teacher)
    learner = _learner(pupil, organization)
    participation_send_profile(
        participation=participation_start(campaign=campaign, user=pupil, learner=learner)
    )
    second = participation_start(campaign=campaign, user=pupil, learner=learner)
    participation_send_profile(participation=second)
    replay = participation_send_profile(participation=second)
    assert replay == second
    assert campaign.participations.sendings().count() == 2


def test_counters_and_days_follow_joining_sending_and_deleting(campaign, pupil, organization, teacher):
    learner = _learner(pupil, organization)
    participation = participation_start(campaign=campaign, user=pupil, learner=learner)
    campaign.refresh_from_db()
    assert (campaign.participants_count, campaign.received_count) == (1, 0)
    participation_send_profile(participation=participation)
    campaign.refresh_from_db()
    assert (campaign.participants_count, campaign.received_count, campaign.certifiable_count) == (1, 1, 0)
    day = CampaignActivityDay.objects.get(campaign=campaign)
    assert (day.joined, day.received) == (1, 1)

    participation_delete(participation=participation, user=teacher)

    campaign.refresh_from_db()
    assert (campaign.participants_count, campaign.received_count, campaign.certifiable_count) == (0, 0, 0)
    day.refresh_from_db()
    assert (day.joined, day.received) == (0, 0)
    rebuilt = campaign_counters_rebuild(campaign=campaign)
    assert (rebuilt.participants_count, rebuilt.received_count) == (0, 0)


def test_deleted_participation_leaves_the_lists_and_cannot_be_started_again(
    campaign, pupil, organization, teacher
):
    learner = _learner(pupil, organization)
    participation = participation_send_profile(
        participation=participation_start(campaign=campaign, user=pupil, learner=learner)
    )

    participation_delete(participation=participation, user=teacher)
    participation_delete(participation=participation, user=teacher)

    participation.refresh_from_db()
    assert participation.deleted_at is not None and participation.deleted_by == teacher
    assert not campaign.participations.live().exists()
    assert not campaign.participations.latest_sendings().exists()
    with pytest.raises(ParticipationDeletedError, match="supprimée par l'organisateur"):
        participation_start(campaign=campaign, user=pupil, learner=learner)
    with pytest.raises(ParticipationDeletedError):
        participation_send_profile(participation=participation)


def test_counters_rebuild_agrees_with_the_services(organization, teacher, pupil):
    campaign = _campaign_with_multiple_sendings(organization, teacher)
    learner = _learner(pupil, organization)
    competence_pix_set(user=pupil, pix_by_competence=dict.fromkeys(COMPETENCE_CODES[:5], 8))
    participation_send_profile(
        participation=participation_start(campaign=campaign, user=pupil, learner=learner)
    )
    participation_send_profile(
        participation=participation_start(campaign=campaign, user=pupil, learner=learner)
    )
    ParticipationFactory(campaign=campaign)
    campaign.refresh_from_db()
    counted = (campaign.participants_count, campaign.received_count, campaign.certifiable_count)
    days = list(
        CampaignActivityDay.objects.filter(campaign=campaign).values_list("day", "joined", "received")
    )

    rebuilt = campaign_counters_rebuild(campaign=campaign)

    assert (
        (rebuilt.participants_count, rebuilt.received_count, rebuilt.certifiable_count)
        == counted
        == (2, 1, 1)
    )
    assert (
        list(CampaignActivityDay.objects.filter(campaign=campaign).values_list("day", "joined", "received"))
        == days
    )


def test_duplicate_copies_the_settings_under_a_new_code(organization, teacher, colleague):
    campaign = CampaignFactory(
        organization=organization,
        creator=teacher,
        name="Collecte 2nde",
        multiple_sendings=True,
        external_id_label="adresse e-mail de l'ENT",
        external_id_type=Campaign.ExternalIdType.EMAIL,
        custom_landing_page_text="**Avant vendredi**",
    )
    SharedParticipationFactory(campaign=campaign)

    copy = campaign_duplicate(campaign=campaign, user=colleague)

    assert copy.pk != campaign.pk and copy.code != campaign.code
    assert copy.name == "Copie de Collecte 2nde"
    assert (copy.owner, copy.creator, copy.organization) == (colleague, colleague, organization)
    assert copy.multiple_sendings and copy.external_id_type == Campaign.ExternalIdType.EMAIL
    assert copy.external_id_label == "adresse e-mail de l'ENT"
    assert copy.custom_landing_page_text == "**Avant vendredi**"
    assert not copy.participations.exists() and copy.participants_count == 0


def test_delete_removes_the_campaign_its_participations_and_their_snapshots(campaign):
    sending = SharedParticipationFactory(campaign=campaign)
    ParticipationFactory(campaign=campaign)
    kept = SharedParticipationFactory()

    campaign_delete(campaign=campaign)

    assert not Campaign.objects.filter(pk=campaign.pk).exists()
    assert not Participation.objects.filter(campaign_id=campaign.pk).exists()
    assert not ProfileSnapshot.objects.filter(pk=sending.snapshot_id).exists()
    assert ProfileSnapshot.objects.filter(pk=kept.snapshot_id).exists()


def test_a_learner_relinked_to_another_account_keeps_one_participation(campaign, pupil, organization):
    learner = _learner(pupil, organization)
    participation = participation_start(campaign=campaign, user=pupil, learner=learner)
    new_account = UserFactory()
    learner.user = new_account
    learner.save()

    again = participation_start(campaign=campaign, user=new_account, learner=learner)

    assert again == participation and again.user == new_account
    assert campaign.participations.count() == 1


def test_sending_is_refused_once_the_campaign_is_archived(campaign, pupil, organization, teacher):
    participation = ParticipationFactory(campaign=campaign, user=pupil, learner=_learner(pupil, organization))
    campaign_archive(campaign=campaign, user=teacher)
    with pytest.raises(CampaignArchivedError):
        participation_send_profile(participation=participation)
    participation.refresh_from_db()
    assert participation.status == Participation.Status.TO_SHARE


def test_sending_records_the_consent_text_the_pupil_saw(campaign, pupil, organization):
    participation = participation_start(campaign=campaign, user=pupil, learner=_learner(pupil, organization))
    sent = participation_send_profile(participation=participation)
    assert sent.consent.text == sending_consent_text(campaign)
    assert organization.name in sent.consent.text


def test_export_log_records_rows_and_whether_the_file_was_complete(campaign, teacher):
    finish = export_log_start(campaign=campaign, user=teacher, scope=ExportLog.Scope.ALL)
    finish(12, True)
    log = ExportLog.objects.get()
    assert (log.campaign, log.campaign_name, log.user, log.rows, log.completed) == (
        campaign,
        campaign.name,
        teacher,
        12,
        True,
    )
