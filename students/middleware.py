from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django_htmx.http import HttpResponseClientRedirect

MUST_CHOOSE_PASSWORD = "students_must_choose_password"


@receiver(user_logged_in, dispatch_uid="students_must_choose_password")
def remember_password_to_choose(sender, request, user, **kwargs):
    """Read the flag once, at login, so that the middleware costs no query on every page."""
    from .models import GeneratedAccount

    if request is not None and GeneratedAccount.objects.filter(user=user, must_change_password=True).exists():
        request.session[MUST_CHOOSE_PASSWORD] = True


class PasswordChoiceMiddleware:
    """A pupil logged in with the temporary password his school gave him chooses his own before anything
    else: every page but that one (and logging out) sends him there."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and session.get(MUST_CHOOSE_PASSWORD):
            target = reverse("students:choose_password")
            if request.path not in {target, reverse("logout")}:
                if getattr(request, "htmx", False):
                    return HttpResponseClientRedirect(target)
                if request.method == "GET":
                    return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
                return redirect(target)
        return self.get_response(request)
