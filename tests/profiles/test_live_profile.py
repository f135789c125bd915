"""The live profile follows the pupil's evaluations: validated skills raise his pix, never lower them."""

import ast
from pathlib import Path

import pytest

import evaluation as evaluation_app
from accounts.factories import UserFactory
from evaluation import services as evaluation_services
from evaluation.models import Challenge, Evaluation
from evaluation.selectors import Competence, evaluation_state
from evaluation.signals import knowledge_changed
from profiles.models import CompetencePix, EvaluationGain
from profiles.scoring import live_competence_pix
from profiles.services import competence_pix_set, profile_summary_for_user, snapshot_take
from tests.evaluation.play import make_bank

pytestmark = pytest.mark.django_db


def evaluate(user, *, right, code="1.1"):
    """Answer every question of an evaluation of `code` through the services."""
    started = evaluation_services.evaluation_start(user=user, competence=Competence.objects.get(code=code))
    while not started.is_completed:
        challenge = Challenge.objects.get(pk=evaluation_state(evaluation=started).assessment.next_challenge)
        value = challenge.solution if right else [n for n in (1, 2, 3) if n not in challenge.solution][:1]
        evaluation_services.evaluation_answer(evaluation=started, challenge=challenge, value=value)
    return started


def live_pix(user, code="1.1"):
    return CompetencePix.objects.get(user=user, competence__code=code).pix


def test_live_pix_is_the_larger_of_imported_and_evaluated():
    assert live_competence_pix(baseline=30, evaluated=24) == 30
    assert live_competence_pix(baseline=5, evaluated=24) == 24


def test_right_answers_raise_the_live_pix_after_each_answer():
    make_bank()
    pupil = UserFactory()
    evaluation = evaluation_services.evaluation_start(
        user=pupil, competence=Competence.objects.get(code="1.1")
    )
    challenge = Challenge.objects.get(pk=evaluation_state(evaluation=evaluation).assessment.next_challenge)
    evaluation_services.evaluation_answer(
        evaluation=evaluation, challenge=challenge, value=challenge.solution
    )
    # A right answer at difficulty 2 validates 1 and 2 in one of the two topics: 8/2 + 8/2 pix.
    assert live_pix(pupil) == 8
    assert profile_summary_for_user(user=pupil).competences["1.1"].level == 1


def test_a_whole_evaluation_places_the_pupil_and_every_later_sending_uses_it():
    make_bank()
    pupil = UserFactory()
    evaluate(pupil, right=True)
    assert live_pix(pupil) == 24
    summary = profile_summary_for_user(user=pupil)
    assert (summary.competences["1.1"].level, summary.pix_score) == (3, 24)
    assert snapshot_take(user=pupil).competences["1.1"] == {"pix": 24, "level": 3}


def test_an_evaluation_never_lowers_pix_imported_from_pix():
    make_bank()
    pupil = UserFactory()
    competence_pix_set(user=pupil, pix_by_competence={"1.1": 30})
    evaluation = evaluate(pupil, right=True)
    assert live_pix(pupil) == 30
    assert not EvaluationGain.objects.filter(evaluation=evaluation).exists()


def test_an_evaluation_raises_pix_imported_lower_and_records_the_gain():
    make_bank()
    pupil = UserFactory()
    competence_pix_set(user=pupil, pix_by_competence={"1.1": 5})
    evaluation = evaluate(pupil, right=True)
    assert live_pix(pupil) == 24
    gain = EvaluationGain.objects.get(evaluation=evaluation)
    assert (gain.pix_before, gain.pix_after) == (5, 24)


def test_an_import_lower_than_what_evaluations_validated_keeps_the_evaluated_pix():
    make_bank()
    pupil = UserFactory()
    evaluate(pupil, right=True)
    competence_pix_set(user=pupil, pix_by_competence={"1.1": 3, "1.2": 10})
    assert (live_pix(pupil), live_pix(pupil, "1.2")) == (24, 10)
    competence_pix_set(user=pupil, pix_by_competence={"1.1": 40})
    assert live_pix(pupil) == 40


def test_demo_pupils_live_pix_written_directly_still_count():
    pupil = UserFactory()
    CompetencePix.objects.create(user=pupil, competence=Competence.objects.get(code="3.4"), pix=17)
    assert profile_summary_for_user(user=pupil).competences["3.4"].level == 2


def test_evaluated_pix_never_exceed_the_maximum_reachable_level(settings):
    settings.PIX_MAX_REACHABLE_LEVEL = 2
    make_bank()
    pupil = UserFactory()
    evaluate(pupil, right=True)
    assert live_pix(pupil) == 16


def test_each_answer_tells_profiles_the_validated_pix():
    make_bank()
    received = []

    def listener(sender, *, evaluation, pix, **kwargs):
        received.append((evaluation.pk, pix))

    knowledge_changed.connect(listener)
    try:
        evaluation = evaluate(UserFactory(), right=False)
    finally:
        knowledge_changed.disconnect(listener)
    assert received and {pk for pk, _ in received} == {evaluation.pk}
    assert all(pix == 0 for _, pix in received)
    assert Evaluation.objects.get(pk=evaluation.pk).is_completed
    assert not CompetencePix.objects.filter(user=evaluation.user).exists()


def test_evaluation_app_never_imports_profiles():
    """profiles uses evaluation, never the other way round (STYLE.md): evaluation speaks through a signal."""
    offenders = []
    for path in Path(evaluation_app.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path}: {name}" for name in names if name.split(".")[0] == "profiles"]
    assert offenders == []
