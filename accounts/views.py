from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.cache import add_never_cache_headers
from django.utils.decorators import method_decorator
from django.views.decorators.debug import sensitive_variables
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pixorga.inputs import parse_choice, parse_id, safe_next
from pixorga.pagination import paginate
from pixorga.ratelimits import Limit, by_ip, by_posted_email, invitation_limited, rate_limited
from pixorga.typography import french_spacing

from . import invitations, selectors, services
from .decorators import member_required
from .forms import ApiTokenForm, InvitationForm, InvitationSignupForm, LoginForm, RoleForm, SignupForm
from .models import ApiToken, Invitation, Membership
from .selectors import SESSION_KEY
from .signup import signup_activate, signup_request, user_to_activate
from .tokens import TokenLimitError, api_token_create, api_token_revoke, api_tokens_of

TEAM_PAGE_SIZE = 50


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
        signup_request(form=form, request=request, next_url=safe_next(request))
        return redirect("signup_sent")
    return render(request, "accounts/signup.html", {"form": form, "next": safe_next(request)})


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
        # A URL, never a view name: redirect() would try to reverse « ² » and fail.
        target = safe_next(request)
        return HttpResponseRedirect(target) if target else redirect("pupil:home")
    context = {"account": account, "next": safe_next(request)}
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


# Équipe: members read, admins manage.


def _check_team_admin(membership):
    if not membership.is_admin:
        raise PermissionDenied("Seuls les administrateurs de l'organisation peuvent gérer son équipe.")


def _team_url(tab=None):
    url = reverse("campaigns:team")
    return f"{url}?onglet=invitations" if tab == "invitations" else url


def _site_url(request):
    return request.build_absolute_uri("/")


@member_required
@require_GET
def team(request):
    membership = request.membership
    organization = membership.organization
    tab = parse_choice(request.GET.get("onglet"), ["membres", "invitations"], default="membres")
    if tab == "invitations":
        rows = selectors.team_invitations(organization=organization)
    else:
        rows = selectors.team_members(organization=organization)
    context = {
        "tab": tab,
        "counts": selectors.team_counts(organization=organization),
        "page": paginate(request, rows, default_size=TEAM_PAGE_SIZE),
        "query_without_page": "onglet=invitations" if tab == "invitations" else "",
        "is_admin": membership.is_admin,
        "is_last_admin": membership.is_admin and selectors.team_admin_count(organization=organization) == 1,
        "roles": Membership.Role.choices,
    }
    return render(request, "accounts/team.html", context)


@member_required
@require_http_methods(["GET", "POST"])
def team_invite(request):
    _check_team_admin(request.membership)
    organization = request.membership.organization
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            sent = invitations.invitations_create(
                organization=organization,
                emails=form.cleaned_data["emails"],
                role=form.cleaned_data["role"],
                invited_by=request.user,
                site_url=_site_url(request),
            )
        except services.TeamError as error:
            form.add_error("emails", str(error))
        else:
            _report_sendings(request, sent)
            return redirect(_team_url("invitations"))
    return render(request, "accounts/team_invite.html", {"form": form, "max_age": invitations.max_age_text()})


def _report_sendings(request, sent):
    """Without a broker the e-mails have already left (or failed) when this runs; with one, they are on
    their way and the Invitations tab shows the outcome."""
    failed = set(
        Invitation.objects.filter(pk__in=[i.pk for i in sent], status=Invitation.Status.FAILED).values_list(
            "email", flat=True
        )
    )
    done = [invitation.email for invitation in sent if invitation.email not in failed]
    if done:
        if len(done) == 1:
            messages.success(request, f"Une invitation a été envoyée à {done[0]}.")
        else:
            messages.success(request, f"{len(done)} invitations ont été envoyées\u00a0: {', '.join(done)}.")
    if failed:
        messages.error(
            request,
            f"L'e-mail n'a pas pu être envoyé à {', '.join(sorted(failed))}. Vérifiez l'adresse, puis "
            "cliquez sur «\u00a0Renvoyer\u00a0».",
        )


@member_required
@require_POST
def invitation_resend(request, pk):
    _check_team_admin(request.membership)
    invitation = selectors.invitation_in_team(organization=request.membership.organization, pk=pk)
    try:
        invitation = invitations.invitation_resend(invitation=invitation, site_url=_site_url(request))
    except services.TeamError as error:
        messages.error(request, str(error))
    else:
        _report_sendings(request, [invitation])
    return redirect(_team_url("invitations"))


@member_required
@require_http_methods(["GET", "POST"])
def invitation_cancel(request, pk):
    _check_team_admin(request.membership)
    invitation = selectors.invitation_in_team(organization=request.membership.organization, pk=pk)
    if request.method == "POST":
        try:
            invitations.invitation_cancel(invitation=invitation)
        except services.TeamError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, f"L'invitation de {invitation.email} est annulée\u00a0: son lien ne fonctionne plus."
            )
        return redirect(_team_url("invitations"))
    return render(
        request,
        "accounts/team_confirm.html",
        {
            "title": "Annuler une invitation",
            "question": f"Annuler l'invitation envoyée à {invitation.email}\u00a0?",
            "consequence": (
                "Le lien de l'e-mail ne fonctionnera plus. Vous pourrez inviter cette adresse à nouveau."
            ),
            "confirm_label": "Annuler l'invitation",
            "back_url": _team_url("invitations"),
        },
    )


@member_required
@require_POST
def membership_role(request, pk):
    _check_team_admin(request.membership)
    membership = selectors.membership_in_team(organization=request.membership.organization, pk=pk)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choisissez le rôle Administrateur ou Membre.")
        return redirect(_team_url())
    try:
        membership = services.membership_change_role(
            membership=membership, role=form.cleaned_data["role"], by=request.user
        )
    except services.TeamError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{membership.user} a maintenant le rôle {membership.get_role_display()}.")
    return redirect(_team_url())


@member_required
@require_http_methods(["GET", "POST"])
def membership_remove(request, pk):
    _check_team_admin(request.membership)
    membership = selectors.membership_in_team(organization=request.membership.organization, pk=pk)
    if membership.user_id == request.user.pk:
        return redirect("team_leave")
    if request.method == "POST":
        try:
            services.membership_remove(membership=membership, by=request.user)
        except services.TeamError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"{membership.user} ne fait plus partie de l'équipe.")
        return redirect(_team_url())
    return render(
        request,
        "accounts/team_confirm.html",
        {
            "title": "Retirer un membre",
            "question": f"Retirer {membership.user} ({membership.user.email}) de l'équipe\u00a0?",
            "consequence": (
                "Cette personne n'aura plus accès aux campagnes ni aux élèves de "
                f"{membership.organization.name}. Son compte et les campagnes qu'elle a créées sont "
                "conservés."
            ),
            "confirm_label": "Retirer de l'équipe",
            "back_url": _team_url(),
        },
    )


@member_required
@require_http_methods(["GET", "POST"])
def team_leave(request):
    membership = request.membership
    organization = membership.organization
    if request.method == "POST":
        try:
            services.membership_leave(membership=membership)
        except services.TeamError as error:
            messages.error(request, str(error))
            return redirect(_team_url())
        request.session.pop(SESSION_KEY, None)
        messages.success(request, f"Vous avez quitté l'équipe de {organization.name}.")
        return redirect("home")
    context = {
        "title": "Quitter l'organisation",
        "question": f"Quitter l'équipe de {organization.name}\u00a0?",
        "consequence": (
            f"Vous n'aurez plus accès aux campagnes ni aux élèves de {organization.name}. Pour revenir, il "
            "vous faudra une nouvelle invitation d'un administrateur."
        ),
        "confirm_label": "Quitter l'organisation",
        "back_url": _team_url(),
    }
    if membership.is_admin and selectors.team_admin_count(organization=organization) == 1:
        context["refusal"] = (
            f"Vous êtes le seul administrateur de {organization.name}\u00a0: nommez d'abord un autre "
            "administrateur, vous pourrez ensuite quitter l'organisation."
        )
    return render(request, "accounts/team_confirm.html", context)


# Accepting an invitation: the link of the e-mail, for a visitor or a logged-in person.


def _invitation_error(request, error):
    return render(request, "accounts/invitation_error.html", {"error": error}, status=error.status)


def _joined(request, membership, text):
    request.session[SESSION_KEY] = membership.organization_id
    messages.success(request, text)
    return redirect("campaigns:list")


@require_http_methods(["GET", "POST"])
@invitation_limited
def invitation_accept(request, token):
    try:
        invitation = invitations.invitation_from_token(token)
        if request.user.is_authenticated:
            invitations.invitation_check_recipient(invitation=invitation, user=request.user)
    except invitations.InvitationLinkError as error:
        return _invitation_error(request, error)
    organization = invitation.organization
    context = {"invitation": invitation, "organization": organization}

    if request.user.is_authenticated:
        if request.method == "POST":
            try:
                membership, created = invitations.invitation_accept(invitation=invitation, user=request.user)
            except invitations.InvitationLinkError as error:
                return _invitation_error(request, error)
            if created:
                text = f"Bienvenue dans l'équipe de {organization.name}\u00a0!"
            else:
                text = f"Vous faites déjà partie de l'équipe de {organization.name}."
            return _joined(request, membership, text)
        return render(request, "accounts/invitation.html", {**context, "step": "join"})

    if invitations.invitation_has_account(invitation=invitation):
        context["login_url"] = f"{reverse('login')}?{urlencode({'next': request.path})}"
        return render(request, "accounts/invitation.html", {**context, "step": "login"})

    form = InvitationSignupForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        try:
            user, membership = invitations.invitation_accept_new_account(
                invitation=invitation,
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                password=form.cleaned_data["password"],
            )
        except invitations.InvitationLinkError as error:
            return _invitation_error(request, error)
        except services.TeamError as error:
            messages.error(request, str(error))
            return redirect(request.path)
        login(request, user, backend="accounts.backends.UsernameOrEmailBackend")
        return _joined(
            request,
            membership,
            f"Votre compte est créé et vous faites partie de l'équipe de {organization.name}. "
            "Bienvenue\u00a0!",
        )
    return render(request, "accounts/invitation.html", {**context, "step": "signup", "form": form})


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
