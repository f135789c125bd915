"""Reads on campaigns and participations. Every query starts from the member's organization."""

from dataclasses import dataclass, field

from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import TruncDate
from django.shortcuts import get_object_or_404
from django_scopes import scopes_disabled

from .models import Campaign, Participation


def campaign_for_member(*, membership, pk):
    """The campaign `pk` of the member's organization, or 404: a stranger learns nothing of it."""
    return get_object_or_404(
        Campaign.objects.select_related("owner", "creator", "archived_by", "organization"),
        organization_id=membership.organization_id,
        pk=pk,
    )


def campaign_list(*, organization, archived=False, name="", creator=""):
    campaigns = Campaign.objects.filter(organization=organization, archived_at__isnull=not archived)
    if name:
        campaigns = campaigns.filter(name__icontains=name)
    if creator:
        for word in creator.split():
            campaigns = campaigns.filter(
                Q(creator__first_name__icontains=word) | Q(creator__last_name__icontains=word)
            )
    return (
        campaigns.select_related("owner", "creator")
        .annotate(
            participants_count=Count("participations", filter=Q(participations__is_improved=False)),
            shared_count=Count(
                "participations",
                filter=Q(
                    participations__is_improved=False, participations__status=Participation.Status.SHARED
                ),
            ),
        )
        .order_by("-created_at", "-pk")
    )


def campaign_tab_counts(*, organization):
    return Campaign.objects.filter(organization=organization).aggregate(
        active=Count("pk", filter=Q(archived_at__isnull=True)),
        archived=Count("pk", filter=Q(archived_at__isnull=False)),
    )


def live_participations(*, campaign):
    return Participation.objects.filter(campaign=campaign, is_improved=False)


# Sort keys of the results tab and the columns behind them; a pupil who has not sent yet counts as
# lowest, so he comes last in a descending sort.
RESULT_ORDERINGS = {
    "nom": ("learner__last_name", "learner__first_name"),
    "prenom": ("learner__first_name", "learner__last_name"),
    "date": ("shared_at",),
    "score": ("snapshot__pix_score",),
    "certifiable": ("snapshot__is_certifiable",),
    "competences": ("snapshot__certifiable_competences_count",),
}
DEFAULT_RESULT_ORDERING = "-date"


@dataclass
class ResultFilters:
    """The filters of the results tab, as read from the query string."""

    divisions: list = field(default_factory=list)
    certifiable: str = ""  # "oui", "non" or "" for all
    search: str = ""
    ordering: str = DEFAULT_RESULT_ORDERING

    @property
    def active(self):
        return bool(self.divisions or self.certifiable or self.search)

    @classmethod
    def from_query(cls, query):
        ordering = query.get("tri", DEFAULT_RESULT_ORDERING)
        if ordering.lstrip("-") not in RESULT_ORDERINGS:
            ordering = DEFAULT_RESULT_ORDERING
        certifiable = query.get("certifiable", "")
        return cls(
            divisions=[division for division in query.getlist("classe") if division],
            certifiable=certifiable if certifiable in {"oui", "non"} else "",
            search=query.get("recherche", "").strip()[:100],
            ordering=ordering,
        )


def campaign_results(*, campaign, filters):
    """One row per participant, his latest sending; filtered, sorted and paginated by the database."""
    rows = live_participations(campaign=campaign).select_related("learner", "snapshot")
    if filters.divisions:
        rows = rows.filter(learner__division__in=filters.divisions)
    if filters.certifiable:
        rows = rows.filter(snapshot__is_certifiable=filters.certifiable == "oui")
    for word in filters.search.split():
        rows = rows.filter(Q(learner__last_name__icontains=word) | Q(learner__first_name__icontains=word))
    if campaign.multiple_sendings:
        earlier = Participation.objects.filter(
            campaign_id=campaign.pk, user_id=OuterRef("user_id"), is_improved=True
        )
        rows = rows.annotate(
            previous_pix_score=Subquery(earlier.order_by("-shared_at").values("snapshot__pix_score")[:1]),
            sendings_count=Subquery(
                earlier.order_by().values("user_id").annotate(n=Count("pk")).values("n")[:1]
            ),
        )
    columns = RESULT_ORDERINGS[filters.ordering.lstrip("-")]
    if filters.ordering.startswith("-"):
        order = [F(column).desc(nulls_last=True) for column in columns] + ["-pk"]
    else:
        order = [F(column).asc(nulls_first=True) for column in columns] + ["pk"]
    return rows.order_by(*order)


def campaign_divisions(*, campaign):
    return list(
        live_participations(campaign=campaign)
        .exclude(learner__division="")
        .order_by("learner__division")
        .values_list("learner__division", flat=True)
        .distinct()
    )


def campaign_activity(*, campaign):
    """What the Activité tab shows: totals, sendings per day, and the state of each class."""
    participations = live_participations(campaign=campaign)
    shared = Participation.Status.SHARED
    totals = participations.aggregate(
        participants=Count("pk"),
        shared=Count("pk", filter=Q(status=shared)),
        certifiable=Count("pk", filter=Q(status=shared, snapshot__is_certifiable=True)),
    )
    totals["not_certifiable"] = totals["shared"] - totals["certifiable"]
    # Every sending counts here, superseded ones included: the chart shows the campaign's activity.
    per_day = list(
        Participation.objects.filter(campaign=campaign, status=shared)
        .annotate(day=TruncDate("shared_at"))
        .values("day")
        .annotate(sendings=Count("pk"))
        .order_by("day")
    )
    per_division = list(
        participations.values("learner__division")
        .annotate(
            participants=Count("pk"),
            shared=Count("pk", filter=Q(status=shared)),
            certifiable=Count("pk", filter=Q(status=shared, snapshot__is_certifiable=True)),
            not_certifiable=Count("pk", filter=Q(status=shared, snapshot__is_certifiable=False)),
        )
        .order_by("learner__division")
    )
    return {"totals": totals, "per_day": per_day, "per_division": per_division}


def participation_for_member(*, campaign, pk):
    return get_object_or_404(
        Participation.objects.select_related("learner", "snapshot", "user"), campaign=campaign, pk=pk
    )


def participation_history(*, participation):
    return (
        Participation.objects.filter(campaign_id=participation.campaign_id, user_id=participation.user_id)
        .exclude(pk=participation.pk)
        .filter(status=Participation.Status.SHARED)
        .select_related("snapshot")
        .order_by("-shared_at")
    )


def campaign_by_code(*, code):
    """The campaign a pupil's code designates, whatever its organization; None when there is none."""
    with scopes_disabled():
        return Campaign.objects.select_related("organization").filter(code=code).first()


def live_participation_of(*, user, campaign):
    return (
        Participation.objects.select_related("snapshot")
        .filter(campaign=campaign, user=user, is_improved=False)
        .first()
    )


def pupil_participations(*, user):
    """The pupil's own participations, in every organization he joined."""
    with scopes_disabled():
        return list(
            Participation.objects.filter(user=user, is_improved=False)
            .select_related("campaign__organization")
            .order_by("-created_at")
        )
