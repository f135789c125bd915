"""Personal API tokens: created, recognised, touched and revoked here, nowhere else.

A token is `pxo_` followed by `secrets.token_urlsafe(32)` (256 random bits). The database keeps its
SHA-256 and its first characters; the token itself exists only in the answer to its creation, so it is
never stored, logged or put in a message.
"""

import hashlib
import secrets
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from .models import ApiToken

TOKEN_START = "pxo_"
VISIBLE_LENGTH = len(TOKEN_START) + 8
# Longer than any token we make: a header of 10,000 characters is not hashed.
MAX_TOKEN_LENGTH = 100
TOUCH_INTERVAL = timedelta(minutes=1)
MAX_TOKENS_PER_USER = 20


class TokenLimitError(Exception):
    def __init__(self):
        super().__init__(
            f"Vous avez déjà {MAX_TOKENS_PER_USER} jetons : révoquez ceux que vous n'utilisez plus avant "
            "d'en créer un autre."
        )


def token_generate():
    return TOKEN_START + secrets.token_urlsafe(32)


def token_hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


def api_tokens_of(*, user):
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-pk")


def api_token_create(*, user, name, read_only=False):
    """A new token of `user`: returns the row and the token, which the caller shows once and forgets."""
    if api_tokens_of(user=user).count() >= MAX_TOKENS_PER_USER:
        raise TokenLimitError()
    token = token_generate()
    row = ApiToken.objects.create(
        user=user,
        name=name,
        read_only=read_only,
        prefix=token[:VISIBLE_LENGTH],
        key_hash=token_hash(token),
    )
    return row, token


def api_token_for_key(key):
    """The token row `key` designates, with its user, if the user may still log in; else None."""
    if not key.startswith(TOKEN_START) or len(key) > MAX_TOKEN_LENGTH:
        return None
    return (
        ApiToken.objects.select_related("user").filter(key_hash=token_hash(key), user__is_active=True).first()
    )


def api_token_touch(*, token, now=None):
    """Record that `token` was used: at most one write a minute, and none when another request of the
    same minute already wrote it."""
    now = now or timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < TOUCH_INTERVAL:
        return
    ApiToken.objects.filter(pk=token.pk).filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - TOUCH_INTERVAL)
    ).update(last_used_at=now)
    token.last_used_at = now


def api_token_revoke(*, token):
    """The token stops working at once: its row is gone, so nothing can look it up any more."""
    token.delete()
