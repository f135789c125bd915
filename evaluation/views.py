"""A pupil's self-evaluation: one challenge a page, its correction, then the next.

Only the pupil's own evaluations exist for him (another's is a 404). The question page carries the
statement and the proposals, never the solution; the answer is checked on the server.

A campaign's evaluation goes through the same question, answer and correction steps (`question_page`,
`submit_answer`, `correction_page`), with the campaign's addresses given as `Pages`.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from pixorga.inputs import parse_id

from . import selectors, services
from .forms import AnswerForm
from .models import Answer, Challenge

SKIP = "passer"
ALREADY_ANSWERED = "Vous avez déjà répondu à cette question\u00a0: voici sa correction."


@dataclass(frozen=True)
class Pages:
    """Where the steps of an evaluation lead: Mon profil's pages, or a campaign's."""

    question: str  # the question page, which shows the current challenge
    answer: str  # where the answer is posted
    correction: Callable  # answer -> its correction page
    finished: str  # where the pupil goes once the evaluation is over
    finished_label: str  # the link to it on the last correction page
    leave: str  # « Quitter l'évaluation »
    extra: dict = field(default_factory=dict)  # what the templates show besides (a campaign's progress)


def _self_evaluation_pages(evaluation):
    return Pages(
        question=reverse("evaluation:question", args=[evaluation.pk]),
        answer=reverse("evaluation:answer", args=[evaluation.pk]),
        correction=lambda answer: reverse("evaluation:correction", args=[evaluation.pk, answer.pk]),
        finished=reverse("profiles:evaluation_result", args=[evaluation.pk]),
        finished_label="Voir mon résultat",
        leave=reverse("pupil:profile"),
    )


def _evaluation_or_404(request, pk):
    evaluation = selectors.evaluation_of_user(user=request.user, pk=pk)
    if evaluation is None:
        raise Http404("Cette évaluation n'existe pas.")
    return evaluation


@login_required
@require_POST
def start(request, code):
    competence = selectors.competence_by_code(code)
    if competence is None:
        raise Http404("Cette compétence n'existe pas.")
    try:
        evaluation = services.evaluation_start(user=request.user, competence=competence)
    except services.EvaluationError as error:
        messages.error(request, str(error))
        return redirect("pupil:profile")
    if evaluation.is_completed:
        return redirect("profiles:evaluation_result", pk=evaluation.pk)
    return redirect("evaluation:question", pk=evaluation.pk)


def question_page(request, *, state, challenge, form, pages, status=200):
    context = {
        "evaluation": state.evaluation,
        "challenge": challenge,
        "form": form,
        "number": state.answered_count + 1,
        "expected_total": state.assessment.expected_total,
        "pages": pages,
        **pages.extra,
    }
    return render(request, "evaluation/question.html", context, status=status)


def current_question(request, *, evaluation, pages):
    """The evaluation's current challenge, or the way out when it is over (the bank changed under it)."""
    if evaluation.is_completed:
        return redirect(pages.finished)
    state = selectors.evaluation_state(evaluation=evaluation)
    if state.assessment.is_over:
        services.evaluation_complete_if_over(evaluation=evaluation, state=state)
        return redirect(pages.finished)
    challenge = Challenge.objects.get(pk=state.assessment.next_challenge)
    return question_page(
        request, state=state, challenge=challenge, form=AnswerForm(challenge=challenge), pages=pages
    )


def submit_answer(request, *, evaluation, pages):
    """Check and record the posted answer to the evaluation's current challenge, then show its correction.

    A double submit, a replayed POST or the back button find the answer already recorded and show its
    correction; a challenge that is no longer the current one leads back to the current one."""
    challenge = Challenge.objects.filter(pk=parse_id(request.POST.get("epreuve"))).first()
    if challenge is None:
        return redirect(pages.question)
    recorded = Answer.objects.filter(evaluation=evaluation, challenge=challenge).first()
    if recorded is not None:
        messages.info(request, ALREADY_ANSWERED)
        return redirect(pages.correction(recorded))
    skipped = request.POST.get("action") == SKIP
    form = AnswerForm(request.POST, challenge=challenge)
    if not skipped and not form.is_valid():
        state = selectors.evaluation_state(evaluation=evaluation)
        if evaluation.is_completed or state.assessment.next_challenge != challenge.pk:
            return redirect(pages.question)
        return question_page(request, state=state, challenge=challenge, form=form, pages=pages, status=400)
    try:
        recorded, created = services.evaluation_answer(
            evaluation=evaluation,
            challenge=challenge,
            value=None if skipped else form.cleaned_data["reponse"],
            skipped=skipped,
        )
    except services.EvaluationCompletedError:
        return redirect(pages.finished)
    except services.EvaluationError as error:
        messages.info(request, str(error))
        return redirect(pages.question)
    if not created:
        messages.info(request, ALREADY_ANSWERED)
    return redirect(pages.correction(recorded))


def correction_page(request, *, evaluation, answer_pk, pages):
    answer = get_object_or_404(
        Answer.objects.select_related("challenge__skill__topic"), pk=answer_pk, evaluation=evaluation
    )
    challenge = answer.challenge
    chosen = set(answer.chosen)
    proposals = [
        {"number": number, "text": text, "chosen": number in chosen, "right": number in challenge.solution}
        for number, text in enumerate(challenge.proposals, start=1)
    ]
    context = {
        "evaluation": evaluation,
        "answer": answer,
        "challenge": challenge,
        "proposals": proposals,
        "number": evaluation.answers.filter(id__lte=answer.pk).count(),
        "pages": pages,
        **pages.extra,
    }
    return render(request, "evaluation/correction.html", context)


# never_cache: the back button asks the server again, which shows where the evaluation stands now.
@never_cache
@login_required
@require_GET
def question(request, pk):
    evaluation = _evaluation_or_404(request, pk)
    return current_question(request, evaluation=evaluation, pages=_self_evaluation_pages(evaluation))


@login_required
@require_POST
def answer(request, pk):
    evaluation = _evaluation_or_404(request, pk)
    return submit_answer(request, evaluation=evaluation, pages=_self_evaluation_pages(evaluation))


@login_required
@require_GET
def correction(request, pk, answer_pk):
    evaluation = _evaluation_or_404(request, pk)
    return correction_page(
        request, evaluation=evaluation, answer_pk=answer_pk, pages=_self_evaluation_pages(evaluation)
    )
