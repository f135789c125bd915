"""profiles keeps the live pix up with what the evaluation app reports (it never imports profiles)."""

from .services import competence_pix_refresh


def refresh_live_pix(sender, *, evaluation, pix, **kwargs):
    competence_pix_refresh(evaluation=evaluation, evaluated_pix=pix)
