"""Résultats: one row per pupil who sent (his latest sending), filtered, sorted and paged, in place with
htmx or as a whole page."""

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.factories import CampaignFactory, ParticipationFactory
from profiles.framework import COMPETENCE_CODES
from tests.campaigns.sendings import sent
from tests.pages import page_text

from .checks import (
    HISTORY_RESTORE,
    HTMX,
    NOT_A_MEMBER,
    assert_forbidden,
    assert_method_not_allowed,
    assert_not_found,
    assert_sent_to_login,
    assert_varies_on_htmx,
    fr,
)
from .html import (
    attr,
    by_id,
    contains,
    document,
    element,
    elements,
    has_id,
    links,
    table_rows,
    text,
    title,
)
from .pupils import campaign_change, roster_pupil, send

pytestmark = pytest.mark.django_db


def _url(campaign):
    return reverse("campaigns:results", args=[campaign.pk])


@pytest.fixture
def results(campaign):
    """Four pupils who sent, in two classes, and one who joined without sending."""
    return {
        "alice": sent(
            campaign,
            last_name="Arnaud",
            first_name="Alice",
            division="2NDE1",
            days_ago=3,
            pix=dict.fromkeys(COMPETENCE_CODES[:6], 16),
        ),
        "bruno": sent(
            campaign,
            last_name="Bernard",
            first_name="Bruno",
            division="2NDE2",
            days_ago=1,
            pix=dict.fromkeys(COMPETENCE_CODES[:4], 30),
        ),
        "chloe": sent(
            campaign,
            last_name="Colin",
            first_name="Chloé",
            division="2NDE2",
            days_ago=2,
            pix=dict.fromkeys(COMPETENCE_CODES[:5], 8),
        ),
        "denis": sent(
            campaign,
            last_name="Durand",
            first_name="Denis",
            division="2NDE1",
            days_ago=4,
            pix=dict.fromkeys(COMPETENCE_CODES[:2], 8),
        ),
        "pending": ParticipationFactory(
            campaign=campaign, learner__last_name="Fabre", learner__first_name="Zoé", learner__division="1G1"
        ),
    }


def _table(response):
    return element(document(response), "table", class_="results")


def _names(response):
    """The last names of the rows, top to bottom (none when the table is not shown)."""
    tables = list(elements(document(response), "table", class_="results"))
    return [row["Nom"] for row in table_rows(tables[0])] if tables else []


def _count(response):
    return text(by_id(document(response), "results-count"))


# Who may see it


def test_owner_who_is_not_an_admin_sees_the_results(as_owner, campaign, results):
    response = as_owner.get(_url(campaign))
    doc = document(response)
    assert _names(response) == ["Bernard", "Colin", "Arnaud", "Durand"]
    assert links(doc, "Modifier") == [reverse("campaigns:update", args=[campaign.pk])]
    assert text(element(doc, "form", action=reverse("campaigns:archive", args=[campaign.pk]))) == "Archiver"


def test_admin_who_is_not_the_owner_sees_the_results_and_may_change_the_campaign(as_admin, campaign, results):
    response = as_admin.get(_url(campaign))
    doc = document(response)
    assert _names(response) == ["Bernard", "Colin", "Arnaud", "Durand"]
    assert links(doc, "Modifier") == [reverse("campaigns:update", args=[campaign.pk])]
    assert text(element(doc, "form", action=reverse("campaigns:archive", args=[campaign.pk]))) == "Archiver"


def test_member_who_is_neither_reads_the_results_without_the_buttons_that_change_it(
    as_member, campaign, results
):
    response = as_member.get(_url(campaign))
    doc = document(response)
    assert _names(response) == ["Bernard", "Colin", "Arnaud", "Durand"]
    assert links(doc, "Modifier") == []
    assert not list(elements(doc, "form", action=reverse("campaigns:archive", args=[campaign.pk])))


def test_teacher_of_another_organization_gets_404(as_stranger, campaign, results):
    response = as_stranger.get(_url(campaign))
    assert_not_found(response)
    assert "Arnaud" not in page_text(response)


def test_pupil_without_membership_gets_403(as_pupil, campaign):
    assert_forbidden(as_pupil.get(_url(campaign)), NOT_A_MEMBER)


def test_anonymous_visitor_is_sent_to_login(client, campaign):
    assert_sent_to_login(client.get(_url(campaign)), _url(campaign))


def test_post_is_405(as_owner, campaign, results):
    assert_method_not_allowed(as_owner.post(_url(campaign)), "GET")


@pytest.mark.parametrize("pk", ["²", "١", "1" * 30])
def test_malformed_campaign_id_is_404(as_owner, campaign, pk):
    assert_not_found(as_owner.get(f"/orga/campagnes/{pk}/resultats/"))


# What it lists


def test_only_pupils_who_sent_are_listed_and_the_tab_counts_them(as_owner, campaign, results):
    response = as_owner.get(_url(campaign))
    doc = document(response)
    assert "Fabre" not in _names(response)
    assert "Résultats (4)" in [text(link) for link in elements(doc, "a")]
    assert _count(response) == "4 participants"


def test_row_shows_the_sending_as_the_teacher_reads_it(as_owner, campaign, results):
    rows = {row["Nom"]: row for row in table_rows(_table(as_owner.get(_url(campaign))))}
    assert rows["Bernard"] == {
        "Nom": "Bernard",
        "Prénom": "Bruno",
        "Classe": "2NDE2",
        "Date d'envoi": f"{timezone.localtime(results['bruno'].shared_at):%d/%m/%Y}",
        "Score Pix": "120",
        "Certifiable": "Non certifiable",
        "Comp. certifiables": "4",
        "Manque": "1 compétence manquante",
        "Dernière relance": "–",
    }
    assert rows["Colin"]["Certifiable"] == "Certifiable"
    assert rows["Colin"]["Manque"] == "0"
    assert rows["Durand"]["Manque"] == "3 compétences manquantes"


def test_with_multiple_sendings_one_row_per_pupil_his_latest_with_evolution_and_count(as_owner, campaign):
    campaign_change(campaign, multiple_sendings=True)
    up = roster_pupil(campaign.organization, last_name="Hausse")
    down = roster_pupil(campaign.organization, last_name="Baisse")
    stable = roster_pupil(campaign.organization, last_name="Stable")
    once = roster_pupil(campaign.organization, last_name="Unique")
    for learner, scores in [(up, [8, 16, 40]), (down, [40, 16]), (stable, [16, 16]), (once, [24])]:
        for score in scores:
            send(campaign, learner, pix={"1.1": score})

    response = as_owner.get(_url(campaign))

    rows = {row["Nom"]: row for row in table_rows(_table(response))}
    assert sorted(rows) == ["Baisse", "Hausse", "Stable", "Unique"]
    assert (rows["Hausse"]["Score Pix"], rows["Hausse"]["Nombre d'envois"]) == ("40", "3")
    assert rows["Hausse"]["Évolution"] == fr("↑ En hausse (avant : 16)")
    assert rows["Baisse"]["Évolution"] == fr("↓ En baisse (avant : 40)")
    assert rows["Stable"]["Évolution"] == fr("= Stable (avant : 16)")
    # « Premier envoi » is read aloud; the dash beside it is only drawn.
    assert rows["Unique"]["Évolution"].startswith("Premier envoi")
    assert rows["Unique"]["Nombre d'envois"] == "1"
    assert "Résultats (4)" in page_text(response)
    assert _count(response) == "4 participants"


def test_without_multiple_sendings_there_is_no_evolution_column(as_owner, campaign, results):
    (row, *_) = table_rows(_table(as_owner.get(_url(campaign))))
    assert "Évolution" not in row and "Nombre d'envois" not in row


def test_external_id_column_when_the_campaign_asks_for_one(as_owner, organization, owner):
    campaign = CampaignFactory(organization=organization, creator=owner, external_id_label="Numéro d'élève")
    sent(campaign, last_name="Martin", participant_external_id="E-4521")
    (row,) = table_rows(_table(as_owner.get(_url(campaign))))
    assert row["Numéro d'élève"] == "E-4521"


def test_no_result_yet_says_where_those_who_joined_are(as_owner, campaign):
    ParticipationFactory(campaign=campaign, learner__last_name="Fabre")
    response = as_owner.get(_url(campaign))
    content = page_text(response)
    assert _names(response) == []
    assert "Aucun profil reçu pour l'instant" in content
    assert "Ceux qui ont rejoint sans envoyer figurent dans l'onglet Activité." in content
    assert "Résultats (0)" in content and _count(response) == "0 participant"


# Filters


def test_filter_by_several_classes(as_owner, campaign, results):
    response = as_owner.get(_url(campaign), {"classe": ["2NDE2", "1G1"]})
    assert _names(response) == ["Bernard", "Colin"]
    assert links(document(response), "Effacer les filtres") == [_url(campaign)]


@pytest.mark.parametrize(
    ("value", "expected"), [("oui", ["Colin", "Arnaud"]), ("non", ["Bernard", "Durand"])]
)
def test_filter_by_certifiability(as_owner, campaign, results, value, expected):
    assert _names(as_owner.get(_url(campaign), {"certifiable": value})) == expected


@pytest.mark.parametrize(("missing", "expected"), [("1", ["Bernard"]), ("3", ["Durand"]), ("5", [])])
def test_filter_by_missing_competences(as_owner, campaign, results, missing, expected):
    """« il manque 1 compétence »: the pupils at 4 certifiable competences, and so on."""
    assert _names(as_owner.get(_url(campaign), {"manque": missing})) == expected


def test_missing_competences_filter_offers_one_to_five_in_french(as_owner, campaign, results):
    select = element(document(as_owner.get(_url(campaign))), "select", name="manque")
    assert [text(option) for option in elements(select, "option")] == [
        "Peu importe",
        "il manque 1 compétence",
        "il manque 2 compétences",
        "il manque 3 compétences",
        "il manque 4 compétences",
        "il manque 5 compétences",
    ]


def test_search_on_first_or_last_name(as_owner, campaign, results):
    assert _names(as_owner.get(_url(campaign), {"recherche": "chlo"})) == ["Colin"]
    assert _names(as_owner.get(_url(campaign), {"recherche": "bern"})) == ["Bernard"]


@pytest.mark.parametrize("typed", ["lefevre", "LEFÈVRE", "éloïse", "Eloise", "eloise lefe"])
def test_search_ignores_accents_and_case(as_owner, campaign, results, typed):
    sent(campaign, last_name="Lefèvre", first_name="Éloïse")
    assert _names(as_owner.get(_url(campaign), {"recherche": typed})) == ["Lefèvre"]


@pytest.mark.parametrize(
    ("count", "expected"), [(0, "0 participant"), (1, "1 participant"), (2, "2 participants")]
)
def test_count_agrees_in_french(as_owner, campaign, count, expected):
    for index in range(count):
        sent(campaign, last_name=f"Nom{index}")
    assert _count(as_owner.get(_url(campaign))) == expected


def test_no_match_says_so_and_offers_to_clear_the_filters(as_owner, campaign, results):
    response = as_owner.get(_url(campaign), {"recherche": "personne"})
    assert _names(response) == []
    assert "Aucun participant ne correspond à ces filtres." in page_text(response)
    assert _count(response) == "0 participant"


# Sorting


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("", ["Bernard", "Colin", "Arnaud", "Durand"]),
        ("nom", ["Arnaud", "Bernard", "Colin", "Durand"]),
        ("-nom", ["Durand", "Colin", "Bernard", "Arnaud"]),
        ("prenom", ["Arnaud", "Bernard", "Colin", "Durand"]),
        ("classe", ["Arnaud", "Durand", "Bernard", "Colin"]),
        ("date", ["Durand", "Arnaud", "Colin", "Bernard"]),
        ("-date", ["Bernard", "Colin", "Arnaud", "Durand"]),
        ("score", ["Durand", "Colin", "Arnaud", "Bernard"]),
        ("-score", ["Bernard", "Arnaud", "Colin", "Durand"]),
        ("certifiable", ["Bernard", "Durand", "Arnaud", "Colin"]),
        ("-certifiable", ["Colin", "Arnaud", "Durand", "Bernard"]),
        ("competences", ["Durand", "Bernard", "Colin", "Arnaud"]),
        ("-competences", ["Arnaud", "Colin", "Bernard", "Durand"]),
        ("manque", ["Arnaud", "Colin", "Bernard", "Durand"]),
    ],
)
def test_sort_on_every_column(as_owner, campaign, results, ordering, expected):
    assert _names(as_owner.get(_url(campaign), {"tri": ordering})) == expected


def test_sort_by_most_missing_competences_first(as_owner, campaign, results):
    response = as_owner.get(_url(campaign), {"tri": "-manque"})
    assert _names(response) == ["Durand", "Bernard", "Colin", "Arnaud"]


def test_clicking_the_missing_column_header_sorts_most_missing_first(as_owner, campaign, results):
    (href,) = [
        attr(link, "href") for link in elements(document(as_owner.get(_url(campaign))), "a", id="tri-manque")
    ]
    response = as_owner.get(_url(campaign) + href)
    assert _names(response) == ["Durand", "Bernard", "Colin", "Arnaud"]


def test_sort_links_keep_the_filters_and_say_the_direction(as_owner, campaign, results):
    response = as_owner.get(_url(campaign), {"classe": "2NDE2", "tri": "nom"})
    doc = document(response)
    header = element(doc, "th", aria_sort="ascending")
    assert attr(element(header, "a"), "href") == "?classe=2NDE2&tri=-nom"
    assert text(header) == "Nom ▲"
    assert attr(element(doc, "a", id="tri-score"), "href") == "?classe=2NDE2&tri=-score"
    assert "triés par nom, ordre croissant" in text(element(doc, "caption"))


def test_sort_survives_a_filter_change(as_owner, campaign, results):
    """The hidden `tri` input lives in the fragment htmx replaces, tied to the filters form by its
    `form` attribute: a sort chosen by a header link is sent again with the next filter."""
    doc = document(as_owner.get(_url(campaign), {"tri": "-score"}))
    form = element(doc, "form", id="results-filters")
    (tri,) = elements(doc, "input", name="tri")
    assert (attr(tri, "type"), attr(tri, "value"), attr(tri, "form")) == (
        "hidden",
        "-score",
        "results-filters",
    )
    assert contains(by_id(doc, "results-table"), tri)
    assert not contains(form, tri)

    fragment = document(as_owner.get(_url(campaign), {"tri": "-score", "certifiable": "oui"}, headers=HTMX))
    (tri,) = elements(fragment, "input", name="tri")
    assert (attr(tri, "value"), attr(tri, "form")) == ("-score", "results-filters")


# Pagination


def test_page_size_is_25_50_or_100(as_owner, campaign):
    for index in range(60):
        sent(campaign, last_name=f"Nom{index:02d}")
    assert len(_names(as_owner.get(_url(campaign)))) == 25
    assert len(_names(as_owner.get(_url(campaign), {"taille": 50}))) == 50
    assert len(_names(as_owner.get(_url(campaign), {"taille": 50, "page": 2}))) == 10
    assert len(_names(as_owner.get(_url(campaign), {"taille": 100}))) == 60
    select = element(document(as_owner.get(_url(campaign))), "select", name="taille")
    assert [text(option) for option in elements(select, "option")] == ["25", "50", "100"]


def test_pagination_links_keep_filters_and_sort(as_owner, campaign):
    for index in range(30):
        sent(campaign, last_name=f"Nom{index:02d}", division="2NDE2")
    doc = document(as_owner.get(_url(campaign), {"classe": "2NDE2", "tri": "nom"}))
    assert attr(by_id(doc, "results-table-next"), "href") == "?classe=2NDE2&tri=nom&page=2"
    assert "Page 1 sur 2" in text(element(doc, "nav", aria_label="Pagination"))


# htmx


def test_htmx_request_gets_only_the_table_and_the_count_out_of_band(as_owner, campaign, results):
    response = as_owner.get(_url(campaign), {"certifiable": "non"}, headers=HTMX)
    content = response.content.decode()
    assert content.lstrip().startswith('<div id="results-table"')
    assert "<html" not in content and "results-filters" in content
    assert _names(response) == ["Bernard", "Durand"]
    count = by_id(document(response), "results-count")
    assert (attr(count, "hx-swap-oob"), text(count)) == ("true", "2 participants")
    assert links(document(response), "Effacer les filtres") == [_url(campaign)]
    assert_varies_on_htmx(response)


def test_full_page_varies_on_the_htmx_headers_too(as_owner, campaign, results):
    assert_varies_on_htmx(as_owner.get(_url(campaign)))


def test_history_restore_request_gets_the_full_page(as_owner, campaign, results):
    """The back button after htmx navigation must show a page, never a bare fragment."""
    response = as_owner.get(_url(campaign), {"certifiable": "non"}, headers=HISTORY_RESTORE)
    doc = document(response)
    assert response.content.decode().lstrip().startswith("<!doctype html>")
    assert title(doc).startswith("Résultats")
    assert has_id(doc, "results-filters") and _names(response) == ["Bernard", "Durand"]
    assert_varies_on_htmx(response)


def test_live_region_announcing_the_count_is_outside_the_replaced_fragment(as_owner, campaign, results):
    doc = document(as_owner.get(_url(campaign)))
    count = by_id(doc, "results-count")
    assert (attr(count, "role"), attr(count, "aria-live")) == ("status", "polite")
    assert not contains(by_id(doc, "results-table"), count)


# The participant's page, and back


def test_a_row_opens_the_participant_page_carrying_the_list_state(as_owner, campaign, results):
    query = {"classe": "2NDE2", "tri": "nom", "taille": "25", "page": "1"}
    doc = document(as_owner.get(_url(campaign), query))
    (href,) = links(doc, "Colin")
    participant = reverse("campaigns:participant", args=[campaign.pk, results["chloe"].pk])
    assert href == f"{participant}?classe=2NDE2&tri=nom&taille=25&page=1"
    back = links(document(as_owner.get(href)), "← Retour à la liste")
    assert back == [f"{_url(campaign)}?classe=2NDE2&tri=nom&taille=25&page=1"]


# Malformed input never gives a 500


@pytest.mark.parametrize(
    "query",
    [
        {"page": "²"},
        {"page": "99999999999999999999999999999"},
        {"taille": "99999"},
        {"taille": "-1"},
        {"tri": "n'importe quoi"},
        {"tri": "--nom"},
        {"classe": "<inconnue>"},
        {"manque": "9"},
        {"manque": "²"},
        {"certifiable": "peut-être"},
        {"recherche": "x" * 10_000},
    ],
)
def test_malformed_query_is_ignored(as_owner, campaign, results, query):
    response = as_owner.get(_url(campaign), query)
    assert response.status_code == 200
    assert _names(response) == ["Bernard", "Colin", "Arnaud", "Durand"]


# Accessibility


def test_every_filter_is_labelled(as_owner, campaign, results):
    doc = document(as_owner.get(_url(campaign)))
    form = element(doc, "form", id="results-filters")
    labelled = {attr(label, "for") for label in elements(doc, "label")}
    for field in [*elements(form, "input"), *elements(form, "select")]:
        if attr(field, "type") not in {"hidden", "checkbox", "radio"}:
            assert attr(field, "id") in labelled, field


# Queries


def test_runs_a_bounded_number_of_queries(as_owner, campaign, django_assert_max_num_queries):
    for index in range(60):
        sent(campaign, last_name=f"Nom{index:03d}", division=f"2NDE{index % 6}", days_ago=index % 10)
    # session, user, membership, campaign, classes of the filter, page count, page rows with their
    # learners, last relaunch of the page's pupils, organizations of the switcher: 9, whatever the
    # number of rows
    with django_assert_max_num_queries(9):
        response = as_owner.get(
            _url(campaign),
            {"classe": ["2NDE1", "2NDE2"], "certifiable": "oui", "tri": "-score", "taille": 100},
        )
    assert len(_names(response)) == 20
