"""Campaigns through the API: the console's campaign screens (the list, creation, settings, archive,
duplicate, Résultats, a participant's page) and the pupil's flow (code, join, send).

Nothing here decides a rule of its own: the selectors read, the services write, `campaign_for_manager`
says who may change a campaign, and the web's forms validate what the API receives, so that a request
is accepted or refused with the same words on both sides.
"""

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.functional import cached_property
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from accounts.api import MemberViewMixin
from pixorga.api import ID_REGEX, ApiError, ScopedViewMixin, filterset_parameters, form_errors
from pixorga.inputs import clean_text
from profiles.api import CompetenceLevelSerializer, competence_levels
from students.forms import ReconciliationForm
from students.services import ReconciliationError, learner_for_participant, learner_of_user, learner_reconcile

from . import selectors, services
from .codes import normalize_code
from .consent import sending_consent_text
from .filters import ResultFilterSet
from .forms import CampaignForm
from .landing_text import render_markdown
from .models import Campaign, Participation
from .pupil_forms import ExternalIdForm

MAX_ID = 2**63 - 1
SEARCH_MAX_LENGTH = 100
LOCKED_MESSAGE = "Ce réglage est fixé à la création de la campagne : il ne se modifie plus."
# The web's refusal (campaigns.views.campaign_update), word for word.
UNKNOWN_CODE_MESSAGE = (
    "Ce code ne correspond à aucune campagne. Vérifiez-le auprès de votre enseignant : il compte 6 lettres "
    "puis 3 chiffres, par exemple MPPHCD934."
)
RECONCILIATION_NEEDED_MESSAGE = (
    "Cet établissement ne vous connaît pas encore : donnez vos prénom, nom et date de naissance tels "
    "qu'ils figurent dans sa base élèves."
)
NOT_JOINED_MESSAGE = "Vous n'avez pas rejoint cette campagne : rejoignez-la d'abord (…/rejoindre/)."
CAMPAIGN_ERROR_CODES = {
    services.CampaignArchivedError: "campagne_archivee",
    services.ParticipationDeletedError: "participation_supprimee",
}


def _refused(error):
    """A rule of the campaign refused (services.CampaignError): 409, with the web's message."""
    code = next(
        (code for cls, code in CAMPAIGN_ERROR_CODES.items() if isinstance(error, cls)), "action_refusee"
    )
    return ApiError(str(error), code=code, status_code=status.HTTP_409_CONFLICT)


def _yes_no(value):
    """A boolean as the web form's yes/no radio buttons send it."""
    return "oui" if value else "non"


# Console: serializers.


def _external_id_type_field():
    # Declared: DRF drops `allow_blank` from a read-only model field, and "" (no external id) is an answer.
    return serializers.ChoiceField(choices=Campaign.ExternalIdType.choices, allow_blank=True, read_only=True)


class CampaignSerializer(serializers.ModelSerializer):
    external_id_type = _external_id_type_field()
    # Ids, as a change takes them: a campaign read, edited and sent back whole is accepted.
    owner = serializers.IntegerField(
        source="owner_id", read_only=True, help_text="Identifiant du propriétaire."
    )
    owner_name = serializers.SerializerMethodField()
    creator = serializers.IntegerField(source="creator_id", read_only=True)
    creator_name = serializers.SerializerMethodField()
    is_archived = serializers.BooleanField(read_only=True)
    join_url = serializers.SerializerMethodField(help_text="Lien direct à donner aux élèves.")
    can_manage = serializers.SerializerMethodField(
        help_text="Vrai si vous pouvez la modifier ou l'archiver (propriétaire, administrateur)."
    )

    class Meta:
        model = Campaign
        fields = [
            "id",
            "organization",
            "name",
            "code",
            "type",
            "multiple_sendings",
            "external_id_type",
            "external_id_label",
            "custom_landing_page_text",
            "owner",
            "owner_name",
            "creator",
            "creator_name",
            "created_at",
            "archived_at",
            "is_archived",
            "participants_count",
            "received_count",
            "certifiable_count",
            "join_url",
            "can_manage",
        ]
        read_only_fields = fields

    def get_owner_name(self, campaign) -> str:
        return campaign.owner.get_full_name() or campaign.owner.username

    def get_creator_name(self, campaign) -> str:
        return campaign.creator.get_full_name() or campaign.creator.username

    def get_join_url(self, campaign) -> str:
        return self.context["request"].build_absolute_uri(campaign.get_join_url())

    def get_can_manage(self, campaign) -> bool:
        return selectors.can_manage(membership=self.context["membership"], campaign=campaign)


class CampaignCreateSerializer(serializers.Serializer):
    """A new campaign. The web's creation form validates it: same rules, same messages."""

    name = serializers.CharField(max_length=255)
    type = serializers.ChoiceField(
        choices=Campaign.Type.choices,
        default=Campaign.Type.PROFILES_COLLECTION,
        help_text="Seules les campagnes de collecte de profils sont disponibles.",
    )
    owner = serializers.IntegerField(
        min_value=1,
        max_value=MAX_ID,
        required=False,
        help_text="Identifiant d'un membre de l'organisation (vous, par défaut).",
    )
    multiple_sendings = serializers.BooleanField(default=False)
    external_id_type = serializers.ChoiceField(
        choices=Campaign.ExternalIdType.choices,
        allow_blank=True,
        default="",
        help_text="Avec `external_id_label`, pour demander un identifiant externe ; fixé à la création.",
    )
    external_id_label = serializers.CharField(
        max_length=255,
        allow_blank=True,
        default="",
        help_text="Par exemple « numéro d'élève ». Ne demandez jamais le numéro de sécurité sociale.",
    )
    custom_landing_page_text = serializers.CharField(
        max_length=5000, allow_blank=True, default="", help_text="Texte d'accueil, en Markdown."
    )

    def validate(self, attrs):
        asks_external_id = bool(attrs["external_id_type"] or attrs["external_id_label"])
        form = CampaignForm(
            {
                "name": attrs["name"],
                "type": attrs["type"],
                "owner": attrs.get("owner", self.context["request"].user.pk),
                "multiple_sendings": _yes_no(attrs["multiple_sendings"]),
                "asks_external_id": _yes_no(asks_external_id),
                "external_id_type": attrs["external_id_type"],
                "external_id_label": attrs["external_id_label"],
                "custom_landing_page_text": attrs["custom_landing_page_text"],
            },
            organization=self.context["membership"].organization,
        )
        if not form.is_valid():
            raise serializers.ValidationError(form_errors(form))
        return form.campaign_fields


LOCKED_FIELDS = ("type", "multiple_sendings", "external_id_type", "external_id_label")


class CampaignUpdateSerializer(serializers.Serializer):
    """The settings that stay editable: name, owner, landing text. The others are fixed at creation, as
    on the web: sent unchanged (a whole campaign sent back) they are accepted, changed they are refused."""

    name = serializers.CharField(max_length=255)
    owner = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False)
    custom_landing_page_text = serializers.CharField(max_length=5000, allow_blank=True, required=False)
    type = serializers.ChoiceField(choices=Campaign.Type.choices, required=False, help_text="Fixé.")
    multiple_sendings = serializers.BooleanField(required=False, help_text="Fixé.")
    external_id_type = serializers.ChoiceField(
        choices=Campaign.ExternalIdType.choices, allow_blank=True, required=False, help_text="Fixé."
    )
    external_id_label = serializers.CharField(
        max_length=255, allow_blank=True, required=False, help_text="Fixé."
    )

    def validate(self, attrs):
        campaign = self.instance
        locked = {
            field: [LOCKED_MESSAGE]
            for field in LOCKED_FIELDS
            if field in attrs and attrs[field] != getattr(campaign, field)
        }
        if locked:
            raise serializers.ValidationError(locked)
        self.form = CampaignForm(
            {
                "name": attrs.get("name", campaign.name),
                "owner": attrs.get("owner", campaign.owner_id),
                "custom_landing_page_text": attrs.get(
                    "custom_landing_page_text", campaign.custom_landing_page_text
                ),
            },
            instance=campaign,
            organization=campaign.organization,
        )
        if not self.form.is_valid():
            raise serializers.ValidationError(form_errors(self.form))
        return attrs

    def update(self, instance, validated_data):
        return self.form.save()


class CampaignListQuerySerializer(serializers.Serializer):
    vue = serializers.ChoiceField(
        choices=[("mes", "Mes campagnes"), ("toutes", "Toutes les campagnes")],
        default="mes",
        help_text="« Mes campagnes » (dont vous êtes propriétaire) ou « Toutes les campagnes ».",
    )
    onglet = serializers.ChoiceField(
        choices=[("actives", "Actives"), ("archivees", "Archivées")], default="actives"
    )
    nom = serializers.CharField(
        max_length=SEARCH_MAX_LENGTH, allow_blank=True, default="", help_text="Partie du nom de la campagne."
    )
    createur = serializers.CharField(
        max_length=SEARCH_MAX_LENGTH, allow_blank=True, default="", help_text="Prénom ou nom du créateur."
    )


def _missing_competences_field():
    return serializers.IntegerField(
        read_only=True,
        allow_null=True,
        help_text="« Manque » : compétences à amener au niveau 1 pour être certifiable (0 si certifiable).",
    )


class SendingSerializer(serializers.ModelSerializer):
    missing_competences = _missing_competences_field()

    class Meta:
        model = Participation
        fields = [
            "id",
            "shared_at",
            "pix_score",
            "is_certifiable",
            "certifiable_competences_count",
            "missing_competences",
            "sending_number",
        ]
        read_only_fields = fields


class ParticipationSerializer(serializers.ModelSerializer):
    learner_id = serializers.IntegerField(
        read_only=True,
        help_text="Identifiant stable de l'élève dans pixorga : le même dans la base élèves et l'export CSV.",
    )
    last_name = serializers.CharField(source="learner.last_name", read_only=True)
    first_name = serializers.CharField(source="learner.first_name", read_only=True)
    division = serializers.CharField(source="learner.division", read_only=True, help_text="Classe.")
    missing_competences = _missing_competences_field()

    class Meta:
        model = Participation
        fields = [
            "id",
            "learner_id",
            "last_name",
            "first_name",
            "division",
            "participant_external_id",
            "status",
            "created_at",
            "shared_at",
            "pix_score",
            "is_certifiable",
            "certifiable_competences_count",
            "missing_competences",
            "sending_number",
            "previous_pix_score",
        ]
        read_only_fields = fields


class ResultRowSerializer(ParticipationSerializer):
    """A row of Résultats: a pupil's latest sending; with `?historique=1`, every sending of his."""

    history = serializers.SerializerMethodField(
        help_text="Avec `?historique=1` : tous les envois de l'élève à la campagne, le plus récent d'abord."
    )

    class Meta(ParticipationSerializer.Meta):
        fields = [*ParticipationSerializer.Meta.fields, "history"]
        read_only_fields = fields

    @cached_property
    def _sendings(self):
        # One serializer for the whole page: DRF's fields built anew for each row made it 3 times slower.
        return SendingSerializer(many=True)

    @extend_schema_field(SendingSerializer(many=True, allow_null=True))
    def get_history(self, row):
        sendings = getattr(row.learner, "campaign_sendings", None)
        return None if sendings is None else self._sendings.to_representation(sendings)


class ParticipantSerializer(ParticipationSerializer):
    """A participant's page: his sending with the 16 competences, and his other sendings."""

    max_reachable_level = serializers.SerializerMethodField(
        help_text="Niveau maximum atteignable quand le profil a été envoyé."
    )
    competences = serializers.SerializerMethodField(
        help_text="Les 16 compétences du profil envoyé ; vide tant que l'élève n'a pas envoyé."
    )
    history = serializers.SerializerMethodField(help_text="Ses autres envois, le plus récent d'abord.")

    class Meta(ParticipationSerializer.Meta):
        fields = [*ParticipationSerializer.Meta.fields, "max_reachable_level", "competences", "history"]
        read_only_fields = fields

    def get_max_reachable_level(self, participation) -> int | None:
        return participation.snapshot.max_reachable_level if participation.snapshot else None

    @extend_schema_field(CompetenceLevelSerializer(many=True))
    def get_competences(self, participation):
        return competence_levels(participation.snapshot) if participation.snapshot else []

    @extend_schema_field(SendingSerializer(many=True))
    def get_history(self, participation):
        return SendingSerializer(self.context["history"], many=True).data


RESULTS_PARAMETERS = [
    *filterset_parameters(
        ResultFilterSet,
        {
            "classe": "Une classe ; répétez le paramètre pour plusieurs (`?classe=2NDE1&classe=2NDE2`).",
            "recherche": "Mots du nom ou du prénom, sans tenir compte des accents ni de la casse.",
            "relance": "Élèves déjà relancés ou jamais relancés.",
            "certifiable": "Certifiables (`oui`) ou non (`non`).",
            "manque": "« Il manque N compétence(s) » au niveau 1 pour être certifiable.",
            "tri": "Tri, `-` devant pour l'ordre décroissant ; par défaut `-date`, le plus récent d'abord.",
        },
    ),
    OpenApiParameter(
        "historique",
        OpenApiTypes.BOOL,
        description="`1` (ou `true`) : chaque ligne donne aussi tous les envois de l'élève.",
    ),
]


class ResultsQuerySerializer(serializers.Serializer):
    historique = serializers.BooleanField(default=False)


# Console: the views.


@extend_schema(tags=["Campagnes"])
class CampaignViewSet(MemberViewMixin, viewsets.GenericViewSet):
    """The campaigns of the organization. Any member reads them, creates and duplicates one; only the
    campaign's owner and the organization's admins change one (selectors.campaign_for_manager)."""

    serializer_class = CampaignSerializer
    lookup_value_regex = ID_REGEX

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "membership": self.membership}

    def _campaign(self, pk, *, manage=False):
        find = selectors.campaign_for_manager if manage else selectors.campaign_for_member
        return find(membership=self.membership, pk=int(pk))

    def _answer(self, campaign, status_code=status.HTTP_200_OK):
        headers = {}
        if status_code == status.HTTP_201_CREATED:
            headers["Location"] = self.request.build_absolute_uri(
                reverse("api:campaign-detail", args=[campaign.pk])
            )
        return Response(
            CampaignSerializer(campaign, context=self.get_serializer_context()).data,
            status_code,
            headers=headers,
        )

    @extend_schema(
        summary="Mes campagnes ou toutes, actives ou archivées, les plus récentes d'abord",
        parameters=[CampaignListQuerySerializer],
    )
    def list(self, request):
        query = CampaignListQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        campaigns = selectors.campaign_list(
            organization=self.organization,
            user=request.user,
            mine=query.validated_data["vue"] == "mes",
            archived=query.validated_data["onglet"] == "archivees",
            name=clean_text(query.validated_data["nom"]),
            creator=clean_text(query.validated_data["createur"]),
        )
        page = self.paginate_queryset(campaigns)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        summary="Créer une campagne", request=CampaignCreateSerializer, responses=CampaignSerializer
    )
    def create(self, request):
        body = CampaignCreateSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        campaign = services.campaign_create(
            organization=self.organization, creator=request.user, **body.validated_data
        )
        return self._answer(campaign, status.HTTP_201_CREATED)

    @extend_schema(summary="Une campagne et ses paramètres")
    def retrieve(self, request, pk):
        return self._answer(self._campaign(pk))

    @extend_schema(
        summary="Modifier le nom, le propriétaire ou le texte d'accueil",
        request=CampaignUpdateSerializer,
        responses=CampaignSerializer,
    )
    def update(self, request, pk, partial=False):
        campaign = selectors.campaign_for_editing(membership=self.membership, pk=int(pk))
        body = CampaignUpdateSerializer(campaign, data=request.data, partial=partial)
        body.is_valid(raise_exception=True)
        return self._answer(body.save())

    @extend_schema(
        summary="Modifier une partie des réglages modifiables",
        request=CampaignUpdateSerializer,
        responses=CampaignSerializer,
    )
    def partial_update(self, request, pk):
        return self.update(request, pk, partial=True)

    @extend_schema(summary="Archiver : la campagne n'accepte plus de participants", request=None)
    @action(detail=True, methods=["post"], url_path="archiver")
    def archive(self, request, pk):
        campaign = self._campaign(pk, manage=True)
        return self._answer(services.campaign_archive(campaign=campaign, user=request.user))

    @extend_schema(summary="Désarchiver : la campagne accepte à nouveau des participants", request=None)
    @action(detail=True, methods=["post"], url_path="desarchiver")
    def unarchive(self, request, pk):
        campaign = self._campaign(pk, manage=True)
        return self._answer(services.campaign_unarchive(campaign=campaign))

    @extend_schema(
        summary="Dupliquer : « Copie de … », un nouveau code, les mêmes réglages, à vous",
        request=None,
        responses={201: CampaignSerializer},
    )
    @action(detail=True, methods=["post"], url_path="dupliquer")
    def duplicate(self, request, pk):
        campaign = self._campaign(pk)
        return self._answer(
            services.campaign_duplicate(campaign=campaign, user=request.user), status.HTTP_201_CREATED
        )

    @extend_schema(
        summary="Résultats : le dernier envoi de chaque élève, filtré et trié comme dans la console",
        parameters=RESULTS_PARAMETERS,
        responses=ResultRowSerializer(many=True),
    )
    @action(detail=True, url_path="resultats")
    def results(self, request, pk):
        campaign = self._campaign(pk)
        query = ResultsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        results = selectors.campaign_results(campaign=campaign, data=request.query_params)
        if not results.is_valid():
            raise serializers.ValidationError(form_errors(results.form))
        rows = results.qs
        if query.validated_data["historique"]:
            # One query for the sendings of the whole page, not one per row.
            rows = rows.prefetch_related(
                Prefetch(
                    "learner__participations",
                    queryset=Participation.objects.filter(campaign=campaign)
                    .sendings()
                    .order_by("-shared_at", "-pk"),
                    to_attr="campaign_sendings",
                )
            )
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(ResultRowSerializer(page, many=True).data)

    @extend_schema(
        summary="Un participant : son envoi, ses 16 compétences et ses autres envois",
        parameters=[OpenApiParameter("participation_pk", OpenApiTypes.INT, OpenApiParameter.PATH)],
        responses=ParticipantSerializer,
    )
    @action(detail=True, url_path=rf"participants/(?P<participation_pk>{ID_REGEX})")
    def participant(self, request, pk, participation_pk):
        campaign = self._campaign(pk)
        participation = selectors.participation_for_member(campaign=campaign, pk=int(participation_pk))
        history = selectors.participation_history(participation=participation)
        return Response(ParticipantSerializer(participation, context={"history": history}).data)


# Pupil: serializers.


class PupilParticipationSerializer(serializers.ModelSerializer):
    """The pupil's own participation: his data, nobody else's."""

    is_deleted = serializers.BooleanField(read_only=True)

    class Meta:
        model = Participation
        fields = [
            "id",
            "status",
            "participant_external_id",
            "created_at",
            "shared_at",
            "pix_score",
            "is_certifiable",
            "certifiable_competences_count",
            "sending_number",
            "is_deleted",
        ]
        read_only_fields = fields


class PupilCampaignSerializer(serializers.ModelSerializer):
    external_id_type = _external_id_type_field()
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    landing_page_html = serializers.SerializerMethodField(
        help_text="Le texte d'accueil mis en forme, nettoyé de tout HTML saisi."
    )
    consent_text = serializers.SerializerMethodField(
        help_text="Ce que l'élève accepte en envoyant son profil : à lui montrer avant `envoyer`."
    )
    closed_reason = serializers.SerializerMethodField(
        help_text="Pourquoi la campagne n'accepte pas (ou plus) l'élève ; vide si elle l'accepte."
    )
    needs_reconciliation = serializers.SerializerMethodField(
        help_text="Vrai si `rejoindre` doit recevoir prénom, nom et date de naissance (établissement)."
    )
    needs_external_id = serializers.SerializerMethodField(
        help_text="Vrai si `rejoindre` doit recevoir `participant_external_id`."
    )
    participation = serializers.SerializerMethodField(
        help_text="Votre participation en cours, s'il y en a une."
    )

    class Meta:
        model = Campaign
        fields = [
            "code",
            "name",
            "organization_name",
            "type",
            "multiple_sendings",
            "external_id_label",
            "external_id_type",
            "custom_landing_page_text",
            "landing_page_html",
            "consent_text",
            "closed_reason",
            "needs_reconciliation",
            "needs_external_id",
            "participation",
        ]
        read_only_fields = fields

    def get_landing_page_html(self, campaign) -> str:
        return str(render_markdown(campaign.custom_landing_page_text))

    def get_consent_text(self, campaign) -> str:
        return sending_consent_text(campaign)

    def get_closed_reason(self, campaign) -> str:
        participation = self.context["participation"]
        if participation is not None and participation.is_deleted:
            return str(services.ParticipationDeletedError())
        try:
            services.campaign_check_open(campaign)
        except services.CampaignError as error:
            return str(error)
        return ""

    def get_needs_reconciliation(self, campaign) -> bool:
        return (
            self.context["participation"] is None
            and campaign.organization.is_school
            and learner_of_user(organization=campaign.organization, user=self.context["request"].user) is None
        )

    def get_needs_external_id(self, campaign) -> bool:
        return self.context["participation"] is None and bool(campaign.external_id_label)

    @extend_schema_field(PupilParticipationSerializer(allow_null=True))
    def get_participation(self, campaign):
        participation = self.context["participation"]
        return None if participation is None else PupilParticipationSerializer(participation).data


class JoinSerializer(serializers.Serializer):
    participant_external_id = serializers.CharField(
        max_length=255,
        allow_blank=True,
        required=False,
        help_text="Si la campagne le demande (`needs_external_id`).",
    )
    first_name = serializers.CharField(
        max_length=150, required=False, help_text="Rattachement à la base élèves (`needs_reconciliation`)."
    )
    last_name = serializers.CharField(max_length=150, required=False)
    birthdate = serializers.CharField(max_length=10, required=False, help_text="AAAA-MM-JJ ou JJ/MM/AAAA.")


# Pupil: the views.


@extend_schema(tags=["Élève"])
class PupilCampaignViewSet(ScopedViewMixin, viewsets.GenericViewSet):
    """A pupil's side of a campaign, found by its code; it runs in the scope of the campaign's
    organization, as the web's `campaign_from_code` does."""

    serializer_class = PupilCampaignSerializer
    lookup_field = "code"
    lookup_value_regex = "[^/]+"
    may_conflict = True

    def _campaign(self, code):
        campaign = selectors.campaign_by_code(code=normalize_code(code))
        if campaign is None:
            raise NotFound(UNKNOWN_CODE_MESSAGE)
        self.enter_scope(campaign.organization_id)
        return campaign

    def _participation(self, participation, created):
        return Response(
            PupilParticipationSerializer(participation).data,
            status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    @extend_schema(summary="La campagne d'un code, et où vous en êtes")
    def retrieve(self, request, code):
        campaign = self._campaign(code)
        participation = selectors.live_participation_of(user=request.user, campaign=campaign)
        context = {**self.get_serializer_context(), "participation": participation}
        return Response(PupilCampaignSerializer(campaign, context=context).data)

    @extend_schema(
        summary="Rejoindre la campagne (« C'est parti ! »)",
        description=(
            "Crée votre participation, ou rend celle en cours. Dans un établissement scolaire, la première "
            "fois, donnez `first_name`, `last_name` et `birthdate` pour vous rattacher à sa base élèves ; "
            "si la campagne demande un identifiant externe, donnez `participant_external_id`. Avec les "
            "envois multiples, rejoindre après un envoi commence une nouvelle participation."
        ),
        request=JoinSerializer,
        responses={200: PupilParticipationSerializer, 201: PupilParticipationSerializer},
    )
    @action(detail=True, methods=["post"], url_path="rejoindre")
    def join(self, request, code):
        campaign = self._campaign(code)
        body = JoinSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        user = request.user
        live = selectors.live_participation_of(user=user, campaign=campaign)
        if live is not None:
            participation = self._start(campaign=campaign, user=user, learner=live.learner)
            return self._participation(participation, created=participation.pk != live.pk)
        try:
            services.campaign_check_open(campaign)
        except services.CampaignError as error:
            raise _refused(error) from None
        organization = campaign.organization
        learner = learner_for_participant(organization=organization, user=user)
        reconciliation = None
        if learner is None:
            form = ReconciliationForm(
                {name: body.validated_data.get(name, "") for name in ReconciliationForm.base_fields}
            )
            if not form.is_valid():
                raise ApiError(
                    RECONCILIATION_NEEDED_MESSAGE, code="rattachement_requis", champs=form_errors(form)
                )
            reconciliation = form.cleaned_data
        external_id = {}
        if campaign.external_id_label:
            form = ExternalIdForm(
                {"participant_external_id": body.validated_data.get("participant_external_id", "")},
                label=campaign.external_id_label,
                kind=campaign.external_id_type,
            )
            if not form.is_valid():
                raise serializers.ValidationError(form_errors(form))
            external_id = form.cleaned_data
        if reconciliation is not None:
            try:
                learner = learner_reconcile(organization=organization, user=user, **reconciliation)
            except ReconciliationError as error:
                raise ApiError(str(error), code="rattachement_impossible") from None
        return self._participation(
            self._start(campaign=campaign, user=user, learner=learner, **external_id), True
        )

    def _start(self, **kwargs):
        try:
            return services.participation_start(**kwargs)
        except services.CampaignError as error:
            raise _refused(error) from None

    @extend_schema(
        summary="Envoyer votre profil (« J'envoie mon profil »)",
        description=(
            "Fige votre profil Pix d'aujourd'hui dans votre participation en cours. En l'envoyant, vous "
            "acceptez le texte `consent_text` de la campagne. Un seul envoi, même si la requête arrive "
            "plusieurs fois : les suivantes rendent l'envoi déjà fait."
        ),
        request=None,
        responses=PupilParticipationSerializer,
    )
    @action(detail=True, methods=["post"], url_path="envoyer")
    def send(self, request, code):
        campaign = self._campaign(code)
        participation = selectors.live_participation_of(user=request.user, campaign=campaign)
        if participation is None:
            raise ApiError(
                NOT_JOINED_MESSAGE, code="participation_absente", status_code=status.HTTP_409_CONFLICT
            )
        try:
            participation = services.participation_send_profile(participation=participation)
        except services.CampaignError as error:
            raise _refused(error) from None
        return self._participation(participation, created=False)
