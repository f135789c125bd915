"""Writes on campaigns and participations. Keyword-only functions named <entity>_<action>."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django_scopes import scopes_disabled

from profiles.services import snapshot_take
from students.certificability import learner_certificability_from_sending

from .codes import generate_code
from .models import Campaign, Participation

CODE_ATTEMPTS = 20


class CampaignError(Exception):
    """A rule of the domain refused the action; the message is shown to the person as it is."""


class CodeGenerationError(RuntimeError):
    pass


class CampaignArchivedError(CampaignError):
    def __init__(self):
        super().__init__("Cette campagne est archivée : elle n'accepte plus de participation.")


class CampaignTypeNotSupportedError(CampaignError):
    def __init__(self):
        super().__init__(
            "Ce type de campagne n'est pas encore disponible sur pixorga. "
            "Rapprochez-vous de votre enseignant."
        )


class ProfileAlreadySentError(CampaignError):
    def __init__(self, participation):
        self.participation = participation
        when = timezone.localtime(participation.shared_at)
        super().__init__(
            f"Vous avez déjà envoyé votre profil le {when:%d/%m/%Y} à {when:%H:%M}. "
            "Cette campagne n'accepte qu'un seul envoi."
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


def campaign_check_open(campaign):
    """Raise the error a pupil must read when the campaign takes no participation."""
    if campaign.is_archived:
        raise CampaignArchivedError()
    if not campaign.is_profiles_collection:
        raise CampaignTypeNotSupportedError()


def participation_start(*, campaign, user, learner, participant_external_id=""):
    """Join `campaign`: return the user's live participation, creating it on the first visit."""
    campaign_check_open(campaign)
    with transaction.atomic():
        participation, _ = Participation.objects.get_or_create(
            campaign=campaign,
            user=user,
            is_improved=False,
            defaults={
                "learner": learner,
                "status": Participation.Status.TO_SHARE,
                "participant_external_id": participant_external_id,
            },
        )
    return participation


def participation_send_profile(*, participation, resend=False):
    """Send the pupil's profile: freeze a snapshot of his live profile in one transaction.

    `participation` is the one the pupil saw when he clicked, and `resend` says whether he was offered
    to send again a profile already sent. The row lock makes a double click, a replayed POST or two tabs
    produce one sending: whoever comes second finds the work done and gets the live participation back.
    """
    with transaction.atomic():
        locked = (
            Participation.objects.select_for_update()
            .select_related("campaign", "user", "learner")
            .get(pk=participation.pk)
        )
        if locked.is_improved:
            return Participation.objects.get(
                campaign_id=locked.campaign_id, user_id=locked.user_id, is_improved=False
            )
        if locked.is_shared and not resend:
            return locked
        campaign_check_open(locked.campaign)
        if locked.is_shared:
            if not locked.campaign.multiple_sendings:
                raise ProfileAlreadySentError(locked)
            locked.is_improved = True
            locked.save(update_fields=["is_improved"])
            locked = Participation(
                campaign=locked.campaign,
                user=locked.user,
                learner=locked.learner,
                participant_external_id=locked.participant_external_id,
            )
        now = timezone.now()
        locked.snapshot = snapshot_take(user=locked.user, taken_at=now)
        locked.shared_at = now
        locked.status = Participation.Status.SHARED
        locked.save()
        learner_certificability_from_sending(participation=locked)
        return locked
