"""The roster through the API: the organization's pupils with their class, filtered as the campaign
tables are (`classe`, `recherche`)."""

import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets

from accounts.api import MemberViewMixin
from pixorga.api import filterset_parameters, form_errors
from pixorga.inputs import clean_text

from .models import OrganizationLearner
from .names import name_search

SEARCH_MAX_LENGTH = 100


class RosterLearnerSerializer(serializers.ModelSerializer):
    """One pupil of the roster, with his certificabilité as the Élèves list shows it."""

    learner_id = serializers.IntegerField(
        source="pk",
        read_only=True,
        help_text="Identifiant stable de l'élève dans pixorga : le même dans les résultats et l'export CSV.",
    )

    class Meta:
        model = OrganizationLearner
        fields = [
            "id",
            "learner_id",
            "last_name",
            "first_name",
            "division",
            "birthdate",
            "certificability",
            "certifiable_competences_count",
            "certificability_at",
            "certificability_source",
        ]


class RosterFilterSet(django_filters.FilterSet):
    classe = django_filters.MultipleChoiceFilter(field_name="division", label="Classes")
    certificabilite = django_filters.ChoiceFilter(
        field_name="certificability",
        label="Certificabilité",
        choices=OrganizationLearner.Certificability.choices,
    )
    recherche = django_filters.CharFilter(
        label="Nom ou prénom", method="filter_search", max_length=SEARCH_MAX_LENGTH
    )

    class Meta:
        model = OrganizationLearner
        fields = []

    def __init__(self, data=None, *args, divisions=(), **kwargs):
        super().__init__(data, *args, **kwargs)
        # Read only when a class is asked for: the list alone costs no query for its filter's choices.
        self.form.fields["classe"].choices = lambda: [(division, division) for division in divisions]

    def filter_search(self, queryset, name, value):
        """Every word typed must appear in the first or last name, accents and case aside."""
        return queryset.filter(name_search(clean_text(value, SEARCH_MAX_LENGTH)))


@extend_schema(tags=["Élèves"])
class RosterViewSet(MemberViewMixin, viewsets.GenericViewSet):
    serializer_class = RosterLearnerSerializer

    @extend_schema(
        summary="La base élèves de l'organisation, par classe",
        parameters=filterset_parameters(
            RosterFilterSet,
            {
                "classe": "Une classe ; répétez le paramètre pour plusieurs (`?classe=2NDE1&classe=2NDE2`).",
                "recherche": "Mots du nom ou du prénom, sans tenir compte des accents ni de la casse.",
                "certificabilite": "« certifiable », « non-certifiable » ou « non-communique ».",
            },
        ),
    )
    def list(self, request):
        learners = OrganizationLearner.objects.filter(organization=self.organization, is_disabled=False)
        divisions = learners.exclude(division="").order_by("division").values_list("division", flat=True)
        roster = RosterFilterSet(
            request.query_params,
            queryset=learners.order_by("division", "last_name", "first_name", "pk"),
            divisions=divisions.distinct(),
        )
        if not roster.is_valid():
            raise serializers.ValidationError(form_errors(roster.form))
        page = self.paginate_queryset(roster.qs)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)
