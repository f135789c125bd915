"""The filters and sorts of the campaign's tables, read from the query string by django-filter.

A value the table does not offer (an unknown class, « ² », 10,000 characters) fails the form's validation
and is ignored, so the page still answers with the unfiltered table.
"""

import django_filters
from django import forms
from django.db.models import Exists, IntegerField, OuterRef
from django.db.models.fields.json import KT
from django.db.models.functions import Cast

from pixorga.inputs import ClassesField, clean_text
from profiles.certifiability import MINIMUM_CERTIFIABLE_COMPETENCES
from students.names import name_search

from .models import Participation, RelaunchRecipient

SEARCH_MAX_LENGTH = 100


class SortFilter(django_filters.ChoiceFilter):
    """`?tri=<key>` or `?tri=-<key>`: one of the sorts the table offers, with the id as tie-breaker so that
    pages never overlap. The selector orders by the default sort first; a valid `tri` replaces it."""

    def __init__(self, *, orderings, labels, **kwargs):
        self.orderings = orderings
        self.labels = labels
        choices = [(key, key) for key in orderings] + [(f"-{key}", f"-{key}") for key in orderings]
        super().__init__(choices=choices, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.order_by(*order_by(self.orderings, value))


def order_by(orderings, value):
    descending = value.startswith("-")
    columns = [*orderings[value.lstrip("-")], "pk"]
    return [_reversed(column) for column in columns] if descending else columns


def _reversed(column):
    # « Manque » sorts on a column in reverse already: its descending sort is that column ascending.
    return column[1:] if column.startswith("-") else f"-{column}"


def _search(queryset, name, value):
    """Every word typed must appear in the pupil's first or last name, accents and case aside."""
    return queryset.filter(name_search(clean_text(value, SEARCH_MAX_LENGTH), prefix="learner__"))


class SearchInput(forms.TextInput):
    input_type = "search"


class ClassesFilter(django_filters.MultipleChoiceFilter):
    field_class = ClassesField


def _division_filter():
    return ClassesFilter(field_name="learner__division", label="Classes", widget=forms.CheckboxSelectMultiple)


class CampaignTableFilterSet(django_filters.FilterSet):
    """What the Résultats and Activité tables share: classes and the name search."""

    classe = _division_filter()
    recherche = django_filters.CharFilter(
        label="Rechercher un participant",
        method=_search,
        max_length=SEARCH_MAX_LENGTH,
        widget=SearchInput(attrs={"placeholder": "Nom ou prénom"}),
    )
    relance = django_filters.ChoiceFilter(
        label="Relances",
        choices=[("jamais", "Jamais relancés"), ("relance", "Déjà relancés")],
        empty_label="Tous",
        method="filter_relaunched",
    )
    sort_param = "tri"

    def filter_relaunched(self, queryset, name, value):
        chased = RelaunchRecipient.objects.filter(
            relaunch__campaign_id=OuterRef("campaign_id"), learner_id=OuterRef("learner_id")
        )
        return queryset.filter(Exists(chased) if value == "relance" else ~Exists(chased))

    def __init__(self, data=None, *args, divisions=(), **kwargs):
        super().__init__(data, *args, **kwargs)
        self.divisions = divisions
        self.form.fields["classe"].classes = frozenset(divisions)

    @property
    def values(self):
        """The valid filters only: an invalid one is left out of `cleaned_data`, hence ignored."""
        self.form.is_valid()
        return self.form.cleaned_data

    @property
    def active(self):
        return any(self.values.get(name) for name in self.filters if name != self.sort_param)

    @property
    def ordering(self):
        return self.values.get(self.sort_param) or self.default_ordering

    @property
    def sort_labels(self):
        return self.filters[self.sort_param].labels

    @property
    def ordering_label(self):
        """The current sort in words, for the table's caption."""
        ordering = self.ordering
        direction = "décroissant" if ordering.startswith("-") else "croissant"
        return f"{self.sort_labels.get(ordering.lstrip('-'), ordering)}, ordre {direction}"


RESULT_ORDERINGS = {
    "nom": ("learner__last_name", "learner__first_name"),
    "prenom": ("learner__first_name", "learner__last_name"),
    "classe": ("learner__division", "learner__last_name", "learner__first_name"),
    "date": ("shared_at",),
    "score": ("pix_score",),
    "certifiable": ("is_certifiable",),
    "competences": ("certifiable_competences_count",),
    # Fewer competences at level 1 means more missing: the « Manque » column sorts the other way round.
    "manque": ("-certifiable_competences_count",),
    "envois": ("sending_number",),
}
RESULT_SORT_LABELS = {
    "nom": "nom",
    "prenom": "prénom",
    "classe": "classe",
    "date": "date d'envoi",
    "score": "score Pix",
    "certifiable": "certifiabilité",
    "competences": "compétences certifiables",
    "manque": "compétences manquantes",
    "envois": "nombre d'envois",
}
# The guide: « le profil le plus récent apparaît en premier ».
DEFAULT_RESULT_ORDERING = "-date"

MISSING_CHOICES = [
    (str(missing), f"il manque {missing} compétence{'s' if missing > 1 else ''}")
    for missing in range(1, MINIMUM_CERTIFIABLE_COMPETENCES + 1)
]


class ResultFilterSet(CampaignTableFilterSet):
    """Résultats: the latest sending of each pupil who sent."""

    certifiable = django_filters.ChoiceFilter(
        label="Certifiabilité",
        choices=[("oui", "Certifiables"), ("non", "Non certifiables")],
        empty_label="Tous",
        method="filter_certifiable",
    )
    manque = django_filters.ChoiceFilter(
        label="Compétences manquantes",
        choices=MISSING_CHOICES,
        empty_label="Peu importe",
        method="filter_missing",
    )
    tri = SortFilter(orderings=RESULT_ORDERINGS, labels=RESULT_SORT_LABELS, widget=forms.HiddenInput)
    default_ordering = DEFAULT_RESULT_ORDERING

    class Meta:
        model = Participation
        fields = []

    def filter_certifiable(self, queryset, name, value):
        return queryset.filter(is_certifiable=value == "oui")

    def filter_missing(self, queryset, name, value):
        return queryset.filter(certifiable_competences_count=MINIMUM_CERTIFIABLE_COMPETENCES - int(value))


# `?tri=competence-1.1`: an assessment's table sorted on the mastery of one target competence.
COMPETENCE_SORT_PREFIX = "competence-"


def competence_sort_key(code):
    return f"{COMPETENCE_SORT_PREFIX}{code}"


def competence_mastery_alias(code):
    return f"mastery_{code.replace('.', '_')}"


def annotate_competence_mastery(queryset, codes):
    """Each target competence's mastery rate, read from the frozen result, as a number to sort on."""
    return queryset.annotate(
        **{
            competence_mastery_alias(code): Cast(
                KT(f"assessment_result__competences__{code}__mastery"), IntegerField()
            )
            for code in codes
        }
    )


ASSESSMENT_RESULT_ORDERINGS = {
    key: RESULT_ORDERINGS[key] for key in ("nom", "prenom", "classe", "date", "envois")
} | {"maitrise": ("mastery_rate",)}
ASSESSMENT_SORT_LABELS = {
    key: RESULT_SORT_LABELS[key] for key in ASSESSMENT_RESULT_ORDERINGS if key in RESULT_SORT_LABELS
} | {"maitrise": "maîtrise du profil cible"}


class AssessmentResultFilterSet(CampaignTableFilterSet):
    """Résultats of an assessment: the latest sending of each pupil who sent, sortable on the mastery of
    the target profile and of each target competence (`codes`)."""

    tri = SortFilter(
        orderings=ASSESSMENT_RESULT_ORDERINGS, labels=ASSESSMENT_SORT_LABELS, widget=forms.HiddenInput
    )
    default_ordering = DEFAULT_RESULT_ORDERING

    class Meta:
        model = Participation
        fields = []

    def __init__(self, data=None, *args, competences=(), **kwargs):
        super().__init__(data, *args, **kwargs)
        sort = self.filters[self.sort_param]
        for code, name in competences:
            key = competence_sort_key(code)
            sort.orderings[key] = (competence_mastery_alias(code),)
            sort.labels[key] = f"maîtrise de la compétence {code} {name}"
        choices = [(key, key) for key in sort.orderings] + [(f"-{key}", f"-{key}") for key in sort.orderings]
        sort.extra["choices"] = choices
        self.form.fields[self.sort_param].choices = choices


class ParticipantStatus:
    PENDING = "en-attente"
    RECEIVED = "recu"
    CHOICES = [(PENDING, "En attente d'envoi"), (RECEIVED, "Profil reçu")]
    # An assessment's participant answers questions before he can send.
    STARTED = "en-cours"
    TO_SEND = "a-envoyer"
    ASSESSMENT_CHOICES = [
        (STARTED, "En cours"),
        (TO_SEND, "Résultats à envoyer"),
        (RECEIVED, "Résultats reçus"),
    ]


class ParticipantFilterSet(CampaignTableFilterSet):
    """Activité's « Liste des participants »: every pupil who joined, sent or not."""

    statut = django_filters.ChoiceFilter(
        label="Statut", choices=ParticipantStatus.CHOICES, empty_label="Tous", method="filter_status"
    )
    tri = SortFilter(
        orderings={"nom": RESULT_ORDERINGS["nom"], "classe": RESULT_ORDERINGS["classe"]},
        labels=RESULT_SORT_LABELS,
        widget=forms.HiddenInput,
    )
    default_ordering = "nom"

    class Meta:
        model = Participation
        fields = []

    def __init__(self, data=None, *args, assessment=False, **kwargs):
        super().__init__(data, *args, **kwargs)
        if assessment:
            self.filters["statut"].extra["choices"] = ParticipantStatus.ASSESSMENT_CHOICES
            self.form.fields["statut"].choices = [("", "Tous"), *ParticipantStatus.ASSESSMENT_CHOICES]

    def filter_status(self, queryset, name, value):
        if value == ParticipantStatus.STARTED:
            return queryset.filter(has_sent=False, status=Participation.Status.STARTED)
        if value == ParticipantStatus.TO_SEND:
            return queryset.filter(has_sent=False, status=Participation.Status.TO_SHARE)
        return queryset.filter(has_sent=value == ParticipantStatus.RECEIVED)
