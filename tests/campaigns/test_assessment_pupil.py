"""The pupil in an assessment campaign: the same code, landing and « C'est parti ! » as a collection, then
one question a page among the target topics, competence by competence, then « J'envoie mes résultats »."""

import datetime
import re

import pytest
from django.urls import reverse

from accounts.factories import UserFactory
from campaigns import services
from campaigns.factories import CampaignFactory
from campaigns.models import Participation
from evaluation.models import Answer, Challenge
from students.factories import OrganizationLearnerFactory
from tests.campaigns.assessments import answer_all, assessment, bank_topics, joined
from tests.evaluation.play import right_answer, wrong_answer
from tests.pages import page_text
from tests.test_typography import _faults

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"
CHALLENGE_FIELD = re.compile(r'name="epreuve" value="(\d+)"')


@pytest.fixture
def campaign(organization, teacher):
    """An assessment on one topic of 1.1 and the whole of 2.1."""
    topics = bank_topics()
    return assessment(organization, teacher, [topics[0], topics[2], topics[3]], name="Évaluation 2nde")


@pytest.fixture
def pupil_client(client, pupil):
    client.force_login(pupil)
    return client


def url(name, campaign, *args):
    return reverse(f"pupil:{name}", args=[campaign.code, *args])


def start(client, campaign):
    return client.post(url("landing", campaign))


def shown_challenge(client, campaign):
    response = client.get(url("assessment", campaign))
    return Challenge.objects.get(pk=int(CHALLENGE_FIELD.search(response.content.decode()).group(1)))


def answer(client, campaign, challenge, data):
    return client.post(
        url("assessment_answer", campaign), {"epreuve": challenge.pk, "action": "valider", **data}
    )


def play(client, campaign, *, right=True):
    """Answer every question through the pages; returns the last correction page."""
    response = None
    while Participation.objects.get(campaign=campaign, is_improved=False).is_started:
        challenge = shown_challenge(client, campaign)
        response = client.get(
            answer(
                client, campaign, challenge, right_answer(challenge) if right else wrong_answer(challenge)
            )["Location"]
        )
    return response


def test_landing_presents_the_assessment_and_its_competences(pupil_client, campaign):
    text = page_text(pupil_client.get(url("landing", campaign)))
    assert "Évaluez vos compétences" in text
    assert "1.1 Mener une recherche et une veille d’information" in text and "2.1 Interagir" in text
    assert f"C'est parti{NBSP}!" in text and "Ils ne seront transmis qu'avec votre consentement." in text


def test_cest_parti_joins_and_opens_the_first_question(pupil_client, pupil, campaign):
    response = start(pupil_client, campaign)
    assert response["Location"] == url("assessment", campaign)
    participation = Participation.objects.get()
    assert (participation.user, participation.status) == (pupil, Participation.Status.STARTED)
    text = page_text(pupil_client.get(response["Location"]))
    assert re.search(r"Question 1 sur \d+ environ", text) and "<progress" in text
    assert f"Évaluation 2nde — compétence 1 sur 2{NBSP}: 1.1" in text


def test_the_question_page_never_carries_the_solution(pupil_client, campaign):
    start(pupil_client, campaign)
    challenge = shown_challenge(pupil_client, campaign)
    text = page_text(pupil_client.get(url("assessment", campaign)))
    assert challenge.explanation not in text and "Bonne réponse" not in text
    assert f'action="{url("assessment_answer", campaign)}"' in text


def test_an_answer_is_checked_on_the_server_and_corrected(pupil_client, campaign):
    start(pupil_client, campaign)
    challenge = shown_challenge(pupil_client, campaign)
    response = answer(pupil_client, campaign, challenge, right_answer(challenge))
    recorded = Answer.objects.get()
    assert recorded.result == Answer.Result.OK and recorded.evaluation.kind == "campaign"
    assert response["Location"] == url("assessment_correction", campaign, recorded.pk)
    text = page_text(pupil_client.get(response["Location"]))
    assert f"Question 1{NBSP}: bonne réponse" in text and challenge.explanation in text
    assert f'href="{url("assessment", campaign)}">Question suivante' in text


def test_a_double_submit_or_the_back_button_records_one_answer(pupil_client, campaign):
    start(pupil_client, campaign)
    challenge = shown_challenge(pupil_client, campaign)
    first = answer(pupil_client, campaign, challenge, right_answer(challenge))
    again = answer(pupil_client, campaign, challenge, wrong_answer(challenge))
    assert first["Location"] == again["Location"]
    assert Answer.objects.get().result == Answer.Result.OK
    text = page_text(pupil_client.get(again["Location"]))
    assert f"Vous avez déjà répondu à cette question{NBSP}: voici sa correction." in text
    assert shown_challenge(pupil_client, campaign) != challenge


def test_no_answer_chosen_keeps_the_question_with_an_error(pupil_client, campaign):
    start(pupil_client, campaign)
    challenge = shown_challenge(pupil_client, campaign)
    response = answer(pupil_client, campaign, challenge, {})
    text = page_text(response)
    assert response.status_code == 400 and "<title>Erreur" in text
    assert "Choisissez une réponse, ou cliquez sur «" in text
    assert 'aria-describedby="statement id_reponse-errors"' in text and 'id="id_reponse-errors"' in text
    assert not Answer.objects.exists()


def test_a_forged_challenge_outside_the_target_is_never_answered(pupil_client, campaign):
    start(pupil_client, campaign)
    outside = (
        Challenge.objects.filter(is_active=True)
        .exclude(skill__topic__in=campaign.target_topics.all())
        .first()
    )
    response = answer(pupil_client, campaign, outside, right_answer(outside))
    assert response["Location"] == url("assessment", campaign)
    assert not Answer.objects.exists()


def test_leaving_and_coming_back_resumes_where_the_pupil_was(pupil_client, pupil, campaign):
    start(pupil_client, campaign)
    challenge = shown_challenge(pupil_client, campaign)
    answer(pupil_client, campaign, challenge, right_answer(challenge))
    following = shown_challenge(pupil_client, campaign)
    assert f"Vous avez commencé cette évaluation{NBSP}:" in page_text(
        pupil_client.get(url("landing", campaign))
    )
    assert start(pupil_client, campaign)["Location"] == url("assessment", campaign)
    assert shown_challenge(pupil_client, campaign) == following
    home = page_text(pupil_client.get(reverse("pupil:home")))
    assert "Évaluation en cours — " in home and url("assessment", campaign) in home


def test_the_sending_page_waits_for_the_last_answer(pupil_client, campaign):
    start(pupil_client, campaign)
    assert pupil_client.get(url("send", campaign))["Location"] == url("assessment", campaign)
    participation = Participation.objects.get()
    response = pupil_client.post(url("send", campaign), {"participation": participation.pk})
    assert response["Location"] == url("send", campaign)
    participation.refresh_from_db()
    assert participation.status == Participation.Status.STARTED


def test_whole_assessment_then_results_sent_with_consent(pupil_client, campaign):
    start(pupil_client, campaign)
    last = page_text(play(pupil_client, campaign, right=True))
    assert f'href="{url("send", campaign)}">Voir mes résultats' in last
    sending = page_text(pupil_client.get(url("send", campaign)))
    assert "Envoi de vos résultats" in sending and "J'envoie mes résultats" in sending
    assert "2.1 Interagir" in sending and f"100{NBSP}%" in sending
    assert "j’accepte de transmettre à Lycée Victor Hugo mes résultats" in sending
    participation = Participation.objects.get()
    response = pupil_client.post(url("send", campaign), {"participation": participation.pk})
    assert response["Location"] == url("thanks", campaign)
    thanks = page_text(pupil_client.get(response["Location"]))
    assert f"Merci, vos résultats ont bien été envoyés{NBSP}!" in thanks
    participation.refresh_from_db()
    assert participation.is_shared and participation.mastery_rate == 100
    again = pupil_client.post(url("send", campaign), {"participation": participation.pk})
    assert again["Location"] == url("thanks", campaign) and Participation.objects.count() == 1


def test_the_last_competence_done_makes_the_results_ready_at_once(pupil_client, campaign):
    start(pupil_client, campaign)
    play(pupil_client, campaign)
    assert Participation.objects.get().status == Participation.Status.TO_SHARE


def test_an_archived_assessment_takes_no_more_answers(pupil_client, campaign, teacher):
    start(pupil_client, campaign)
    services.campaign_archive(campaign=campaign, user=teacher)
    assert pupil_client.get(url("assessment", campaign))["Location"] == url("landing", campaign)
    assert "Cette campagne est archivée" in page_text(pupil_client.get(url("landing", campaign)))


def test_a_deleted_participation_takes_no_more_answers(pupil_client, campaign, teacher):
    start(pupil_client, campaign)
    services.participation_delete(participation=Participation.objects.get(), user=teacher)
    assert pupil_client.get(url("assessment", campaign))["Location"] == url("landing", campaign)
    assert "a été supprimée par l'organisateur" in page_text(pupil_client.get(url("landing", campaign)))


def test_another_pupil_sees_neither_the_answers_nor_the_results_of_the_first(client, pupil, campaign):
    participation = joined(campaign, pupil)
    answer_all(participation, stop_after=1)
    other = UserFactory()
    OrganizationLearnerFactory(organization=campaign.organization, user=other)
    client.force_login(other)
    assert client.get(url("assessment_correction", campaign, Answer.objects.get().pk)).status_code == 404
    assert client.get(url("assessment", campaign))["Location"] == url("landing", campaign)
    assert client.post(url("send", campaign), {"participation": participation.pk}).status_code == 404


def test_pages_refuse_the_wrong_method(pupil_client, campaign):
    start(pupil_client, campaign)
    assert pupil_client.get(url("assessment_answer", campaign)).status_code == 405
    assert pupil_client.post(url("assessment", campaign)).status_code == 405
    assert pupil_client.post(url("assessment_correction", campaign, 1)).status_code == 405


def test_a_collection_has_no_questions(pupil_client, organization, teacher):
    collection = CampaignFactory(organization=organization, creator=teacher)
    assert pupil_client.get(url("assessment", collection)).status_code == 404


def test_anonymous_visitor_is_sent_to_login(client, campaign):
    response = client.get(url("assessment", campaign))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_assessment_pages_use_french_spacing(pupil_client, campaign):
    def check(page):
        response = pupil_client.get(page)
        assert response.status_code == 200, page
        assert _faults(response) == [], page

    check(url("landing", campaign))
    start(pupil_client, campaign)
    check(url("assessment", campaign))
    challenge = shown_challenge(pupil_client, campaign)
    check(answer(pupil_client, campaign, challenge, right_answer(challenge))["Location"])
    check(reverse("pupil:home"))
    play(pupil_client, campaign)
    check(url("send", campaign))
    pupil_client.post(url("send", campaign), {"participation": Participation.objects.get().pk})
    check(url("thanks", campaign))
    check(reverse("pupil:home"))


def test_an_unlinked_pupil_reconciles_then_goes_to_the_questions(client, campaign, organization):
    OrganizationLearnerFactory(
        organization=organization,
        first_name="Éloïse",
        last_name="Lefèvre-Roux",
        birthdate=datetime.date(2008, 5, 14),
        user=None,
    )
    newcomer = UserFactory(first_name="Eloise", last_name="Lefevre")
    client.force_login(newcomer)
    assert start(client, campaign)["Location"] == url("reconcile", campaign)
    response = client.post(
        url("reconcile", campaign),
        {"first_name": "Eloise", "last_name": "Lefevre-Roux", "birthdate": "2008-05-14"},
    )
    assert response["Location"] == url("assessment", campaign)
    participation = Participation.objects.get()
    assert (participation.user, participation.learner.last_name) == (newcomer, "Lefèvre-Roux")


def test_the_external_id_is_asked_before_the_questions(pupil_client, organization, teacher):
    topics = bank_topics(codes=("1.1",))
    campaign = assessment(organization, teacher, topics, external_id_label="numéro d'élève")
    assert start(pupil_client, campaign)["Location"] == url("external_id", campaign)
    response = pupil_client.post(url("external_id", campaign), {"participant_external_id": "E-4521"})
    assert response["Location"] == url("assessment", campaign)
    assert Participation.objects.get().participant_external_id == "E-4521"
