import datetime

from django.utils import timezone

from campaigns.factories import SharedParticipationFactory
from profiles.framework import COMPETENCE_CODES


def sent(campaign, *, last_name, first_name="Léa", division="2NDE1", pix=None, days_ago=0, **kwargs):
    """A pupil of the campaign's organization who sent `pix` (by default, 5 competences at level 1)."""
    return SharedParticipationFactory(
        campaign=campaign,
        learner__last_name=last_name,
        learner__first_name=first_name,
        learner__division=division,
        shared_at=timezone.now() - datetime.timedelta(days=days_ago),
        snapshot__pix=pix if pix is not None else dict.fromkeys(COMPETENCE_CODES[:5], 8),
        **kwargs,
    )
