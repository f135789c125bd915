"""A campaign's Résultats and a participant's page through the API: the console's rows, filters and sorts."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.factories import CampaignFactory, ParticipationFactory, SharedParticipationFactory
from profiles.framework import COMPETENCES
from tests.api.conftest import api_error
from tests.campaigns.sendings import sent

pytestmark = pytest.mark.django_db


def results_url(campaign):
    return f"/api/v1/campagnes/{campaign.pk}/resultats/"


def participant_url(campaign, participation):
    return f"/api/v1/campagnes/{campaign.pk}/participants/{participation.pk}/"


def last_names(response):
    assert response.status_code == 200, response.content
    return [row["last_name"] for row in response.json()["results"]]


@pytest.fixture
def table(campaign):
    """Four pupils who sent (two classes, certifiable or not), one who did not."""
    rows = {
        "Arnaud": sent(campaign, last_name="Arnaud", division="2NDE1", days_ago=3),
        "Bernard": sent(campaign, last_name="Bernard", division="2NDE2", pix={"1.1": 8}, days_ago=1),
        "Colin": sent(campaign, last_name="Colin", division="2NDE1", pix={"1.1": 8, "1.2": 8}, days_ago=2),
        "Dupuis": sent(campaign, last_name="Dupuis", first_name="Émile", division="2NDE2", days_ago=0),
    }
    ParticipationFactory(campaign=campaign, learner__last_name="Zola", learner__division="2NDE1")
    return rows


def test_results_are_the_latest_sendings_newest_first(as_teacher, campaign, table):
    response = as_teacher.get(results_url(campaign))
    assert response.json()["count"] == 4
    assert last_names(response) == ["Dupuis", "Bernard", "Colin", "Arnaud"]
    row = response.json()["results"][0]
    dupuis = table["Dupuis"]
    assert row == {
        "id": dupuis.pk,
        "learner_id": dupuis.learner_id,
        "last_name": "Dupuis",
        "first_name": "Émile",
        "division": "2NDE2",
        "participant_external_id": "",
        "status": "SHARED",
        "created_at": row["created_at"],
        "shared_at": timezone.localtime(dupuis.shared_at).isoformat(),
        "pix_score": 40,
        "is_certifiable": True,
        "certifiable_competences_count": 5,
        "missing_competences": 0,
        "sending_number": 1,
        "previous_pix_score": None,
        "history": None,
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"classe": "2NDE1"}, ["Colin", "Arnaud"]),
        ({"classe": ["2NDE1", "2NDE2"]}, ["Dupuis", "Bernard", "Colin", "Arnaud"]),
        ({"certifiable": "oui"}, ["Dupuis", "Arnaud"]),
        ({"certifiable": "non"}, ["Bernard", "Colin"]),
        ({"manque": "3"}, ["Colin"]),
        ({"manque": "4"}, ["Bernard"]),
        ({"recherche": "emile"}, ["Dupuis"]),
        ({"tri": "nom"}, ["Arnaud", "Bernard", "Colin", "Dupuis"]),
        ({"tri": "-manque"}, ["Bernard", "Colin", "Dupuis", "Arnaud"]),
        ({"tri": "classe"}, ["Arnaud", "Colin", "Bernard", "Dupuis"]),
        ({"classe": "2NDE2", "tri": "score"}, ["Bernard", "Dupuis"]),
    ],
)
def test_results_filter_and_sort_with_the_consoles_parameters(
    as_teacher, client, teacher, campaign, table, query, expected
):
    assert last_names(as_teacher.get(results_url(campaign), query)) == expected
    client.force_login(teacher)
    page = client.get(reverse("campaigns:results", args=[campaign.pk]), query).context["page"]
    assert [row.learner.last_name for row in page.object_list] == expected


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"classe": "3EME"}, "classe"),
        ({"certifiable": "peut-être"}, "certifiable"),
        ({"manque": "9"}, "manque"),
        ({"tri": "age"}, "tri"),
        ({"recherche": "x" * 101}, "recherche"),
        ({"historique": "souvent"}, "historique"),
    ],
)
def test_results_refuse_a_value_the_table_does_not_offer(as_teacher, campaign, table, query, field):
    error = api_error(as_teacher.get(results_url(campaign), query), 400)
    assert list(error["champs"]) == [field]


def test_results_pages_are_bounded_to_100_rows(as_teacher, campaign):
    for index in range(101):
        sent(campaign, last_name=f"Nom{index:03d}")
    body = as_teacher.get(results_url(campaign), {"taille": 1000}).json()
    assert (body["count"], len(body["results"])) == (101, 100)
    assert len(as_teacher.get(results_url(campaign)).json()["results"]) == 25
    second = as_teacher.get(results_url(campaign), {"taille": 100, "page": 2}).json()
    assert len(second["results"]) == 1 and second["next"] is None
    assert api_error(as_teacher.get(results_url(campaign), {"page": 9}), 404)["code"] == "introuvable"


def _three_sendings(campaign):
    first = sent(
        campaign, last_name="Martin", pix={"1.1": 8}, days_ago=5, is_improved=True, is_latest_sending=False
    )
    second = SharedParticipationFactory(
        campaign=campaign,
        user=first.user,
        learner=first.learner,
        shared_at=timezone.now() - datetime.timedelta(days=2),
        snapshot__pix={"1.1": 16},
        is_improved=True,
        is_latest_sending=False,
        sending_number=2,
    )
    third = SharedParticipationFactory(
        campaign=campaign,
        user=first.user,
        learner=first.learner,
        snapshot__pix=dict.fromkeys([c.code for c in COMPETENCES[:5]], 16),
        sending_number=3,
        previous_pix_score=16,
    )
    return first, second, third


def test_history_gives_every_sending_of_each_row(as_teacher, campaign):
    campaign.multiple_sendings = True
    campaign.save()
    first, second, third = _three_sendings(campaign)
    other = sent(campaign, last_name="Zola")

    rows = as_teacher.get(results_url(campaign), {"historique": "1", "tri": "nom"}).json()["results"]

    assert [row["id"] for row in rows] == [third.pk, other.pk]
    assert [(s["id"], s["sending_number"], s["pix_score"]) for s in rows[0]["history"]] == [
        (third.pk, 3, 80),
        (second.pk, 2, 16),
        (first.pk, 1, 8),
    ]
    assert rows[0]["previous_pix_score"] == 16
    assert [s["id"] for s in rows[1]["history"]] == [other.pk]


@pytest.mark.parametrize("count", [5, 60])
def test_results_with_history_take_as_many_queries_for_5_as_for_60_rows(
    as_teacher, campaign, count, django_assert_max_num_queries
):
    campaign.multiple_sendings = True
    campaign.save()
    _three_sendings(campaign)
    for index in range(count - 1):
        sent(campaign, last_name=f"Nom{index:03d}")
    # token and user, last use, membership, campaign, its classes (filter choices), count, page of rows
    # with their learner, the page's sendings
    with django_assert_max_num_queries(8):
        response = as_teacher.get(results_url(campaign), {"historique": "1", "taille": 100})
    assert len(response.json()["results"]) == count


def test_the_learner_id_is_the_same_in_results_roster_and_export(as_teacher, client, teacher, campaign):
    row = sent(campaign, last_name="Martin")
    learner_id = as_teacher.get(results_url(campaign)).json()["results"][0]["learner_id"]
    roster = as_teacher.get("/api/v1/eleves/", {"recherche": "martin"}).json()["results"]
    client.force_login(teacher)
    export = b"".join(client.get(reverse("campaigns:export", args=[campaign.pk])).streaming_content)
    assert learner_id == row.learner_id == roster[0]["learner_id"]
    assert export.decode().splitlines()[1].endswith(f";{learner_id}")


def test_results_permissions(as_colleague, as_stranger, as_pupil, anonymous, campaign, table):
    assert len(last_names(as_colleague.get(results_url(campaign)))) == 4
    api_error(as_stranger.get(results_url(campaign)), 404)
    api_error(as_pupil.get(results_url(campaign)), 403)
    api_error(anonymous.get(results_url(campaign)), 401)
    api_error(as_colleague.post(results_url(campaign)), 405)


# A participant.


def test_a_participant_has_his_16_competences_and_his_other_sendings(as_teacher, campaign):
    campaign.multiple_sendings = True
    campaign.save()
    first, second, third = _three_sendings(campaign)

    body = as_teacher.get(participant_url(campaign, third)).json()

    assert (body["id"], body["learner_id"], body["last_name"], body["pix_score"]) == (
        third.pk,
        third.learner_id,
        "Martin",
        80,
    )
    assert body["max_reachable_level"] == 7
    assert [c["code"] for c in body["competences"]] == [c.code for c in COMPETENCES]
    assert body["competences"][0] == {
        "code": "1.1",
        "name": "Mener une recherche et une veille d’information",
        "area_code": "1",
        "area_title": "Information et données",
        "level": 2,
        "pix": 16,
    }
    assert body["competences"][5]["level"] == 0
    assert [(s["id"], s["pix_score"]) for s in body["history"]] == [(second.pk, 16), (first.pk, 8)]


def test_a_participant_who_has_not_sent_has_no_competences_yet(as_teacher, campaign):
    waiting = ParticipationFactory(campaign=campaign)
    body = as_teacher.get(participant_url(campaign, waiting)).json()
    assert (body["status"], body["competences"], body["history"], body["max_reachable_level"]) == (
        "TO_SHARE",
        [],
        [],
        None,
    )


def test_a_participant_of_another_campaign_or_removed_is_404(as_teacher, campaign, organization, teacher):
    elsewhere = sent(CampaignFactory(organization=organization, creator=teacher), last_name="Ailleurs")
    removed = sent(campaign, last_name="Supprimé", deleted_at=timezone.now())
    api_error(as_teacher.get(participant_url(campaign, elsewhere)), 404)
    api_error(as_teacher.get(participant_url(campaign, removed)), 404)


def test_participant_permissions(as_colleague, as_stranger, as_pupil, anonymous, campaign):
    row = sent(campaign, last_name="Martin")
    assert as_colleague.get(participant_url(campaign, row)).json()["last_name"] == "Martin"
    api_error(as_stranger.get(participant_url(campaign, row)), 404)
    api_error(as_pupil.get(participant_url(campaign, row)), 403)
    api_error(anonymous.get(participant_url(campaign, row)), 401)
