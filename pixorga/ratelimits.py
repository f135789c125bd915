"""Abuse resistance: rate limits (django-ratelimit counters) and login lockouts (django-axes), both kept in
the shared cache, and the one French 429 page that says when to try again.

A limit is named in settings.RATELIMITS (« 5/15m,20/d »: every rate applies) and counted per key: the
client's address, the account, an e-mail address, a roster entry. Views either use the `rate_limited`
decorator; a service whose key comes from the form (reconciliation) uses `check` and `count`.
"""

import hashlib
import math
from dataclasses import dataclass
from datetime import timedelta
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render
from django.utils import timezone
from django_ratelimit.core import get_usage

NBSP = "\u00a0"


def client_ip(request):
    """The client's address: REMOTE_ADDR, or, behind settings.TRUSTED_PROXY_COUNT proxies, the address the
    outermost of them saw (X-Forwarded-For read from the right, where a client cannot forge it)."""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def by_ip(request):
    return client_ip(request)


def by_user(request):
    """The account; an anonymous visitor is not counted here (his address is)."""
    return f"user:{request.user.pk}" if request.user.is_authenticated else None


def by_posted_email(request):
    email = request.POST.get("email", "").strip().lower()
    return f"email:{email}" if email else None


def hashed(*parts):
    """A counter key that keeps no name in the cache."""
    return hashlib.sha256("\x1f".join(str(part) for part in parts).encode()).hexdigest()


def _rates(name):
    return [rate.strip() for rate in settings.RATELIMITS[name].split(",") if rate.strip()]


class RateLimitExceeded(Exception):
    """Raised by a service whose limit is used up (the key came from the form, not the request);
    pixorga.middleware.TooManyRequestsMiddleware answers it with the 429 page."""

    def __init__(self, seconds):
        super().__init__(f"Rate limit reached, retry in {seconds} s.")
        self.seconds = seconds


def _usages(counters, *, increment):
    for name, value in counters:
        if value is None:
            continue
        for rate in _rates(name):
            # The counters depend on the key alone, so no request is needed (the method is not checked).
            usage = get_usage(
                None, group=name, key=lambda _group, _request, v=value: v, rate=rate, increment=increment
            )
            if usage is not None:
                yield usage


def wait_seconds(counters):
    """How long to wait before trying again when one of `counters` ((limit name, key value) pairs; a None
    value is skipped) is used up; 0 while every one has room left."""
    waits = [
        usage["time_left"] for usage in _usages(counters, increment=False) if usage["count"] >= usage["limit"]
    ]
    return max(1, *waits) if waits else 0


def check(counters):
    """Raise RateLimitExceeded when one of `counters` is used up."""
    seconds = wait_seconds(counters)
    if seconds:
        raise RateLimitExceeded(seconds)


def count(counters):
    """One more attempt on each of `counters`."""
    for _usage in _usages(counters, increment=True):
        pass


@dataclass(frozen=True)
class Limit:
    name: str
    key: object  # request -> key value, or None to skip this limit for this request


def rate_limited(*limits, methods=("GET", "POST"), counts=lambda response: True):
    """View decorator: while one of `limits` is used up, answer 429 without running the view; otherwise run
    it, and count the request when `counts(response)` says so (e.g. only codes that matched nothing)."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method not in methods:
                return view(request, *args, **kwargs)
            counters = [(limit.name, limit.key(request)) for limit in limits]
            seconds = wait_seconds(counters)
            if seconds:
                return too_many_requests(request, seconds)
            response = view(request, *args, **kwargs)
            if counts(response):
                count(counters)
            return response

        return wrapper

    return decorator


def _is_miss(response):
    """A code or link that leads nowhere: malformed (400), unknown (404), expired or used (410)."""
    return response.status_code in {400, 404, 410}


# Campaign codes: only codes that match no campaign count, so a class entering a real code together is
# never slowed down, while guessing codes is.
code_lookup_limited = rate_limited(Limit("code-user", by_user), Limit("code-ip", by_ip), counts=_is_miss)

# For the invitation links of the Équipe page: a token that leads nowhere counts, per address.
invitation_limited = rate_limited(Limit("invitation-ip", by_ip), counts=_is_miss)


def _in_french(seconds):
    if seconds < 60:
        return f"{seconds}{NBSP}seconde{'s' if seconds > 1 else ''}"
    minutes = math.ceil(seconds / 60)
    if minutes < 120:
        return f"{minutes}{NBSP}minute{'s' if minutes > 1 else ''}"
    hours = math.ceil(minutes / 60)
    return f"{hours}{NBSP}heures"


def too_many_requests(request, seconds, *, reason=""):
    """The 429 page: what happened, how long to wait and from when, and the same in Retry-After."""
    seconds = max(1, math.ceil(seconds))
    until = timezone.localtime() + timedelta(seconds=seconds)
    context = {
        "wait": _in_french(seconds),
        "until": f"{until.hour}{NBSP}h{NBSP}{until:%M}",
        "reason": reason,
    }
    response = render(request, "429.html", context, status=429)
    response["Retry-After"] = str(seconds)
    return response


def login_identifier(request, credentials):
    """The account a login attempt is counted against: « Lea.Martin » and « lea.martin » are one account
    for the login backend, so they are one for the lockout too."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    return username.strip().lower() or None


LOCKOUT_REASON = (
    "Ce compte est bloqué après plusieurs mots de passe incorrects, pour le protéger. "
    "Si vous avez oublié votre mot de passe, demandez-en un nouveau ou rapprochez-vous de votre enseignant."
)


def login_lockout_response(request, original_response=None, credentials=None):
    """django-axes' answer to a locked account: the 429 page with the end of the lockout.

    The first refusal records when the lockout ends (the cool-off is counted from the last failure, and
    failures while locked do not extend it), so that every later refusal gives the same time.
    """
    cool_off = int(settings.AXES_COOLOFF_TIME.total_seconds())
    key = f"login-lockout-until:{hashed(login_identifier(request, credentials))}"
    now = timezone.now().timestamp()
    cache.add(key, now + cool_off, cool_off)
    return too_many_requests(request, cache.get(key, now + cool_off) - now, reason=LOCKOUT_REASON)
