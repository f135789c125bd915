"""Signing up without telling anyone which e-mail addresses already have an account.

Every valid signup gets the same answer, « Vérifiez votre boîte mail », and one e-mail: a new address
receives a link that activates the account it just created (the account stays inactive until then); a
known address receives a word that someone tried to sign up with it, and how to log in or reset the
password. Both paths hash the password, so the response time does not tell them apart either.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlencode, urlsafe_base64_decode, urlsafe_base64_encode


def _send(template, *, user, context):
    subject = render_to_string(f"accounts/{template}_subject.txt", context).strip()
    body = render_to_string(f"accounts/{template}_email.txt", {"user": user, **context})
    send_mail(subject, body, None, [user.email])


def activation_link(request, user, next_url=""):
    path = reverse(
        "signup_activate",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    if next_url:
        path += "?" + urlencode({"next": next_url})
    return request.build_absolute_uri(path)


def signup_request(*, form, request, next_url=""):
    """Create the inactive account and send its activation link, or, for a known address, tell its
    owner. The caller answers the same in both cases."""
    email = form.cleaned_data["email"]
    existing = get_user_model().objects.filter(email__iexact=email).first()
    if existing is None:
        try:
            with transaction.atomic():
                user = form.save(commit=False)
                user.is_active = False
                user.save()
        except IntegrityError:
            # Two signups with one address at the same moment: the second is the « known address » case.
            existing = get_user_model().objects.get(email__iexact=email)
        else:
            _send("signup_activation", user=user, context={"link": activation_link(request, user, next_url)})
            return
    make_password(form.cleaned_data["password1"])
    context = {
        "login_link": request.build_absolute_uri(reverse("login")),
        "reset_link": request.build_absolute_uri(reverse("password_reset")),
        "activation": "" if existing.is_active else activation_link(request, existing, next_url),
    }
    _send("signup_existing", user=existing, context=context)


def user_to_activate(uidb64, token):
    """The inactive account this link activates, or None when the link is wrong, used or expired."""
    try:
        pk = int(urlsafe_base64_decode(uidb64).decode())
    except (TypeError, ValueError, OverflowError, UnicodeDecodeError):
        return None
    user = get_user_model().objects.filter(pk=pk, is_active=False).first() if 0 < pk < 2**63 else None
    if user is None or not default_token_generator.check_token(user, token):
        return None
    return user


def signup_activate(*, user):
    user.is_active = True
    user.save(update_fields=["is_active"])
