from celery import shared_task

from .emails import send_pending_relaunch_emails
from .retention import purge_expired_data


@shared_task
def purge_expired_data_task():
    """Nightly (CELERY_BEAT_SCHEDULE): idempotent, deletes only what is past the retention period."""
    campaigns, logs = purge_expired_data()
    return {"campaigns": campaigns, "export_logs": logs}


@shared_task
def relaunch_send_emails(relaunch_id):
    """Idempotent: only the relaunch's pending e-mails are sent, each once."""
    return send_pending_relaunch_emails(relaunch_id)
