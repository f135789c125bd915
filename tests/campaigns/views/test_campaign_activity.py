"""Activité: everything about who joined — the cards, the chart and its data, the statuses, « Liste des
participants » with its filters, « Par classe » with who never joined."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.factories import MembershipFactory, OrganizationFactory
from accounts.models import Organization
from campaigns.factories import CampaignFactory, ParticipationFactory
from profiles.framework import COMPETENCE_CODES
from students.factories import OrganizationLearnerFactory
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
from .html import attr, by_id, contains, document, element, elements, has_id, links, table_rows, text, title
from .pupils import campaign_change, join, roster_pupil, send

pytestmark = pytest.mark.django_db


def _url(campaign):
    return reverse("campaigns:detail", args=[campaign.pk])


@pytest.fixture
def activity(campaign):
    """Three pupils who sent (two certifiable), two who joined without sending, in two classes."""
    return {
        "alice": sent(campaign, last_name="Arnaud", first_name="Alice", division="2NDE1", days_ago=2),
        "bruno": sent(
            campaign,
            last_name="Bernard",
            first_name="Bruno",
            division="2NDE2",
            days_ago=1,
            pix=dict.fromkeys(COMPETENCE_CODES[:3], 8),
        ),
        "chloe": sent(campaign, last_name="Colin", first_name="Chloé", division="2NDE2", days_ago=1),
        "denis": ParticipationFactory(
            campaign=campaign,
            learner__last_name="Durand",
            learner__first_name="Denis",
            learner__division="2NDE1",
        ),
        "emma": ParticipationFactory(
            campaign=campaign,
            learner__last_name="Eymard",
            learner__first_name="Emma",
            learner__division="2NDE2",
        ),
    }


def _stats(doc):
    return {
        text(element(stat, "p", class_="stat__label")): text(element(stat, "p", class_="stat__value"))
        for stat in elements(doc, "div", class_="stat")
    }


def _participants_table(doc):
    return element(by_id(doc, "participants-table"), "table")


def _participants(response):
    """The last names of « Liste des participants », top to bottom."""
    region = by_id(document(response), "participants-table")
    tables = list(elements(region, "table"))
    return [row["Nom"] for row in table_rows(tables[0])] if tables else []


def _section(doc, heading_id):
    return element(doc, "section", aria_labelledby=heading_id)


# Who may see it


def test_owner_who_is_not_an_admin_sees_the_activity_and_may_delete_participations(
    as_owner, campaign, activity
):
    doc = document(as_owner.get(_url(campaign)))
    assert _stats(doc)["Total de participants"] == "5"
    assert links(doc, "Supprimer la participation de Denis Durand") == [
        reverse("campaigns:participation_delete", args=[campaign.pk, activity["denis"].pk])
    ]
    assert links(doc, "Modifier") == [reverse("campaigns:update", args=[campaign.pk])]


def test_admin_who_is_not_the_owner_sees_the_activity_and_may_delete_participations(
    as_admin, campaign, activity
):
    doc = document(as_admin.get(_url(campaign)))
    assert _stats(doc)["Total de participants"] == "5"
    assert len(links(doc, "Supprimer la participation de Denis Durand")) == 1


def test_member_who_is_neither_reads_the_activity_without_delete_links(as_member, campaign, activity):
    response = as_member.get(_url(campaign))
    doc = document(response)
    assert _participants(response) == ["Arnaud", "Bernard", "Colin", "Durand", "Eymard"]
    assert "Actions" not in table_rows(_participants_table(doc))[0]
    assert not [link for link in elements(doc, "a") if text(link).startswith("Supprimer")]
    assert links(doc, "Modifier") == []


def test_teacher_of_another_organization_gets_404(as_stranger, campaign, activity):
    response = as_stranger.get(_url(campaign))
    assert_not_found(response)
    assert campaign.name not in page_text(response)


def test_pupil_without_membership_gets_403(as_pupil, campaign):
    assert_forbidden(as_pupil.get(_url(campaign)), NOT_A_MEMBER)


def test_anonymous_visitor_is_sent_to_login(client, campaign):
    assert_sent_to_login(client.get(_url(campaign)), _url(campaign))


def test_post_is_405(as_owner, campaign):
    assert_method_not_allowed(as_owner.post(_url(campaign)), "GET")


@pytest.mark.parametrize("pk", ["²", "١٢", "9" * 30])
def test_malformed_campaign_id_is_404(as_owner, pk):
    assert_not_found(as_owner.get(f"/orga/campagnes/{pk}/"))


# Cards, chart and statuses


def test_cards_count_participants_profiles_received_and_certifiability(as_owner, campaign, activity):
    assert _stats(document(as_owner.get(_url(campaign)))) == {
        "Total de participants": "5",
        "Profils reçus": "3",
        "Certifiables": "2",
        "Non certifiable": "1",
    }


def test_chart_has_its_data_table_day_by_day(as_owner, campaign, activity):
    doc = document(as_owner.get(_url(campaign)))
    section = _section(doc, "days-title")
    assert list(elements(section, "polyline"))
    today = timezone.localdate()
    day = lambda days_ago: f"{today - datetime.timedelta(days=days_ago):%-d}"  # noqa: E731
    rows = table_rows(element(element(section, "details"), "table"))
    # The factories write every participation today; the sendings are 2 and 1 days old.
    assert [(row["Participants"], row["Profils reçus"]) for row in rows] == [
        ("0", "1"),
        ("0", "3"),
        ("5", "3"),
    ]
    assert [row["Jour"].split()[1] for row in rows] == [day(2), day(1), day(0)]
    assert "5 participants et 3 profils reçus à ce jour" in text(by_id(doc, "days-summary"))


def test_status_share_has_its_table(as_owner, campaign, activity):
    section = _section(document(as_owner.get(_url(campaign))), "status-title")
    rows = table_rows(element(section, "table"))
    assert [(row["Statut"], row["Participants"], row["Part"]) for row in rows] == [
        ("En attente d'envoi", "2", "40 %"),
        ("Profils reçus", "3", "60 %"),
    ]


def test_empty_campaign_says_to_hand_out_the_code(as_owner, campaign):
    doc = document(as_owner.get(_url(campaign)))
    assert _stats(doc)["Total de participants"] == "0"
    expected = fr(f"Aucun participant pour l'instant : donnez le code {campaign.code} à vos élèves.")
    assert expected in text(_section(doc, "days-title"))
    assert text(by_id(doc, "participants-count")) == "0 participant"


def test_code_link_and_qr_code_to_hand_out(as_owner, campaign):
    doc = document(as_owner.get(_url(campaign)))
    join_url = f"http://testserver/campagnes/{campaign.code}"
    assert text(by_id(doc, "campaign-code")) == campaign.code
    assert attr(by_id(doc, "campaign-link"), "href") == join_url
    qr = _section(doc, "qr-title")
    assert text(element(element(qr, "svg"), "title")) == "QR code du lien direct de la campagne"
    assert links(qr, "Imprimer une fiche pour la classe") == [
        reverse("campaigns:handout", args=[campaign.pk])
    ]


# « Liste des participants »


def test_list_shows_every_pupil_who_joined_with_status_and_sendings(as_owner, campaign, activity):
    rows = {
        row["Nom"]: row for row in table_rows(_participants_table(document(as_owner.get(_url(campaign)))))
    }
    assert sorted(rows) == ["Arnaud", "Bernard", "Colin", "Durand", "Eymard"]
    assert {key: rows["Arnaud"][key] for key in ["Prénom", "Classe", "Statut", "Nombre d'envois"]} == {
        "Prénom": "Alice",
        "Classe": "2NDE1",
        "Statut": "Profil reçu",
        "Nombre d'envois": "1",
    }
    assert (rows["Durand"]["Statut"], rows["Durand"]["Nombre d'envois"]) == ("En attente d'envoi", "0")


def test_sendings_are_counted_as_the_pupil_made_them(as_owner, campaign):
    campaign_change(campaign, multiple_sendings=True)
    learner = roster_pupil(campaign.organization, last_name="Martin")
    send(campaign, learner)
    send(campaign, learner)
    (row,) = table_rows(_participants_table(document(as_owner.get(_url(campaign)))))
    assert (row["Statut"], row["Nombre d'envois"]) == ("Profil reçu", "2")


def test_pupil_who_sent_and_started_again_stays_received_and_opens_his_latest_profile(as_owner, campaign):
    campaign_change(campaign, multiple_sendings=True)
    learner = roster_pupil(campaign.organization, last_name="Martin")
    send(campaign, learner, pix={"1.1": 24})
    join(campaign, learner)
    doc = document(as_owner.get(_url(campaign)))
    (row,) = table_rows(_participants_table(doc))
    assert (row["Statut"], row["Nombre d'envois"]) == ("Profil reçu", "1")
    (href,) = links(doc, "Martin")
    content = page_text(as_owner.get(href))
    assert "Ce participant n'a pas encore envoyé son profil." not in content
    assert "Score Pix 24 pix" in text(element(document(as_owner.get(href)), "dl"))


def test_external_id_column_when_the_campaign_asks_for_one(as_owner, organization, owner):
    campaign = CampaignFactory(organization=organization, creator=owner, external_id_label="Numéro d'élève")
    ParticipationFactory(campaign=campaign, participant_external_id="E-4521")
    (row,) = table_rows(_participants_table(document(as_owner.get(_url(campaign)))))
    assert row["Numéro d'élève"] == "E-4521"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"statut": "en-attente"}, ["Durand", "Eymard"]),
        ({"statut": "recu"}, ["Arnaud", "Bernard", "Colin"]),
        ({"classe": "2NDE1"}, ["Arnaud", "Durand"]),
        ({"classe": ["2NDE1", "2NDE2"], "statut": "en-attente"}, ["Durand", "Eymard"]),
        ({"recherche": "chloe"}, ["Colin"]),
        ({"recherche": "EYMA"}, ["Eymard"]),
        ({"tri": "-nom"}, ["Eymard", "Durand", "Colin", "Bernard", "Arnaud"]),
        ({"tri": "classe"}, ["Arnaud", "Durand", "Bernard", "Colin", "Eymard"]),
        ({"tri": "-classe"}, ["Eymard", "Colin", "Bernard", "Durand", "Arnaud"]),
    ],
)
def test_list_filters_by_status_class_and_name_and_sorts(as_owner, campaign, activity, query, expected):
    response = as_owner.get(_url(campaign), query)
    assert _participants(response) == expected
    assert text(by_id(document(response), "participants-count")).split()[0] == str(len(expected))


def test_search_ignores_accents_and_case(as_owner, campaign):
    ParticipationFactory(campaign=campaign, learner__last_name="Lefèvre", learner__first_name="Éloïse")
    ParticipationFactory(campaign=campaign, learner__last_name="Martin", learner__first_name="Léa")
    for typed in ["lefevre", "éloïse", "ELOISE"]:
        assert _participants(as_owner.get(_url(campaign), {"recherche": typed})) == ["Lefèvre"]


@pytest.mark.parametrize(
    ("count", "expected"), [(0, "0 participant"), (1, "1 participant"), (2, "2 participants")]
)
def test_count_agrees_in_french(as_owner, campaign, count, expected):
    for index in range(count):
        ParticipationFactory(campaign=campaign, learner__last_name=f"Nom{index}")
    assert text(by_id(document(as_owner.get(_url(campaign))), "participants-count")) == expected


def test_list_is_paged_by_25_50_or_100(as_owner, campaign):
    for index in range(30):
        ParticipationFactory(campaign=campaign, learner__last_name=f"Nom{index:02d}")
    first = as_owner.get(_url(campaign), {"statut": "en-attente"})
    assert _participants(first) == [f"Nom{index:02d}" for index in range(25)]
    assert attr(by_id(document(first), "participants-table-next"), "href") == "?statut=en-attente&page=2"
    second = as_owner.get(_url(campaign), {"statut": "en-attente", "page": 2})
    assert _participants(second) == [f"Nom{index:02d}" for index in range(25, 30)]
    assert len(_participants(as_owner.get(_url(campaign), {"taille": 50}))) == 30


def test_sent_rows_open_the_participant_page_carrying_the_list_state(as_owner, campaign, activity):
    query = {"classe": "2NDE2", "tri": "-nom"}
    doc = document(as_owner.get(_url(campaign), query))
    (href,) = links(doc, "Colin")
    participant = reverse("campaigns:participant", args=[campaign.pk, activity["chloe"].pk])
    assert href == f"{participant}?depuis=activite&classe=2NDE2&tri=-nom"
    assert links(document(as_owner.get(href)), "← Retour à la liste") == [
        f"{_url(campaign)}?classe=2NDE2&tri=-nom"
    ]
    assert links(doc, "Eymard") == []


def test_back_link_from_the_participant_page_returns_to_the_same_page_of_the_list(as_owner, campaign):
    for index in range(30):
        sent(campaign, last_name=f"Nom{index:02d}")
    doc = document(as_owner.get(_url(campaign), {"page": 2}))
    (href,) = links(doc, "Nom27")
    assert links(document(as_owner.get(href)), "← Retour à la liste") == [f"{_url(campaign)}?page=2"]


# « Par classe »


def test_per_class_counts_pupils_who_never_joined_in_a_school(as_owner, campaign, activity, organization):
    OrganizationLearnerFactory(organization=organization, division="2NDE1", last_name="Absent")
    OrganizationLearnerFactory(organization=organization, division="2NDE2", last_name="Absente")
    OrganizationLearnerFactory(organization=organization, division="2NDE2", last_name="Absent")
    OrganizationLearnerFactory(organization=organization, division="2NDE2", is_disabled=True)
    OrganizationLearnerFactory(division="2NDE2", last_name="Ailleurs")
    doc = document(as_owner.get(_url(campaign)))
    section = _section(doc, "classes-title")
    rows = {row["Classe"]: row for row in table_rows(element(section, "table"))}
    assert rows["2NDE1"] | {"Relancer": ""} == {
        "Classe": "2NDE1",
        "Élèves": "3",
        "Participants": "2",
        "Profils reçus": "1",
        "Certifiables": "1",
        "Non certifiables": "0",
        "N'ont pas rejoint": "1",
        "Répartition": "",
        "Relancer": "",
    }
    assert (
        rows["2NDE2"]["Élèves"],
        rows["2NDE2"]["Non certifiables"],
        rows["2NDE2"]["N'ont pas rejoint"],
    ) == (
        "5",
        "1",
        "2",
    )
    never_joined = reverse("campaigns:never_joined", args=[campaign.pk])
    assert links(section, "Pas encore rejoint en 2NDE2") == [f"{never_joined}?classe=2NDE2"]
    assert links(section, "Voir les 3 élèves qui n'ont pas encore rejoint la campagne") == [never_joined]
    assert links(section, "Non certifiables de 2NDE2") == [
        f"{reverse('campaigns:results', args=[campaign.pk])}?classe=2NDE2&certifiable=non"
    ]


def test_per_class_link_to_the_one_pupil_who_never_joined_agrees_in_french(as_owner, campaign, organization):
    OrganizationLearnerFactory(organization=organization, division="2NDE1")
    section = _section(document(as_owner.get(_url(campaign))), "classes-title")
    assert links(section, "Voir les 1 élève qui n'a pas encore rejoint la campagne")


def test_per_class_has_no_never_joined_column_outside_schools(login):
    teacher = MembershipFactory(organization=OrganizationFactory(type=Organization.Type.PRO)).user
    campaign = CampaignFactory(organization=teacher.memberships.get().organization, creator=teacher)
    ParticipationFactory(campaign=campaign, learner__division="")
    doc = document(login(teacher).get(_url(campaign)))
    (row,) = table_rows(element(_section(doc, "classes-title"), "table"))
    assert row["Classe"] == "Sans classe" and row["Participants"] == "1"
    assert "N'ont pas rejoint" not in row and "Élèves" not in row


# htmx


def test_htmx_request_gets_only_the_list_and_the_count_out_of_band(as_owner, campaign, activity):
    response = as_owner.get(_url(campaign), {"statut": "en-attente"}, headers=HTMX)
    content = response.content.decode()
    assert content.lstrip().startswith('<div id="participants-table"')
    assert "<html" not in content and "Total de participants" not in content
    assert _participants(response) == ["Durand", "Eymard"]
    count = by_id(document(response), "participants-count")
    assert (attr(count, "hx-swap-oob"), text(count)) == ("true", "2 participants")
    assert_varies_on_htmx(response)


def test_history_restore_request_gets_the_full_page(as_owner, campaign, activity):
    response = as_owner.get(_url(campaign), {"statut": "en-attente"}, headers=HISTORY_RESTORE)
    doc = document(response)
    assert title(doc).startswith("Activité")
    assert _stats(doc)["Total de participants"] == "5"
    assert _participants(response) == ["Durand", "Eymard"]
    assert_varies_on_htmx(response)


def test_sort_survives_a_filter_change(as_owner, campaign, activity):
    doc = document(as_owner.get(_url(campaign), {"tri": "-nom"}))
    (tri,) = elements(doc, "input", name="tri")
    assert (attr(tri, "value"), attr(tri, "form")) == ("-nom", "participants-filters")
    assert contains(by_id(doc, "participants-table"), tri)
    assert has_id(doc, "participants-filters")
    fragment = document(as_owner.get(_url(campaign), {"tri": "-nom", "statut": "recu"}, headers=HTMX))
    (tri,) = elements(fragment, "input", name="tri")
    assert (attr(tri, "value"), attr(tri, "form")) == ("-nom", "participants-filters")


def test_live_region_announcing_the_count_is_outside_the_replaced_fragment(as_owner, campaign, activity):
    doc = document(as_owner.get(_url(campaign)))
    count = by_id(doc, "participants-count")
    assert (attr(count, "role"), attr(count, "aria-live"), text(count)) == (
        "status",
        "polite",
        "5 participants",
    )
    assert not contains(by_id(doc, "participants-table"), count)


# Malformed input never gives a 500


@pytest.mark.parametrize(
    "query",
    [
        {"page": "²"},
        {"taille": "99999"},
        {"tri": "n'importe quoi"},
        {"tri": "score"},
        {"classe": "<inconnue>"},
        {"statut": "perdu"},
        {"recherche": "x" * 10_000},
    ],
)
def test_malformed_query_is_ignored(as_owner, campaign, activity, query):
    response = as_owner.get(_url(campaign), query)
    assert response.status_code == 200
    assert _participants(response) == ["Arnaud", "Bernard", "Colin", "Durand", "Eymard"]


# Queries


def test_runs_a_bounded_number_of_queries(as_owner, campaign, organization, django_assert_max_num_queries):
    for index in range(60):
        division = f"2NDE{index % 6}"
        if index % 3:
            sent(campaign, last_name=f"Nom{index:03d}", division=division, days_ago=index % 9)
        else:
            ParticipationFactory(
                campaign=campaign, learner__last_name=f"Nom{index:03d}", learner__division=division
            )
        OrganizationLearnerFactory(organization=organization, division=division)
    # session, user, membership, campaign, classes of the filter, page count, page rows with their
    # learner, status and sendings (subqueries), last relaunch of the page's pupils, activity days,
    # joined per class, received and certifiable per class, never joined per class, organizations of the
    # switcher: 13, whatever the number of rows
    with django_assert_max_num_queries(13):
        response = as_owner.get(_url(campaign), {"taille": 100})
    assert len(_participants(response)) == 60
