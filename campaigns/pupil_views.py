"""The pupil side: enter a code, join, reconcile with the school's roster, send the profile."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods
from django_scopes import scope

from pixorga.inputs import parse_id
from pixorga.ratelimits import code_lookup_limited
from profiles.services import profile_summary_for_user
from students.forms import ReconciliationForm
from students.services import (
    ReconciliationError,
    learner_for_participant,
    learner_of_user,
    learner_reconcile,
)

from . import selectors, services
from .codes import normalize_code
from .consent import sending_consent_text
from .models import Participation
from .pupil_forms import CodeForm, ExternalIdForm


def _home(request, form, status=200):
    context = {"form": form, "participations": selectors.pupil_participations(user=request.user)}
    return render(request, "pupil/home.html", context, status=status)


@login_required
@require_GET
def pupil_home(request):
    return _home(request, CodeForm())


@login_required
@require_GET
@code_lookup_limited
def code_lookup(request):
    form = CodeForm(request.GET)
    if form.is_valid():
        return redirect("pupil:landing", code=form.cleaned_data["code"])
    return _home(request, form, status=400)


def campaign_from_code(view):
    """Give the view the campaign of the code in its URL, or tell the pupil that no campaign has it.

    A code typed in lower case or with dashes is redirected to its canonical spelling. The view then runs
    in the scope of the campaign's organization.
    """

    @wraps(view)
    def wrapper(request, code):
        campaign = selectors.campaign_by_code(code=normalize_code(code))
        if campaign is None:
            return render(request, "pupil/not_found.html", {"code": code, "form": CodeForm()}, status=404)
        if code != campaign.code and request.method == "GET":
            return redirect(request.resolver_match.view_name, code=campaign.code)
        with scope(organization=campaign.organization_id):
            return view(request, campaign)

    return wrapper


def _closed_reason(campaign):
    try:
        services.campaign_check_open(campaign)
    except services.CampaignError as error:
        return str(error)
    return ""


@require_http_methods(["GET", "POST"])
@code_lookup_limited
@campaign_from_code
def landing(request, campaign):
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(campaign.get_join_url())
        return _next_step(request, campaign)
    participation = (
        selectors.live_participation_of(user=request.user, campaign=campaign)
        if request.user.is_authenticated
        else None
    )
    context = {
        "campaign": campaign,
        "closed_reason": str(services.ParticipationDeletedError())
        if participation and participation.is_deleted
        else _closed_reason(campaign),
        "participation": participation,
    }
    return render(request, "pupil/landing.html", context)


def _next_step(request, campaign):
    """Where the pupil goes after « C'est parti ! »: reconciliation, external id, then the sending page.

    A pupil who already joined goes straight to the sending page; with multiple sendings, one who already
    sent starts a new participation on the way.
    """
    participation = selectors.live_participation_of(user=request.user, campaign=campaign)
    if participation is not None:
        try:
            services.participation_start(campaign=campaign, user=request.user, learner=participation.learner)
        except services.CampaignError as error:
            messages.error(request, str(error))
            return redirect("pupil:landing", code=campaign.code)
        return redirect("pupil:send", code=campaign.code)
    reason = _closed_reason(campaign)
    if reason:
        messages.error(request, reason)
        return redirect("pupil:landing", code=campaign.code)
    learner = learner_for_participant(organization=campaign.organization, user=request.user)
    if learner is None:
        return redirect("pupil:reconcile", code=campaign.code)
    if campaign.external_id_label:
        return redirect("pupil:external_id", code=campaign.code)
    try:
        services.participation_start(campaign=campaign, user=request.user, learner=learner)
    except services.CampaignError as error:
        messages.error(request, str(error))
        return redirect("pupil:landing", code=campaign.code)
    return redirect("pupil:send", code=campaign.code)


def _step_not_needed(request, campaign):
    """A step page opened when its step is done or not needed: a GET writes nothing, it goes back."""
    if request.method == "POST":
        return _next_step(request, campaign)
    return redirect("pupil:landing", code=campaign.code)


@login_required
@require_http_methods(["GET", "POST"])
@code_lookup_limited
@campaign_from_code
def reconcile(request, campaign):
    organization = campaign.organization
    if not organization.is_school or learner_of_user(organization=organization, user=request.user):
        return _step_not_needed(request, campaign)
    form = ReconciliationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            learner_reconcile(organization=campaign.organization, user=request.user, **form.cleaned_data)
        except ReconciliationError as error:
            form.add_error(None, str(error))
        else:
            return _next_step(request, campaign)
    return render(request, "pupil/reconcile.html", {"campaign": campaign, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
@code_lookup_limited
@campaign_from_code
def external_id(request, campaign):
    if not campaign.external_id_label or selectors.live_participation_of(
        user=request.user, campaign=campaign
    ):
        return _step_not_needed(request, campaign)
    learner = learner_of_user(organization=campaign.organization, user=request.user)
    if learner is None:
        return redirect("pupil:landing", code=campaign.code)
    form = ExternalIdForm(
        request.POST or None, label=campaign.external_id_label, kind=campaign.external_id_type
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.participation_start(
                campaign=campaign, user=request.user, learner=learner, **form.cleaned_data
            )
        except services.CampaignError as error:
            messages.error(request, str(error))
            return redirect("pupil:landing", code=campaign.code)
        return redirect("pupil:send", code=campaign.code)
    return render(request, "pupil/external_id.html", {"campaign": campaign, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
@code_lookup_limited
@campaign_from_code
def send(request, campaign):
    if request.method == "POST":
        return _send(request, campaign)
    participation = selectors.live_participation_of(user=request.user, campaign=campaign)
    if participation is None:
        return redirect("pupil:landing", code=campaign.code)
    context = {
        "campaign": campaign,
        "participation": participation,
        "summary": profile_summary_for_user(user=request.user),
        "consent_text": sending_consent_text(campaign),
        "closed_reason": str(services.ParticipationDeletedError())
        if participation.is_deleted
        else _closed_reason(campaign),
    }
    return render(request, "pupil/send.html", context)


def _send(request, campaign):
    participation = get_object_or_404(
        Participation, pk=parse_id(request.POST.get("participation")), campaign=campaign, user=request.user
    )
    try:
        services.participation_send_profile(participation=participation)
    except services.CampaignError as error:
        messages.error(request, str(error))
        return redirect("pupil:send", code=campaign.code)
    return redirect("pupil:thanks", code=campaign.code)


@login_required
@require_GET
@code_lookup_limited
@campaign_from_code
def thanks(request, campaign):
    participation = selectors.live_participation_of(user=request.user, campaign=campaign)
    if participation is None or not participation.is_shared:
        return redirect("pupil:send", code=campaign.code)
    return render(request, "pupil/thanks.html", {"campaign": campaign, "participation": participation})
