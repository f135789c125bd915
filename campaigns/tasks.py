from celery import shared_task

from .retention import purge_expired_data


@shared_task
def purge_expired_data_task():
    """Nightly (CELERY_BEAT_SCHEDULE): idempotent, deletes only what is past the retention period."""
    campaigns, logs = purge_expired_data()
    return {"campaigns": campaigns, "export_logs": logs}
