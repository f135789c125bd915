"""The relaunch e-mail: the teacher's message, the campaign's direct link, in French, one per pupil."""

import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django_scopes import scopes_disabled

from .models import RelaunchRecipient

logger = logging.getLogger(__name__)
ERROR_MAX_LENGTH = 255


def relaunch_email(recipient):
    relaunch = recipient.relaunch
    campaign = relaunch.proposed_campaign
    context = {"relaunch": relaunch, "campaign": campaign, "learner": recipient.learner}
    action = "passez l'évaluation" if campaign.is_assessment else "envoyez votre profil Pix"
    message = EmailMultiAlternatives(
        subject=f"Relance\u00a0: {action} — {campaign.name}",
        body=render_to_string("campaigns/emails/relaunch.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[recipient.email],
        reply_to=[relaunch.created_by.email] if relaunch.created_by and relaunch.created_by.email else None,
    )
    message.attach_alternative(render_to_string("campaigns/emails/relaunch.html", context), "text/html")
    return message


def send_pending_relaunch_emails(relaunch_id):
    """Send the relaunch's e-mails still pending; each one is marked sent or failed (with the server's
    answer), so that a failed e-mail can be retried and none is sent twice."""
    sent = failed = 0
    with scopes_disabled():
        pending = list(
            RelaunchRecipient.objects.filter(
                relaunch_id=relaunch_id, email_status=RelaunchRecipient.EmailStatus.PENDING
            ).select_related(
                "relaunch__campaign__organization",
                "relaunch__target_campaign__organization",
                "relaunch__created_by",
                "learner",
            )
        )
        for recipient in pending:
            with transaction.atomic():
                # Claim the row first: a second worker running the same task skips it.
                claimed = (
                    RelaunchRecipient.objects.select_for_update(skip_locked=True)
                    .filter(pk=recipient.pk, email_status=RelaunchRecipient.EmailStatus.PENDING)
                    .first()
                )
                if claimed is None:
                    continue
                claimed = RelaunchRecipient.objects.filter(pk=recipient.pk)
                try:
                    relaunch_email(recipient).send()
                except (smtplib.SMTPException, OSError) as error:
                    failed += 1
                    logger.warning("relaunch e-mail failed", extra={"recipient_id": recipient.pk})
                    claimed.update(
                        email_status=RelaunchRecipient.EmailStatus.FAILED,
                        email_error=str(error)[:ERROR_MAX_LENGTH],
                    )
                else:
                    sent += 1
                    claimed.update(
                        email_status=RelaunchRecipient.EmailStatus.SENT, email_sent_at=timezone.now()
                    )
    return {"sent": sent, "failed": failed}
