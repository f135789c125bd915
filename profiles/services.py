"""Reading a user's live Pix profile, keeping it up with his evaluations, and freezing it into a snapshot."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from evaluation.selectors import evaluated_pix_by_competence

from .models import Competence, CompetencePix, EvaluationGain, ProfileSnapshot
from .scoring import live_competence_pix, summarize_profile


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
    """Set the pix `user` earned outside pixorga (imported from Pix, demo data, tests) for the given
    competence codes; his live pix stays at least what his evaluations validated."""
    competences = Competence.objects.in_bulk(list(pix_by_competence), field_name="code")
    evaluated = evaluated_pix_by_competence(user=user)
    for code, pix in pix_by_competence.items():
        live = live_competence_pix(baseline=pix, evaluated=evaluated.get(code, 0))
        CompetencePix.objects.update_or_create(
            user=user, competence=competences[code], defaults={"pix": live}
        )


def competence_pix_refresh(*, evaluation, evaluated_pix):
    """Raise the live pix of the evaluation's competence to what the pupil's validated skills are worth.

    The live pix before this call is max(imported, what earlier answers validated), and validated skills
    only accumulate, so max(live, evaluated) is max(imported, evaluated) without storing the imported
    value; a profile never goes down, even when a bigger bank makes each skill worth less. The first rise
    in an evaluation records where it started, for its result page. Nothing is written when nothing rises.
    """
    with transaction.atomic():
        row = (
            CompetencePix.objects.select_for_update()
            .filter(user_id=evaluation.user_id, competence_id=evaluation.competence_id)
            .first()
        )
        current = row.pix if row else 0
        live = live_competence_pix(baseline=current, evaluated=evaluated_pix)
        if live == current:
            return
        gain, created = EvaluationGain.objects.get_or_create(
            evaluation=evaluation, defaults={"pix_before": current, "pix_after": live}
        )
        if not created:
            gain.pix_after = live
            gain.save(update_fields=["pix_after"])
        CompetencePix.objects.update_or_create(
            user_id=evaluation.user_id, competence_id=evaluation.competence_id, defaults={"pix": live}
        )


def evaluation_gain(*, evaluation):
    """(pix before, pix after) the evaluation on its competence, and the profile before and after it."""
    live = _live_pix(evaluation.user_id)
    code = evaluation.competence.code
    gain = EvaluationGain.objects.filter(evaluation=evaluation).first()
    after = gain.pix_after if gain else live.get(code, 0)
    before = gain.pix_before if gain else after
    max_level = settings.PIX_MAX_REACHABLE_LEVEL
    return (
        summarize_profile({**live, code: before}, max_level=max_level),
        summarize_profile({**live, code: after}, max_level=max_level),
    )
