"""Every URL pattern of the project, found by walking the resolver, is requested with malformed values in
its converters, its query parameters and its form fields, by every kind of visitor: never a 500, and a
streamed export always ends with a complete row.

A new page is walked without editing this file, and so are the fields of every form and filter set of the
project's apps (found by class); a parameter read by hand from the request goes in the lists below.
"""

import csv
import importlib
import importlib.util
import io
import re

import django_filters
import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.campaigns.sendings import sent

pytestmark = pytest.mark.django_db

MALFORMED = ["²", "①", "٣", "99999999999999999999999", "-1", "9" * 10_000, "a\x00b"]
# Also sent one at a time by an admin teacher, so that one bad value cannot hide behind another.
MALFORMED_ONE_BY_ONE = ["²", "99999999999999999999999", "9" * 10_000]
# Read by hand from the query string (the filter sets' own fields are added below).
QUERY_PARAMETERS = [
    "depuis",
    "vue",
    "page",
    "taille",
    "tri",
    "classe",
    "recherche",
    "certifiable",
    "onglet",
    "nom",
    "createur",
    "perimetre",
    "statut",
    "next",
    "code",
]
# Read by hand from the form data, or added to a form in its __init__.
FORM_FIELDS = [
    "action",
    "eleve",
    "role",
    "participation",
    "resend",
    "organization",
    "code",
    "username",
    "password",
    "email",
    "first_name",
    "last_name",
    "birthdate",
    "password1",
    "password2",
    "new_password1",
    "new_password2",
    "participant_external_id",
    "name",
    "type",
    "owner",
    "multiple_sendings",
    "external_id_label",
    "custom_landing_page_text",
]


def _subclasses(cls):
    for subclass in cls.__subclasses__():
        yield subclass
        yield from _subclasses(subclass)


def _project_classes(base):
    """Forms or filter sets defined in the project's own apps."""
    project = {
        config.name for config in apps.get_app_configs() if config.path.startswith(str(settings.BASE_DIR))
    }
    for name in project:
        for module in ("forms", "pupil_forms", "filters"):
            if importlib.util.find_spec(f"{name}.{module}"):
                importlib.import_module(f"{name}.{module}")
    return [cls for cls in _subclasses(base) if cls.__module__.split(".")[0] in project]


QUERY_PARAMETERS = sorted(
    {
        *QUERY_PARAMETERS,
        *(name for cls in _project_classes(django_filters.FilterSet) for name in cls.base_filters),
    }
)
FORM_FIELDS = sorted(
    {*FORM_FIELDS, *(name for cls in _project_classes(forms.BaseForm) for name in cls.base_fields)}
)
# Found by this walk in files of other teams, with the fix to apply; each entry goes once it is fixed (the
# mark is strict: a fixed page fails here until its entry is removed).
KNOWN_FAILURES = {}
ROLES = ["admin", "member", "pupil", "anonymous"]
# The Django admin lets in staff only: every teacher, pupil or visitor gets the same redirect to its login.
ADMIN_SITE_ROLES = ["anonymous"]
_ROUTE_SLOT = re.compile(r"<(?:\w+:)?(\w+)>")
_REGEX_SLOT = re.compile(r"\(\?P<(\w+)>[^)]*\)")


def _patterns(resolver=None, prefix=""):
    """(pattern text, URL template) for every endpoint; a template has {name} for each converter."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        text = str(entry.pattern)
        if _REGEX_SLOT.search(text) or text.startswith("^"):
            template = _REGEX_SLOT.sub(r"{\1}", text).lstrip("^").rstrip("$").replace("\\", "")
        else:
            template = _ROUTE_SLOT.sub(r"{\1}", text)
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, prefix + template)
        elif isinstance(entry, URLPattern):
            yield prefix + text, "/" + prefix + template


PATTERNS = sorted(set(_patterns()))


@pytest.fixture
def cast(organization, teacher, colleague, pupil, campaign):
    participation = sent(campaign, last_name="Martin")
    return {
        "users": {"admin": teacher, "member": colleague, "pupil": pupil, "anonymous": None},
        "valid": {"pk": campaign.pk, "participation_pk": participation.pk, "code": campaign.code},
    }


def _slots(template):
    return re.findall(r"{(\w+)}", template)


def _url(template, valid, **overrides):
    values = {name: overrides.get(name, valid.get(name, "1")) for name in _slots(template)}
    return template.format(**values)


def _check(response, label, failures):
    if response.status_code >= 500:
        failures.append(f"{response.status_code} {label}")
        return
    if response.streaming:
        try:
            body = b"".join(response.streaming_content).decode("utf-8-sig")
        except Exception as error:  # A stream that breaks midway is what this walk looks for.
            failures.append(f"broken stream ({error!r}) {label}")
            return
        rows = list(csv.reader(io.StringIO(body), delimiter=";"))
        if not body.endswith("\n") or any(len(row) != len(rows[0]) for row in rows):
            failures.append(f"truncated export {label}")


def _client(user):
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


def _walk(pattern, template, role, cast):
    user, valid, failures = cast["users"][role], cast["valid"], []
    client = _client(user)
    logout = reverse("logout")

    def request(method, url, data, label):
        if method == "GET":
            response = client.get(url, data)
        else:
            response = client.post(url, data)
            if url == logout and user is not None:
                client.force_login(user)
        _check(response, f"{method} {url[:80]!r} {label} as {role}", failures)

    for slot in _slots(template):
        # The id converter refuses these values before any view runs: one GET each is enough there.
        methods = ["GET"] if f"<id:{slot}>" in pattern else ["GET", "POST"]
        for value in MALFORMED:
            for method in methods:
                request(method, _url(template, valid, **{slot: value}), {}, f"{slot}={value[:12]!r}")
    url = _url(template, valid)
    for value in MALFORMED:
        request("GET", url, dict.fromkeys(QUERY_PARAMETERS, value), f"every parameter={value[:12]!r}")
        request("POST", url, dict.fromkeys(FORM_FIELDS, value), f"every field={value[:12]!r}")
    if role == "admin" and not pattern.startswith("admin/"):
        for name in QUERY_PARAMETERS:
            for value in MALFORMED_ONE_BY_ONE:
                request("GET", url, {name: value}, f"{name}={value[:12]!r}")
    return failures


def _params():
    for pattern, template in PATTERNS:
        marks = []
        if pattern in KNOWN_FAILURES:
            condition, reason = KNOWN_FAILURES[pattern]
            marks.append(pytest.mark.xfail(condition, reason=reason, strict=True))
        yield pytest.param(pattern, template, id=pattern, marks=marks)


@pytest.mark.parametrize("pattern, template", list(_params()))
def test_no_url_answers_500_to_malformed_input(pattern, template, cast):
    roles = ADMIN_SITE_ROLES if pattern.startswith("admin/") else ROLES
    failures = [failure for role in roles for failure in _walk(pattern, template, role, cast)]
    assert failures == []


def test_the_walk_finds_the_pages_of_every_app():
    patterns = {pattern for pattern, _ in PATTERNS}
    for expected in (
        "orga/campagnes/<id:pk>/export.csv",
        "orga/campagnes/<id:pk>/participants/<id:participation_pk>/",
        "campagnes/<str:code>/envoi",
        "connexion/",
        "orga/eleves/",
        "orga/equipe/",
    ):
        assert expected in patterns
    assert len(patterns) > 40
    assert {"recherche", "certifiable", "statut"} <= set(QUERY_PARAMETERS), "filter sets are found"
    assert {"birthdate", "code", "external_id_label"} <= set(FORM_FIELDS), "forms are found"
