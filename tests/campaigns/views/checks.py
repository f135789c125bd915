"""The checklist's answers, each asserted on what the person gets, not on the status code alone."""

import re
from urllib.parse import parse_qs, urlsplit

from django.urls import reverse

from campaigns.selectors import MANAGE_DENIED
from tests.pages import page_text

NBSP = "\u00a0"
_HIGH_PUNCTUATION = re.compile(r" ([:;!?])")


def fr(sentence):
    """`sentence` as French typography prints it: a non-breaking space before « : ; ! ? » and inside the
    guillemets. The tests write plain spaces, easier to read; the pages must hold the non-breaking ones."""
    sentence = _HIGH_PUNCTUATION.sub(NBSP + r"\1", sentence)
    return sentence.replace("« ", "«" + NBSP).replace(" »", NBSP + "»")


NOT_A_MEMBER = "Vous n'êtes membre d'aucune organisation."
HTMX = {"HX-Request": "true"}
# htmx's request when the browser's back button finds no copy of the page in htmx's history cache.
HISTORY_RESTORE = {"HX-Request": "true", "HX-History-Restore-Request": "true"}


def assert_sent_to_login(response, url):
    """An anonymous visitor is sent to the login page, which brings him back to `url`."""
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.path == reverse("login")
    assert parse_qs(location.query)["next"] == [url]


def assert_not_found(response):
    """404 with the French page that says nothing of what exists."""
    assert response.status_code == 404
    assert "Page introuvable" in page_text(response)


def assert_forbidden(response, message=MANAGE_DENIED):
    """403 with the reason, in French."""
    assert response.status_code == 403
    assert message in page_text(response)


def assert_method_not_allowed(response, *allowed):
    assert response.status_code == 405
    assert sorted(response["Allow"].split(", ")) == sorted(allowed)


def assert_varies_on_htmx(response):
    """Caches must key on both htmx headers: the same URL answers a fragment or the whole page."""
    vary = {header.strip().lower() for header in response["Vary"].split(",")}
    assert {"hx-request", "hx-history-restore-request"} <= vary
