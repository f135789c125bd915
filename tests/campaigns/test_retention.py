import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from campaigns.factories import CampaignFactory
from campaigns.models import Campaign, ExportLog, Participation
from campaigns.retention import purge_expired_data
from campaigns.tasks import purge_expired_data_task
from tests.campaigns.sendings import sent

pytestmark = pytest.mark.django_db


def _days_ago(days):
    return timezone.now() - datetime.timedelta(days=days)


def test_purge_deletes_campaigns_archived_past_the_retention_period(settings, organization):
    settings.PIXORGA_RETENTION_DAYS = 30
    expired = CampaignFactory(organization=organization, archived_at=_days_ago(31))
    recent = CampaignFactory(organization=organization, archived_at=_days_ago(29))
    active = CampaignFactory(organization=organization)
    sent(expired, last_name="Ancien")
    ExportLog.objects.create(organization=organization, campaign=active, campaign_name="x", scope="ALL")
    ExportLog.objects.filter().update(started_at=_days_ago(40))

    assert purge_expired_data() == (1, 1)

    assert set(Campaign.objects.all()) == {recent, active}
    assert not Participation.objects.filter(campaign_id=expired.pk).exists()
    assert purge_expired_data() == (0, 0)


def test_purge_runs_as_a_task_and_a_command(settings, organization, capsys):
    settings.PIXORGA_RETENTION_DAYS = 30
    CampaignFactory(organization=organization, archived_at=_days_ago(60))
    assert purge_expired_data_task.delay().get() == {"campaigns": 1, "export_logs": 0}
    call_command("purge_expired_data")
    assert "0 campagne(s)" in capsys.readouterr().out


def test_purge_is_scheduled_every_night(settings):
    assert (
        settings.CELERY_BEAT_SCHEDULE["purge-expired-data"]["task"]
        == "campaigns.tasks.purge_expired_data_task"
    )
