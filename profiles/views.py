from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .framework import grouped_by_area
from .services import profile_summary_for_user


@login_required
@require_GET
def my_profile(request):
    summary = profile_summary_for_user(user=request.user)
    return render(
        request,
        "profiles/my_profile.html",
        {"summary": summary, "areas": grouped_by_area(summary.competences)},
    )
