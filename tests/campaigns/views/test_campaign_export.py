"""The export as a view: who may download which file. The file's format is tests/campaigns/test_export.py's
business; here, one line per row is enough to say who is in it."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.export import BOM
from campaigns.factories import ParticipationFactory
from campaigns.models import ExportLog
from profiles.framework import COMPETENCE_CODES
from tests.campaigns.sendings import sent

from .checks import (
    NOT_A_MEMBER,
    assert_forbidden,
    assert_method_not_allowed,
    assert_not_found,
    assert_sent_to_login,
)
from .html import document, element, links, text
from .pupils import campaign_change

pytestmark = pytest.mark.django_db


def _url(campaign):
    return reverse("campaigns:export", args=[campaign.pk])


@pytest.fixture
def sendings(campaign):
    """Two pupils who sent in two classes (one not certifiable), one who has not sent."""
    sent(campaign, last_name="Arnaud", division="2NDE1")
    sent(campaign, last_name="Bernard", division="2NDE2", pix=dict.fromkeys(COMPETENCE_CODES[:3], 8))
    ParticipationFactory(campaign=campaign, learner__last_name="Colin", learner__division="2NDE2")
    return campaign


def _names(response):
    """The participants' last names, row by row, read from the CSV file the browser saves."""
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith(BOM)
    header, *rows = csv.reader(io.StringIO(body[len(BOM) :]), delimiter=";")
    return [row[header.index("Nom du Participant")] for row in rows]


# Who may download


def test_owner_who_is_not_an_admin_downloads_every_participant(as_owner, sendings, owner):
    assert _names(as_owner.get(_url(sendings))) == ["Arnaud", "Bernard", "Colin"]
    log = ExportLog.objects.get()
    assert (log.campaign, log.user, log.scope, log.rows, log.completed) == (sendings, owner, "ALL", 3, True)


def test_admin_who_is_not_the_owner_downloads_it(as_admin, sendings):
    assert _names(as_admin.get(_url(sendings))) == ["Arnaud", "Bernard", "Colin"]


def test_member_who_is_neither_downloads_it_too(as_member, sendings):
    assert _names(as_member.get(_url(sendings))) == ["Arnaud", "Bernard", "Colin"]


def test_teacher_of_another_organization_gets_404_and_no_file(as_stranger, sendings):
    response = as_stranger.get(_url(sendings))
    assert_not_found(response)
    assert "Arnaud" not in response.content.decode()
    assert not ExportLog.objects.exists()


def test_pupil_without_membership_gets_403(as_pupil, sendings):
    assert_forbidden(as_pupil.get(_url(sendings)), NOT_A_MEMBER)
    assert not ExportLog.objects.exists()


def test_anonymous_visitor_is_sent_to_login(client, sendings):
    assert_sent_to_login(client.get(_url(sendings)), _url(sendings))
    assert not ExportLog.objects.exists()


def test_post_is_405(as_owner, sendings):
    assert_method_not_allowed(as_owner.post(_url(sendings)), "GET")
    assert not ExportLog.objects.exists()


@pytest.mark.parametrize("pk", ["²", "1" * 30])
def test_malformed_campaign_id_is_404(as_owner, pk):
    assert_not_found(as_owner.get(f"/orga/campagnes/{pk}/export.csv"))


# Which rows


def test_archived_campaign_is_still_exported(as_owner, sendings):
    campaign_change(sendings, archived_at=timezone.now())
    assert _names(as_owner.get(_url(sendings))) == ["Arnaud", "Bernard", "Colin"]


def test_filtered_export_holds_the_latest_sendings_the_results_tab_shows(as_owner, sendings):
    response = as_owner.get(_url(sendings), {"perimetre": "filtres", "classe": "2NDE2", "certifiable": "non"})
    assert _names(response) == ["Bernard"]
    assert ExportLog.objects.get().scope == "FILTERED"


@pytest.mark.parametrize(
    "query",
    [{"classe": "<inconnue>"}, {"manque": "9"}, {"tri": "n'importe quoi"}, {"recherche": "x" * 10_000}],
)
def test_filtered_export_ignores_malformed_filters(as_owner, sendings, query):
    assert sorted(_names(as_owner.get(_url(sendings), {"perimetre": "filtres", **query}))) == [
        "Arnaud",
        "Bernard",
    ]


def test_results_tab_links_to_both_exports_with_the_filters(as_owner, sendings):
    results = reverse("campaigns:results", args=[sendings.pk])
    doc = document(as_owner.get(results, {"classe": "2NDE2", "certifiable": "non", "page": "1"}))
    actions = element(doc, "div", class_="results-actions")
    assert links(actions, "Exporter tous les envois (.csv)") == [_url(sendings)]
    assert links(actions, "Exporter les 1 participant filtré (.csv)") == [
        f"{_url(sendings)}?classe=2NDE2&certifiable=non&perimetre=filtres"
    ]
    assert "filtré" not in text(element(document(as_owner.get(results)), "div", class_="results-actions"))


def test_header_offers_the_export_to_every_member(as_member, sendings):
    doc = document(as_member.get(sendings.get_absolute_url()))
    assert links(doc, "Exporter les résultats (.csv)") == [_url(sendings)]
