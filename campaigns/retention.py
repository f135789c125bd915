"""How long pupils' data stay: a campaign archived for longer than PIXORGA_RETENTION_DAYS is deleted with
its participations and sent profiles, and so are export-log entries older than that."""

import datetime

from django.conf import settings
from django.utils import timezone
from django_scopes import scopes_disabled

from .models import Campaign, ExportLog
from .services import campaign_delete


def retention_limit(now=None):
    return (now or timezone.now()) - datetime.timedelta(days=settings.PIXORGA_RETENTION_DAYS)


def purge_expired_data(*, now=None):
    """Delete what is past the retention period; returns (campaigns deleted, export-log entries deleted)."""
    limit = retention_limit(now)
    with scopes_disabled():
        expired = list(Campaign.objects.filter(archived_at__lt=limit))
        for campaign in expired:
            campaign_delete(campaign=campaign)
        logs, _ = ExportLog.objects.filter(started_at__lt=limit).delete()
    return len(expired), logs
