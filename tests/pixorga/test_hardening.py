"""Security headers, cache, sessions, /healthz and request ids, as a browser or a probe sees them."""

import re
import time
from pathlib import Path

import pytest
from django.urls import reverse

from pixorga import middleware
from tests.campaigns.sendings import sent
from tests.pages import page_text

pytestmark = pytest.mark.django_db
TEMPLATES = Path(__file__).resolve().parents[2] / "templates"

STRICT_CSP = {
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
}


def _directives(response):
    return {part.strip() for part in response["Content-Security-Policy"].split(";")}


def test_every_page_gets_a_strict_content_security_policy(client, teacher, campaign):
    pages = [client.get(reverse("login"))]
    client.force_login(teacher)
    pages += [
        client.get(reverse("campaigns:list")),
        client.get(reverse("campaigns:results", args=[campaign.pk])),
    ]
    for response in pages:
        assert _directives(response) >= STRICT_CSP
        assert not any("unsafe" in directive for directive in _directives(response))


def test_browser_features_and_referrer_are_restricted(client):
    response = client.get(reverse("login"))
    policy = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "usb=()", "payment=()"):
        assert feature in policy
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"


def test_htmx_adds_no_inline_style_and_no_eval():
    base = (TEMPLATES / "base.html").read_text()
    config = re.search(r"<meta name=\"htmx-config\" content='([^']+)'>", base).group(1)
    assert '"includeIndicatorStyles": false' in config and '"allowEval": false' in config
    assert base.index('name="htmx-config"') < base.index("{% htmx_script %}")


# E-mails are read in a mail client, where no CSP applies and inline styles are the norm.
PAGE_TEMPLATES = sorted(
    str(p.relative_to(TEMPLATES)) for p in TEMPLATES.rglob("*.html") if "emails" not in p.parts
)


@pytest.mark.parametrize("template", PAGE_TEMPLATES)
def test_templates_hold_no_inline_script_style_or_handler(template):
    source = (TEMPLATES / template).read_text()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", source), "inline <script>"
    assert not re.search(r"<style\b", source), "inline <style>"
    assert not re.search(r"\son[a-z]+\s*=", source), "inline event handler"
    assert not re.search(r"\sstyle\s*=", source), "inline style attribute"


def test_console_pages_exports_and_pupil_pages_are_never_stored(client, teacher, pupil, campaign):
    sent(campaign, last_name="Martin")
    client.force_login(teacher)
    for url in (
        reverse("campaigns:list"),
        reverse("campaigns:results", args=[campaign.pk]),
        reverse("campaigns:export", args=[campaign.pk]),
    ):
        assert "no-store" in client.get(url)["Cache-Control"], url
    client.force_login(pupil)
    for url in (reverse("pupil:home"), reverse("pupil:profile"), campaign.get_join_url()):
        assert "no-store" in client.get(url)["Cache-Control"], url


def test_the_session_cookie_ends_with_the_browser(client, pupil):
    response = client.post(reverse("login"), {"username": pupil.username, "password": "motdepasse-de-test"})
    cookie = response.cookies["sessionid"]
    assert cookie["expires"] == "" and cookie["max-age"] == ""
    assert cookie["httponly"]


@pytest.fixture
def later(monkeypatch):
    """Moves the idle check's clock to `minutes` after the start of the test (and of its login)."""
    start = time.time()

    def move(minutes):
        monkeypatch.setattr(middleware.time, "time", lambda: start + minutes * 60)

    return move


def test_an_idle_pupil_is_logged_out_after_thirty_minutes(client, pupil, later):
    client.force_login(pupil)
    later(29)
    assert client.get(reverse("pupil:home")).status_code == 200
    later(29 + 31)
    response = client.get(reverse("pupil:home"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("login"))
    assert "Votre session a expiré après 30 minutes d'inactivité." in page_text(response)
    assert "_auth_user_id" not in client.session


def test_activity_keeps_a_pupil_logged_in(client, pupil, later):
    client.force_login(pupil)
    for minutes in (20, 40, 60, 80):
        later(minutes)
        assert client.get(reverse("pupil:home")).status_code == 200


def test_a_teacher_may_stay_idle_for_four_hours(client, teacher, later):
    client.force_login(teacher)
    later(3 * 60 + 50)
    assert client.get(reverse("campaigns:list")).status_code == 200
    later(3 * 60 + 50 + 4 * 60 + 1)
    assert client.get(reverse("campaigns:list"))["Location"].startswith(reverse("login"))


def test_idle_times_come_from_the_settings(client, pupil, later, settings):
    settings.SESSION_IDLE_SECONDS_PUPIL = 5 * 60
    client.force_login(pupil)
    later(6)
    assert client.get(reverse("pupil:home")).status_code == 302


def test_healthz_reports_database_and_cache(client):
    response = client.get("/healthz", HTTP_HOST="10.0.0.12")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "cache": "ok"}
    assert "sessionid" not in response.cookies


def test_healthz_is_503_when_the_cache_fails(client, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr("pixorga.health.cache.set", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"database": "ok", "cache": "error"}


def test_healthz_is_503_when_the_database_fails(client, monkeypatch):
    def broken():
        raise OSError("PostgreSQL is down")

    monkeypatch.setattr("pixorga.health._database", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "error"


def test_each_response_carries_a_request_id(client):
    first, second = client.get(reverse("login")), client.get(reverse("login"))
    assert re.fullmatch(r"[0-9a-f]{32}", first["X-Request-ID"])
    assert first["X-Request-ID"] != second["X-Request-ID"]
    assert client.get(reverse("login"), HTTP_X_REQUEST_ID="proxy-42")["X-Request-ID"] == "proxy-42"
    forged = client.get(reverse("login"), HTTP_X_REQUEST_ID="<script>" + "x" * 100)["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", forged)
