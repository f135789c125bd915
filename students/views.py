"""The Élèves pages of the teacher console: the roster, its import, each pupil's activity and the pupil
accounts; and the page where a pupil chooses his password. Views stay thin: selectors read, the domain
modules write."""

import base64

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from accounts.decorators import member_required
from campaigns import selectors as campaign_selectors
from campaigns import services as campaign_services
from campaigns.export import BOM
from pixorga.inputs import parse_choice, parse_id, safe_next
from pixorga.pagination import paginate
from pixorga.typography import plural
from profiles.framework import COMPETENCES, grouped_by_area
from profiles.scoring import PIX_COUNT_BY_LEVEL, competences_closest_to_level_one
from profiles.services import profile_summary_for_user

from . import accounts, export, roster, selectors, tasks
from .forms import ChoosePasswordForm, RosterImportForm
from .middleware import MUST_CHOOSE_PASSWORD
from .models import GeneratedAccount, OrganizationLearner
from .roster_csv import SIMPLE_COLUMNS

PAGE_SIZES = (25, 50, 100)
LEARNERS_PER_PAGE = 50
IMPORT_HISTORY_SIZE = 20


def _render(request, template, context, partial):
    """The full page, or only `partial` of it when htmx asks for an update in place."""
    if request.htmx and not request.htmx.boosted:
        template = f"{template}#{partial}"
    return render(request, template, context)


def _query_without(request, *names):
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


def _check_can_import(membership):
    if not membership.organization.is_school:
        raise PermissionDenied("L'import de la base élèves est réservé aux établissements scolaires.")
    if not membership.is_admin:
        raise PermissionDenied("Seuls les administrateurs de l'organisation peuvent importer la base élèves.")


@member_required
@require_GET
@vary_on_headers("HX-Request")
def learner_list(request):
    organization = request.membership.organization
    filters = selectors.LearnerFilters.from_query(request.GET)
    page = paginate(
        request,
        selectors.learner_list(organization=organization, filters=filters),
        default_size=LEARNERS_PER_PAGE,
        sizes=PAGE_SIZES,
    )
    context = {
        "page": page,
        "page_sizes": PAGE_SIZES,
        "filters": filters,
        "list_url": reverse("campaigns:learners"),
        "query_without_page": _query_without(request, "page"),
        "query_without_sort": _query_without(request, "page", "tri"),
        "query_for_export": _query_without(request, "page", "taille"),
    }
    if request.htmx and not request.htmx.boosted:
        return render(request, "students/list.html#learners-table", context)
    context.update(
        total=selectors.learner_count(organization=organization),
        divisions=selectors.learner_divisions(organization=organization),
        summary=selectors.learner_division_summary(organization=organization),
        last_import=selectors.last_done_import(organization=organization),
        login_methods=selectors.LoginMethod.CHOICES,
        certificabilities=selectors.CERTIFICABILITY_FILTERS,
        can_import=organization.is_school and request.membership.is_admin,
        campaigns_to_relaunch=campaign_selectors.campaigns_to_relaunch(organization=organization),
    )
    return render(request, "students/list.html", context)


@member_required
@require_GET
def learner_export(request):
    organization = request.membership.organization
    filters = selectors.LearnerFilters.from_query(request.GET)
    response = StreamingHttpResponse(
        export.export_rows(selectors.learner_list(organization=organization, filters=filters)),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{export.export_filename(organization)}"'
    return response


def _levels(learner, sending):
    """The pupil's latest competence levels, from the same source as his certificabilité."""
    live = (
        learner.certificability_source == OrganizationLearner.CertificabilitySource.LIVE_PROFILE
        and learner.user is not None
    )
    if live:
        summary = profile_summary_for_user(user=learner.user)
        return "live", {code: {"pix": r.pix, "level": r.level} for code, r in summary.competences.items()}
    if sending is not None:
        return "sending", sending.snapshot.competences
    return "", {}


def _to_work_on(levels):
    """The competences still at level 0, closest to level 1 first: the ones to work on first."""
    names = {competence.code: competence for competence in COMPETENCES}
    codes = competences_closest_to_level_one(levels, limit=len(COMPETENCES))
    return [
        (names[code], levels[code], PIX_COUNT_BY_LEVEL - levels[code]["pix"])
        for code in codes
        if code in levels
    ]


@member_required
@require_GET
def learner_detail(request, pk):
    learner = selectors.learner_for_member(membership=request.membership, pk=pk)
    sending = selectors.latest_sending(learner=learner)
    levels_source, levels = _levels(learner, sending)
    to_work_on = _to_work_on(levels) if levels else []
    context = {
        "learner": learner,
        "participations": selectors.learner_participations(learner=learner),
        "sending": sending,
        "levels_source": levels_source,
        "areas": grouped_by_area(levels),
        "to_work_on": to_work_on,
        "missing": learner.missing_competences_for_certifiability,
        "claims": learner.claims.select_related("user")[:10],
    }
    return render(request, "students/detail.html", context)


ERASE_ACTIONS = ("participations", "eleve")


@member_required
@require_http_methods(["GET", "POST"])
def learner_erase(request, pk):
    """RGPD, for the organization's admins: delete a pupil's participations, or the pupil and all his data,
    after a page that spells out what goes."""
    if not request.membership.is_admin:
        raise PermissionDenied(
            "Seuls les administrateurs de l'organisation suppriment les données d'un élève."
        )
    learner = selectors.learner_for_member(membership=request.membership, pk=pk)
    if request.method == "POST":
        action = parse_choice(request.POST.get("action"), ERASE_ACTIONS)
        if action is None or request.POST.get("confirmation") != "oui":
            messages.error(
                request, "Cochez la case de confirmation, puis choisissez ce qu'il faut supprimer."
            )
            return redirect("students:erase", pk=learner.pk)
        name = f"{learner.first_name} {learner.last_name}"
        if action == "participations":
            count = campaign_services.learner_participations_erase(learner=learner)
            messages.success(
                request, f"Les participations de {name} sont supprimées ({count} campagne{plural(count)})."
            )
            return redirect(learner.get_absolute_url())
        campaign_services.learner_erase(learner=learner)
        messages.success(request, f"{name} et toutes ses données sont supprimés de l'établissement.")
        return redirect("campaigns:learners")
    context = {
        "learner": learner,
        "participations": selectors.learner_participations(learner=learner),
    }
    return render(request, "students/erase.html", context)


@member_required
@require_POST
def certificability_refresh(request):
    organization = request.membership.organization
    if tasks.certificability_refresh_request(organization.pk):
        messages.success(
            request,
            "Le calcul de la certificabilité de vos élèves est lancé : rechargez la page dans quelques "
            "instants pour voir les nouvelles valeurs.",
        )
    else:
        messages.info(
            request, "Un calcul de la certificabilité est déjà en cours : patientez quelques instants."
        )
    return redirect("campaigns:learners")


def _selected_learners(request):
    """The learners the teacher ticked, or his whole class. A malformed or foreign id is a 404."""
    learners = selectors.enabled_learners(organization=request.membership.organization)
    division = request.POST.get("classe", "")
    if division:
        return learners.filter(division=division)
    raw_ids = request.POST.getlist("eleve")
    ids = {parse_id(value) for value in raw_ids}
    if None in ids:
        raise Http404("Identifiant d'élève invalide.")
    if len(ids) > accounts.MAX_ACCOUNTS_PER_REQUEST:
        return None
    selected = learners.filter(pk__in=ids)
    if selected.count() != len(ids):
        raise Http404("Élève introuvable.")
    return selected


@sensitive_variables("credentials", "classes")
@member_required
@require_POST
@never_cache
def learner_accounts(request):
    reset_only = request.POST.get("action") == "reinitialiser"
    learners = _selected_learners(request)
    if learners is None or learners.count() > accounts.MAX_ACCOUNTS_PER_REQUEST:
        most = accounts.MAX_ACCOUNTS_PER_REQUEST
        messages.error(request, f"Sélectionnez au plus {most} élèves à la fois, par exemple une classe.")
        return redirect("campaigns:learners")
    if not learners.exists():
        messages.error(request, "Sélectionnez au moins un élève, ou une classe.")
        return redirect("campaigns:learners")
    credentials, skipped = accounts.learner_accounts_generate(
        learners=learners, by=request.user, reset_only=reset_only
    )
    classes = [
        {
            "division": division,
            "rows": rows,
            "filename": accounts.credentials_filename(division),
            "csv_uri": "data:text/csv;charset=utf-8;base64,"
            + base64.b64encode(accounts.credentials_csv(rows).encode()).decode(),
        }
        for division, rows in accounts.credentials_by_division(credentials)
    ]
    context = {
        "classes": classes,
        "skipped": skipped,
        "count": len(credentials),
        "reset_only": reset_only,
        "organization": request.membership.organization,
    }
    return render(request, "students/credentials.html", context)


def _import_context(request, form):
    organization = request.membership.organization
    history = list(selectors.roster_imports(organization=organization)[:IMPORT_HISTORY_SIZE])
    current = history[0] if history else None
    return {
        "form": form,
        "current": current,
        "history": history,
        "import_url": reverse("students:import"),
        "running": current is not None and current.is_running,
    }


@member_required
@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def roster_import(request):
    _check_can_import(request.membership)
    form = RosterImportForm(request.POST, request.FILES) if request.method == "POST" else RosterImportForm()
    if request.method == "POST" and form.is_valid():
        try:
            roster.roster_import_start(
                organization=request.membership.organization,
                user=request.user,
                uploaded_file=form.cleaned_data["file"],
            )
        except roster.RosterImportRunningError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "Le fichier est déposé : sa validation commence.")
        return redirect("students:import")
    context = _import_context(request, form)
    if request.htmx and not request.htmx.boosted:
        response = render(request, "students/import.html#import-state", context)
        if not context["running"]:
            # The poll saw the end: reload the whole page, whose form and messages depend on it.
            response["HX-Refresh"] = "true"
        return response
    return render(request, "students/import.html", context)


@member_required
@require_GET
def roster_import_detail(request, pk):
    _check_can_import(request.membership)
    roster_import = selectors.roster_import_for_member(membership=request.membership, pk=pk)
    return render(request, "students/import_detail.html", {"roster_import": roster_import})


@member_required
@require_GET
def roster_import_template(request):
    """The simple CSV's template: its header line, ready to fill in a spreadsheet."""
    response = HttpResponse(
        BOM + ";".join(SIMPLE_COLUMNS.values()) + "\r\n", content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="modele-import-eleves.csv"'
    return response


@sensitive_post_parameters()
@login_required
@require_http_methods(["GET", "POST"])
@never_cache
def choose_password(request):
    account = GeneratedAccount.objects.filter(user=request.user, must_change_password=True).first()
    if account is None:
        request.session.pop(MUST_CHOOSE_PASSWORD, None)
        return HttpResponseRedirect(safe_next(request, reverse("home")))
    form = ChoosePasswordForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        account.must_change_password = False
        account.save(update_fields=["must_change_password"])
        update_session_auth_hash(request, user)
        request.session.pop(MUST_CHOOSE_PASSWORD, None)
        messages.success(
            request, "Votre mot de passe est enregistré : utilisez-le à votre prochaine connexion."
        )
        return HttpResponseRedirect(safe_next(request, reverse("home")))
    return render(
        request, "students/choose_password.html", {"form": form, "next": safe_next(request, reverse("home"))}
    )
