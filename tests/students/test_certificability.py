"""A learner's certificabilité: the newer of his last sending and the computation on his live profile,
stored on the learner; refreshed every night for every school and on a teacher's demand."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from accounts.factories import OrganizationFactory, UserFactory
from campaigns import services
from campaigns.factories import CampaignFactory, ParticipationFactory
from profiles.framework import COMPETENCE_CODES
from profiles.services import competence_pix_set, profile_summary_for_user
from students import tasks
from students.certificability import organization_certificability_refresh, schools_to_refresh
from students.factories import OrganizationLearnerFactory
from students.models import OrganizationLearner
from tests.pages import page_text

pytestmark = pytest.mark.django_db

Certificability = OrganizationLearner.Certificability
Source = OrganizationLearner.CertificabilitySource


def pupil_with_profile(organization, competences, **fields):
    user = UserFactory()
    competence_pix_set(user=user, pix_by_competence=dict.fromkeys(COMPETENCE_CODES[:competences], 8))
    return OrganizationLearnerFactory(organization=organization, user=user, **fields)


def send(learner, campaign=None):
    campaign = campaign or CampaignFactory(organization=learner.organization)
    participation = ParticipationFactory(campaign=campaign, user=learner.user, learner=learner)
    return services.participation_send_profile(participation=participation)


def test_a_pupil_who_never_sent_nor_was_computed_is_not_communicated(organization):
    learner = OrganizationLearnerFactory(organization=organization)
    assert learner.certificability == Certificability.NOT_COMMUNICATED
    assert learner.certificability_at is None


def test_sending_a_profile_sets_the_learners_certificability_in_the_same_transaction(organization):
    learner = pupil_with_profile(organization, 4)
    participation = send(learner)
    learner.refresh_from_db()
    assert learner.certificability == Certificability.NOT_CERTIFIABLE
    assert learner.certifiable_competences_count == 4
    assert learner.certificability_at == participation.shared_at
    assert learner.certificability_source == Source.SENDING
    assert learner.missing_competences_for_certifiability == 1


def test_fifth_level_one_competence_makes_the_learner_certifiable_at_his_next_sending(organization):
    learner = pupil_with_profile(organization, 5)
    send(learner)
    learner.refresh_from_db()
    assert learner.certificability == Certificability.CERTIFIABLE
    assert learner.missing_competences_for_certifiability == 0


def test_a_sending_does_not_override_a_newer_computation(organization):
    learner = pupil_with_profile(organization, 5)
    participation = ParticipationFactory(
        campaign=CampaignFactory(organization=organization), user=learner.user, learner=learner
    )
    later = timezone.now() + datetime.timedelta(hours=1)
    OrganizationLearner.objects.filter(pk=learner.pk).update(
        certificability=Certificability.NOT_CERTIFIABLE,
        certifiable_competences_count=2,
        certificability_at=later,
        certificability_source=Source.LIVE_PROFILE,
    )
    services.participation_send_profile(participation=participation)
    learner.refresh_from_db()
    assert (learner.certificability, learner.certificability_at) == (Certificability.NOT_CERTIFIABLE, later)


def test_failed_sending_leaves_the_certificability_untouched(organization, monkeypatch):
    learner = pupil_with_profile(organization, 5)
    participation = ParticipationFactory(
        campaign=CampaignFactory(organization=organization), user=learner.user, learner=learner
    )

    def broken(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(services, "snapshot_take", broken)
    with pytest.raises(RuntimeError):
        services.participation_send_profile(participation=participation)
    learner.refresh_from_db()
    assert learner.certificability == Certificability.NOT_COMMUNICATED


def test_recomputation_applies_the_live_profile_of_every_enabled_learner(organization):
    certifiable = pupil_with_profile(organization, 5)
    not_yet = pupil_with_profile(organization, 4)
    empty = OrganizationLearnerFactory(organization=organization, user=UserFactory())
    without_account = OrganizationLearnerFactory(organization=organization)
    disabled = pupil_with_profile(organization, 6, is_disabled=True)
    elsewhere = pupil_with_profile(OrganizationFactory(), 6)
    now = timezone.now()

    assert organization_certificability_refresh(organization_id=organization.pk, now=now) == 3

    for learner in (certifiable, not_yet, empty, without_account, disabled, elsewhere):
        learner.refresh_from_db()
    assert (certifiable.certificability, certifiable.certifiable_competences_count) == ("certifiable", 5)
    assert (not_yet.certificability, not_yet.certifiable_competences_count) == ("non-certifiable", 4)
    assert (empty.certificability, empty.certifiable_competences_count) == ("non-certifiable", 0)
    assert certifiable.certificability_at == now and certifiable.certificability_source == Source.LIVE_PROFILE
    assert without_account.certificability == Certificability.NOT_COMMUNICATED
    assert disabled.certificability_at is None and elsewhere.certificability_at is None


def test_recomputation_agrees_with_the_live_profile_summary(organization):
    learners = [pupil_with_profile(organization, count) for count in range(0, 17, 3)]
    competence_pix_set(user=learners[1].user, pix_by_competence={"1.1": 500, "2.1": 7})
    organization_certificability_refresh(organization_id=organization.pk)
    for learner in learners:
        learner.refresh_from_db()
        summary = profile_summary_for_user(user=learner.user)
        assert learner.certifiable_competences_count == summary.certifiable_competences_count
        assert (learner.certificability == Certificability.CERTIFIABLE) == summary.is_certifiable


def test_a_computation_then_a_later_sending_the_newer_wins(organization):
    learner = pupil_with_profile(organization, 4)
    organization_certificability_refresh(
        organization_id=organization.pk, now=timezone.now() - datetime.timedelta(days=1)
    )
    competence_pix_set(user=learner.user, pix_by_competence={COMPETENCE_CODES[10]: 8})
    send(learner)
    learner.refresh_from_db()
    assert learner.certificability == Certificability.CERTIFIABLE
    assert learner.certificability_source == Source.SENDING


def test_nightly_job_refreshes_every_school_with_accounts(organization):
    learner = pupil_with_profile(organization, 5)
    college = OrganizationFactory()
    other = pupil_with_profile(college, 2)
    OrganizationLearnerFactory(organization=OrganizationFactory())  # a school without any account
    pupil_with_profile(OrganizationFactory(type="SUP"), 5)
    assert set(schools_to_refresh()) == {organization.pk, college.pk}
    assert tasks.certificability_refresh_all.delay().get() == 2
    learner.refresh_from_db()
    other.refresh_from_db()
    assert learner.certificability == Certificability.CERTIFIABLE
    assert other.certificability == Certificability.NOT_CERTIFIABLE


def test_nightly_job_is_in_the_beat_schedule():
    entry = settings.CELERY_BEAT_SCHEDULE["students-certificability-nightly"]
    assert entry["task"] == "students.tasks.certificability_refresh_all"
    assert entry["schedule"].hour == {2}


def test_teacher_recomputes_on_demand(client, colleague, organization, django_capture_on_commit_callbacks):
    learner = pupil_with_profile(organization, 5)
    client.force_login(colleague)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("students:refresh"), follow=True)
    assert "Le calcul de la certificabilité de vos élèves est lancé" in page_text(response)
    learner.refresh_from_db()
    assert learner.certificability == Certificability.CERTIFIABLE


def test_a_second_demand_while_one_is_queued_is_not_queued_again(
    client, colleague, organization, monkeypatch
):
    queued = []
    monkeypatch.setattr(tasks.certificability_refresh, "delay", queued.append)
    client.force_login(colleague)
    with_callbacks = client.post(reverse("students:refresh"), follow=True)
    again = client.post(reverse("students:refresh"), follow=True)
    assert "lancé" in page_text(with_callbacks)
    assert "déjà en cours" in page_text(again)


def test_recompute_button_needs_a_post_and_a_member(client, colleague, stranger):
    client.force_login(colleague)
    assert client.get(reverse("students:refresh")).status_code == 405
    client.logout()
    assert client.post(reverse("students:refresh")).status_code == 302
