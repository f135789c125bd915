"""The teacher's side of an assessment campaign: creating it on a target profile, Activité, Résultats, the
participant page and the export."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.factories import UserFactory
from campaigns.export import BOM
from campaigns.factories import ParticipationFactory
from campaigns.models import Campaign, Participation
from campaigns.services import participation_send_profile
from evaluation.models import Topic
from tests.campaigns.assessments import answer_all, assessment, bank_topics, joined, sent_assessment
from tests.pages import page_text
from tests.test_typography import _faults

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"


@pytest.fixture
def member_client(client, teacher):
    client.force_login(teacher)
    return client


@pytest.fixture
def topics(db):
    """Two topics in 1.1, two in 2.1: the only ones with questions."""
    return bank_topics()


@pytest.fixture
def campaign(organization, teacher, topics):
    """An assessment on the whole of 1.1 and 2.1."""
    return assessment(organization, teacher, topics, name="Évaluation 2nde")


def create(client, **data):
    return client.post(
        reverse("campaigns:create"),
        {
            "name": "Évaluation",
            "type": "ASSESSMENT",
            "multiple_sendings": "non",
            "asks_external_id": "non",
            **data,
        },
    )


# Creating


def test_create_form_offers_the_bank_by_area_competence_and_topic(member_client, topics):
    text = page_text(member_client.get(reverse("campaigns:create")))
    assert "bientôt disponible" not in text
    assert f"Profil cible{NBSP}: compétences et sujets à évaluer" in text
    assert "<legend>1. Information et données</legend>" in text and "<legend>2. Communication" in text
    assert 'name="competences" value="1.1"' in text and 'name="competences" value="2.1"' in text
    assert all(f'name="sujets" value="{topic.pk}"' in text for topic in topics)
    # Only the bank's topics with questions are offered: the real bank is switched off here.
    assert 'name="competences" value="3.1"' not in text


def test_a_whole_competence_and_single_topics_make_the_target(member_client, teacher, topics):
    response = create(member_client, owner=teacher.pk, competences=["2.1"], sujets=[topics[0].pk])
    campaign = Campaign.objects.get()
    assert response["Location"] == campaign.get_absolute_url()
    assert campaign.type == Campaign.Type.ASSESSMENT
    assert set(campaign.target_topics.all()) == {topics[0], topics[2], topics[3]}


def test_an_assessment_without_target_is_refused_next_to_the_target(member_client, teacher):
    response = create(member_client, owner=teacher.pk, name="Mon évaluation")
    text = page_text(response)
    assert response.status_code == 200 and "<title>Erreur" in text
    assert 'aria-invalid="true" aria-describedby="id_sujets_error"' in text
    assert 'id="id_sujets_error"><li>Choisissez au moins une compétence ou un sujet à évaluer.' in text
    assert 'value="Mon évaluation"' in text
    assert not Campaign.objects.exists()


@pytest.mark.parametrize("field", ["sujets", "competences"])
def test_a_target_outside_the_bank_is_refused(member_client, teacher, topics, field):
    dead = Topic.objects.exclude(pk__in=[topic.pk for topic in topics]).first()  # the real bank, switched off
    value = {"sujets": [dead.pk, "x"], "competences": ["9.9"]}[field]
    text = page_text(create(member_client, owner=teacher.pk, **{field: value}))
    assert "Choisissez parmi les" in text
    assert not Campaign.objects.exists()


def test_a_collection_ignores_target_checkboxes(member_client, teacher, topics):
    create(member_client, owner=teacher.pk, type="PROFILES_COLLECTION", competences=["1.1"])
    campaign = Campaign.objects.get()
    assert campaign.type == Campaign.Type.PROFILES_COLLECTION and not campaign.target_topics.exists()


def test_only_members_create_campaigns(client, teacher, topics):
    client.force_login(UserFactory())
    assert create(client, owner=teacher.pk, competences=["1.1"]).status_code == 403
    client.logout()
    assert create(client, owner=teacher.pk, competences=["1.1"])["Location"].startswith(reverse("login"))
    assert not Campaign.objects.exists()


def test_the_target_is_locked_after_creation(member_client, campaign, topics):
    url = reverse("campaigns:update", args=[campaign.pk])
    text = page_text(member_client.get(url))
    assert 'name="sujets"' not in text and "fixé à la création de la campagne" in text
    member_client.post(
        url,
        {
            "name": "Renommée",
            "owner": campaign.owner_id,
            "sujets": [topics[0].pk],
            "type": "PROFILES_COLLECTION",
        },
    )
    campaign.refresh_from_db()
    assert campaign.name == "Renommée" and campaign.type == Campaign.Type.ASSESSMENT
    assert campaign.target_topics.count() == 4


def test_settings_show_the_target_and_duplicate_copies_it(member_client, campaign, topics):
    text = page_text(member_client.get(reverse("campaigns:settings", args=[campaign.pk])))
    assert "Profil cible" in text and f"2.1 Interagir</strong>{NBSP}:" in text
    assert all(topic.name in text for topic in topics)
    response = member_client.post(reverse("campaigns:duplicate", args=[campaign.pk]))
    copy = Campaign.objects.exclude(pk=campaign.pk).get()
    assert response["Location"] == reverse("campaigns:settings", args=[copy.pk])
    assert set(copy.target_topics.all()) == set(topics) and copy.type == Campaign.Type.ASSESSMENT


def test_campaign_list_marks_assessments(member_client, campaign):
    assert "Évaluation 2nde</a> <span" in page_text(
        member_client.get(reverse("campaigns:list") + "?vue=toutes")
    )


# Activité


def test_activity_counts_pupils_answering_to_send_and_received(member_client, campaign, pupil, organization):
    joined(campaign, pupil)
    finished = ParticipationFactory(campaign=campaign, learner__last_name="Fini")
    Participation.objects.filter(pk=finished.pk).update(status=Participation.Status.TO_SHARE)
    sent_assessment(campaign, {"1.1": (3, 6), "2.1": (6, 6)}, last_name="Envoyé")
    text = page_text(member_client.get(reverse("campaigns:detail", args=[campaign.pk])))
    assert "Résultats reçus" in text and "Certifiable" not in text and "ertifiables" not in text
    for label in ("En cours", "Résultats à envoyer", "Résultats reçus"):
        assert f">{label}</span>" in text
    assert f"En cours{NBSP}: 1 (33" in text


@pytest.mark.parametrize(
    ("status", "expected"), [("en-cours", ["Martin"]), ("a-envoyer", ["Fini"]), ("recu", ["Envoyé"])]
)
def test_activity_filters_the_three_statuses(member_client, campaign, pupil, status, expected):
    joined(campaign, pupil)
    finished = ParticipationFactory(campaign=campaign, learner__last_name="Fini")
    Participation.objects.filter(pk=finished.pk).update(status=Participation.Status.TO_SHARE)
    sent_assessment(campaign, {"1.1": (3, 6)}, last_name="Envoyé")
    response = member_client.get(reverse("campaigns:detail", args=[campaign.pk]), {"statut": status})
    assert [row.learner.last_name for row in response.context["page"].object_list] == expected


def test_activity_of_an_assessment_runs_a_bounded_number_of_queries(
    member_client, campaign, django_assert_max_num_queries
):
    for index in range(30):
        sent_assessment(
            campaign, {"1.1": (index % 7, 6)}, last_name=f"Nom{index:02d}", division=f"2NDE{index % 3}"
        )
        ParticipationFactory(campaign=campaign, learner__last_name=f"Attente{index:02d}")
    # session, user, membership, switcher, campaign, classes, participants (count, page), relaunch dates,
    # activity days, per class (joined, received, never joined), pending statuses: the same with 60 rows
    with django_assert_max_num_queries(14):
        response = member_client.get(reverse("campaigns:detail", args=[campaign.pk]))
    assert response.status_code == 200 and len(response.context["page"].object_list) == 25


# Résultats


@pytest.fixture
def results(campaign):
    """Three pupils who sent, one who is still answering."""
    rows = {
        "Arnaud": sent_assessment(campaign, {"1.1": (6, 6), "2.1": (0, 6)}, last_name="Arnaud", days_ago=3),
        "Bernard": sent_assessment(
            campaign, {"1.1": (3, 6), "2.1": (6, 6)}, last_name="Bernard", division="2NDE2", days_ago=1
        ),
        "Colin": sent_assessment(campaign, {"1.1": (0, 6), "2.1": (3, 6)}, last_name="Colin", days_ago=2),
    }
    ParticipationFactory(campaign=campaign, learner__last_name="Dupuis", status=Participation.Status.STARTED)
    return rows


def _names(response):
    return [row.learner.last_name for row in response.context["page"].object_list]


def test_results_show_mastery_overall_and_per_competence(member_client, campaign, results):
    response = member_client.get(reverse("campaigns:results", args=[campaign.pk]))
    text = page_text(response)
    assert _names(response) == ["Bernard", "Colin", "Arnaud"]  # the latest sending first
    assert "Résultats (3)" in text and "Dupuis" not in text
    for header in ("Nom", "Prénom", "Classe", "Date d'envoi", "Maîtrise (%)"):
        assert f">{header}" in text
    assert 'id="tri-competence-1-1"' in text and "Trier par maîtrise de la compétence 2.1 Interagir" in text
    bernard = text[text.index(">Bernard<") :]
    assert bernard.index(f"75{NBSP}%") < bernard.index(f"50{NBSP}%") < bernard.index(f"100{NBSP}%")
    assert "Score Pix" not in text and "Certifiabilité" not in text


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("maitrise", ["Colin", "Arnaud", "Bernard"]),
        ("-maitrise", ["Bernard", "Arnaud", "Colin"]),
        ("-competence-1.1", ["Arnaud", "Bernard", "Colin"]),
        ("competence-2.1", ["Arnaud", "Colin", "Bernard"]),
        ("nom", ["Arnaud", "Bernard", "Colin"]),
        ("-competence-9.9", ["Bernard", "Colin", "Arnaud"]),
    ],
)
def test_results_sort_on_mastery_and_on_each_competence(member_client, campaign, results, ordering, expected):
    response = member_client.get(reverse("campaigns:results", args=[campaign.pk]), {"tri": ordering})
    assert _names(response) == expected


def test_results_filter_by_class(member_client, campaign, results):
    response = member_client.get(reverse("campaigns:results", args=[campaign.pk]), {"classe": "2NDE2"})
    assert _names(response) == ["Bernard"]


def test_results_htmx_request_gets_only_the_table(member_client, campaign, results):
    response = member_client.get(
        reverse("campaigns:results", args=[campaign.pk]), {"tri": "-maitrise"}, headers={"HX-Request": "true"}
    )
    text = page_text(response)
    assert text.lstrip().startswith('<div id="results-table"') and "Bernard" in text


def test_results_of_an_assessment_run_a_bounded_number_of_queries(
    member_client, campaign, django_assert_max_num_queries
):
    for index in range(60):
        sent_assessment(
            campaign,
            {"1.1": (index % 7, 6), "2.1": (3, 6)},
            last_name=f"Nom{index:02d}",
            division=f"2NDE{index % 4}",
        )
    # session, user, membership, switcher, campaign, target profile, classes, count, page, relaunch dates:
    # the per-competence cells come from the rows' frozen results, not from a query per row
    with django_assert_max_num_queries(10):
        response = member_client.get(
            reverse("campaigns:results", args=[campaign.pk]), {"tri": "competence-1.1"}
        )
    assert len(response.context["page"].object_list) == 25


@pytest.mark.parametrize(
    "name", ["campaigns:results", "campaigns:detail", "campaigns:settings", "campaigns:export"]
)
def test_assessment_pages_are_404_for_another_organization(client, stranger, campaign, name):
    client.force_login(stranger)
    assert client.get(reverse(name, args=[campaign.pk])).status_code == 404


@pytest.mark.parametrize("name", ["campaigns:results", "campaigns:detail", "campaigns:settings"])
def test_assessment_pages_work_for_a_team_member_and_refuse_post(client, colleague, campaign, results, name):
    client.force_login(colleague)
    assert client.get(reverse(name, args=[campaign.pk])).status_code == 200
    assert client.post(reverse(name, args=[campaign.pk])).status_code == 405


# The participant page


def test_participant_page_details_each_competence_and_topic(member_client, campaign, results):
    url = reverse("campaigns:participant", args=[campaign.pk, results["Bernard"].pk])
    text = page_text(member_client.get(url))
    assert f"Maîtrise du profil cible</dt><dd>75{NBSP}% (9 acquis validés sur 12)" in text
    assert f"1.1 Compétence 1.1{NBSP}: 50{NBSP}% de maîtrise" in text
    assert '<th scope="row">Sujet 1.1</th><td>3</td><td>6</td><td>6</td>' in text


def test_participant_page_of_a_pupil_still_answering(member_client, campaign, pupil):
    participation = joined(campaign, pupil)
    text = page_text(
        member_client.get(reverse("campaigns:participant", args=[campaign.pk, participation.pk]))
    )
    assert "En cours" in text and "n'a pas encore envoyé ses résultats" in text


def test_participant_page_after_a_real_assessment(member_client, campaign, pupil):
    participation = joined(campaign, pupil)
    answer_all(participation, right=True)
    participation_send_profile(participation=participation)
    text = page_text(
        member_client.get(reverse("campaigns:participant", args=[campaign.pk, participation.pk]))
    )
    assert f"1.1 Mener une recherche et une veille d’information{NBSP}: 100{NBSP}% de maîtrise" in text
    assert all(
        f'<th scope="row">{topic.name}</th><td>3</td>' in text for topic in campaign.target_topics.all()
    )


# The export


def _export(client, campaign, **params):
    response = client.get(reverse("campaigns:export", args=[campaign.pk]), params)
    assert response.status_code == 200 and response.streaming
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith(BOM)
    return response, text


def test_export_header_has_the_mastery_of_the_profile_then_of_each_competence(
    member_client, organization, teacher, topics
):
    campaign = assessment(organization, teacher, topics, external_id_label="=numéro")
    _, text = _export(member_client, campaign)
    assert text == (
        "\ufeffNom de l'organisation;ID Campagne;Code;Nom de la campagne;Nom du Participant;"
        "Prénom du Participant;Classe;'=numéro;Envoi (O/N);Date et heure de l'envoi (Europe/Paris);"
        "% de maîtrise de l'ensemble des acquis du profil;"
        "% de maîtrise des acquis de la compétence Mener une recherche et une veille d’information;"
        "Nombre d'acquis validés dans la compétence Mener une recherche et une veille d’information;"
        "% de maîtrise des acquis de la compétence Interagir;"
        "Nombre d'acquis validés dans la compétence Interagir;Identifiant pixorga de l'élève\n"
    )


def test_export_has_one_row_per_sending_and_na_for_pupils_who_have_not_sent(
    member_client, organization, teacher, topics
):
    campaign = assessment(organization, teacher, topics, multiple_sendings=True)
    first = sent_assessment(
        campaign,
        {"1.1": (1, 6), "2.1": (0, 6)},
        last_name="Martin",
        days_ago=5,
        is_improved=True,
        is_latest_sending=False,
    )
    moment = timezone.make_aware(datetime.datetime(2026, 3, 2, 23, 30), datetime.UTC)
    sent_assessment(
        campaign,
        {"1.1": (6, 6), "2.1": (3, 6)},
        last_name="Martin",
        user=first.user,
        learner=first.learner,
        sending_number=2,
    )
    Participation.objects.filter(learner=first.learner, is_latest_sending=True).update(shared_at=moment)
    ParticipationFactory(
        campaign=campaign,
        learner__last_name="Zorro",
        learner__first_name="@Zoé",
        status=Participation.Status.STARTED,
    )
    response, text = _export(member_client, campaign)
    rows = list(csv.reader(io.StringIO(text[len(BOM) :]), delimiter=";"))
    assert [row[4:6] for row in rows[1:]] == [["Martin", "Léa"], ["Martin", "Léa"], ["Zorro", "'@Zoé"]]
    learner = str(first.learner_id)
    assert rows[1][7:] == ["Oui", "03/03/2026 00:30", "75", "100", "6", "50", "3", learner]
    assert rows[2][7:] == ["Oui", rows[2][8], "8", "16", "1", "0", "0", learner]
    assert rows[3][7:-1] == ["Non"] + ["NA"] * 6
    assert f"-{campaign.pk}-" in response["Content-Disposition"]


def test_filtered_export_of_an_assessment_keeps_the_table_filters(member_client, campaign, results):
    _, text = _export(member_client, campaign, perimetre="filtres", classe="2NDE2", tri="-competence-1.1")
    rows = list(csv.reader(io.StringIO(text[len(BOM) :]), delimiter=";"))
    assert [row[4] for row in rows[1:]] == ["Bernard"]


# French typography on every teacher page of an assessment


def test_teacher_pages_of_an_assessment_use_french_spacing(member_client, campaign, results, pupil):
    participation = joined(campaign, pupil)
    pages = [
        reverse("campaigns:create"),
        reverse("campaigns:detail", args=[campaign.pk]),
        reverse("campaigns:results", args=[campaign.pk]),
        reverse("campaigns:settings", args=[campaign.pk]),
        reverse("campaigns:update", args=[campaign.pk]),
        reverse("campaigns:relaunch", args=[campaign.pk]),
        reverse("campaigns:participant", args=[campaign.pk, results["Arnaud"].pk]),
        reverse("campaigns:participant", args=[campaign.pk, participation.pk]),
    ]
    for url in pages:
        response = member_client.get(url)
        assert response.status_code == 200, url
        assert _faults(response) == [], url
    errors = create(member_client, owner=campaign.owner_id)
    assert "<title>Erreur" in page_text(errors) and _faults(errors) == []


# Managing


def test_only_the_owner_or_an_admin_changes_an_assessment(client, organization, colleague, teacher, topics):
    owned_by_admin = assessment(organization, teacher, topics)
    client.force_login(colleague)
    assert client.get(reverse("campaigns:update", args=[owned_by_admin.pk])).status_code == 403
    assert client.post(reverse("campaigns:archive", args=[owned_by_admin.pk])).status_code == 403
    owned = assessment(organization, colleague, topics)
    assert client.post(reverse("campaigns:archive", args=[owned.pk])).status_code == 302
    client.force_login(teacher)
    assert client.post(reverse("campaigns:unarchive", args=[owned.pk])).status_code == 302
    owned.refresh_from_db()
    owned_by_admin.refresh_from_db()
    assert not owned.is_archived and not owned_by_admin.is_archived


def test_an_archived_assessment_is_refused_to_pupils_and_not_editable(member_client, campaign, pupil, client):
    member_client.post(reverse("campaigns:archive", args=[campaign.pk]))
    assert member_client.get(reverse("campaigns:update", args=[campaign.pk])).status_code == 403
    client.force_login(pupil)
    response = client.post(reverse("pupil:landing", args=[campaign.code]), follow=True)
    assert "Cette campagne est archivée" in page_text(response)
    assert not Participation.objects.exists()
