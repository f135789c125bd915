import logging
import re
import time
import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponseBadRequest
from django.utils.cache import add_never_cache_headers

from .api import error_response
from .health import healthz
from .logs import request_id
from .ratelimits import RateLimitExceeded, too_many_requests

NUL = "\x00"
# The API answers its errors in its own JSON shape, this one too.
API_PREFIX = "/api/"
NUL_MESSAGE = "La requête contient un caractère invalide (octet nul). Vérifiez l'adresse ou le formulaire."
HEALTH_PATH = "/healthz"
REQUEST_ID_HEADER = "X-Request-ID"
# An id given by the proxy in front is kept if it looks like one; anything else is replaced.
_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
IDLE_SESSION_KEY = "_last_seen"
# The last-seen time is written at most once a minute, not on every request.
IDLE_RESOLUTION_SECONDS = 60

requests_logger = logging.getLogger("pixorga.requests")


class HealthCheckMiddleware:
    """/healthz for the load balancer and the container: answered first, whatever the Host header (the
    probe uses the container's address), without HTTPS redirect, session or log line."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.rstrip("/") == HEALTH_PATH:
            return healthz(request)
        return self.get_response(request)


class RequestIdMiddleware:
    """Gives each request an id, sent back in X-Request-ID and carried by every log record it writes.

    The debug line it logs has the path without the query string, which may hold a pupil's name (the
    results search), and the user's id, never his name.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get(REQUEST_ID_HEADER, "")
        token = request_id.set(given if _REQUEST_ID.fullmatch(given) else uuid.uuid4().hex)
        started = time.monotonic()
        try:
            response = self.get_response(request)
            response[REQUEST_ID_HEADER] = request_id.get()
            user = getattr(request, "user", None)
            requests_logger.debug(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "status": response.status_code,
                    "duration_ms": round((time.monotonic() - started) * 1000),
                    "user_id": user.pk if user is not None and user.is_authenticated else None,
                },
            )
            return response
        finally:
            request_id.reset(token)


class RejectNulBytesMiddleware:
    """PostgreSQL refuses NUL in text: a NUL byte anywhere in the path, query string or form is a 400,
    before any view or database query sees it (it used to cut CSV exports short mid-stream)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            NUL in request.path
            or self._has_nul(request.GET)
            or (request.method == "POST" and self._has_nul(request.POST))
        ):
            if request.path.startswith(API_PREFIX):
                return error_response("requete_invalide", NUL_MESSAGE, 400)
            return HttpResponseBadRequest(NUL_MESSAGE, content_type="text/plain; charset=utf-8")
        return self.get_response(request)

    @staticmethod
    def _has_nul(query):
        return any(NUL in key or any(NUL in value for value in values) for key, values in query.lists())


class NoStoreMiddleware:
    """No page of the application is kept by the browser or a proxy: console pages and exports hold pupils'
    results, pupil pages their names and profile, and school computers are shared. Static files are
    served before this (WhiteNoise) and keep their long cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        add_never_cache_headers(response)
        return response


def start_idle_clock(sender, request, user, **kwargs):
    """A login is activity: the idle time counts from it, and the first page after it writes nothing."""
    if request is not None and hasattr(request, "session"):
        request.session[IDLE_SESSION_KEY] = int(time.time())


class IdleSessionMiddleware:
    """Logs out a user idle for longer than his role allows: settings.SESSION_IDLE_SECONDS_PUPIL, or
    SESSION_IDLE_SECONDS_TEACHER for members of an organization and staff."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get(IDLE_SESSION_KEY)
            allowed = self._idle_seconds(request)
            if last_seen is not None and now - last_seen > allowed:
                logout(request)
                request.membership = None
                minutes = allowed // 60
                messages.info(
                    request,
                    f"Votre session a expiré après {minutes} minute{'s' if minutes > 1 else ''} "
                    "d'inactivité. Reconnectez-vous pour continuer.",
                )
            elif last_seen is None or now - last_seen >= IDLE_RESOLUTION_SECONDS:
                request.session[IDLE_SESSION_KEY] = now
        return self.get_response(request)

    @staticmethod
    def _idle_seconds(request):
        if request.membership is not None or request.user.is_staff:
            return settings.SESSION_IDLE_SECONDS_TEACHER
        return settings.SESSION_IDLE_SECONDS_PUPIL


class TooManyRequestsMiddleware:
    """A limit reached inside a service (RateLimitExceeded) becomes the French 429 page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, RateLimitExceeded):
            return too_many_requests(request, exception.seconds)
        return None
