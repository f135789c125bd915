"""Writes on campaigns and participations. Keyword-only functions named <entity>_<action>.

The campaign's counters (participants, profiles received, certifiable) and its activity per day change in
the same transaction as the participations they count, with F() expressions, so that concurrent sendings
never lose an increment.
"""

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django_scopes import scopes_disabled

from evaluation.services import evaluation_start_targeted
from profiles.models import ProfileSnapshot
from profiles.services import snapshot_take
from students.certificability import learner_certificability_from_sending
from students.selectors import roster_changed

from . import selectors
from .codes import generate_code
from .consent import sending_consent_text
from .models import (
    Campaign,
    CampaignActivityDay,
    ConsentText,
    ExportLog,
    Participation,
    ParticipationEvaluation,
)

CODE_ATTEMPTS = 20
DELETE_BATCH = 500


class CampaignError(Exception):
    """A rule of the domain refused the action; the message is shown to the person as it is."""


class CodeGenerationError(RuntimeError):
    pass


class CampaignArchivedError(CampaignError):
    def __init__(self):
        super().__init__("Cette campagne est archivée : elle n'accepte plus de participation.")


class TargetProfileRequiredError(CampaignError):
    def __init__(self):
        super().__init__("Choisissez au moins une compétence ou un sujet à évaluer.")


class AssessmentNotFinishedError(CampaignError):
    def __init__(self):
        super().__init__(
            "Vous n'avez pas encore répondu à toutes les questions\u00a0: terminez l'évaluation avant "
            "d'envoyer vos résultats."
        )


class ParticipationDeletedError(CampaignError):
    def __init__(self):
        super().__init__(
            "Votre participation à cette campagne a été supprimée par l'organisateur : vous ne pouvez "
            "plus y participer. Rapprochez-vous de votre enseignant si c'est une erreur."
        )


def campaign_code_new(*, code_generator=generate_code):
    """A code that no campaign of any organization holds yet."""
    with scopes_disabled():
        for _ in range(CODE_ATTEMPTS):
            code = code_generator()
            if not Campaign.objects.filter(code=code).exists():
                return code
    raise CodeGenerationError(f"no free campaign code after {CODE_ATTEMPTS} attempts")


def _code_taken(code):
    with scopes_disabled():
        return Campaign.objects.filter(code=code).exists()


def campaign_create(
    *, organization, creator, name, owner=None, code_generator=generate_code, target_topics=(), **fields
):
    """Create a campaign with a fresh unique code; the database's unique constraint settles races.

    An assessment needs its target profile (`target_topics`); a collection has none."""
    target_topics = list(target_topics)
    if fields.get("type") == Campaign.Type.ASSESSMENT:
        if not target_topics:
            raise TargetProfileRequiredError()
    else:
        target_topics = []
    for _ in range(CODE_ATTEMPTS):
        code = campaign_code_new(code_generator=code_generator)
        try:
            with transaction.atomic():
                campaign = Campaign.objects.create(
                    organization=organization,
                    creator=creator,
                    owner=owner or creator,
                    name=name,
                    code=code,
                    **fields,
                )
                campaign.target_topics.set(target_topics)
                return campaign
        except IntegrityError:
            if not _code_taken(code):
                raise
    raise CodeGenerationError(f"no free campaign code after {CODE_ATTEMPTS} attempts")


COPIED_SETTINGS = (
    "type",
    "multiple_sendings",
    "external_id_label",
    "external_id_type",
    "custom_landing_page_text",
)


def campaign_duplicate(*, campaign, user):
    """« Copie de … »: the same settings and target profile under a new code, owned by whoever duplicates
    it."""
    name = f"Copie de {campaign.name}"[: Campaign._meta.get_field("name").max_length]
    settings = {field: getattr(campaign, field) for field in COPIED_SETTINGS}
    return campaign_create(
        organization=campaign.organization,
        creator=user,
        owner=user,
        name=name,
        target_topics=campaign.target_topics.all(),
        **settings,
    )


def campaign_archive(*, campaign, user):
    if campaign.archived_at is None:
        campaign.archived_at = timezone.now()
        campaign.archived_by = user
        campaign.save(update_fields=["archived_at", "archived_by"])
    return campaign


def campaign_unarchive(*, campaign):
    if campaign.archived_at is not None:
        campaign.archived_at = None
        campaign.archived_by = None
        campaign.save(update_fields=["archived_at", "archived_by"])
    return campaign


def campaign_delete(*, campaign):
    """Delete the campaign with every participation and sent profile it holds."""
    with transaction.atomic():
        snapshot_ids = list(
            Participation.objects.filter(campaign=campaign, snapshot__isnull=False).values_list(
                "snapshot_id", flat=True
            )
        )
        Participation.objects.filter(campaign=campaign).delete()
        for start in range(0, len(snapshot_ids), DELETE_BATCH):
            ProfileSnapshot.objects.filter(pk__in=snapshot_ids[start : start + DELETE_BATCH]).delete()
        campaign.delete()


def campaign_check_open(campaign):
    """Raise the error a pupil must read when the campaign takes no participation."""
    if campaign.is_archived:
        raise CampaignArchivedError()


def _count(campaign_id, **deltas):
    changes = {name: F(name) + delta for name, delta in deltas.items() if delta}
    if changes:
        Campaign.objects.filter(pk=campaign_id).update(**changes)


def _count_day(campaign_id, moment, **deltas):
    if not any(deltas.values()):
        return
    day = timezone.localdate(moment)
    CampaignActivityDay.objects.get_or_create(campaign_id=campaign_id, day=day)
    CampaignActivityDay.objects.filter(campaign_id=campaign_id, day=day).update(
        **{name: F(name) + delta for name, delta in deltas.items()}
    )


def participation_start(*, campaign, user, learner, participant_external_id=""):
    """« C'est parti ! »: the pupil's live participation, created on his first visit.

    With multiple sendings, a pupil who already sent starts a new participation at once; the previous
    one is kept as history. A participation the organizer deleted is never started again.
    """
    campaign_check_open(campaign)
    with transaction.atomic():
        live = (
            Participation.objects.select_for_update()
            .filter(campaign=campaign, learner=learner, is_improved=False)
            .first()
        )
        if live is None:
            return _participation_first(campaign, user, learner, participant_external_id)
        if live.is_deleted:
            raise ParticipationDeletedError()
        if live.user_id != user.pk:
            # The school re-linked this pupil to another account: his participation follows him.
            live.user = user
            live.save(update_fields=["user"])
        if live.is_shared and campaign.multiple_sendings:
            live.is_improved = True
            live.save(update_fields=["is_improved"])
            return Participation.objects.create(
                campaign=campaign,
                user=user,
                learner=learner,
                participant_external_id=live.participant_external_id,
                status=_first_status(campaign),
            )
        return live


def _first_status(campaign):
    """A collection's participant can send at once; an assessment's answers its questions first."""
    return Participation.Status.STARTED if campaign.is_assessment else Participation.Status.TO_SHARE


def _participation_first(campaign, user, learner, participant_external_id):
    try:
        with transaction.atomic():
            participation = Participation.objects.create(
                campaign=campaign,
                user=user,
                learner=learner,
                participant_external_id=participant_external_id,
                status=_first_status(campaign),
            )
    except IntegrityError:
        # The same pupil's other tab got there first.
        return Participation.objects.get(campaign=campaign, learner=learner, is_improved=False)
    _count(campaign.pk, participants_count=1)
    _count_day(campaign.pk, participation.created_at, joined=1)
    return participation


def participation_send_profile(*, participation):
    """« J'envoie mon profil » (or, in an assessment, « J'envoie mes résultats »): freeze what the campaign
    collects in one transaction — a snapshot of the pupil's live profile, or the result of his assessment.

    The row lock makes a double click, a replayed POST or two tabs produce one sending: whoever comes
    second finds the participation sent and gets it back unchanged.
    """
    with transaction.atomic():
        locked = (
            Participation.objects.select_for_update()
            .select_related("campaign__organization", "user", "learner")
            .get(pk=participation.pk)
        )
        if locked.is_deleted:
            raise ParticipationDeletedError()
        if locked.is_shared:
            return locked
        campaign_check_open(locked.campaign)
        if locked.is_started:
            raise AssessmentNotFinishedError()
        previous = (
            Participation.objects.select_for_update()
            .filter(campaign_id=locked.campaign_id, learner_id=locked.learner_id, is_latest_sending=True)
            .first()
        )
        if previous is not None:
            previous.is_latest_sending = False
            previous.save(update_fields=["is_latest_sending"])
        now = timezone.now()
        if locked.campaign.is_assessment:
            _freeze_assessment_result(locked)
        else:
            _freeze_profile(locked, now)
        locked.status = Participation.Status.SHARED
        locked.shared_at = now
        locked.sending_number = previous.sending_number + 1 if previous else 1
        locked.previous_pix_score = previous.pix_score if previous else None
        locked.is_latest_sending = True
        locked.consent, _ = ConsentText.objects.get_or_create(text=sending_consent_text(locked.campaign))
        locked.save()
        certifiable = int(bool(locked.is_certifiable))
        if previous is None:
            _count(locked.campaign_id, received_count=1, certifiable_count=certifiable)
            _count_day(locked.campaign_id, now, received=1)
        else:
            _count(locked.campaign_id, certifiable_count=certifiable - int(bool(previous.is_certifiable)))
        learner_certificability_from_sending(participation=locked)
        return locked


def _freeze_profile(participation, now):
    snapshot = snapshot_take(user=participation.user, taken_at=now)
    participation.snapshot = snapshot
    participation.pix_score = snapshot.pix_score
    participation.is_certifiable = snapshot.is_certifiable
    participation.certifiable_competences_count = snapshot.certifiable_competences_count


def _freeze_assessment_result(participation):
    result = selectors.participation_assessment_result(participation=participation)
    participation.assessment_result = result
    participation.mastery_rate = result["mastery"]


def participation_assessment_current(*, participation):
    """The evaluation the pupil is taking in his assessment, one target competence after the other, in
    the order of their codes: the one he left, or the next one, started now. None once every target
    competence is evaluated: the participation then waits for his sending.

    Two tabs opening the next competence at once start it once (a participation has one evaluation per
    competence, held by a unique constraint).
    """
    if not participation.is_started:
        return None
    links = {
        link.competence_id: link
        for link in ParticipationEvaluation.objects.filter(participation=participation).select_related(
            "evaluation__competence"
        )
    }
    for target in selectors.campaign_target_profile(campaign=participation.campaign):
        link = links.get(target.competence.pk) or _assessment_evaluation_start(participation, target)
        if not link.evaluation.is_completed:
            return link.evaluation
    Participation.objects.filter(pk=participation.pk, status=Participation.Status.STARTED).update(
        status=Participation.Status.TO_SHARE
    )
    participation.status = Participation.Status.TO_SHARE
    return None


def _assessment_evaluation_start(participation, target):
    try:
        with transaction.atomic():
            evaluation = evaluation_start_targeted(
                user=participation.user, competence=target.competence, topics=target.topics
            )
            return ParticipationEvaluation.objects.create(
                participation=participation, competence=target.competence, evaluation=evaluation
            )
    except IntegrityError:
        return ParticipationEvaluation.objects.select_related("evaluation__competence").get(
            participation=participation, competence=target.competence
        )


def participation_delete(*, participation, user):
    """Remove a pupil from a campaign (soft delete of all his participations there).

    He leaves every count, list and export, and cannot join the campaign again.
    """
    with transaction.atomic():
        rows = list(
            Participation.objects.select_for_update().filter(
                campaign_id=participation.campaign_id,
                learner_id=participation.learner_id,
                deleted_at__isnull=True,
            )
        )
        if not rows:
            return
        Participation.objects.filter(pk__in=[row.pk for row in rows]).update(
            deleted_at=timezone.now(), deleted_by=user
        )
        latest = next((row for row in rows if row.is_latest_sending), None)
        _count(
            participation.campaign_id,
            participants_count=-1,
            received_count=-1 if latest else 0,
            certifiable_count=-1 if latest and latest.is_certifiable else 0,
        )
        _count_day(participation.campaign_id, min(row.created_at for row in rows), joined=-1)
        sendings = [row.shared_at for row in rows if row.shared_at]
        if sendings:
            _count_day(participation.campaign_id, min(sendings), received=-1)
        roster_changed(organization_id=participation.campaign.organization_id)


def learner_participations_erase(*, learner):
    """RGPD: delete, for good, every participation of a pupil in his organization's campaigns and the
    profiles he sent; the campaigns' counters are recounted. Returns how many campaigns he was in."""
    with transaction.atomic():
        rows = Participation.objects.filter(learner=learner)
        campaign_ids = set(rows.values_list("campaign_id", flat=True))
        snapshot_ids = list(rows.filter(snapshot__isnull=False).values_list("snapshot_id", flat=True))
        rows.delete()
        for start in range(0, len(snapshot_ids), DELETE_BATCH):
            ProfileSnapshot.objects.filter(pk__in=snapshot_ids[start : start + DELETE_BATCH]).delete()
        for campaign in Campaign.objects.filter(pk__in=campaign_ids):
            campaign_counters_rebuild(campaign=campaign)
        roster_changed(organization_id=learner.organization_id)
    return len(campaign_ids)


def learner_erase(*, learner):
    """RGPD: the pupil leaves the organization's data entirely: his participations and sent profiles, the
    record of his relaunches and of his account's link, then the roster entry itself. His personal account
    (and his own Pix profile) stays his."""
    with transaction.atomic():
        campaigns = learner_participations_erase(learner=learner)
        learner.delete()
    return campaigns


def export_log_start(*, campaign, user, scope):
    """Record that `user` starts exporting `campaign`; returns what the stream calls when it ends."""
    log = ExportLog.objects.create(
        organization_id=campaign.organization_id,
        campaign=campaign,
        campaign_name=campaign.name,
        user=user,
        scope=scope,
    )
    # Built now, inside the request's organization scope: the stream ends after the view has returned.
    row = ExportLog.objects.filter(pk=log.pk)

    def finish(rows, completed):
        row.update(rows=rows, completed=completed)

    return finish


def campaign_counters_rebuild(*, campaign):
    """Recount the campaign's counters and activity days from its participations (bulk loads, repairs)."""
    with transaction.atomic():
        participations = Participation.objects.filter(campaign=campaign).not_deleted()
        latest = participations.filter(is_latest_sending=True)
        Campaign.objects.filter(pk=campaign.pk).update(
            participants_count=participations.filter(is_improved=False).count(),
            received_count=latest.count(),
            certifiable_count=latest.filter(is_certifiable=True).count(),
        )
        days = {}
        firsts = {}
        for learner_id, created_at, shared_at in participations.values_list(
            "learner_id", "created_at", "shared_at"
        ):
            joined, sent = firsts.get(learner_id, (created_at, shared_at))
            firsts[learner_id] = (
                min(joined, created_at),
                min(filter(None, (sent, shared_at)), default=None),
            )
        for joined, sent in firsts.values():
            days.setdefault(timezone.localdate(joined), [0, 0])[0] += 1
            if sent:
                days.setdefault(timezone.localdate(sent), [0, 0])[1] += 1
        CampaignActivityDay.objects.filter(campaign=campaign).delete()
        CampaignActivityDay.objects.bulk_create(
            CampaignActivityDay(campaign=campaign, day=day, joined=joined, received=received)
            for day, (joined, received) in days.items()
        )
    campaign.refresh_from_db()
    return campaign
