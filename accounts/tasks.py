from celery import shared_task

from . import invitations


@shared_task(ignore_result=True)
def invitation_send(*, invitation_id, site_url):
    """Send an invitation's e-mail. Idempotent: a closed invitation is skipped, and a second run sends
    the same link again."""
    invitations.invitation_deliver(invitation_id=invitation_id, site_url=site_url)
