from urllib.parse import urlencode

from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.decorators import member_required
from pixorga.pagination import paginate

from .models import OrganizationLearner

LEARNERS_PER_PAGE = 50


@member_required
@require_GET
def learner_list(request):
    """The organization's pupils, by class. The roster import will come with its own issue."""
    organization = request.membership.organization
    learners = OrganizationLearner.objects.filter(organization=organization, is_disabled=False)
    divisions = list(
        learners.exclude(division="").order_by("division").values_list("division", flat=True).distinct()
    )
    division = request.GET.get("classe", "")
    if division:
        learners = learners.filter(division=division)
    page = paginate(
        request,
        learners.order_by("division", "last_name", "first_name", "pk"),
        default_size=LEARNERS_PER_PAGE,
    )
    context = {
        "page": page,
        "divisions": divisions,
        "division": division,
        "query_without_page": urlencode({"classe": division}) if division else "",
    }
    return render(request, "students/list.html", context)
