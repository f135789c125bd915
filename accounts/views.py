from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pixorga.inputs import parse_id
from pixorga.ratelimits import Limit, by_ip, by_posted_email, rate_limited

from .decorators import member_required
from .forms import LoginForm, SignupForm
from .models import Membership
from .selectors import SESSION_KEY
from .signup import signup_activate, signup_request, user_to_activate


def _safe_next(request, fallback):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def _login_failed(response):
    return response.status_code != 302


# Failed logins per address, whatever the account (django-axes locks each account on its own). A login
# that succeeds is not counted: a class logging in together is not slowed down.
@method_decorator(
    rate_limited(Limit("login-ip", by_ip), methods=("POST",), counts=_login_failed), name="dispatch"
)
class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        if self.request.user.memberships.exists():
            return reverse_lazy("campaigns:list")
        return reverse_lazy("pupil:home")


@require_http_methods(["GET", "POST"])
@rate_limited(Limit("signup-ip", by_ip), Limit("signup-email", by_posted_email), methods=("POST",))
def signup(request):
    if request.user.is_authenticated:
        return redirect("pupil:home")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        signup_request(form=form, request=request, next_url=_safe_next(request, ""))
        return redirect("signup_sent")
    return render(request, "accounts/signup.html", {"form": form, "next": _safe_next(request, "")})


@require_GET
def signup_sent(request):
    return render(request, "accounts/signup_sent.html")


@require_http_methods(["GET", "POST"])
def signup_activation(request, uidb64, token):
    """The link of the activation e-mail. A GET only shows a button: mail scanners open links."""
    account = user_to_activate(uidb64, token)
    if request.method == "POST" and account is not None:
        signup_activate(user=account)
        login(request, account, backend="accounts.backends.UsernameOrEmailBackend")
        messages.success(request, "Votre compte est activé. Bienvenue sur pixorga !")
        return redirect(_safe_next(request, "pupil:home"))
    context = {"account": account, "next": _safe_next(request, "")}
    return render(request, "accounts/signup_activate.html", context, status=200 if account else 404)


@method_decorator(
    rate_limited(
        Limit("password-reset-ip", by_ip), Limit("password-reset-email", by_posted_email), methods=("POST",)
    ),
    name="dispatch",
)
class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"


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
