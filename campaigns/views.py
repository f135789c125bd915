"""The teacher console: campaigns of the member's organization. Views stay thin: selectors read,
services write."""

import segno
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from accounts.decorators import member_required
from pixorga.pagination import paginate
from profiles.framework import grouped_by_area

from . import export, selectors, services
from .forms import CampaignForm

PAGE_SIZES = (25, 50, 100)
CAMPAIGNS_PER_PAGE = 25


def _render(request, template, context, partial):
    """The full page, or only `partial` of it when htmx asks for an update in place."""
    if request.htmx and not request.htmx.boosted:
        template = f"{template}#{partial}"
    return render(request, template, context)


def _check_can_manage(membership, campaign):
    if not (membership.is_admin or campaign.owner_id == membership.user_id):
        raise PermissionDenied(
            "Seuls le propriétaire de la campagne et les administrateurs peuvent la modifier."
        )


@member_required
@require_GET
@vary_on_headers("HX-Request")
def campaign_list(request):
    organization = request.membership.organization
    archived = request.GET.get("onglet") == "archivees"
    name = request.GET.get("nom", "").strip()
    creator = request.GET.get("createur", "").strip()
    campaigns = selectors.campaign_list(
        organization=organization, archived=archived, name=name, creator=creator
    )
    context = {
        "page": paginate(request, campaigns, default_size=CAMPAIGNS_PER_PAGE),
        "archived": archived,
        "name": name,
        "creator": creator,
        "counts": selectors.campaign_tab_counts(organization=organization),
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
            organization=membership.organization, creator=request.user, **form.cleaned_data
        )
        messages.success(request, f"La campagne « {campaign.name} » est créée. Son code : {campaign.code}.")
        return redirect(campaign)
    return render(request, "campaigns/form.html", {"form": form})


@member_required
@require_http_methods(["GET", "POST"])
def campaign_update(request, pk):
    campaign = selectors.campaign_for_member(membership=request.membership, pk=pk)
    _check_can_manage(request.membership, campaign)
    form = CampaignForm(request.POST or None, instance=campaign, organization=campaign.organization)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Les modifications de la campagne sont enregistrées.")
        return redirect("campaigns:settings", pk=campaign.pk)
    return render(request, "campaigns/form.html", {"form": form, "campaign": campaign})


@member_required
@require_POST
def campaign_archive(request, pk):
    campaign = selectors.campaign_for_member(membership=request.membership, pk=pk)
    _check_can_manage(request.membership, campaign)
    services.campaign_archive(campaign=campaign, user=request.user)
    messages.success(request, "La campagne est archivée : elle n'accepte plus de participants.")
    return redirect(campaign)


@member_required
@require_POST
def campaign_unarchive(request, pk):
    campaign = selectors.campaign_for_member(membership=request.membership, pk=pk)
    _check_can_manage(request.membership, campaign)
    services.campaign_unarchive(campaign=campaign)
    messages.success(request, "La campagne est désarchivée : elle accepte à nouveau des participants.")
    return redirect(campaign)


def _campaign_context(request, campaign, tab):
    return {
        "campaign": campaign,
        "tab": tab,
        "join_url": request.build_absolute_uri(campaign.get_join_url()),
        "results_count": selectors.live_participations(campaign=campaign).count(),
        "can_manage": request.membership.is_admin or campaign.owner_id == request.user.pk,
    }


@member_required
@require_GET
def campaign_activity(request, pk):
    campaign = selectors.campaign_for_member(membership=request.membership, pk=pk)
    context = _campaign_context(request, campaign, "activite")
    activity = selectors.campaign_activity(campaign=campaign)
    most = max((day["sendings"] for day in activity["per_day"]), default=0)
    context.update(activity=activity, max_per_day=most, qr_svg=_qr_svg(context["join_url"]))
    return render(request, "campaigns/activity.html", context)


@member_required
@require_GET
@vary_on_headers("HX-Request")
def campaign_results(request, pk):
    campaign = selectors.campaign_for_member(membership=request.membership, pk=pk)
    filters = selectors.ResultFilters.from_query(request.GET)
    page = paginate(
        request,
        selectors.campaign_results(campaign=campaign, filters=filters),
        default_size=PAGE_SIZES[0],
        sizes=PAGE_SIZES,
    )
    context = _campaign_context(request, campaign, "resultats")
    context.update(
        page=page,
        page_sizes=PAGE_SIZES,
        results_url=reverse("campaigns:results", args=[campaign.pk]),
        filters=filters,
        divisions=selectors.campaign_divisions(campaign=campaign),
        query_without_page=_query_without(request, "page"),
        query_without_sort=_query_without(request, "page", "tri"),
    )
    return _render(request, "campaigns/results.html", context, "results-table")


def _query_without(request, *names):
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


@member_required
@require_GET
def campaign_settings(request, pk):
    campaign = selectors.campaign_for_member(membership=request.membership, pk=pk)
    return render(request, "campaigns/settings.html", _campaign_context(request, campaign, "parametres"))


@member_required
@require_GET
def campaign_export(request, pk):
    campaign = selectors.campaign_for_member(membership=request.membership, pk=pk)
    participations = selectors.live_participations(campaign=campaign)
    if request.GET.get("perimetre") == "filtres":
        filters = selectors.ResultFilters.from_query(request.GET)
        participations = selectors.campaign_results(campaign=campaign, filters=filters)
    response = StreamingHttpResponse(
        export.export_rows(campaign=campaign, participations=participations),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{export.export_filename(campaign)}"'
    return response


def _qr_svg(url):
    return segno.make(url, error="m").svg_inline(scale=5, title="QR code du lien direct de la campagne")


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
    context = {
        "campaign": campaign,
        "participation": participation,
        "snapshot": snapshot,
        "areas": grouped_by_area(snapshot.competences if snapshot else {}),
        "history": selectors.participation_history(participation=participation),
    }
    return render(request, "campaigns/participant.html", context)


@member_required
@require_GET
def documentation(request):
    return render(request, "campaigns/documentation.html")
