from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from evaluation.models import Answer
from evaluation.selectors import competence_evaluations, days_before_retry, evaluation_of_user

from .framework import COMPETENCES, grouped_by_area
from .scoring import PIX_COUNT_BY_LEVEL
from .services import evaluation_gain, profile_summary_for_user


@login_required
@require_GET
def my_profile(request):
    summary = profile_summary_for_user(user=request.user)
    evaluations = competence_evaluations(user=request.user)
    rows = {
        code: {"result": result, "evaluation": evaluations.get(code)}
        for code, result in summary.competences.items()
    }
    return render(
        request,
        "profiles/my_profile.html",
        {
            "summary": summary,
            "areas": grouped_by_area(rows),
            "to_raise": [
                {
                    "competence": next(info for info in COMPETENCES if info.code == code),
                    "pix": summary.competences[code].pix,
                    "missing_pix": PIX_COUNT_BY_LEVEL - summary.competences[code].pix,
                }
                for code in summary.closest_to_certifiable
            ],
        },
    )


@login_required
@require_GET
def evaluation_result(request, pk):
    """What a self-evaluation brought: pix and level before → after, and certifiability when it changed."""
    evaluation = evaluation_of_user(user=request.user, pk=pk)
    if evaluation is None:
        raise Http404("Cette évaluation n'existe pas.")
    if not evaluation.is_completed:
        return redirect("evaluation:question", pk=evaluation.pk)
    before, after = evaluation_gain(evaluation=evaluation)
    code = evaluation.competence.code
    answers = list(evaluation.answers.values_list("result", flat=True))
    context = {
        "evaluation": evaluation,
        "competence_before": before.competences[code],
        "competence_after": after.competences[code],
        "gained": after.competences[code].pix - before.competences[code].pix,
        "before": before,
        "after": after,
        "answered": len(answers),
        "right": answers.count(Answer.Result.OK),
        "retry_in_days": days_before_retry(evaluation.completed_at, now=timezone.now()),
    }
    return render(request, "profiles/evaluation_result.html", context)
