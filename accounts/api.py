"""The API's console side starts here: which organization a request works for, and the user's
organizations."""

from django.conf import settings
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, viewsets

from pixorga.api import ScopedViewMixin
from pixorga.inputs import parse_id

from .api_auth import SessionAuthentication, TokenAuthentication
from .models import Membership, Organization
from .selectors import membership_for_session, memberships_of

NOT_A_MEMBER = "Vous n'êtes membre d'aucune organisation : cette partie de l'API est celle de la console."
NOT_YOUR_ORGANIZATION = "Vous n'êtes pas membre de cette organisation."
ORGANISATION_PARAM = "organisation"


def membership_for_api(request):
    """The membership a console request works with: the organization of `?organisation=<id>` among the
    user's own, else the one he works in on the web (the switcher's choice, else his oldest).

    A user without any organization (a pupil) gets 403, as the console's pages; an organization that is
    not his, 404: whether it exists is none of his business.
    """
    raw = request.query_params.get(ORGANISATION_PARAM)
    if raw is None:
        membership = _current_membership(request)
        if membership is None:
            raise exceptions.PermissionDenied(NOT_A_MEMBER, code="membre_requis")
        return membership
    organization_id = parse_id(raw)
    if organization_id is None:
        raise exceptions.ValidationError(
            {ORGANISATION_PARAM: ["Donnez l'identifiant numérique d'une de vos organisations."]}
        )
    membership = memberships_of(request.user).filter(organization_id=organization_id).first()
    if membership is not None:
        return membership
    if not Membership.objects.filter(user=request.user).exists():
        raise exceptions.PermissionDenied(NOT_A_MEMBER, code="membre_requis")
    raise exceptions.NotFound(NOT_YOUR_ORGANIZATION)


def _current_membership(request):
    django_request = request._request
    if request.auth is None and getattr(django_request, "membership", None) is not None:
        # A browser session: the middleware has already read it for this very user.
        return django_request.membership
    return membership_for_session(django_request)


class MemberViewMixin(ScopedViewMixin):
    """The console's endpoints: for members of an organization, and every query of the view runs in that
    organization's scope (django-scopes), as `member_required` does for the web pages."""

    organisation_parameter = True
    membership = None

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.membership = membership_for_api(request)
        self.enter_scope(self.membership.organization_id)

    @property
    def organization(self):
        return self.membership.organization


class OrganizationSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="organization.id", help_text="À passer en `?organisation=`.")
    name = serializers.CharField(source="organization.name")
    type = serializers.ChoiceField(source="organization.type", choices=Organization.Type.choices)
    external_id = serializers.CharField(
        source="organization.external_id", help_text="UAI pour un établissement scolaire."
    )
    role = serializers.ChoiceField(
        choices=Membership.Role.choices, help_text="Votre rôle dans l'organisation."
    )
    is_current = serializers.SerializerMethodField(
        help_text="Vrai pour l'organisation utilisée quand `?organisation=` est absent."
    )

    def get_is_current(self, membership) -> bool:
        current = self.context["current"]
        return current is not None and membership.pk == current.pk


@extend_schema(tags=["Organisations"])
class OrganizationViewSet(ScopedViewMixin, viewsets.GenericViewSet):
    serializer_class = OrganizationSerializer

    @extend_schema(summary="Vos organisations et votre rôle dans chacune")
    def list(self, request):
        self.current = _current_membership(request)
        if self.current is None:
            raise exceptions.PermissionDenied(NOT_A_MEMBER, code="membre_requis")
        page = self.paginate_queryset(memberships_of(request.user).order_by("organization__name", "pk"))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "current": getattr(self, "current", None)}


class TokenAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = TokenAuthentication
    name = "jetonApi"

    def get_security_definition(self, auto_schema):
        definition = build_bearer_security_scheme_object(header_name="Authorization", token_prefix="Bearer")
        definition["description"] = "Jeton personnel créé depuis la page « Jetons d'API » (`pxo_…`)."
        return definition


class SessionAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = SessionAuthentication
    name = "cookieAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "cookie", "name": settings.SESSION_COOKIE_NAME}
