"""The pupil side: enter a code, join, reconcile with the school's roster, send the profile — or, in an
assessment, answer its questions competence by competence, then send the results."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_scopes import scope

from evaluation.views import Pages, correction_page, current_question, submit_answer
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
from .assessment import competences_of
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
    def wrapper(request, code, **kwargs):
        campaign = selectors.campaign_by_code(code=normalize_code(code))
        if campaign is None:
            return render(request, "pupil/not_found.html", {"code": code, "form": CodeForm()}, status=404)
        if code != campaign.code and request.method == "GET":
            return redirect(request.resolver_match.view_name, code=campaign.code, **kwargs)
        with scope(organization=campaign.organization_id):
            return view(request, campaign, **kwargs)

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
    if campaign.is_assessment:
        context["target"] = selectors.campaign_target_profile(campaign=campaign)
    return render(request, "pupil/landing.html", context)


def _go_on(campaign, participation):
    """After joining: the questions of an assessment not finished, else the sending page."""
    if participation.is_started:
        return redirect("pupil:assessment", code=campaign.code)
    return redirect("pupil:send", code=campaign.code)


def _next_step(request, campaign):
    """Where the pupil goes after « C'est parti ! »: reconciliation, external id, then the sending page.

    A pupil who already joined goes straight to the sending page; with multiple sendings, one who already
    sent starts a new participation on the way.
    """
    participation = selectors.live_participation_of(user=request.user, campaign=campaign)
    if participation is not None:
        try:
            live = services.participation_start(
                campaign=campaign, user=request.user, learner=participation.learner
            )
        except services.CampaignError as error:
            messages.error(request, str(error))
            return redirect("pupil:landing", code=campaign.code)
        return _go_on(campaign, live)
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
        participation = services.participation_start(campaign=campaign, user=request.user, learner=learner)
    except services.CampaignError as error:
        messages.error(request, str(error))
        return redirect("pupil:landing", code=campaign.code)
    return _go_on(campaign, participation)


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
            participation = services.participation_start(
                campaign=campaign, user=request.user, learner=learner, **form.cleaned_data
            )
        except services.CampaignError as error:
            messages.error(request, str(error))
            return redirect("pupil:landing", code=campaign.code)
        return _go_on(campaign, participation)
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
    closed_reason = (
        str(services.ParticipationDeletedError()) if participation.is_deleted else _closed_reason(campaign)
    )
    context = {
        "campaign": campaign,
        "participation": participation,
        "consent_text": sending_consent_text(campaign),
        "closed_reason": closed_reason,
    }
    if not campaign.is_assessment:
        context["summary"] = profile_summary_for_user(user=request.user)
        return render(request, "pupil/send.html", context)
    if participation.is_started and not closed_reason:
        return redirect("pupil:assessment", code=campaign.code)
    result = participation.assessment_result or selectors.participation_assessment_result(
        participation=participation
    )
    context.update(result=result, competences=_competences(campaign, result))
    return render(request, "pupil/send_results.html", context)


def _competences(campaign, result):
    codes = [item.competence.code for item in selectors.campaign_target_profile(campaign=campaign)]
    return [competence for competence in competences_of(result, codes) if competence]


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
    context = {"campaign": campaign, "participation": participation}
    if not campaign.is_assessment:
        return render(request, "pupil/thanks.html", context)
    context["competences"] = _competences(campaign, participation.assessment_result)
    return render(request, "pupil/thanks_results.html", context)


# The assessment: one challenge a page, chosen by the engine among the target topics, competence by
# competence. The question, answer and correction steps are the self-evaluation's (evaluation.views),
# with this campaign's addresses.


def _assessment_participation(request, campaign):
    """The pupil's participation in this assessment while he may answer it, else None."""
    if not campaign.is_assessment:
        raise Http404("Cette campagne n'a pas de questions.")
    participation = selectors.live_participation_of(user=request.user, campaign=campaign)
    if participation is None or participation.is_deleted or campaign.is_archived:
        return None
    return participation


def _assessment_pages(campaign, evaluation):
    codes = [item.competence.code for item in selectors.campaign_target_profile(campaign=campaign)]
    step = codes.index(evaluation.competence.code) + 1 if evaluation.competence.code in codes else len(codes)
    question = reverse("pupil:assessment", args=[campaign.code])
    last = step == len(codes)
    return Pages(
        question=question,
        answer=reverse("pupil:assessment_answer", args=[campaign.code]),
        correction=lambda answer: reverse("pupil:assessment_correction", args=[campaign.code, answer.pk]),
        finished=reverse("pupil:send", args=[campaign.code]) if last else question,
        finished_label="Voir mes résultats" if last else "Compétence suivante",
        leave=reverse("pupil:home"),
        extra={"campaign": campaign, "step": step, "steps": len(codes)},
    )


# never_cache: the back button asks the server again, which shows where the assessment stands now.
@never_cache
@login_required
@require_GET
@campaign_from_code
def assessment_question(request, campaign):
    participation = _assessment_participation(request, campaign)
    if participation is None:
        return redirect("pupil:landing", code=campaign.code)
    evaluation = services.participation_assessment_current(participation=participation)
    if evaluation is None:
        return redirect("pupil:send", code=campaign.code)
    return current_question(request, evaluation=evaluation, pages=_assessment_pages(campaign, evaluation))


@login_required
@require_POST
@campaign_from_code
def assessment_answer(request, campaign):
    participation = _assessment_participation(request, campaign)
    if participation is None:
        return redirect("pupil:landing", code=campaign.code)
    evaluation = selectors.participation_evaluation(
        participation=participation, challenge_id=parse_id(request.POST.get("epreuve"))
    ) or services.participation_assessment_current(participation=participation)
    if evaluation is None:
        return redirect("pupil:send", code=campaign.code)
    response = submit_answer(request, evaluation=evaluation, pages=_assessment_pages(campaign, evaluation))
    # The last answer of the last competence makes the results ready to send.
    services.participation_assessment_current(participation=participation)
    return response


@login_required
@require_GET
@campaign_from_code
def assessment_correction(request, campaign, answer_pk):
    participation = selectors.live_participation_of(user=request.user, campaign=campaign)
    evaluation = participation and selectors.participation_evaluation(
        participation=participation, answer_id=answer_pk
    )
    if evaluation is None:
        raise Http404("Cette réponse n'existe pas.")
    return correction_page(
        request, evaluation=evaluation, answer_pk=answer_pk, pages=_assessment_pages(campaign, evaluation)
    )
