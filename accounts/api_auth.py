"""Who calls the API and how often: personal tokens, read-only tokens, throttles per token and per user.

Named in settings.REST_FRAMEWORK, so this module imports no DRF view: DRF reads these classes while its
views are being defined.
"""

from django.views.decorators.debug import sensitive_variables
from rest_framework import authentication, exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from .models import ApiToken
from .tokens import api_token_for_key, api_token_touch

KEYWORD = "Bearer"
MALFORMED_HEADER = "En-tête Authorization mal formé : il s'écrit « Authorization: Bearer <jeton> »."
INVALID_TOKEN = (
    "Ce jeton d'API n'est pas valide : il a peut-être été révoqué. Créez-en un depuis votre compte."
)
CSRF_FAILED = (
    "Jeton CSRF absent ou invalide : avec la session du navigateur, envoyez l'en-tête X-CSRFToken "
    "(ou utilisez un jeton d'API)."
)


class TokenAuthentication(BaseAuthentication):
    """`Authorization: Bearer pxo_…`: the request acts as the token's owner; `request.auth` is the token."""

    @sensitive_variables("header", "key")
    def authenticate(self, request):
        header = get_authorization_header(request).split()
        if not header or header[0].lower() != KEYWORD.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(MALFORMED_HEADER)
        try:
            key = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(INVALID_TOKEN) from None
        token = api_token_for_key(key)
        if token is None:
            raise exceptions.AuthenticationFailed(INVALID_TOKEN)
        api_token_touch(token=token)
        return token.user, token

    def authenticate_header(self, request):
        # Without it DRF would answer 403 to an anonymous request; 401 tells the client to authenticate.
        return f'{KEYWORD} realm="api"'


class SessionAuthentication(authentication.SessionAuthentication):
    """The browser's session, with DRF's CSRF check on every change, refused in French."""

    def enforce_csrf(self, request):
        try:
            super().enforce_csrf(request)
        except exceptions.PermissionDenied:
            raise exceptions.PermissionDenied(CSRF_FAILED, code="csrf_invalide") from None


class ReadOnlyTokenPermission(BasePermission):
    """A read-only token reads (GET, HEAD) and changes nothing."""

    message = "Ce jeton est en lecture seule : il permet de consulter, pas de modifier."
    code = "jeton_lecture_seule"

    def has_permission(self, request, view):
        token = request.auth
        return not (isinstance(token, ApiToken) and token.read_only and request.method not in SAFE_METHODS)


class _SettingsRateThrottle(SimpleRateThrottle):
    def get_rate(self):
        # Read when the request comes, not when the class is defined, so that settings (and tests) change it.
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]


class TokenRateThrottle(_SettingsRateThrottle):
    """Each token has its own budget: a runaway script is slowed down without its owner's other tools."""

    scope = "jeton"

    def get_cache_key(self, request, view):
        if not isinstance(request.auth, ApiToken):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}


class UserRateThrottle(_SettingsRateThrottle):
    """All of a user's requests, his tokens and his browser together, share one budget."""

    scope = "utilisateur"

    def get_cache_key(self, request, view):
        if not request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}
