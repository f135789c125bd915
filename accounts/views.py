from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from pixorga.inputs import parse_id

from .decorators import member_required
from .forms import LoginForm, SignupForm
from .models import Membership
from .selectors import SESSION_KEY


def _safe_next(request, fallback):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        if self.request.user.memberships.exists():
            return reverse_lazy("campaigns:list")
        return reverse_lazy("pupil:home")


def signup(request):
    if request.user.is_authenticated:
        return redirect("pupil:home")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="accounts.backends.UsernameOrEmailBackend")
        messages.success(request, "Votre compte est créé. Bienvenue sur pixorga !")
        return redirect(_safe_next(request, "pupil:home"))
    return render(request, "accounts/signup.html", {"form": form, "next": _safe_next(request, "")})


def home(request):
    if not request.user.is_authenticated:
        return redirect("login")
    if request.membership is not None:
        return redirect("campaigns:list")
    return redirect("pupil:home")


@login_required
@require_POST
def switch_organization(request):
    membership = get_object_or_404(
        Membership.objects.select_related("organization"),
        user=request.user,
        organization_id=parse_id(request.POST.get("organization")),
    )
    request.session[SESSION_KEY] = membership.organization_id
    messages.info(request, f"Vous travaillez maintenant pour {membership.organization.name}.")
    return redirect("campaigns:list")


@member_required
@require_GET
def team(request):
    memberships = (
        Membership.objects.filter(organization=request.membership.organization)
        .select_related("user")
        .order_by("user__last_name", "user__first_name")
    )
    return render(request, "accounts/team.html", {"memberships": memberships})
