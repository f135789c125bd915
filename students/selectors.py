"""Reads on the roster. Every query starts from the member's organization."""

from dataclasses import dataclass, field

from django.db.models import Case, Count, Exists, F, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from campaigns.models import Campaign, Participation
from pixorga.inputs import clean_text

from .models import OrganizationLearner, RosterImport
from .names import name_search

Certificability = OrganizationLearner.Certificability


class LoginMethod:
    """How a learner logs in, as the Élèves list shows and filters it."""

    GENERATED = "identifiant"
    EMAIL = "email"
    NONE = "aucun"
    CHOICES = {GENERATED: "Identifiant généré", EMAIL: "Adresse e-mail", NONE: "Aucun compte"}


# Sort keys of the Élèves list and the columns behind them.
LEARNER_ORDERINGS = {
    "nom": ("normalized_last_name", "normalized_first_name"),
    "classe": ("division", "normalized_last_name", "normalized_first_name"),
    "participations": ("participations_count", "normalized_last_name", "normalized_first_name"),
    "certificabilite": ("certificability", "certifiable_competences_count", "normalized_last_name"),
}
DEFAULT_LEARNER_ORDERING = "nom"
CERTIFICABILITY_FILTERS = {choice.value: choice.label for choice in Certificability}


@dataclass
class LearnerFilters:
    """The filters of the Élèves list, as read from the query string."""

    search: str = ""
    divisions: list = field(default_factory=list)
    login_method: str = ""
    certificability: str = ""
    ordering: str = DEFAULT_LEARNER_ORDERING

    @property
    def active(self):
        return bool(self.search or self.divisions or self.login_method or self.certificability)

    @classmethod
    def from_query(cls, query):
        ordering = query.get("tri", DEFAULT_LEARNER_ORDERING)
        if ordering.lstrip("-") not in LEARNER_ORDERINGS:
            ordering = DEFAULT_LEARNER_ORDERING
        login_method = query.get("connexion", "")
        certificability = query.get("certificabilite", "")
        return cls(
            search=clean_text(query.get("recherche", "")),
            divisions=list(dict.fromkeys(clean_text(d, 60) for d in query.getlist("classe") if d))[:100],
            login_method=login_method if login_method in LoginMethod.CHOICES else "",
            certificability=certificability if certificability in CERTIFICABILITY_FILTERS else "",
            ordering=ordering,
        )


def learner_for_member(*, membership, pk):
    """The learner `pk` of the member's organization, or 404: a stranger learns nothing of him."""
    return get_object_or_404(
        _with_activity(OrganizationLearner.objects.select_related("user")),
        organization_id=membership.organization_id,
        pk=pk,
    )


def enabled_learners(*, organization):
    return OrganizationLearner.objects.filter(organization=organization, is_disabled=False)


def _login_method():
    return Case(
        When(user__isnull=True, then=Value(LoginMethod.NONE)),
        When(user__generated_account__isnull=False, then=Value(LoginMethod.GENERATED)),
        When(user__email="", then=Value(LoginMethod.GENERATED)),
        default=Value(LoginMethod.EMAIL),
    )


def _with_activity(learners):
    """What the list shows of each learner beside his own fields: login method and participations."""
    live = Participation.objects.live().filter(learner=OuterRef("pk"))
    # A participation's date is its last sending, or its start while he has not sent.
    latest = live.annotate(at=Coalesce("shared_at", "created_at")).order_by("-at", "-pk")
    return learners.annotate(
        login_method=_login_method(),
        participations_count=Coalesce(
            Subquery(live.order_by().values("learner").annotate(n=Count("pk")).values("n")[:1]),
            0,
            output_field=IntegerField(),
        ),
        last_participation_at=Subquery(latest.values("at")[:1]),
        last_campaign_name=Subquery(latest.values("campaign__name")[:1]),
    )


def learner_list(*, organization, filters):
    """The enabled learners with what the list shows of them, filtered and sorted by the database."""
    rows = _with_activity(enabled_learners(organization=organization))
    rows = rows.filter(name_search(filters.search))
    if filters.divisions:
        rows = rows.filter(division__in=filters.divisions)
    if filters.login_method:
        rows = rows.filter(login_method=filters.login_method)
    if filters.certificability:
        rows = rows.filter(certificability=filters.certificability)
    columns = LEARNER_ORDERINGS[filters.ordering.lstrip("-")]
    if filters.ordering.startswith("-"):
        order = [F(column).desc(nulls_last=True) for column in columns] + ["-pk"]
    else:
        order = [F(column).asc(nulls_first=True) for column in columns] + ["pk"]
    return rows.order_by(*order)


def learner_divisions(*, organization):
    return list(
        enabled_learners(organization=organization)
        .exclude(division="")
        .order_by("division")
        .values_list("division", flat=True)
        .distinct()
    )


def learner_division_summary(*, organization):
    """Per class: pupils, certifiable, not certifiable, and those who never sent a profile (one query)."""
    has_sent = Exists(Participation.objects.sendings().filter(learner=OuterRef("pk")))
    return list(
        enabled_learners(organization=organization)
        .values("division")
        .annotate(
            pupils=Count("pk"),
            certifiable=Count("pk", filter=Q(certificability=Certificability.CERTIFIABLE)),
            not_certifiable=Count("pk", filter=Q(certificability=Certificability.NOT_CERTIFIABLE)),
            never_sent=Count("pk", filter=~Q(has_sent)),
        )
        .order_by("division")
    )


def learner_participations(*, learner):
    """Each campaign the learner took part in: his live participation and how many times he sent."""
    sendings = (
        Participation.objects.sendings()
        .filter(learner_id=OuterRef("learner_id"), campaign_id=OuterRef("campaign_id"))
        .order_by()
        .values("campaign_id")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    return (
        Participation.objects.live()
        .filter(learner=learner)
        .select_related("campaign", "snapshot")
        .annotate(sendings_count=Coalesce(Subquery(sendings), 0, output_field=IntegerField()))
        .order_by("-created_at", "-pk")
    )


def latest_sending(*, learner):
    return (
        Participation.objects.sendings()
        .filter(learner=learner, campaign__type=Campaign.Type.PROFILES_COLLECTION)
        .select_related("snapshot", "campaign")
        .order_by("-shared_at", "-pk")
        .first()
    )


def roster_imports(*, organization):
    return RosterImport.objects.filter(organization=organization).select_related("created_by")


def roster_import_for_member(*, membership, pk):
    return get_object_or_404(
        RosterImport.objects.select_related("created_by"), organization_id=membership.organization_id, pk=pk
    )


def last_done_import(*, organization):
    return roster_imports(organization=organization).filter(status=RosterImport.Status.DONE).first()


def learner_count(*, organization):
    return enabled_learners(organization=organization).count()
