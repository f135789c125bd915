"""A pupil's self-evaluation: one challenge a page, its correction, then the next.

Only the pupil's own evaluations exist for him (another's is a 404). The question page carries the
statement and the proposals, never the solution; the answer is checked on the server.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from pixorga.inputs import parse_id

from . import selectors, services
from .forms import AnswerForm
from .models import Answer, Challenge

SKIP = "passer"


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


def _question_page(request, state, challenge, form, status=200):
    context = {
        "evaluation": state.evaluation,
        "challenge": challenge,
        "form": form,
        "number": state.answered_count + 1,
        "expected_total": state.assessment.expected_total,
    }
    return render(request, "evaluation/question.html", context, status=status)


# never_cache: the back button asks the server again, which shows where the evaluation stands now.
@never_cache
@login_required
@require_GET
def question(request, pk):
    evaluation = _evaluation_or_404(request, pk)
    if evaluation.is_completed:
        return redirect("profiles:evaluation_result", pk=evaluation.pk)
    state = selectors.evaluation_state(evaluation=evaluation)
    if state.assessment.is_over:
        services.evaluation_complete_if_over(evaluation=evaluation, state=state)
        return redirect("profiles:evaluation_result", pk=evaluation.pk)
    challenge = Challenge.objects.get(pk=state.assessment.next_challenge)
    return _question_page(request, state, challenge, AnswerForm(challenge=challenge))


@login_required
@require_POST
def answer(request, pk):
    evaluation = _evaluation_or_404(request, pk)
    challenge = Challenge.objects.filter(pk=parse_id(request.POST.get("epreuve"))).first()
    if challenge is None:
        return redirect("evaluation:question", pk=evaluation.pk)
    recorded = Answer.objects.filter(evaluation=evaluation, challenge=challenge).first()
    if recorded is not None:
        messages.info(request, "Vous avez déjà répondu à cette question : voici sa correction.")
        return redirect("evaluation:correction", pk=evaluation.pk, answer_pk=recorded.pk)
    skipped = request.POST.get("action") == SKIP
    form = AnswerForm(request.POST, challenge=challenge)
    if not skipped and not form.is_valid():
        state = selectors.evaluation_state(evaluation=evaluation)
        if evaluation.is_completed or state.assessment.next_challenge != challenge.pk:
            return redirect("evaluation:question", pk=evaluation.pk)
        return _question_page(request, state, challenge, form, status=400)
    try:
        recorded, created = services.evaluation_answer(
            evaluation=evaluation,
            challenge=challenge,
            value=None if skipped else form.cleaned_data["reponse"],
            skipped=skipped,
        )
    except services.EvaluationCompletedError:
        return redirect("profiles:evaluation_result", pk=evaluation.pk)
    except services.EvaluationError as error:
        messages.info(request, str(error))
        return redirect("evaluation:question", pk=evaluation.pk)
    if not created:
        messages.info(request, "Vous avez déjà répondu à cette question : voici sa correction.")
    return redirect("evaluation:correction", pk=evaluation.pk, answer_pk=recorded.pk)


@login_required
@require_GET
def correction(request, pk, answer_pk):
    evaluation = _evaluation_or_404(request, pk)
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
    }
    return render(request, "evaluation/correction.html", context)
