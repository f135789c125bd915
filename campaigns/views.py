"""The teacher console: campaigns of the member's organization. Views stay thin: selectors read,
services write, and the rule « may change this campaign » lives in selectors.campaign_for_manager."""

import segno
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header, urlencode
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from accounts.decorators import member_required
from pixorga.inputs import clean_text, parse_id
from pixorga.pagination import paginate
from profiles.framework import grouped_by_area

from . import charts, export, relaunch, selectors, services
from .assessment import competences_of
from .forms import (
    SENSITIVE_DATA_WARNING,
    CampaignDeleteForm,
    CampaignForm,
    ParticipationDeleteForm,
    RelaunchFilterForm,
    RelaunchForm,
)
from .models import ExportLog, Relaunch

RESULTS_PAGE_SIZES = (25, 50, 100)
CAMPAIGNS_PER_PAGE = 50
NEVER_JOINED_PER_PAGE = 50
CLASSES_PER_PAGE = 20
CLASSES_PARAM = "classes"
# htmx asks for a fragment, except when it restores a page from history that its cache lost: then it
# must get the whole page. Responses differ on both headers, so caches must key on both.
htmx_vary = vary_on_headers("HX-Request", "HX-History-Restore-Request")


def _render(request, template, context, partial):
    """The full page, or only `partial` of it when htmx updates it in place."""
    if request.htmx and not request.htmx.boosted and not request.htmx.history_restore_request:
        template = f"{template}#{partial}"
    return render(request, template, context)


def _attach_relaunch_dates(campaign, page):
    """« relancé le … » beside each row of the page, read in one query for the page's pupils only."""
    rows = list(page.object_list)
    dates = relaunch.last_relaunches(campaign=campaign, learner_ids=[row.learner_id for row in rows])
    for row in rows:
        row.relaunched_at = dates.get(row.learner_id)
    page.object_list = rows


def _query_without(request, *names):
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


@member_required
@require_GET
@htmx_vary
def campaign_list(request):
    membership = request.membership
    archived = request.GET.get("onglet") == "archivees"
    mine = request.GET.get("vue") != "toutes"
    name = clean_text(request.GET.get("nom"))
    creator = clean_text(request.GET.get("createur"))
    campaigns = selectors.campaign_list(
        organization=membership.organization,
        user=request.user,
        mine=mine,
        archived=archived,
        name=name,
        creator=creator,
    )
    context = {
        "page": paginate(request, campaigns, default_size=CAMPAIGNS_PER_PAGE),
        "archived": archived,
        "mine": mine,
        "name": name,
        "creator": creator,
        "counts": selectors.campaign_tab_counts(
            organization=membership.organization, user=request.user, mine=mine
        ),
        "query_without_page": _query_without(request, "page"),
    }
    return _render(request, "campaigns/list.html", context, "campaign-table")


@member_required
@require_http_methods(["GET", "POST"])
def campaign_create(request):
    membership = request.membership
    form = CampaignForm(
        request.POST or None, organization=membership.organization, initial={"owner": request.user}
    )
    if request.method == "POST" and form.is_valid():
        campaign = services.campaign_create(
            organization=membership.organization, creator=request.user, **form.campaign_fields
        )
        messages.success(request, f"La campagne « {campaign.name} » est créée. Son code : {campaign.code}.")
        return redirect(campaign)
    return render(
        request, "campaigns/form.html", {"form": form, "sensitive_data_warning": SENSITIVE_DATA_WARNING}
    )


@member_required
@require_http_methods(["GET", "POST"])
def campaign_update(request, pk):
    campaign = selectors.campaign_for_editing(membership=request.membership, pk=pk)
    form = CampaignForm(request.POST or None, instance=campaign, organization=campaign.organization)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Les modifications de la campagne sont enregistrées.")
        return redirect("campaigns:settings", pk=campaign.pk)
    return render(request, "campaigns/form.html", {"form": form, "campaign": campaign})


@member_required
@require_POST
def campaign_archive(request, pk):
    campaign = selectors.campaign_for_manager(membership=request.membership, pk=pk)
    services.campaign_archive(campaign=campaign, user=request.user)
    messages.success(request, "La campagne est archivée : elle n'accepte plus de participants.")
    return redirect(campaign)


@member_required
@require_POST
def campaign_unarchive(request, pk):
    campaign = selectors.campaign_for_manager(membership=request.membership, pk=pk)
    services.campaign_unarchive(campaign=campaign)
    messages.success(request, "La campagne est désarchivée : elle accepte à nouveau des participants.")
    return redirect(campaign)


@member_required
@require_POST
def campaign_duplicate(request, pk):
    campaign = selectors.campaign_for_member(membership=request.membership, pk=pk)
    copy = services.campaign_duplicate(campaign=campaign, user=request.user)
    messages.success(request, f"La campagne « {copy.name} » est créée. Son code : {copy.code}.")
    return redirect("campaigns:settings", pk=copy.pk)


@member_required
@require_http_methods(["GET", "POST"])
def campaign_delete(request, pk):
    campaign = selectors.campaign_for_manager(membership=request.membership, pk=pk)
    form = CampaignDeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        name = campaign.name
        services.campaign_delete(campaign=campaign)
        messages.success(request, f"La campagne « {name} » et ses participations sont supprimées.")
        return redirect("campaigns:list")
    context = _campaign_context(request, campaign, "parametres")
    context["form"] = form
    return render(request, "campaigns/delete.html", context)


def _campaign_context(request, campaign, tab):
    return {
        "campaign": campaign,
        "tab": tab,
        "join_url": request.build_absolute_uri(campaign.get_join_url()),
        "can_manage": selectors.can_manage(membership=request.membership, campaign=campaign),
    }


@member_required
@require_GET
@htmx_vary
def campaign_activity(request, pk):
    campaign = selectors.campaign_for_member(membership=request.membership, pk=pk)
    participants = selectors.campaign_participants(campaign=campaign, data=request.GET)
    context = _campaign_context(request, campaign, "activite")
    page = paginate(
        request,
        participants.qs,
        default_size=RESULTS_PAGE_SIZES[0],
        sizes=RESULTS_PAGE_SIZES,
        count=None if participants.active else campaign.participants_count,
        late_rows=True,
    )
    _attach_relaunch_dates(campaign, page)
    context.update(
        participants=participants,
        page=page,
        activity_url=reverse("campaigns:detail", args=[campaign.pk]),
        query=request.GET.urlencode(),
        query_without_page=_query_without(request, "page"),
        query_without_sort=_query_without(request, "page", "tri"),
    )
    if request.htmx and not request.htmx.boosted and not request.htmx.history_restore_request:
        return _render(request, "campaigns/activity.html", context, "participants-table")
    days = selectors.campaign_activity_days(campaign=campaign)
    divisions = selectors.campaign_divisions_activity(campaign=campaign)
    longest = max((row["roster"] for row in divisions), default=0)
    for row in divisions:
        if campaign.is_assessment:
            segments = [(row["received"], "seg--received")]
        else:
            segments = [
                (row["certifiable"], "seg--certifiable"),
                (row["not_certifiable"], "seg--not-certifiable"),
            ]
        segments += [(row["pending"], "seg--pending"), (row["never_joined"], "seg--never-joined")]
        row["segments"] = segments
    # A rectorat's campaign spans a thousand classes: « Par classe » shows them a page at a time.
    classes = paginate(
        request, divisions, default_size=CLASSES_PER_PAGE, sizes=(CLASSES_PER_PAGE,), page_param=CLASSES_PARAM
    )
    classes.object_list = [
        {**row, "bar": charts.stacked_bar(row["segments"], scale_to=longest)} for row in classes.object_list
    ]
    pending = None
    if campaign.is_assessment:
        pending = selectors.campaign_pending_statuses(campaign=campaign)
        statuses = [
            ("En cours", pending["started"], "slice--started"),
            ("Résultats à envoyer", pending["to_send"], "slice--pending"),
            ("Résultats reçus", campaign.received_count, "slice--received"),
        ]
    else:
        statuses = [
            ("En attente d'envoi", campaign.pending_count, "slice--pending"),
            ("Profils reçus", campaign.received_count, "slice--received"),
        ]
    context.update(
        days=days,
        chart=charts.cumulative_chart(days),
        statuses=charts.donut(statuses),
        pending=pending,
        received_noun="résultat" if campaign.is_assessment else "profil",
        received_label="Résultats reçus" if campaign.is_assessment else "Profils reçus",
        classes=classes,
        query_without_classes=_query_without(request, CLASSES_PARAM),
        never_joined_total=sum(row["never_joined"] for row in divisions),
        qr_svg=_qr_svg(context["join_url"]),
    )
    return render(request, "campaigns/activity.html", context)


@member_required
@require_GET
@htmx_vary
def campaign_never_joined(request, pk):
    """The roster's pupils who never joined, for one class or all: the list step 6 starts with."""
    campaign = selectors.campaign_for_member(membership=request.membership, pk=pk)
    if not campaign.organization.is_school:
        raise PermissionDenied("Seuls les établissements scolaires ont une base élèves.")
    division = request.GET.get("classe")
    learners = selectors.campaign_never_joined(campaign=campaign, division=division)
    context = _campaign_context(request, campaign, "activite")
    context.update(
        page=paginate(request, learners, default_size=NEVER_JOINED_PER_PAGE),
        division=division,
        query_without_page=_query_without(request, "page"),
    )
    return _render(request, "campaigns/never_joined.html", context, "never-joined-table")


@member_required
@require_GET
@htmx_vary
def campaign_results(request, pk):
    campaign = selectors.campaign_for_member(membership=request.membership, pk=pk)
    target = selectors.campaign_target_profile(campaign=campaign) if campaign.is_assessment else []
    results = selectors.campaign_results(campaign=campaign, data=request.GET, target=target)
    context = _campaign_context(request, campaign, "resultats")
    page = paginate(
        request,
        results.qs,
        default_size=RESULTS_PAGE_SIZES[0],
        sizes=RESULTS_PAGE_SIZES,
        count=None if results.active else campaign.received_count,
        late_rows=True,
    )
    _attach_relaunch_dates(campaign, page)
    if campaign.is_assessment:
        codes = [item.competence.code for item in target]
        for row in page.object_list:
            row.competence_results = competences_of(row.assessment_result, codes)
    context.update(
        target=target,
        results=results,
        page=page,
        results_url=reverse("campaigns:results", args=[campaign.pk]),
        query=request.GET.urlencode(),
        query_without_page=_query_without(request, "page"),
        query_without_sort=_query_without(request, "page", "tri"),
    )
    return _render(request, "campaigns/results.html", context, "results-table")


@member_required
@require_GET
def campaign_settings(request, pk):
    campaign = selectors.campaign_for_member(membership=request.membership, pk=pk)
    context = _campaign_context(request, campaign, "parametres")
    if campaign.is_assessment:
        context["target"] = selectors.campaign_target_profile(campaign=campaign)
    return render(request, "campaigns/settings.html", context)


@member_required
@require_GET
def campaign_export(request, pk):
    campaign = selectors.campaign_for_member(membership=request.membership, pk=pk)
    target = selectors.campaign_target_profile(campaign=campaign) if campaign.is_assessment else []
    if request.GET.get("perimetre") == "filtres":
        rows = export.export_rows(
            campaign=campaign,
            participations=selectors.campaign_results(campaign=campaign, data=request.GET, target=target).qs,
            target=target,
            on_finish=services.export_log_start(
                campaign=campaign, user=request.user, scope=ExportLog.Scope.FILTERED
            ),
        )
    else:
        rows = export.export_all(
            campaign=campaign,
            target=target,
            on_finish=services.export_log_start(
                campaign=campaign, user=request.user, scope=ExportLog.Scope.ALL
            ),
        )
    response = StreamingHttpResponse(rows, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=export.export_filename(campaign)
    )
    return response


def _qr_svg(url):
    """The QR code as inline SVG with a viewBox and no fixed size: CSS (.segno) sizes it, and it scales
    down whole on a narrow screen or a printed slip instead of being cropped."""
    return segno.make(url, error="m").svg_inline(
        scale=5, omitsize=True, title="QR code du lien direct de la campagne"
    )


@member_required
@require_GET
def campaign_handout(request, pk):
    """A printable sheet to hand out in class: the code, the direct link and its QR code."""
    campaign = selectors.campaign_for_member(membership=request.membership, pk=pk)
    join_url = request.build_absolute_uri(campaign.get_join_url())
    return render(
        request,
        "campaigns/handout.html",
        {"campaign": campaign, "join_url": join_url, "qr_svg": _qr_svg(join_url), "copies": range(4)},
    )


@member_required
@require_GET
def participant_detail(request, pk, participation_pk):
    campaign = selectors.campaign_for_member(membership=request.membership, pk=pk)
    participation = selectors.participation_for_member(campaign=campaign, pk=participation_pk)
    snapshot = participation.snapshot
    context = _campaign_context(request, campaign, "resultats")
    if campaign.is_assessment:
        target = selectors.campaign_target_profile(campaign=campaign)
        codes = [item.competence.code for item in target]
        context.update(
            target=target,
            competence_results=competences_of(participation.assessment_result, codes),
        )
    context.update(
        participation=participation,
        snapshot=snapshot,
        areas=grouped_by_area(snapshot.competences if snapshot else {}),
        history=selectors.participation_history(participation=participation),
        back_url=_back_to_list(request, campaign),
        query=request.GET.urlencode(),
    )
    return render(request, "campaigns/participant.html", context)


def _back_to_list(request, campaign):
    """The list the teacher came from, with its filters, sort and page (they ride along in the query)."""
    origin = "campaigns:detail" if request.GET.get("depuis") == "activite" else "campaigns:results"
    query = _query_without(request, "depuis")
    return reverse(origin, args=[campaign.pk]) + (f"?{query}" if query else "")


@member_required
@require_http_methods(["GET", "POST"])
def participation_delete(request, pk, participation_pk):
    campaign = selectors.campaign_for_manager(membership=request.membership, pk=pk)
    participation = selectors.participation_for_member(campaign=campaign, pk=participation_pk)
    form = ParticipationDeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.participation_delete(participation=participation, user=request.user)
        learner = participation.learner
        messages.success(
            request, f"La participation de {learner.first_name} {learner.last_name} est supprimée."
        )
        return redirect(campaign)
    context = _campaign_context(request, campaign, "activite")
    context.update(participation=participation, form=form)
    return render(request, "campaigns/participation_delete.html", context)


RELAUNCH_ACTIONS = {
    "message": Relaunch.Channel.MESSAGE,
    "fiches": Relaunch.Channel.SLIPS,
    "email": Relaunch.Channel.EMAIL,
}
RELAUNCH_MAX_ROWS = 1000


# The pupils ticked when an assessment was created from « Relancer », offered for its relaunch next.
ASSESSMENT_RELAUNCH_SESSION_KEY = "relance-evaluation"


def _ticked(form, rows):
    """The pupils ticked in the list: as posted, or at first everyone not chased in the last 24 hours."""
    if form.is_bound:
        return {str(value) for value in form["eleve"].value() or ()}
    return {str(row.learner.pk) for row in rows if not row.recently_relaunched}


def _relaunch_deliver(request, campaign, context, form, *, target=None):
    """Record the relaunch of the ticked pupils of `campaign`, towards `target` (an assessment) or the
    campaign itself, then give the message to copy, the slips to print, or the e-mails' progress."""
    action = form.cleaned_data["action"]
    learners = form.cleaned_data["eleve"].select_related("user")
    proposed = target or campaign
    join_url = request.build_absolute_uri(proposed.get_join_url())
    record = relaunch.relaunch_record(
        campaign=campaign,
        learners=learners,
        channel=RELAUNCH_ACTIONS[action],
        message=form.cleaned_data["message"],
        user=request.user,
        join_url=join_url,
        target_campaign=target,
    )
    if action == "email":
        messages.success(request, "La relance est enregistrée\u00a0: les e-mails partent en arrière-plan.")
        return redirect("campaigns:relaunch_detail", pk=campaign.pk, relaunch_pk=record.pk)
    rows = relaunch.candidates_detail(campaign=campaign, learners=learners, with_competences=True)
    context.update(
        relaunch=record, rows=rows, proposed=proposed, proposed_url=join_url, qr_svg=_qr_svg(join_url)
    )
    template = "campaigns/relaunch_message.html" if action == "message" else "campaigns/relaunch_slips.html"
    return render(request, template, context)


@member_required
@require_http_methods(["GET", "POST"])
def campaign_relaunch(request, pk):
    """« Relancer »: choose whom (groups, classes, ticked pupils), then a message, slips or e-mails — or,
    for the non-certifiable pupils of a collection, an assessment on the competences they lack."""
    campaign = selectors.campaign_for_member(membership=request.membership, pk=pk)
    groups = relaunch.relaunch_groups(campaign)
    labels = relaunch.Group.labels(campaign)
    filters = RelaunchFilterForm(
        request.GET or None,
        initial={"groupe": groups},
        groups=[(group, labels[group]) for group in groups],
        divisions=selectors.organization_divisions(organization=campaign.organization),
    )
    chosen_groups, divisions, relaunched = filters.chosen(groups)
    candidates = relaunch.relaunch_candidates(
        campaign=campaign, groups=chosen_groups, divisions=divisions, relaunched=relaunched
    )
    context = _campaign_context(request, campaign, "activite")
    message = relaunch.default_message(
        campaign=campaign,
        join_url=context["join_url"],
        home_url=request.build_absolute_uri(reverse("pupil:home")),
        groups=chosen_groups,
        author=request.user.get_full_name() or request.user.username,
    )
    form = RelaunchForm(
        request.POST or None,
        candidates=candidates,
        initial={"message": message},
        with_assessment=campaign.is_profiles_collection,
    )
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["action"] != RelaunchForm.ASSESSMENT:
            return _relaunch_deliver(request, campaign, context, form)
        learners = form.cleaned_data["eleve"]
        try:
            assessment = relaunch.missing_competences_assessment_create(
                campaign=campaign, learners=learners, user=request.user
            )
        except relaunch.RelaunchError as error:
            form.add_error("eleve", str(error))
        else:
            request.session[ASSESSMENT_RELAUNCH_SESSION_KEY] = {
                "campagne": assessment.pk,
                "eleves": [learner.pk for learner in learners],
            }
            messages.success(
                request,
                f"La campagne d'évaluation «\u00a0{assessment.name}\u00a0» est créée.",
                extra_tags="created",
            )
            return redirect("campaigns:relaunch_assessment", pk=campaign.pk, assessment_pk=assessment.pk)
    rows = relaunch.candidates_detail(campaign=campaign, learners=candidates[:RELAUNCH_MAX_ROWS])
    context.update(
        filters=filters,
        form=form,
        rows=rows,
        ticked=_ticked(form, rows),
        truncated=len(rows) == RELAUNCH_MAX_ROWS,
        chosen_groups=chosen_groups,
        offers_assessment=campaign.is_profiles_collection
        and any(row.group == relaunch.Group.NOT_CERTIFIABLE for row in rows),
        query=request.GET.urlencode(),
    )
    return render(request, "campaigns/relaunch.html", context)


@member_required
@require_http_methods(["GET", "POST"])
def relaunch_assessment(request, pk, assessment_pk):
    """The assessment just created for the non-certifiable pupils of a collection: its code and direct
    link, then the relaunch of those pupils towards it (recorded on the collection, where they show as
    « relancé le … »)."""
    campaign = selectors.campaign_for_member(membership=request.membership, pk=pk)
    assessment = selectors.campaign_for_member(membership=request.membership, pk=assessment_pk)
    if not (campaign.is_profiles_collection and assessment.is_assessment):
        raise Http404("Cette campagne d'évaluation n'existe pas.")
    candidates = relaunch.relaunch_candidates(campaign=campaign, groups=[relaunch.Group.NOT_CERTIFIABLE])
    context = _campaign_context(request, campaign, "activite")
    assessment_url = request.build_absolute_uri(assessment.get_join_url())
    message = relaunch.default_message(
        campaign=campaign,
        target=assessment,
        join_url=assessment_url,
        home_url=request.build_absolute_uri(reverse("pupil:home")),
        groups=[relaunch.Group.NOT_CERTIFIABLE],
        author=request.user.get_full_name() or request.user.username,
    )
    form = RelaunchForm(request.POST or None, candidates=candidates, initial={"message": message})
    if request.method == "POST" and form.is_valid():
        return _relaunch_deliver(request, campaign, context, form, target=assessment)
    rows = relaunch.candidates_detail(
        campaign=campaign, learners=candidates[:RELAUNCH_MAX_ROWS], with_competences=True
    )
    ticked = _ticked(form, rows)
    saved = request.session.get(ASSESSMENT_RELAUNCH_SESSION_KEY) or {}
    if not form.is_bound and saved.get("campagne") == assessment.pk:
        ticked = {str(learner_id) for learner_id in saved.get("eleves", ())}
    context.update(
        assessment=assessment,
        assessment_url=assessment_url,
        target=selectors.campaign_target_profile(campaign=assessment),
        form=form,
        rows=rows,
        ticked=ticked,
        truncated=len(rows) == RELAUNCH_MAX_ROWS,
        qr_svg=_qr_svg(assessment_url),
    )
    return render(request, "campaigns/relaunch_assessment.html", context)


@member_required
@require_GET
def learners_relaunch(request):
    """From Élèves: the classes the teacher filtered on, relaunched in the campaign he picks."""
    campaign = selectors.campaign_for_member(
        membership=request.membership, pk=parse_id(request.GET.get("campagne"))
    )
    classes = [("classe", division) for division in request.GET.getlist("classe")]
    query = urlencode(classes)
    return redirect(reverse("campaigns:relaunch", args=[campaign.pk]) + (f"?{query}" if query else ""))


@member_required
@require_GET
def campaign_relaunches(request, pk):
    campaign = selectors.campaign_for_member(membership=request.membership, pk=pk)
    context = _campaign_context(request, campaign, "activite")
    context["page"] = paginate(request, selectors.campaign_relaunches(campaign=campaign), default_size=25)
    return render(request, "campaigns/relaunches.html", context)


@member_required
@require_http_methods(["GET", "POST"])
def relaunch_detail(request, pk, relaunch_pk):
    campaign = selectors.campaign_for_member(membership=request.membership, pk=pk)
    record = selectors.relaunch_for_member(campaign=campaign, pk=relaunch_pk)
    if request.method == "POST":
        count = relaunch.relaunch_retry_failed(relaunch=record)
        messages.success(request, f"{count} e-mail{'s' if count > 1 else ''} de nouveau en cours d'envoi.")
        return redirect("campaigns:relaunch_detail", pk=campaign.pk, relaunch_pk=record.pk)
    context = _campaign_context(request, campaign, "activite")
    context.update(relaunch=record, recipients=selectors.relaunch_recipients(relaunch=record))
    return render(request, "campaigns/relaunch_detail.html", context)


@member_required
@require_GET
def export_log(request):
    """The organization's exports, for its admins: who took which campaign's data, and when."""
    if not request.membership.is_admin:
        raise PermissionDenied(
            "Seuls les administrateurs de l'organisation consultent le journal des exports."
        )
    exports = selectors.export_logs(organization=request.membership.organization)
    return render(request, "campaigns/export_log.html", {"page": paginate(request, exports, default_size=50)})


@member_required
@require_GET
def documentation(request):
    return render(request, "campaigns/documentation.html")
