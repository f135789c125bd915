"""Reading a user's live Pix profile and freezing it into a snapshot."""

from django.conf import settings
from django.utils import timezone

from .models import Competence, CompetencePix, ProfileSnapshot
from .scoring import summarize_profile


def _live_pix(user):
    return dict(CompetencePix.objects.filter(user=user).values_list("competence__code", "pix"))


def profile_summary_for_user(*, user):
    """The live profile of `user`, summarised with the current MAX_REACHABLE_LEVEL (one query)."""
    return summarize_profile(_live_pix(user), max_level=settings.PIX_MAX_REACHABLE_LEVEL)


def snapshot_take(*, user, taken_at=None):
    """Freeze the live profile of `user`. The caller holds the transaction that makes it part of a sending."""
    return snapshot_create(user=user, pix_by_competence=_live_pix(user), taken_at=taken_at or timezone.now())


def snapshot_create(*, user, pix_by_competence, taken_at):
    """A snapshot of the given pix per competence, scored with the current MAX_REACHABLE_LEVEL."""
    max_level = settings.PIX_MAX_REACHABLE_LEVEL
    summary = summarize_profile(pix_by_competence, max_level=max_level)
    return ProfileSnapshot.objects.create(
        user=user,
        taken_at=taken_at,
        max_reachable_level=max_level,
        competences={
            code: {"pix": result.pix, "level": result.level} for code, result in summary.competences.items()
        },
        pix_score=summary.pix_score,
        certifiable_competences_count=summary.certifiable_competences_count,
        is_certifiable=summary.is_certifiable,
    )


def competence_pix_set(*, user, pix_by_competence):
    """Replace the live pix of `user` for the given competence codes (demo data, admin, tests)."""
    competences = Competence.objects.in_bulk(list(pix_by_competence), field_name="code")
    for code, pix in pix_by_competence.items():
        CompetencePix.objects.update_or_create(user=user, competence=competences[code], defaults={"pix": pix})
