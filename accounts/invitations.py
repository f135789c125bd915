"""Team invitations: create, resend, cancel, accept, and the e-mail that carries the link.

The link is signed with Django's TimestampSigner (salted, keyed by SECRET_KEY) rather than a random token
stored hashed, because:
- the Celery task receives only the invitation's id and rebuilds the link itself: no secret crosses the
  broker, and the database holds nothing that opens an invitation without SECRET_KEY;
- the signature's timestamp carries the expiry, so an expired link is told apart from a forged one;
- the signed value holds the invitation's `key`, which a resend replaces: the previous link then stops
  working, and an accepted or cancelled invitation refuses every link by its status.
"""

import datetime
import logging
import re
import secrets
import smtplib

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Lower
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django_scopes import scopes_disabled

from pixorga.inputs import parse_id

from .models import Invitation, Membership
from .services import TeamError, organization_lock

logger = logging.getLogger(__name__)

MAX_EMAILS_AT_ONCE = 100
_SEPARATORS = re.compile(r"[\s,;]+")
_SALT = "accounts.invitation"


# The addresses typed in the invitation form


def parse_email_list(text):
    """The addresses of `text` (separated by commas, semicolons, spaces or new lines), lower-cased and
    without duplicates, in the order typed; and the pieces that are not e-mail addresses."""
    valid, invalid = [], []
    for piece in _SEPARATORS.split(text or ""):
        if not piece:
            continue
        address = piece.lower()
        try:
            validate_email(address)
        except ValidationError:
            if piece not in invalid:
                invalid.append(piece)
            continue
        if address not in valid:
            valid.append(address)
    return valid, invalid


# Errors


class AlreadyMemberError(TeamError):
    def __init__(self, emails, *, advice):
        self.emails = emails
        listed = ", ".join(emails)
        if len(emails) == 1:
            text = f"{listed} fait déjà partie de l'équipe\u00a0: {advice}"
        else:
            advice = advice[0].upper() + advice[1:]
            text = f"Ces adresses font déjà partie de l'équipe\u00a0: {listed}. {advice}"
        super().__init__(text)


class InvitationClosedError(TeamError):
    def __init__(self, invitation):
        if invitation.status == Invitation.Status.ACCEPTED:
            text = f"L'invitation de {invitation.email} a déjà été acceptée."
        else:
            text = f"L'invitation de {invitation.email} a été annulée."
        super().__init__(text)


class AccountExistsError(TeamError):
    def __init__(self, email):
        super().__init__(
            f"Un compte existe déjà avec l'adresse {email}\u00a0: connectez-vous pour accepter l'invitation."
        )


class InvitationLinkError(Exception):
    """A link that opens no invitation. The page shows `title` and the message; nothing is changed."""

    title = "Lien d'invitation invalide"
    status = 400

    def __init__(self, message, invitation=None):
        super().__init__(message)
        self.invitation = invitation


class InvalidLinkError(InvitationLinkError):
    def __init__(self):
        super().__init__(
            "Ce lien d'invitation n'est pas valide. Vérifiez qu'il a été copié en entier, ou demandez à un "
            "administrateur de l'équipe de vous renvoyer l'invitation."
        )


class ExpiredLinkError(InvitationLinkError):
    title = "Lien d'invitation expiré"
    status = 410

    def __init__(self):
        super().__init__(
            f"Ce lien d'invitation a expiré\u00a0: il n'est valable que {max_age_text()}. Demandez à un "
            "administrateur de l'équipe de vous renvoyer l'invitation."
        )


class ReplacedLinkError(InvitationLinkError):
    title = "Lien d'invitation remplacé"
    status = 410

    def __init__(self, invitation):
        super().__init__(
            "Cette invitation vous a été renvoyée depuis\u00a0: ce lien ne fonctionne plus. Utilisez le lien "
            "du dernier e-mail reçu.",
            invitation,
        )


class UsedLinkError(InvitationLinkError):
    title = "Invitation déjà acceptée"
    status = 410

    def __init__(self, invitation):
        super().__init__(
            f"Cette invitation a déjà été acceptée\u00a0: un lien ne sert qu'une fois. Connectez-vous pour "
            f"retrouver l'équipe de {invitation.organization.name}.",
            invitation,
        )


class CancelledLinkError(InvitationLinkError):
    title = "Invitation annulée"
    status = 410

    def __init__(self, invitation):
        super().__init__(
            f"Cette invitation à rejoindre {invitation.organization.name} a été annulée par un "
            "administrateur de l'équipe. Rapprochez-vous de lui si vous pensez qu'il s'agit d'une erreur.",
            invitation,
        )


class ForeignLinkError(InvitationLinkError):
    title = "Invitation destinée à une autre adresse"
    status = 403

    def __init__(self, invitation, user):
        current = user.email or user.username
        super().__init__(
            f"Cette invitation est destinée à {invitation.email}, et vous êtes connecté avec le compte "
            f"{current}. Déconnectez-vous, puis ouvrez à nouveau ce lien et connectez-vous avec l'adresse "
            f"{invitation.email}.",
            invitation,
        )


# The link


def _max_age():
    return datetime.timedelta(days=settings.INVITATION_MAX_AGE_DAYS)


def max_age_text():
    days = settings.INVITATION_MAX_AGE_DAYS
    return f"{days} jour{'s' if days > 1 else ''}"


def _signer():
    return signing.TimestampSigner(salt=_SALT)


def invitation_token(invitation):
    return _signer().sign(f"{invitation.pk}.{invitation.key}")


def invitation_link(invitation, *, site_url):
    return site_url.rstrip("/") + reverse("invitation_accept", args=[invitation_token(invitation)])


def invitation_from_token(token):
    """The open invitation that `token` opens, or an InvitationLinkError saying why not."""
    try:
        value = _signer().unsign(token, max_age=_max_age())
    except signing.SignatureExpired:
        raise ExpiredLinkError() from None
    except signing.BadSignature:
        raise InvalidLinkError() from None
    pk, _, key = value.partition(".")
    with scopes_disabled():
        invitation = (
            Invitation.objects.select_related("organization", "invited_by").filter(pk=parse_id(pk)).first()
        )
    if invitation is None:
        raise InvalidLinkError()
    if invitation.status == Invitation.Status.ACCEPTED:
        raise UsedLinkError(invitation)
    if invitation.status == Invitation.Status.CANCELLED:
        raise CancelledLinkError(invitation)
    if not constant_time_compare(invitation.key, key):
        raise ReplacedLinkError(invitation)
    return invitation


def invitation_check_recipient(*, invitation, user):
    """A logged-in person accepts only an invitation sent to his own address."""
    if user.email.lower() != invitation.email.lower():
        raise ForeignLinkError(invitation, user)


def invitation_has_account(*, invitation):
    return get_user_model().objects.filter(email__iexact=invitation.email).exists()


# Writes


def _new_key():
    return secrets.token_urlsafe(16)


def _queue_sending(invitations, site_url):
    from .tasks import invitation_send  # tasks.py imports this module: imported when first needed.

    for invitation in invitations:
        transaction.on_commit(
            lambda pk=invitation.pk: invitation_send.delay(invitation_id=pk, site_url=site_url)
        )


def invitations_create(*, organization, emails, role, invited_by, site_url):
    """Invite every address of `emails` with `role`, all or none.

    An address of the team refuses the whole list; an address already invited gets its invitation
    refreshed (the new role, a new link) rather than a second one. The e-mails leave after the commit.
    """
    with transaction.atomic():
        organization_lock(organization_id=organization.pk)
        members = sorted(
            Membership.objects.filter(organization=organization)
            .annotate(address=Lower("user__email"))
            .filter(address__in=emails)
            .values_list("address", flat=True)
        )
        if members:
            raise AlreadyMemberError(
                members,
                advice=(
                    f"retirez-{'la' if len(members) == 1 else 'les'} de la liste. "
                    "Aucune invitation n'a été envoyée."
                ),
            )
        with scopes_disabled():
            open_invitations = {
                invitation.email.lower(): invitation
                for invitation in Invitation.objects.filter(
                    organization=organization, status__in=Invitation.OPEN_STATUSES
                )
            }
        invitations = []
        for email in emails:
            invitation = open_invitations.get(email)
            if invitation is None:
                invitation = Invitation(organization=organization, email=email)
            invitation.role = role
            invitation.invited_by = invited_by
            invitation.status = Invitation.Status.PENDING
            invitation.key = _new_key()
            invitation.last_error = ""
            invitations.append(invitation)
        with scopes_disabled():
            for invitation in invitations:
                invitation.save()
        _queue_sending(invitations, site_url)
    return invitations


def _lock(invitation):
    """The invitation, locked and re-read: it may have been accepted, cancelled or resent meanwhile."""
    organization_lock(organization_id=invitation.organization_id)
    with scopes_disabled():
        return (
            Invitation.objects.select_related("organization")
            .select_for_update(of=("self",))
            .get(pk=invitation.pk)
        )


def _lock_open(invitation):
    current = _lock(invitation)
    if not current.is_open:
        raise InvitationClosedError(current)
    return current


def invitation_resend(*, invitation, site_url):
    """Send the invitation again with a new link; the previous link stops working."""
    with transaction.atomic():
        current = _lock_open(invitation)
        if Membership.objects.filter(
            organization_id=current.organization_id, user__email__iexact=current.email
        ).exists():
            raise AlreadyMemberError([current.email], advice="inutile de lui renvoyer l'invitation.")
        current.key = _new_key()
        current.status = Invitation.Status.PENDING
        current.last_error = ""
        with scopes_disabled():
            current.save(update_fields=["key", "status", "last_error"])
        _queue_sending([current], site_url)
    return current


def invitation_cancel(*, invitation):
    """Cancel the invitation: its link stops working. The record stays, for the history."""
    with transaction.atomic():
        current = _lock_open(invitation)
        current.status = Invitation.Status.CANCELLED
        current.cancelled_at = timezone.now()
        with scopes_disabled():
            current.save(update_fields=["status", "cancelled_at"])
    return current


def _accept(invitation, user):
    current = _lock(invitation)
    if current.status == Invitation.Status.ACCEPTED:
        raise UsedLinkError(current)
    if current.status == Invitation.Status.CANCELLED:
        raise CancelledLinkError(current)
    if not constant_time_compare(current.key, invitation.key):
        raise ReplacedLinkError(current)
    membership, created = Membership.objects.get_or_create(
        organization_id=current.organization_id, user=user, defaults={"role": current.role}
    )
    current.status = Invitation.Status.ACCEPTED
    current.accepted_at = timezone.now()
    current.accepted_by = user
    with scopes_disabled():
        current.save(update_fields=["status", "accepted_at", "accepted_by"])
    return membership, created


def invitation_accept(*, invitation, user):
    """The invited person, logged in with the invited address, joins the team. `invitation` comes from
    invitation_from_token: its key is the link's, checked again under the lock.

    Returns the membership and whether it is new (he may have joined by another invitation meanwhile).
    """
    invitation_check_recipient(invitation=invitation, user=user)
    with transaction.atomic():
        return _accept(invitation, user)


def invitation_accept_new_account(*, invitation, first_name, last_name, password):
    """Create the invited person's account (his login is the invited address) and make him a member."""
    user_model = get_user_model()
    try:
        with transaction.atomic():
            if user_model.objects.filter(email__iexact=invitation.email).exists():
                raise AccountExistsError(invitation.email)
            user = user_model(
                username=invitation.email.lower(),
                email=invitation.email.lower(),
                first_name=first_name,
                last_name=last_name,
            )
            user.set_password(password)
            user.save()
            membership, _ = _accept(invitation, user)
    except IntegrityError:
        # Someone created an account with this address (or username) between the check and the insert.
        raise AccountExistsError(invitation.email) from None
    return user, membership


# The e-mail


def invitation_email(invitation, *, site_url):
    context = {
        "invitation": invitation,
        "organization": invitation.organization,
        "inviter": invitation.invited_by,
        "link": invitation_link(invitation, site_url=site_url),
        "expires_on": timezone.localtime() + _max_age(),
        "max_age": max_age_text(),
        "site_url": site_url.rstrip("/"),
    }
    subject = render_to_string("accounts/emails/invitation_subject.txt", context).strip()
    inviter = invitation.invited_by
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=render_to_string("accounts/emails/invitation.txt", context),
        to=[invitation.email],
        reply_to=[inviter.email] if inviter and inviter.email else [],
    )
    message.attach_alternative(render_to_string("accounts/emails/invitation.html", context), "text/html")
    return message


def invitation_deliver(*, invitation_id, site_url):
    """Send the e-mail of an open invitation and record the outcome on it; True when it left.

    A refusal by the mail server is recorded as « Échec d'envoi » for an admin to retry with « Renvoyer ».
    The updates are conditional on the key and the status, so that a slow sending never marks a
    cancelled, accepted or since-resent invitation.
    """
    with scopes_disabled():
        invitation = (
            Invitation.objects.select_related("organization", "invited_by")
            .filter(pk=invitation_id, status__in=Invitation.OPEN_STATUSES)
            .first()
        )
        if invitation is None:
            return False
        same_sending = Invitation.objects.filter(
            pk=invitation.pk, key=invitation.key, status__in=Invitation.OPEN_STATUSES
        )
        try:
            invitation_email(invitation, site_url=site_url).send()
        except (smtplib.SMTPException, OSError) as error:
            logger.warning("Invitation %s to %s not sent: %s", invitation.pk, invitation.email, error)
            same_sending.update(status=Invitation.Status.FAILED, last_error=str(error)[:1000])
            return False
        same_sending.update(
            status=Invitation.Status.PENDING,
            sent_at=timezone.now(),
            send_count=F("send_count") + 1,
            last_error="",
        )
    return True
