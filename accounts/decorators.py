from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django_scopes import scope


def member_required(view):
    """The teacher console is for members of an organization; request.membership is then set, and every
    scoped query of the view is limited to that organization (django-scopes)."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.membership is None:
            raise PermissionDenied("Vous n'êtes membre d'aucune organisation.")
        with scope(organization=request.membership.organization_id):
            return view(request, *args, **kwargs)

    return wrapper
