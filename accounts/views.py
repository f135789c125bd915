from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.debug import sensitive_variables
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pixorga.inputs import parse_id
from pixorga.typography import french_spacing

from .decorators import member_required
from .forms import ApiTokenForm, LoginForm, SignupForm
from .models import ApiToken, Membership
from .selectors import SESSION_KEY
from .tokens import TokenLimitError, api_token_create, api_token_revoke, api_tokens_of


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


@login_required
@require_http_methods(["GET", "POST"])
@sensitive_variables("token")
def api_tokens(request):
    """« Jetons d'API »: create a token (shown on this response only, never again), see when each was
    last used, revoke one."""
    form = ApiTokenForm(request.POST or None)
    created = token = None
    if request.method == "POST" and form.is_valid():
        try:
            created, token = api_token_create(user=request.user, **form.cleaned_data)
        except TokenLimitError as error:
            form.add_error(None, str(error))
        else:
            form = ApiTokenForm()
    context = {
        "base_template": "orga/base.html" if request.membership else "pupil/base.html",
        "form": form,
        "tokens": api_tokens_of(user=request.user),
        "created": created,
        "token": token,
        "api_url": request.build_absolute_uri("/api/v1/organisations/"),
    }
    response = render(request, "accounts/api_tokens.html", context)
    if token:
        # The page holds a secret: no cache, proxy or back button keeps a copy (no-store).
        add_never_cache_headers(response)
    return response


@login_required
@require_POST
def api_token_revoke_view(request, pk):
    token = get_object_or_404(ApiToken, user=request.user, pk=pk)
    api_token_revoke(token=token)
    messages.success(
        request, french_spacing(f"Le jeton « {token.name} » est révoqué : il ne fonctionne plus.")
    )
    return redirect("api_tokens")
