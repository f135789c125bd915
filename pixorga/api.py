"""What every app's `api.py` shares: the one shape of an error, the organization scope of a request, and
the schema's description of both.

Every error of the API, whatever raised it (a serializer, a permission, a throttle, a domain rule, a
route that does not exist, a NUL byte), answers with one JSON body:

    {"erreur": {"code": "donnees_invalides", "message": "…", "champs": {"name": ["…"]}}}

`code` is stable (scripts test it), `message` is French for a person, `champs` names each invalid field
with its messages (empty when the error is not about fields).
"""

import logging
from contextlib import ExitStack

import django_filters
from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django_scopes import scope
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import set_rollback

from .typography import french_spacing

logger = logging.getLogger("django.request")

ID_REGEX = "[0-9]{1,18}"

# DRF's own codes, as scripts read them in French; codes raised by pixorga are French already.
ERROR_CODES = {
    "invalid": "donnees_invalides",
    "parse_error": "json_invalide",
    "authentication_failed": "authentification_echouee",
    "not_authenticated": "authentification_requise",
    "permission_denied": "acces_refuse",
    "not_found": "introuvable",
    "method_not_allowed": "methode_non_autorisee",
    "not_acceptable": "format_non_accepte",
    "unsupported_media_type": "type_de_contenu_non_pris_en_charge",
    "throttled": "trop_de_requetes",
    "error": "erreur",
}
DEFAULT_MESSAGES = {
    exceptions.ValidationError: "Certaines valeurs ne sont pas valides : voyez le détail champ par champ.",
    exceptions.ParseError: "Le corps de la requête n'est pas un JSON valide.",
    exceptions.NotAuthenticated: (
        "Authentification requise : connectez-vous, ou envoyez votre jeton d'API dans l'en-tête "
        "« Authorization: Bearer <jeton> »."
    ),
    exceptions.AuthenticationFailed: "Ce jeton d'API n'est pas valide.",
    exceptions.PermissionDenied: "Vous n'avez pas accès à cette ressource.",
    exceptions.NotFound: "Cette ressource n'existe pas, ou n'appartient pas à votre organisation.",
    exceptions.NotAcceptable: "Cette API ne répond qu'en JSON (Accept: application/json).",
    exceptions.UnsupportedMediaType: "Envoyez les données en JSON (Content-Type: application/json).",
}
INTERNAL_ERROR_MESSAGE = "Une erreur inattendue s'est produite. L'équipe de pixorga en est avertie."
NON_FIELD_ERRORS = "non_field_errors"


def error_body(code, message, champs=None):
    return {
        "erreur": {
            "code": code,
            "message": french_spacing(str(message), glued=False),
            "champs": {
                field: [french_spacing(str(error), glued=False) for error in errors]
                for field, errors in (champs or {}).items()
            },
        }
    }


def error_response(code, message, status_code):
    """The error shape for answers given outside DRF's views (unknown route, NUL byte)."""
    return JsonResponse(
        error_body(code, message),
        status=status_code,
        json_dumps_params={"ensure_ascii": False, "separators": (",", ":")},
    )


class ApiError(exceptions.APIException):
    """An error with its own stable code: a domain rule refused (409), or the request lacks what a step
    needs (400, with `champs`)."""

    def __init__(self, message, *, code, status_code=status.HTTP_400_BAD_REQUEST, champs=None):
        super().__init__(message, code)
        self.status_code = status_code
        self.champs = champs or {}


def form_errors(form):
    """A Django form's errors as `champs`: the web flow's forms validate the API's input too, so both
    say the same thing."""
    return {
        (NON_FIELD_ERRORS if field == "__all__" else field): list(errors)
        for field, errors in form.errors.items()
    }


def _flatten(detail, prefix=""):
    """DRF's nested validation errors as one level of `champs` (`history.0.name`)."""
    if isinstance(detail, dict):
        champs = {}
        for key, value in detail.items():
            champs.update(_flatten(value, f"{prefix}{key}."))
        return champs
    if isinstance(detail, list) and any(isinstance(item, (dict, list)) for item in detail):
        champs = {}
        for index, value in enumerate(detail):
            champs.update(_flatten(value, f"{prefix}{index}."))
        return champs
    items = detail if isinstance(detail, list) else [detail]
    return {(prefix[:-1] or NON_FIELD_ERRORS): [str(item) for item in items]}


def _message(exc, request):
    if isinstance(exc, exceptions.Throttled):
        wait = exc.wait or 1
        return f"Trop de requêtes : réessayez dans {wait} seconde{'s' if wait > 1 else ''}."
    if isinstance(exc, exceptions.MethodNotAllowed):
        return f"La méthode {request.method} n'est pas autorisée à cette adresse."
    if isinstance(exc, exceptions.ValidationError):
        return DEFAULT_MESSAGES[exceptions.ValidationError]
    for cls, message in DEFAULT_MESSAGES.items():
        if isinstance(exc, cls) and (
            cls in (exceptions.ParseError, exceptions.UnsupportedMediaType, exceptions.NotAcceptable)
            or str(exc.detail) == str(exc.default_detail)
        ):
            return message
    return str(exc.detail)


def exception_handler(exc, context):
    """DRF's exception handler (settings.REST_FRAMEWORK): every error in the one shape."""
    request = context["request"]
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    if not isinstance(exc, exceptions.APIException):
        if settings.DEBUG:
            return None
        # Logged as Django logs a 500, so that the admins' e-mails and the logs keep the traceback.
        logger.error(
            "Internal Server Error: %s",
            request.path,
            exc_info=exc,
            extra={"status_code": 500, "request": request._request},
        )
        set_rollback()
        return Response(error_body("erreur_interne", INTERNAL_ERROR_MESSAGE), status=500)
    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(exc.wait))
    if isinstance(exc, ApiError):
        code, champs = exc.get_codes(), exc.champs
    elif isinstance(exc, exceptions.ValidationError):
        code, champs = "donnees_invalides", _flatten(exc.detail)
    else:
        code, champs = exc.get_codes(), {}
    code = ERROR_CODES.get(code, code) if isinstance(code, str) else "erreur"
    set_rollback()
    return Response(error_body(code, _message(exc, request), champs), status=exc.status_code, headers=headers)


@csrf_exempt
def not_found(request, *args, **kwargs):
    """Any address under /api/ that no route serves: the same JSON 404 as a missing object."""
    message = "Aucune ressource à cette adresse."
    if not request.path.endswith("/"):
        message += " Les adresses de l'API finissent par « / »."
    return error_response("introuvable", message, status.HTTP_404_NOT_FOUND)


class ScopedViewMixin:
    """Runs the view's handler inside the django-scopes scope it enters, and leaves it when the response
    is ready, whatever happened: a scope never outlives its request."""

    http_method_names = ["get", "post", "put", "patch", "head"]

    def dispatch(self, request, *args, **kwargs):
        with ExitStack() as self.scopes:
            return super().dispatch(request, *args, **kwargs)

    def enter_scope(self, organization_id):
        self.scopes.enter_context(scope(organization=organization_id))


# The schema.


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Code stable de l'erreur, par exemple `donnees_invalides`.")
    message = serializers.CharField(help_text="Message en français, à montrer tel quel.")
    champs = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Pour chaque champ invalide, ses messages ; vide si l'erreur ne porte pas sur un champ.",
    )


class ErrorSerializer(serializers.Serializer):
    erreur = ErrorDetailSerializer()


ERROR_STATUSES = {
    "400": "Requête invalide (paramètre, champ ou JSON).",
    "401": "Authentification requise ou jeton invalide.",
    "403": "Action refusée (rôle, jeton en lecture seule, compte sans organisation).",
    "404": "Introuvable, ou d'une autre organisation.",
    "429": "Trop de requêtes : attendre le nombre de secondes de l'en-tête Retry-After.",
}
CONFLICT_STATUS = ("409", "Refusé par une règle de la campagne (archivée, participation supprimée…).")


class AutoSchema(SpectacularAutoSchema):
    """drf-spectacular's schema, with the errors every operation may answer, in their one shape, and the
    `organisation` parameter of the console's endpoints."""

    def get_description(self):
        # The views' docstrings are written for developers, in English: the schema says only what
        # `extend_schema` says, in French.
        return ""

    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
        if getattr(self.view, "organisation_parameter", False):
            parameters.append(ORGANISATION_PARAMETER)
        return parameters

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        statuses = dict(ERROR_STATUSES)
        if self.method != "GET" and getattr(self.view, "may_conflict", False):
            statuses[CONFLICT_STATUS[0]] = CONFLICT_STATUS[1]
        for code, description in statuses.items():
            if code not in responses:
                responses[code] = self._get_response_for_code(ErrorSerializer, code, direction=direction)
                responses[code]["description"] = description
        return responses


def french_typography_hook(result, generator, request, public):
    """drf-spectacular post-processing: the documentation's French text gets its non-breaking spaces."""

    def walk(node):
        if isinstance(node, dict):
            return {
                key: french_spacing(value, glued=False)
                if key in ("description", "summary") and isinstance(value, str)
                else walk(value)
                for key, value in node.items()
            }
        if isinstance(node, list):
            return [walk(item) for item in node]
        return node

    return walk(result)


ORGANISATION_PARAMETER = OpenApiParameter(
    "organisation",
    OpenApiTypes.INT,
    description=(
        "Identifiant de l'organisation (voir `/api/v1/organisations/`). Par défaut, celle où vous "
        "travaillez dans la console (le sélecteur d'organisation), ou à défaut la plus ancienne."
    ),
)


def filterset_parameters(filterset_class, descriptions=None):
    """The query parameters of one of the UI's FilterSets, so that the schema documents the same names and
    values as the tables' URLs."""
    descriptions = descriptions or {}
    parameters = []
    for name, filter_ in filterset_class.base_filters.items():
        description = descriptions.get(name, str(filter_.label or ""))
        if isinstance(filter_, django_filters.MultipleChoiceFilter):
            parameters.append(
                OpenApiParameter(name, OpenApiTypes.STR, many=True, explode=True, description=description)
            )
        elif isinstance(filter_, django_filters.ChoiceFilter):
            choices = [str(value) for value, _ in filter_.extra["choices"]]
            parameters.append(OpenApiParameter(name, OpenApiTypes.STR, enum=choices, description=description))
        else:
            parameters.append(OpenApiParameter(name, OpenApiTypes.STR, description=description))
    return parameters
