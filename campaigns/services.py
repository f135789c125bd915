"""Writes on campaigns and participations. Keyword-only functions named <entity>_<action>.

The campaign's counters (participants, profiles received, certifiable) and its activity per day change in
the same transaction as the participations they count, with F() expressions, so that concurrent sendings
never lose an increment.
"""

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django_scopes import scopes_disabled

from profiles.models import ProfileSnapshot
from profiles.services import snapshot_take
from students.certificability import learner_certificability_from_sending
from students.selectors import roster_changed

from .codes import generate_code
from .consent import sending_consent_text
from .models import Campaign, CampaignActivityDay, ConsentText, ExportLog, Participation

CODE_ATTEMPTS = 20
DELETE_BATCH = 500


class CampaignError(Exception):
    """A rule of the domain refused the action; the message is shown to the person as it is."""


class CodeGenerationError(RuntimeError):
    pass


class CampaignArchivedError(CampaignError):
    def __init__(self):
        super().__init__("Cette campagne est archivée : elle n'accepte plus de participation.")


class CampaignTypeNotSupportedError(CampaignError):
    def __init__(self):
        super().__init__(
            "Ce type de campagne n'est pas encore disponible sur pixorga. "
            "Rapprochez-vous de votre enseignant."
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


def campaign_create(*, organization, creator, name, owner=None, code_generator=generate_code, **fields):
    """Create a campaign with a fresh unique code; the database's unique constraint settles races."""
    for _ in range(CODE_ATTEMPTS):
        code = campaign_code_new(code_generator=code_generator)
        try:
            with transaction.atomic():
                return Campaign.objects.create(
                    organization=organization,
                    creator=creator,
                    owner=owner or creator,
                    name=name,
                    code=code,
                    **fields,
                )
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
    """« Copie de … »: the same settings under a new code, owned by whoever duplicates it."""
    name = f"Copie de {campaign.name}"[: Campaign._meta.get_field("name").max_length]
    settings = {field: getattr(campaign, field) for field in COPIED_SETTINGS}
    return campaign_create(
        organization=campaign.organization, creator=user, owner=user, name=name, **settings
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
    if not campaign.is_profiles_collection:
        raise CampaignTypeNotSupportedError()


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
            )
        return live


def _participation_first(campaign, user, learner, participant_external_id):
    try:
        with transaction.atomic():
            participation = Participation.objects.create(
                campaign=campaign, user=user, learner=learner, participant_external_id=participant_external_id
            )
    except IntegrityError:
        # The same pupil's other tab got there first.
        return Participation.objects.get(campaign=campaign, learner=learner, is_improved=False)
    _count(campaign.pk, participants_count=1)
    _count_day(campaign.pk, participation.created_at, joined=1)
    return participation


def participation_send_profile(*, participation):
    """« J'envoie mon profil »: freeze a snapshot of the pupil's live profile in one transaction.

    The row lock makes a double click, a replayed POST or two tabs produce one sending: whoever comes
    second finds the participation sent and gets it back unchanged.
    """
    with transaction.atomic():
        locked = (
            Participation.objects.select_for_update()
            .select_related("campaign", "user", "learner")
            .get(pk=participation.pk)
        )
        if locked.is_deleted:
            raise ParticipationDeletedError()
        if locked.is_shared:
            return locked
        campaign_check_open(locked.campaign)
        previous = (
            Participation.objects.select_for_update()
            .filter(campaign_id=locked.campaign_id, learner_id=locked.learner_id, is_latest_sending=True)
            .first()
        )
        if previous is not None:
            previous.is_latest_sending = False
            previous.save(update_fields=["is_latest_sending"])
        now = timezone.now()
        snapshot = snapshot_take(user=locked.user, taken_at=now)
        locked.status = Participation.Status.SHARED
        locked.shared_at = now
        locked.snapshot = snapshot
        locked.pix_score = snapshot.pix_score
        locked.is_certifiable = snapshot.is_certifiable
        locked.certifiable_competences_count = snapshot.certifiable_competences_count
        locked.sending_number = previous.sending_number + 1 if previous else 1
        locked.previous_pix_score = previous.pix_score if previous else None
        locked.is_latest_sending = True
        locked.consent, _ = ConsentText.objects.get_or_create(text=sending_consent_text(locked.campaign))
        locked.save()
        if previous is None:
            _count(locked.campaign_id, received_count=1, certifiable_count=int(snapshot.is_certifiable))
            _count_day(locked.campaign_id, now, received=1)
        else:
            _count(
                locked.campaign_id,
                certifiable_count=int(snapshot.is_certifiable) - int(previous.is_certifiable),
            )
        learner_certificability_from_sending(participation=locked)
        return locked


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
