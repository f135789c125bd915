"""Reads on campaigns and participations. Every console query runs in the member's organization scope
and starts from his organization or from a campaign found in it."""

from dataclasses import dataclass

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.shortcuts import get_object_or_404
from django_scopes import scopes_disabled

from evaluation.selectors import evaluation_results
from students.models import OrganizationLearner
from students.selectors import roster_version

from .assessment import assessment_result
from .filters import (
    AssessmentResultFilterSet,
    ParticipantFilterSet,
    ResultFilterSet,
    annotate_competence_mastery,
)
from .models import (
    Campaign,
    CampaignActivityDay,
    ExportLog,
    Participation,
    ParticipationEvaluation,
    Relaunch,
    RelaunchRecipient,
)

MANAGE_DENIED = "Seuls le propriétaire de la campagne et les administrateurs peuvent la modifier."


def can_manage(*, membership, campaign):
    """The one rule for changing a campaign or its participations: its owner, or an admin."""
    return membership.is_admin or campaign.owner_id == membership.user_id


def campaign_for_member(*, membership, pk):
    """The campaign `pk` of the member's organization, or 404: a stranger learns nothing of it."""
    return get_object_or_404(
        Campaign.objects.select_related("owner", "creator", "archived_by", "organization"),
        organization_id=membership.organization_id,
        pk=pk,
    )


def campaign_for_manager(*, membership, pk):
    """The campaign `pk` if the member may change it: 404 for another organization, 403 otherwise."""
    campaign = campaign_for_member(membership=membership, pk=pk)
    if not can_manage(membership=membership, campaign=campaign):
        raise PermissionDenied(MANAGE_DENIED)
    return campaign


ARCHIVED_EDIT_DENIED = "Cette campagne est archivée : désarchivez-la pour la modifier."


def campaign_for_editing(*, membership, pk):
    """The campaign `pk` if the member may edit its settings now: not while it is archived."""
    campaign = campaign_for_manager(membership=membership, pk=pk)
    if campaign.is_archived:
        raise PermissionDenied(ARCHIVED_EDIT_DENIED)
    return campaign


def _campaigns(*, organization, user, mine):
    campaigns = Campaign.objects.filter(organization=organization)
    return campaigns.filter(owner=user) if mine else campaigns


def campaign_list(*, organization, user, mine=True, archived=False, name="", creator=""):
    """« Mes campagnes » (owned by `user`) or « Toutes les campagnes », active or archived, newest first.
    Participants and profiles received are the campaign's own counters: no join on participations."""
    campaigns = _campaigns(organization=organization, user=user, mine=mine).filter(
        archived_at__isnull=not archived
    )
    if name:
        campaigns = campaigns.filter(name__icontains=name)
    for word in creator.split():
        campaigns = campaigns.filter(
            Q(creator__first_name__icontains=word) | Q(creator__last_name__icontains=word)
        )
    return campaigns.select_related("owner", "creator").order_by("-created_at", "-pk")


def campaign_tab_counts(*, organization, user, mine=True):
    return _campaigns(organization=organization, user=user, mine=mine).aggregate(
        active=Count("pk", filter=Q(archived_at__isnull=True)),
        archived=Count("pk", filter=Q(archived_at__isnull=False)),
    )


@dataclass(frozen=True)
class TargetCompetence:
    """A competence of an assessment's target profile, with the topics chosen in it."""

    competence: object
    topics: list


def campaign_target_profile(*, campaign):
    """The assessment's target profile: its competences in the order of their codes, each with its topics
    (one query)."""
    grouped = {}
    for topic in campaign.target_topics.select_related("competence__area").order_by(
        "competence__code", "position", "slug"
    ):
        grouped.setdefault(topic.competence, []).append(topic)
    return [TargetCompetence(competence, topics) for competence, topics in grouped.items()]


def participation_assessment_result(*, participation):
    """What the pupil's assessment has established so far, shaped as a sending freezes it."""
    links = (
        ParticipationEvaluation.objects.filter(participation=participation)
        .select_related("evaluation__competence")
        .order_by("competence__code")
    )
    return assessment_result(evaluation_results(evaluations=[link.evaluation for link in links]))


def participation_evaluation(*, participation, challenge_id=None, answer_id=None):
    """The participation's evaluation of the competence a challenge tests, or the one an answer belongs
    to; None when it has none."""
    links = ParticipationEvaluation.objects.filter(participation=participation)
    if challenge_id is not None:
        links = links.filter(competence__topics__skills__challenges__pk=challenge_id)
    if answer_id is not None:
        links = links.filter(evaluation__answers__pk=answer_id)
    link = links.select_related("evaluation__competence").first()
    return link.evaluation if link else None


# Aggregates over every participation of a campaign (its classes, its « Par classe » table) are kept in
# the cache under a key made of the campaign's counters and the roster's version: a sending, a new
# participant, a deletion or an import changes the key, so nothing stale is ever read for long, and a
# rectorat's campaign of 50,000 pupils is not re-aggregated on every page.
AGGREGATE_CACHE_SECONDS = 300


def _campaign_cached(name, campaign, compute):
    version = roster_version(organization=campaign.organization)
    counters = f"{campaign.participants_count}:{campaign.received_count}:{campaign.certifiable_count}"
    key = f"campaign:{name}:{campaign.pk}:{counters}:{version}"
    return cache.get_or_set(key, compute, AGGREGATE_CACHE_SECONDS)


def campaign_divisions(*, campaign):
    """The classes of the campaign's participants, for the class filters."""

    def compute():
        return list(
            Participation.objects.filter(campaign=campaign)
            .live()
            .exclude(learner__division="")
            .order_by("learner__division")
            .values_list("learner__division", flat=True)
            .distinct()
        )

    return _campaign_cached("divisions", campaign, compute)


def campaign_results(*, campaign, data=None, target=None):
    """Résultats: one row per pupil who sent — his latest sending — filtered and sorted by `data`.

    For an assessment, `target` is its target profile (campaign_target_profile), whose competences the
    table shows and sorts on."""
    rows = (
        Participation.objects.filter(campaign=campaign)
        .latest_sendings()
        .select_related("learner")
        .order_by("-shared_at", "-pk")
    )
    divisions = campaign_divisions(campaign=campaign)
    if not campaign.is_assessment:
        return ResultFilterSet(data, queryset=rows, divisions=divisions)
    if target is None:
        target = campaign_target_profile(campaign=campaign)
    competences = [(item.competence.code, item.competence.name) for item in target]
    rows = annotate_competence_mastery(rows, [code for code, _ in competences])
    return AssessmentResultFilterSet(data, queryset=rows, divisions=divisions, competences=competences)


def campaign_participants(*, campaign, data=None):
    """Activité's list: every pupil who joined (his live participation), whether he sent or not."""
    latest = Participation.objects.filter(
        campaign_id=campaign.pk, learner_id=OuterRef("learner_id"), is_latest_sending=True
    )
    rows = (
        Participation.objects.filter(campaign=campaign, learner__organization_id=campaign.organization_id)
        .live()
        .select_related("learner")
        .annotate(
            has_sent=Exists(latest),
            sendings=Subquery(latest.values("sending_number")[:1]),
            # A pupil who sent and started again opens on his latest sending, not his empty new start.
            latest_sending_id=Subquery(latest.values("pk")[:1]),
        )
        .order_by("learner__last_name", "learner__first_name", "pk")
    )
    return ParticipantFilterSet(
        data,
        queryset=rows,
        divisions=campaign_divisions(campaign=campaign),
        assessment=campaign.is_assessment,
    )


def campaign_pending_statuses(*, campaign):
    """An assessment's pupils who joined and never sent: how many still answer its questions (« en
    cours ») and how many have finished but not sent (one query)."""
    sent = Participation.objects.filter(
        campaign_id=campaign.pk, learner_id=OuterRef("learner_id"), is_latest_sending=True
    )
    return (
        Participation.objects.filter(campaign=campaign)
        .live()
        .exclude(Exists(sent))
        .aggregate(
            started=Count("pk", filter=Q(status=Participation.Status.STARTED)),
            to_send=Count("pk", filter=Q(status=Participation.Status.TO_SHARE)),
        )
    )


def campaign_activity_days(*, campaign):
    """Cumulative participants and profiles received, day by day, for the Activité chart."""
    days = []
    joined = received = 0
    for day in CampaignActivityDay.objects.filter(campaign=campaign).order_by("day"):
        joined += day.joined
        received += day.received
        days.append({"day": day.day, "joined": joined, "received": received})
    return days


def campaign_divisions_activity(*, campaign):
    """« Par classe »: for each class, who joined, who sent, who is certifiable, and (in a school) who
    of the roster never joined."""
    return _campaign_cached("per-division", campaign, lambda: _divisions_activity(campaign))


def _divisions_activity(campaign):
    rows = {}

    def row(division):
        return rows.setdefault(
            division,
            {"division": division, "joined": 0, "received": 0, "certifiable": 0, "never_joined": 0},
        )

    participations = Participation.objects.filter(campaign=campaign)
    for division, joined in (
        participations.live().values_list("learner__division").annotate(n=Count("pk")).order_by()
    ):
        row(division)["joined"] = joined
    for division, received, certifiable in (
        participations.latest_sendings()
        .values_list("learner__division")
        .annotate(n=Count("pk"), certifiable=Count("pk", filter=Q(is_certifiable=True)))
        .order_by()
    ):
        row(division).update(received=received, certifiable=certifiable)
    if campaign.organization.is_school:
        for division, never_joined in (
            campaign_never_joined(campaign=campaign)
            .values_list("division")
            .annotate(n=Count("pk"))
            .order_by()
        ):
            row(division)["never_joined"] = never_joined
    result = sorted(rows.values(), key=lambda item: (item["division"] == "", item["division"]))
    for item in result:
        item["pending"] = item["joined"] - item["received"]
        item["not_certifiable"] = item["received"] - item["certifiable"]
        item["roster"] = item["joined"] + item["never_joined"]
    return result


def campaign_never_joined(*, campaign, division=None):
    """The pupils of the school's roster who have not joined the campaign: step 6 starts with them."""
    joined = Participation.objects.filter(
        campaign_id=campaign.pk, learner_id=OuterRef("pk"), is_improved=False
    )
    learners = OrganizationLearner.objects.filter(
        organization_id=campaign.organization_id, is_disabled=False
    ).exclude(Exists(joined))
    if division is not None:
        learners = learners.filter(division=division)
    return learners.order_by("division", "last_name", "first_name", "pk")


def participation_for_member(*, campaign, pk):
    return get_object_or_404(
        Participation.objects.filter(campaign=campaign)
        .not_deleted()
        .select_related("learner", "snapshot", "user"),
        pk=pk,
    )


def participation_history(*, participation):
    """The other sendings of the same pupil to the same campaign, newest first."""
    return (
        Participation.objects.filter(
            campaign_id=participation.campaign_id, learner_id=participation.learner_id
        )
        .sendings()
        .exclude(pk=participation.pk)
        .order_by("-shared_at")
    )


def campaign_by_code(*, code):
    """The campaign a pupil's code designates, whatever its organization; None when there is none."""
    with scopes_disabled():
        return Campaign.objects.select_related("organization").filter(code=code).first()


def live_participation_of(*, user, campaign):
    """The pupil's current participation in the campaign, deleted or not (the page says which)."""
    return (
        Participation.objects.select_related("snapshot")
        .filter(campaign=campaign, user=user, is_improved=False)
        .first()
    )


def pupil_participations(*, user):
    """The pupil's own participations, in every organization he joined."""
    with scopes_disabled():
        return list(
            Participation.objects.filter(user=user)
            .live()
            .select_related("campaign__organization")
            .order_by("-created_at")
        )


def export_logs(*, organization):
    return (
        ExportLog.objects.filter(organization=organization)
        .select_related("user")
        .order_by("-started_at", "-pk")
    )


def organization_divisions(*, organization):
    """Every class of the organization's pupils, for the relaunch's class filter."""
    return list(
        OrganizationLearner.objects.filter(organization=organization, is_disabled=False)
        .exclude(division="")
        .order_by("division")
        .values_list("division", flat=True)
        .distinct()
    )


def campaign_relaunches(*, campaign):
    return (
        Relaunch.objects.filter(campaign=campaign)
        .select_related("created_by")
        .annotate(
            recipients_count=Count("recipients"),
            failed_count=Count(
                "recipients", filter=Q(recipients__email_status=RelaunchRecipient.EmailStatus.FAILED)
            ),
        )
        .order_by("-created_at", "-pk")
    )


def relaunch_for_member(*, campaign, pk):
    return get_object_or_404(Relaunch.objects.select_related("created_by"), campaign=campaign, pk=pk)


def relaunch_recipients(*, relaunch):
    return relaunch.recipients.select_related("learner").order_by(
        "learner__division", "learner__last_name", "learner__first_name"
    )


def campaigns_to_relaunch(*, organization):
    """The campaigns a teacher can chase pupils for: the organization's active ones, newest first."""
    return list(
        Campaign.objects.filter(organization=organization, archived_at__isnull=True)
        .order_by("-created_at", "-pk")
        .values_list("pk", "name")
    )
