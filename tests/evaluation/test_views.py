"""A pupil's self-evaluation through its pages: start, one challenge a page, correction, result, retry."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.factories import UserFactory
from evaluation.factories import EvaluationFactory
from evaluation.models import Answer, Challenge, Evaluation
from evaluation.selectors import Competence
from profiles.models import CompetencePix
from profiles.services import competence_pix_set
from tests.pages import page_text

from .play import answer, current_challenge, make_bank, play_to_the_end, right_answer, skip, wrong_answer

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"


def start(client, code="1.1"):
    return client.post(reverse("evaluation:start", args=[code]))


def started(client, code="1.1"):
    start(client, code)
    return Evaluation.objects.get(status=Evaluation.Status.STARTED, competence__code=code)


# Starting and resuming


def test_commencer_creates_an_evaluation_and_shows_its_first_question(learner_client, learner, bank):
    response = start(learner_client)
    evaluation = Evaluation.objects.get(user=learner)
    assert response["Location"] == reverse("evaluation:question", args=[evaluation.pk])
    assert evaluation.competence.code == "1.1" and evaluation.status == Evaluation.Status.STARTED


def test_commencer_twice_resumes_the_same_evaluation(learner_client, learner, bank):
    first, second = start(learner_client), start(learner_client)
    assert first["Location"] == second["Location"]
    assert Evaluation.objects.filter(user=learner).count() == 1


def test_a_competence_without_challenges_cannot_be_started(learner_client, learner, bank):
    response = start(learner_client, "5.2")
    assert response["Location"] == reverse("pupil:profile")
    assert not Evaluation.objects.exists()
    assert "en préparation" in page_text(learner_client.get(response["Location"]))


def test_unknown_competence_is_404(learner_client, bank):
    assert start(learner_client, "9.9").status_code == 404


def test_a_left_evaluation_is_resumed_from_mon_profil_at_the_same_question(learner_client, bank):
    evaluation = started(learner_client)
    challenge = current_challenge(learner_client, evaluation)
    answer(learner_client, evaluation, challenge, right_answer(challenge))
    following = current_challenge(learner_client, evaluation)

    profile = page_text(learner_client.get(reverse("pupil:profile")))
    assert "Reprendre" in profile
    assert reverse("evaluation:question", args=[evaluation.pk]) in profile
    assert current_challenge(learner_client, evaluation) == following


# The question page


def test_question_page_shows_one_challenge_with_labelled_choices_and_progress(learner_client, bank):
    evaluation = started(learner_client)
    response = learner_client.get(reverse("evaluation:question", args=[evaluation.pk]))
    html = page_text(response)
    challenge = current_challenge(learner_client, evaluation)
    assert challenge.statement in html
    assert f"Question 1 sur {response.context['expected_total']} environ" in html
    assert re.search(r"<progress[^>]*max=\"\d+\" value=\"0\"", html)
    assert "<fieldset" in html and "<legend>Votre réponse" in html
    for number, proposal in enumerate(challenge.proposals, start=1):
        assert f'type="radio" name="reponse" value="{number}"' in html
        assert re.search(rf'<label for="id_reponse_{number - 1}">{proposal}</label>', html)
    assert ">Je passe</button>" in html and ">Valider</button>" in html


@pytest.mark.parametrize("kind", [Challenge.Kind.SINGLE, Challenge.Kind.MULTIPLE, Challenge.Kind.SHORT])
def test_solution_never_reaches_the_question_page(learner_client, kind):
    challenges = make_bank(kinds=(kind,))
    for challenge in challenges:
        Challenge.objects.filter(pk=challenge.pk).update(
            explanation=f"Explication secrète {challenge.pk}", learn_more=f"Piste secrète {challenge.pk}"
        )
    evaluation = started(learner_client)
    html = page_text(learner_client.get(reverse("evaluation:question", args=[evaluation.pk])))
    challenge = current_challenge(learner_client, evaluation)
    assert "secrète" not in html
    assert "solution" not in html.lower() and "data-" not in html.replace("data-once", "")
    if kind == Challenge.Kind.SHORT:
        assert all(accepted not in html for accepted in challenge.accepted)
        assert '<label for="id_reponse">Votre réponse</label>' in html


def test_question_page_is_never_cached(learner_client, bank):
    evaluation = started(learner_client)
    response = learner_client.get(reverse("evaluation:question", args=[evaluation.pk]))
    assert "no-store" in response["Cache-Control"]


def test_question_page_runs_a_bounded_number_of_queries(learner_client, bank, django_assert_max_num_queries):
    evaluation = started(learner_client)
    for _ in range(2):
        challenge = current_challenge(learner_client, evaluation)
        answer(learner_client, evaluation, challenge, right_answer(challenge))
    # session, user, membership (console switcher), evaluation, bank, answers, challenge
    with django_assert_max_num_queries(7):
        learner_client.get(reverse("evaluation:question", args=[evaluation.pk]))


# Answering


def test_right_answer_is_recorded_then_corrected_with_explanation_and_next_question(learner_client, bank):
    evaluation = started(learner_client)
    challenge = current_challenge(learner_client, evaluation)
    response = answer(learner_client, evaluation, challenge, right_answer(challenge))

    recorded = Answer.objects.get(evaluation=evaluation)
    assert (recorded.challenge, recorded.result, recorded.value) == (challenge, Answer.Result.OK, "1")
    assert response["Location"] == reverse("evaluation:correction", args=[evaluation.pk, recorded.pk])
    html = page_text(learner_client.get(response["Location"]))
    assert f"Question 1{NBSP}: bonne réponse" in html
    assert challenge.explanation in html and "Pour en savoir plus" in html
    assert "Question suivante" in html


def test_wrong_answer_is_corrected_with_the_right_proposal_shown(learner_client, bank):
    evaluation = started(learner_client)
    challenge = current_challenge(learner_client, evaluation)
    response = answer(learner_client, evaluation, challenge, wrong_answer(challenge))
    assert Answer.objects.get().result == Answer.Result.KO
    html = page_text(learner_client.get(response["Location"]))
    assert "mauvaise réponse" in html
    assert re.search(r"Oui\s*<span class=\"tag tag--green\">Bonne réponse</span>", html)
    assert re.search(r"Non\s*<span class=\"tag tag--grey\">Votre choix</span>", html)


def test_short_answer_is_checked_without_case_or_accents_and_the_expected_one_shown(learner_client):
    make_bank(kinds=(Challenge.Kind.SHORT,))
    evaluation = started(learner_client)
    challenge = current_challenge(learner_client, evaluation)
    response = answer(learner_client, evaluation, challenge, {"reponse": "  MOT de PASSE "})
    assert Answer.objects.get().result == Answer.Result.OK
    html = page_text(learner_client.get(response["Location"]))
    assert f"«{NBSP}mot de passe{NBSP}»" in html and f"«{NBSP}mdp{NBSP}»" in html


def test_multiple_choice_needs_every_right_proposal(learner_client):
    make_bank(kinds=(Challenge.Kind.MULTIPLE,))
    evaluation = started(learner_client)
    challenge = current_challenge(learner_client, evaluation)
    answer(learner_client, evaluation, challenge, {"reponse": ["1"]})
    assert Answer.objects.get().result == Answer.Result.KO
    following = current_challenge(learner_client, evaluation)
    answer(learner_client, evaluation, following, {"reponse": ["1", "3"]})
    assert Answer.objects.get(challenge=following).result == Answer.Result.OK


def test_je_passe_records_a_skipped_question_that_counts_as_not_known(learner_client, bank):
    evaluation = started(learner_client)
    challenge = current_challenge(learner_client, evaluation)
    response = skip(learner_client, evaluation, challenge)
    assert Answer.objects.get().result == Answer.Result.SKIPPED
    assert "question passée" in page_text(learner_client.get(response["Location"]))
    assert current_challenge(learner_client, evaluation).skill.difficulty < challenge.skill.difficulty or (
        current_challenge(learner_client, evaluation).skill.topic != challenge.skill.topic
    )


def test_empty_answer_is_refused_with_an_error_tied_to_the_field(learner_client, bank):
    evaluation = started(learner_client)
    challenge = current_challenge(learner_client, evaluation)
    response = answer(learner_client, evaluation, challenge, {})
    html = page_text(response)
    assert response.status_code == 400
    assert "<title>Erreur" in html
    assert 'aria-describedby="statement id_reponse-errors"' in html
    assert 'aria-invalid="true"' in html
    assert f"Choisissez une réponse, ou cliquez sur «{NBSP}Je passe{NBSP}»." in html
    assert not Answer.objects.exists()


def test_short_answer_field_is_described_by_the_statement_and_its_error(learner_client):
    make_bank(kinds=(Challenge.Kind.SHORT,))
    evaluation = started(learner_client)
    page = page_text(learner_client.get(reverse("evaluation:question", args=[evaluation.pk])))
    assert re.search(r'<input type="text" name="reponse"[^>]*aria-describedby="statement"', page)
    challenge = current_challenge(learner_client, evaluation)
    html = page_text(answer(learner_client, evaluation, challenge, {"reponse": "   "}))
    assert 'aria-describedby="statement id_reponse-errors"' in html and 'aria-invalid="true"' in html
    assert f"Écrivez votre réponse, ou cliquez sur «{NBSP}Je passe{NBSP}»." in html


def test_a_proposal_that_does_not_exist_is_refused(learner_client, bank):
    evaluation = started(learner_client)
    challenge = current_challenge(learner_client, evaluation)
    response = answer(learner_client, evaluation, challenge, {"reponse": "9"})
    assert response.status_code == 400 and "Choisissez une des réponses proposées." in page_text(response)
    assert not Answer.objects.exists()


def test_double_submit_records_one_answer(learner_client, bank):
    evaluation = started(learner_client)
    challenge = current_challenge(learner_client, evaluation)
    first = answer(learner_client, evaluation, challenge, right_answer(challenge))
    second = answer(learner_client, evaluation, challenge, right_answer(challenge))
    assert Answer.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_back_button_after_answering_shows_the_correction_not_a_new_answer(learner_client, bank):
    evaluation = started(learner_client)
    challenge = current_challenge(learner_client, evaluation)
    answer(learner_client, evaluation, challenge, right_answer(challenge))

    # The page left behind is submitted again, with another answer this time.
    replay = answer(learner_client, evaluation, challenge, wrong_answer(challenge))
    recorded = Answer.objects.get()
    assert recorded.result == Answer.Result.OK
    assert replay["Location"] == reverse("evaluation:correction", args=[evaluation.pk, recorded.pk])
    html = page_text(learner_client.get(replay["Location"]))
    assert f"Vous avez déjà répondu à cette question{NBSP}: voici sa correction." in html
    assert current_challenge(learner_client, evaluation) != challenge


def test_a_challenge_that_is_not_the_current_one_cannot_be_answered(learner_client, bank):
    evaluation = started(learner_client)
    current = current_challenge(learner_client, evaluation)
    other = Challenge.objects.filter(is_active=True).exclude(pk=current.pk).first()
    response = answer(learner_client, evaluation, other, right_answer(other))
    assert response["Location"] == reverse("evaluation:question", args=[evaluation.pk])
    assert not Answer.objects.exists()


def test_a_challenge_id_that_is_not_a_number_goes_back_to_the_question(learner_client, bank):
    evaluation = started(learner_client)
    response = learner_client.post(reverse("evaluation:answer", args=[evaluation.pk]), {"epreuve": "²"})
    assert response["Location"] == reverse("evaluation:question", args=[evaluation.pk])
    assert not Answer.objects.exists()


# Whose evaluation, which method


def test_another_pupils_evaluation_is_404_on_every_page(learner_client, bank):
    other = UserFactory()
    evaluation = EvaluationFactory(user=other)
    challenge = Challenge.objects.filter(is_active=True).first()
    recorded = Answer.objects.create(evaluation=evaluation, challenge=challenge, value="1", result="ok")
    assert learner_client.get(reverse("evaluation:question", args=[evaluation.pk])).status_code == 404
    assert answer(learner_client, evaluation, challenge, right_answer(challenge)).status_code == 404
    correction = reverse("evaluation:correction", args=[evaluation.pk, recorded.pk])
    assert learner_client.get(correction).status_code == 404
    assert learner_client.get(reverse("profiles:evaluation_result", args=[evaluation.pk])).status_code == 404
    assert Answer.objects.count() == 1


def test_an_answer_of_another_evaluation_is_404(learner_client, learner, bank):
    mine = started(learner_client)
    theirs = EvaluationFactory(user=UserFactory())
    recorded = Answer.objects.create(evaluation=theirs, challenge=bank[0], value="1", result="ok")
    assert (
        learner_client.get(reverse("evaluation:correction", args=[mine.pk, recorded.pk])).status_code == 404
    )


def test_anonymous_visitor_is_sent_to_the_login_page(client, bank):
    evaluation = EvaluationFactory()
    for url in [
        reverse("evaluation:question", args=[evaluation.pk]),
        reverse("profiles:evaluation_result", args=[evaluation.pk]),
    ]:
        assert client.get(url)["Location"].startswith("/connexion/")
    assert start(client)["Location"].startswith("/connexion/")
    assert not Evaluation.objects.exclude(pk=evaluation.pk).exists()


def test_wrong_method_is_405(learner_client, bank):
    evaluation = started(learner_client)
    assert learner_client.get(reverse("evaluation:start", args=["1.1"])).status_code == 405
    assert learner_client.get(reverse("evaluation:answer", args=[evaluation.pk])).status_code == 405
    assert learner_client.post(reverse("evaluation:question", args=[evaluation.pk])).status_code == 405
    assert learner_client.post(reverse("profiles:evaluation_result", args=[evaluation.pk])).status_code == 405


# The end, the result, the retry


def test_evaluation_ends_on_a_result_page_that_says_what_was_gained(learner_client, learner, bank):
    evaluation = started(learner_client)
    asked = play_to_the_end(learner_client, evaluation, right=True)
    last = Answer.objects.filter(evaluation=evaluation).last()
    correction = page_text(
        learner_client.get(reverse("evaluation:correction", args=[evaluation.pk, last.pk]))
    )
    assert "Voir mon résultat" in correction and "Question suivante" not in correction

    html = page_text(learner_client.get(reverse("profiles:evaluation_result", args=[evaluation.pk])))
    assert asked <= 4  # two topics of three difficulties: a right answer at 2, then at 3, in each
    assert f"Vous avez gagné 24 pix sur cette compétence{NBSP}!" in html
    assert re.search(r"<th scope=\"row\">Pix</th><td>0</td><td>24</td>", html)
    assert re.search(r"<th scope=\"row\">Niveau</th><td>0</td><td>3</td>", html)
    assert "Vous pourrez retenter cette compétence dans 4 jours." in html
    assert CompetencePix.objects.get(user=learner, competence__code="1.1").pix == 24


def test_reaching_a_fifth_competence_says_the_pupil_is_now_certifiable(learner_client, learner, bank):
    competence_pix_set(user=learner, pix_by_competence=dict.fromkeys(["2.1", "2.2", "3.1", "4.1"], 8))
    evaluation = started(learner_client)
    play_to_the_end(learner_client, evaluation, right=True)
    html = page_text(learner_client.get(reverse("profiles:evaluation_result", args=[evaluation.pk])))
    assert f"Bravo, vous êtes maintenant certifiable{NBSP}!" in html


def test_all_wrong_answers_gain_nothing_and_keep_the_profile(learner_client, learner, bank):
    competence_pix_set(user=learner, pix_by_competence={"1.1": 12})
    evaluation = started(learner_client)
    play_to_the_end(learner_client, evaluation, right=False)
    html = page_text(learner_client.get(reverse("profiles:evaluation_result", args=[evaluation.pk])))
    assert "Pas de nouveaux pix cette fois" in html
    assert CompetencePix.objects.get(user=learner, competence__code="1.1").pix == 12


def test_result_page_of_an_unfinished_evaluation_goes_back_to_its_question(learner_client, bank):
    evaluation = started(learner_client)
    response = learner_client.get(reverse("profiles:evaluation_result", args=[evaluation.pk]))
    assert response["Location"] == reverse("evaluation:question", args=[evaluation.pk])


def test_a_finished_evaluation_takes_no_more_answers(learner_client, bank):
    evaluation = started(learner_client)
    play_to_the_end(learner_client, evaluation, right=False)
    count = Answer.objects.count()
    unanswered = Challenge.objects.filter(is_active=True).exclude(answers__evaluation=evaluation).first()
    response = answer(learner_client, evaluation, unanswered, right_answer(unanswered))
    assert response["Location"] == reverse("profiles:evaluation_result", args=[evaluation.pk])
    assert learner_client.get(reverse("evaluation:question", args=[evaluation.pk]))["Location"] == (
        reverse("profiles:evaluation_result", args=[evaluation.pk])
    )
    assert Answer.objects.count() == count


def test_retry_waits_for_the_delay_of_the_settings(learner_client, learner, bank, settings):
    settings.EVALUATION_RETRY_DELAY_DAYS = 4
    evaluation = started(learner_client)
    play_to_the_end(learner_client, evaluation, right=False)
    assert "Retenter dans 4 jours" in page_text(learner_client.get(reverse("pupil:profile")))
    refused = start(learner_client)
    assert refused["Location"] == reverse("pupil:profile")
    assert "vous pourrez la retenter dans 4 jours" in page_text(learner_client.get(refused["Location"]))
    assert Evaluation.objects.count() == 1

    Evaluation.objects.filter(pk=evaluation.pk).update(
        completed_at=timezone.now() - datetime.timedelta(days=3, hours=1)
    )
    assert "Retenter dans 1 jour<" in page_text(learner_client.get(reverse("pupil:profile")))
    Evaluation.objects.filter(pk=evaluation.pk).update(
        completed_at=timezone.now() - datetime.timedelta(days=4)
    )
    assert "Retenter<span" in page_text(learner_client.get(reverse("pupil:profile")))
    retry = started(learner_client)
    assert retry.pk != evaluation.pk


def test_retry_asks_again_what_was_missed_but_not_what_was_validated(learner_client, learner, bank, settings):
    settings.EVALUATION_RETRY_DELAY_DAYS = 0
    first = started(learner_client)
    # Right at difficulty 2 in the first topic asked, wrong everywhere else.
    opening = current_challenge(learner_client, first)
    answer(learner_client, first, opening, right_answer(opening))
    play_to_the_end(learner_client, first, right=False)
    validated_topic = opening.skill.topic

    retry = started(learner_client)
    asked = set()
    while not retry.is_completed:
        challenge = current_challenge(learner_client, retry)
        asked.add((challenge.skill.topic_id, challenge.skill.difficulty))
        answer(learner_client, retry, challenge, right_answer(challenge))
        retry.refresh_from_db()
    assert (validated_topic.pk, 1) not in asked and (validated_topic.pk, 2) not in asked
    assert CompetencePix.objects.get(user=learner, competence__code="1.1").pix == 24


def test_mon_profil_offers_commencer_per_competence_and_what_is_missing(learner_client, learner, bank):
    competence_pix_set(user=learner, pix_by_competence={"1.2": 7, "3.4": 40})
    response = learner_client.get(reverse("pupil:profile"))
    html = page_text(response)
    assert html.count('<tr><th scope="row">') == 16
    assert re.search(
        r"1\.1 Mener une recherche.*?Commencer<span class=\"visually-hidden\"> l’évaluation", html, re.S
    )
    assert html.count("Questions en préparation") == 15
    assert "encore 4 compétences à amener au niveau 1" in html
    assert f"1.2 Gérer des données{NBSP}: 7 pix, encore 1 pix" in html


def test_mon_profil_runs_a_bounded_number_of_queries(
    learner_client, learner, bank, django_assert_max_num_queries
):
    for competence in Competence.objects.exclude(code="1.1"):
        EvaluationFactory(
            user=learner, competence=competence, status="completed", completed_at=timezone.now()
        )
    started(learner_client)
    # session, user, membership (console switcher), live pix, competences with challenges, evaluations
    with django_assert_max_num_queries(6):
        learner_client.get(reverse("pupil:profile"))
