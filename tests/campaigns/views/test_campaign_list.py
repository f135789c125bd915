"""The campaign list: « Mes campagnes » (by default) or « Toutes les campagnes », Actives or Archivées,
searched by name and by « Créé par », paged."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.factories import UserFactory
from campaigns.factories import CampaignFactory, ParticipationFactory
from campaigns.models import Campaign
from tests.campaigns.sendings import sent
from tests.pages import page_text

from .checks import (
    HISTORY_RESTORE,
    HTMX,
    NOT_A_MEMBER,
    assert_forbidden,
    assert_method_not_allowed,
    assert_sent_to_login,
    assert_varies_on_htmx,
)
from .html import attr, by_id, contains, document, element, elements, table_rows, text, title

pytestmark = pytest.mark.django_db

URL = reverse("campaigns:list")


def _names(response):
    region = by_id(document(response), "campaign-table")
    tables = list(elements(region, "table"))
    return [row["Nom de la campagne"] for row in table_rows(tables[0])] if tables else []


def _tabs(response):
    """The state tabs as the page shows them: {label: count}."""
    nav = element(document(response), "nav", aria_label="État des campagnes")
    return {text(link).split()[0]: text(link).split()[1] for link in elements(nav, "a")}


def _current_tabs(response):
    return [text(link) for link in elements(document(response), "a", aria_current="page")]


@pytest.fixture
def campaigns(organization, owner, admin, stranger):
    """The owner's two active campaigns (the older first) and one archived; an admin's; another
    organization's."""
    older = CampaignFactory(organization=organization, creator=owner, name="Collecte de septembre")
    Campaign.objects.filter(pk=older.pk).update(created_at=timezone.now() - datetime.timedelta(days=30))
    newer = CampaignFactory(organization=organization, creator=owner, name="Collecte de novembre")
    archived = CampaignFactory(
        organization=organization, creator=owner, name="Vieille collecte", archived_at=timezone.now()
    )
    admins = CampaignFactory(organization=organization, creator=admin, name="Collecte de l'administrateur")
    foreign = CampaignFactory(
        organization=stranger.memberships.get().organization,
        creator=stranger,
        name="Collecte d'un autre lycée",
    )
    return {"older": older, "newer": newer, "archived": archived, "admins": admins, "foreign": foreign}


# Who may see it


def test_owner_who_is_not_an_admin_sees_his_active_campaigns_newest_first(as_owner, campaigns):
    response = as_owner.get(URL)
    assert _names(response) == ["Collecte de novembre", "Collecte de septembre"]
    assert _current_tabs(response) == ["Campagnes", "Mes campagnes", "Actives 2"]


def test_admin_sees_his_own_by_default_and_every_campaign_under_all(as_admin, campaigns):
    assert _names(as_admin.get(URL)) == ["Collecte de l'administrateur"]
    response = as_admin.get(URL, {"vue": "toutes"})
    assert _names(response) == [
        "Collecte de l'administrateur",
        "Collecte de novembre",
        "Collecte de septembre",
    ]
    assert _current_tabs(response) == ["Campagnes", "Toutes les campagnes", "Actives 3"]


def test_member_who_owns_nothing_is_told_where_to_look(as_member, campaigns):
    response = as_member.get(URL)
    assert _names(response) == []
    assert "Vous n'êtes propriétaire d'aucune campagne active" in page_text(response)
    assert len(_names(as_member.get(URL, {"vue": "toutes"}))) == 3


def test_teacher_of_another_organization_sees_only_his_own(as_stranger, campaigns):
    response = as_stranger.get(URL, {"vue": "toutes"})
    assert _names(response) == ["Collecte d'un autre lycée"]
    assert "Collecte de novembre" not in page_text(response)


def test_pupil_without_membership_gets_403(as_pupil):
    assert_forbidden(as_pupil.get(URL), NOT_A_MEMBER)


def test_anonymous_visitor_is_sent_to_login(client):
    assert_sent_to_login(client.get(URL), URL)


def test_post_is_405_and_creates_nothing(as_owner):
    assert_method_not_allowed(as_owner.post(URL, {"name": "Collecte"}), "GET")
    assert not Campaign.objects.exists()


# What it shows


def test_row_shows_code_creator_owner_date_and_counts(as_owner, campaigns, owner):
    sent(campaigns["newer"], last_name="Martin")
    ParticipationFactory(campaign=campaigns["newer"])
    (row, _) = table_rows(element(by_id(document(as_owner.get(URL)), "campaign-table"), "table"))
    assert row == {
        "Nom de la campagne": "Collecte de novembre",
        "Code": campaigns["newer"].code,
        "Créée par": owner.get_full_name(),
        "Propriétaire": owner.get_full_name(),
        "Date de création": f"{timezone.localdate():%d/%m/%Y}",
        "Participants": "2",
        "Profils reçus": "1",
    }


def test_active_and_archived_tabs_with_their_counts(as_owner, campaigns):
    assert _tabs(as_owner.get(URL)) == {"Actives": "2", "Archivées": "1"}
    archived = as_owner.get(URL, {"onglet": "archivees"})
    assert _names(archived) == ["Vieille collecte"]
    assert _current_tabs(archived) == ["Campagnes", "Mes campagnes", "Archivées 1"]
    assert _tabs(as_owner.get(URL, {"vue": "toutes"})) == {"Actives": "3", "Archivées": "1"}


def test_tabs_keep_the_view(as_owner, campaigns):
    nav = element(document(as_owner.get(URL, {"vue": "toutes"})), "nav", aria_label="État des campagnes")
    assert [attr(link, "href") for link in elements(nav, "a")] == [
        "?vue=toutes&onglet=actives",
        "?vue=toutes&onglet=archivees",
    ]


def test_search_by_name_ignores_case(as_owner, campaigns):
    assert _names(as_owner.get(URL, {"nom": "SEPT"})) == ["Collecte de septembre"]
    response = as_owner.get(URL, {"nom": "introuvable"})
    assert _names(response) == []
    assert "Aucune campagne ne correspond à votre recherche." in page_text(response)


def test_search_by_creator_first_or_last_name(as_admin, organization, campaigns):
    creator = UserFactory(first_name="Jeanne", last_name="Dubreuil")
    CampaignFactory(organization=organization, creator=creator, owner=creator, name="Collecte de Jeanne")
    for typed in ["dubreuil", "Jeanne", "jeanne dub"]:
        assert _names(as_admin.get(URL, {"vue": "toutes", "createur": typed})) == ["Collecte de Jeanne"]
    assert _names(as_admin.get(URL, {"vue": "toutes", "createur": "jeanne martin"})) == []


@pytest.mark.parametrize(("count", "expected"), [(0, "0 campagne"), (1, "1 campagne"), (2, "2 campagnes")])
def test_count_agrees_in_french(as_owner, organization, owner, count, expected):
    CampaignFactory.create_batch(count, organization=organization, creator=owner)
    assert text(by_id(document(as_owner.get(URL)), "campaign-count")) == expected


def test_page_size_is_10_25_50_or_100(as_owner, organization, owner):
    for index in range(60):
        CampaignFactory(organization=organization, creator=owner, name=f"Collecte {index:02d}")
    assert len(_names(as_owner.get(URL))) == 50
    assert len(_names(as_owner.get(URL, {"taille": 10}))) == 10
    assert len(_names(as_owner.get(URL, {"taille": 25}))) == 25
    assert len(_names(as_owner.get(URL, {"taille": 100}))) == 60
    second = as_owner.get(URL, {"taille": 25, "page": 3})
    assert len(_names(second)) == 10
    select = element(document(second), "select", name="taille")
    assert [text(option) for option in elements(select, "option")] == ["10", "25", "50", "100"]
    assert text(element(select, "option", selected=True)) == "25"


def test_pagination_links_keep_the_view_tab_and_search(as_owner, organization, owner):
    for index in range(12):
        CampaignFactory(organization=organization, creator=owner, name=f"Collecte {index:02d}")
    doc = document(as_owner.get(URL, {"vue": "mes", "nom": "collecte", "taille": 10}))
    assert attr(by_id(doc, "campaign-table-next"), "href") == "?vue=mes&nom=collecte&taille=10&page=2"


# htmx


def test_htmx_request_gets_only_the_table_and_the_count_out_of_band(as_owner, campaigns):
    response = as_owner.get(URL, {"nom": "nov"}, headers=HTMX)
    content = response.content.decode()
    assert content.lstrip().startswith('<div id="campaign-table"')
    assert "<html" not in content
    assert _names(response) == ["Collecte de novembre"]
    count = by_id(document(response), "campaign-count")
    assert (attr(count, "hx-swap-oob"), text(count)) == ("true", "1 campagne")
    assert_varies_on_htmx(response)


def test_history_restore_request_gets_the_full_page(as_owner, campaigns):
    response = as_owner.get(URL, {"nom": "nov"}, headers=HISTORY_RESTORE)
    doc = document(response)
    assert title(doc).startswith("Campagnes")
    assert _names(response) == ["Collecte de novembre"]
    assert _tabs(response) == {"Actives": "2", "Archivées": "1"}
    assert_varies_on_htmx(response)


def test_live_region_announcing_the_count_is_outside_the_replaced_fragment(as_owner, campaigns):
    doc = document(as_owner.get(URL))
    count = by_id(doc, "campaign-count")
    assert (attr(count, "role"), text(count)) == ("status", "2 campagnes")
    assert not contains(by_id(doc, "campaign-table"), count)


def test_search_fields_are_labelled(as_owner):
    doc = document(as_owner.get(URL))
    labelled = {attr(label, "for"): text(label) for label in elements(doc, "label")}
    assert labelled["search-name"] == "Campagnes" and labelled["search-creator"] == "Créé par"
    assert labelled["page-size"] == "Par page"


# Malformed input never gives a 500


@pytest.mark.parametrize(
    "query",
    [
        {"page": "²"},
        {"page": "1" * 30},
        {"taille": "99999"},
        {"onglet": "<autre>"},
        {"vue": "<autre>"},
    ],
)
def test_malformed_query_is_ignored(as_owner, campaigns, query):
    response = as_owner.get(URL, query)
    assert response.status_code == 200
    assert _names(response) == ["Collecte de novembre", "Collecte de septembre"]


@pytest.mark.parametrize("field", ["nom", "createur"])
def test_ten_thousand_character_search_answers_that_nothing_matches(as_owner, campaigns, field):
    response = as_owner.get(URL, {field: "x" * 10_000})
    assert response.status_code == 200
    assert _names(response) == []
    assert "Aucune campagne ne correspond à votre recherche." in page_text(response)


# Queries


def test_runs_a_bounded_number_of_queries(as_owner, organization, owner, django_assert_max_num_queries):
    for index in range(30):
        campaign = CampaignFactory(organization=organization, creator=owner, name=f"Collecte {index}")
        sent(campaign, last_name=f"Nom{index}")
    # session, user, membership, tab counts, page count, organizations of the switcher, page rows with
    # their creator and owner: 7, whatever the number of campaigns
    with django_assert_max_num_queries(7):
        response = as_owner.get(URL)
    assert len(_names(response)) == 30
