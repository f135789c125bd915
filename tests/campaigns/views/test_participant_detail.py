"""A participant's page: his sent profile, frozen, competence by competence; his other sendings; and a
way back to the list he came from, as he left it."""

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.factories import CampaignFactory, ParticipationFactory
from profiles.framework import COMPETENCE_CODES
from tests.campaigns.sendings import sent

from .checks import (
    NOT_A_MEMBER,
    assert_forbidden,
    assert_method_not_allowed,
    assert_not_found,
    assert_sent_to_login,
    fr,
)
from .html import document, element, elements, links, table_rows, text, title
from .pupils import campaign_change, roster_pupil, send

pytestmark = pytest.mark.django_db


def _url(participation, query=""):
    url = reverse("campaigns:participant", args=[participation.campaign_id, participation.pk])
    return f"{url}?{query}" if query else url


@pytest.fixture
def chloe(campaign):
    """Certifiable: 5 competences at level 1."""
    return sent(
        campaign,
        last_name="Colin",
        first_name="Chloé",
        division="2NDE2",
        pix=dict.fromkeys(COMPETENCE_CODES[:5], 8),
    )


@pytest.fixture
def bruno(campaign):
    """Not certifiable: 4 competences at level 3."""
    return sent(
        campaign,
        last_name="Bernard",
        first_name="Bruno",
        division="2NDE2",
        pix=dict.fromkeys(COMPETENCE_CODES[:4], 30),
    )


def _facts(response):
    """What the page says of the sending: {term: definition}."""
    listing = element(document(response), "dl", class_="settings")
    items = [child for child in listing.children if getattr(child, "name", None) == "div"]
    return {text(element(item, "dt")): text(element(item, "dd")) for item in items}


def _delete_link(response):
    return links(document(response), "Supprimer cette participation")


# Who may see it


def test_owner_who_is_not_an_admin_sees_it_and_may_delete_it(as_owner, chloe):
    response = as_owner.get(_url(chloe))
    assert text(element(document(response), "h1")) == "Chloé Colin"
    assert _delete_link(response) == [
        reverse("campaigns:participation_delete", args=[chloe.campaign_id, chloe.pk])
    ]


def test_admin_who_is_not_the_owner_sees_it_and_may_delete_it(as_admin, chloe):
    response = as_admin.get(_url(chloe))
    assert _facts(response)["Score Pix"] == "40 pix"
    assert len(_delete_link(response)) == 1


def test_member_who_is_neither_reads_it_without_the_delete_link(as_member, chloe):
    response = as_member.get(_url(chloe))
    assert _facts(response)["Score Pix"] == "40 pix"
    assert _delete_link(response) == []


def test_teacher_of_another_organization_gets_404(as_stranger, chloe):
    response = as_stranger.get(_url(chloe))
    assert_not_found(response)
    assert "Colin" not in response.content.decode()


def test_pupil_without_membership_gets_403(as_pupil, chloe):
    assert_forbidden(as_pupil.get(_url(chloe)), NOT_A_MEMBER)


def test_anonymous_visitor_is_sent_to_login(client, chloe):
    assert_sent_to_login(client.get(_url(chloe)), _url(chloe))


def test_post_is_405(as_owner, chloe):
    assert_method_not_allowed(as_owner.post(_url(chloe)), "GET")


def test_participation_of_another_campaign_is_404(as_owner, campaign, organization, owner):
    elsewhere = sent(CampaignFactory(organization=organization, creator=owner), last_name="Martin")
    assert_not_found(as_owner.get(reverse("campaigns:participant", args=[campaign.pk, elsewhere.pk])))


def test_deleted_participation_is_404(as_owner, chloe, owner):
    chloe.deleted_at = timezone.now()
    chloe.save()
    assert_not_found(as_owner.get(_url(chloe)))


@pytest.mark.parametrize("pk", ["²", "٣", "1" * 30])
def test_malformed_participation_id_is_404(as_owner, campaign, pk):
    assert_not_found(as_owner.get(f"/orga/campagnes/{campaign.pk}/participants/{pk}/"))


# The sent profile


def test_certifiable_profile_by_area_as_it_was_sent(as_owner, chloe):
    response = as_owner.get(_url(chloe))
    doc = document(response)
    assert title(doc) == "Chloé Colin · Collecte des profils au 23.09.21 · pixorga"
    facts = _facts(response)
    assert facts["Classe"] == "2NDE2"
    assert facts["Date d'envoi"] == f"{timezone.localtime(chloe.shared_at):%d/%m/%Y à %H:%M}"
    assert (facts["Score Pix"], facts["Certifiable"], facts["Compétences certifiables"]) == (
        "40 pix",
        "Certifiable",
        "5 sur 16",
    )
    areas = [text(element(area, "h3")) for area in elements(doc, "section", class_="area")]
    assert areas[0] == "1. Information et données" and len(areas) == 5
    rows = {
        row["Compétence"]: row for area in elements(doc, "section", class_="area") for row in table_rows(area)
    }
    assert (
        rows["1.1 Mener une recherche et une veille d’information"]["Niveau"],
        rows["5.2 Construire un environnement numérique"]["Pix"],
    ) == ("1", "0")


@pytest.mark.parametrize(
    ("competences", "missing"),
    [(4, "il manque 1 compétence de niveau 1 au moins"), (2, "il manque 3 compétences de niveau 1 au moins")],
)
def test_not_certifiable_profile_says_how_many_competences_are_missing(
    as_owner, campaign, competences, missing
):
    participation = sent(campaign, last_name="Bernard", pix=dict.fromkeys(COMPETENCE_CODES[:competences], 30))
    assert _facts(as_owner.get(_url(participation)))["Certifiable"] == fr(f"Non certifiable : {missing}")


def test_external_id_is_shown_when_the_campaign_asks_for_one(as_owner, organization, owner):
    campaign = CampaignFactory(organization=organization, creator=owner, external_id_label="Numéro d'élève")
    participation = sent(campaign, last_name="Martin", participant_external_id="E-4521")
    assert _facts(as_owner.get(_url(participation)))["Numéro d'élève"] == "E-4521"


def test_pending_participant_has_no_profile_yet(as_owner, campaign):
    pending = ParticipationFactory(campaign=campaign, learner__last_name="Fabre")
    response = as_owner.get(_url(pending))
    assert _facts(response)["Date d'envoi"] == "En attente d'envoi"
    assert "Ce participant n'a pas encore envoyé son profil." in text(
        element(document(response), "p", class_="empty")
    )


# Other sendings


@pytest.fixture
def two_pupils_sent_twice(campaign):
    """With multiple sendings, Martin sent 8 then 24 pix and Durand 16 then 40 pix."""
    campaign_change(campaign, multiple_sendings=True)
    martin = roster_pupil(campaign.organization, last_name="Martin")
    durand = roster_pupil(campaign.organization, last_name="Durand")
    sendings = {}
    for learner, scores in [(martin, [8, 24]), (durand, [16, 40])]:
        sendings[learner.last_name] = [send(campaign, learner, pix={"1.1": score}) for score in scores]
    return sendings


def test_latest_sending_says_its_rank_and_lists_only_this_pupils_other_sendings(
    as_owner, two_pupils_sent_twice
):
    first, latest = two_pupils_sent_twice["Martin"]
    response = as_owner.get(_url(latest))
    assert _facts(response)["Envoi"] == fr("2e envoi (score précédent : 8 pix)")
    history = element(element(document(response), "section", aria_labelledby="history-title"), "table")
    assert [(row["Score Pix"], row["Certifiable"]) for row in table_rows(history)] == [
        ("8", "Non certifiable")
    ]
    assert links(history, f"{timezone.localtime(first.shared_at):%d/%m/%Y à %H:%M}") == [_url(first)]


def test_earlier_sending_lists_the_later_one(as_owner, two_pupils_sent_twice):
    first, _ = two_pupils_sent_twice["Durand"]
    response = as_owner.get(_url(first))
    assert "Envoi" not in _facts(response)
    history = element(element(document(response), "section", aria_labelledby="history-title"), "table")
    assert [row["Score Pix"] for row in table_rows(history)] == ["40"]


def test_single_sending_has_no_other_sendings(as_owner, chloe, bruno):
    doc = document(as_owner.get(_url(chloe)))
    assert not list(elements(doc, "section", aria_labelledby="history-title"))


def test_history_links_keep_the_list_state(as_owner, two_pupils_sent_twice):
    first, latest = two_pupils_sent_twice["Martin"]
    doc = document(as_owner.get(_url(latest, "tri=nom&page=2")))
    (href,) = links(doc, f"{timezone.localtime(first.shared_at):%d/%m/%Y à %H:%M}")
    assert href == _url(first, "tri=nom&page=2")


# The way back


def test_back_link_returns_to_the_results_by_default(as_owner, chloe):
    back = links(document(as_owner.get(_url(chloe))), "← Retour à la liste")
    assert back == [reverse("campaigns:results", args=[chloe.campaign_id])]


def test_back_link_returns_to_the_results_with_their_filters_sort_and_page(as_owner, chloe):
    query = "classe=2NDE2&certifiable=oui&tri=-score&taille=50&page=3"
    back = links(document(as_owner.get(_url(chloe, query))), "← Retour à la liste")
    assert back == [f"{reverse('campaigns:results', args=[chloe.campaign_id])}?{query}"]


def test_back_link_returns_to_activity_when_opened_from_there(as_owner, chloe):
    back = links(
        document(as_owner.get(_url(chloe, "depuis=activite&statut=recu&page=2"))), "← Retour à la liste"
    )
    assert back == [f"{reverse('campaigns:detail', args=[chloe.campaign_id])}?statut=recu&page=2"]


# Queries


def test_runs_a_bounded_number_of_queries(as_owner, two_pupils_sent_twice, django_assert_max_num_queries):
    latest = two_pupils_sent_twice["Martin"][-1]
    # session, user, membership, campaign, participation with its learner and snapshot, other sendings,
    # organizations of the switcher: 7
    with django_assert_max_num_queries(7):
        response = as_owner.get(_url(latest))
    assert _facts(response)["Score Pix"] == "24 pix"
