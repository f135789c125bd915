"""The question bank and the evaluations in the Django admin."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.factories import UserFactory
from evaluation.factories import AnswerFactory, ChallengeFactory
from profiles.models import EvaluationGain

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize(
    "model",
    [
        "evaluation_topic",
        "evaluation_skill",
        "evaluation_challenge",
        "evaluation_evaluation",
        "profiles_evaluationgain",
    ],
)
def test_admin_lists_and_searches_every_model(admin_client, model, django_assert_max_num_queries):
    answer = AnswerFactory()
    EvaluationGain.objects.create(evaluation=answer.evaluation, pix_before=0, pix_after=8)
    url = reverse(f"admin:{model}_changelist")
    with django_assert_max_num_queries(12):
        response = admin_client.get(url)
    assert response.context["cl"].result_count >= 1
    assert admin_client.get(url, {"q": "a"}).status_code == 200


def test_admin_finds_a_challenge_by_ref_with_its_competence(admin_client):
    ChallengeFactory(ref="1.1-cherche-moi-1a")
    html = admin_client.get(
        reverse("admin:evaluation_challenge_changelist"), {"q": "cherche-moi"}
    ).content.decode()
    assert "1.1-cherche-moi-1a" in html and "Choix unique" in html
    assert '<td class="field-competence">1.1</td>' in html


def test_admin_refuses_a_challenge_that_breaks_the_rules_of_the_bank(admin_client):
    challenge = ChallengeFactory(solution=[2])
    url = reverse("admin:evaluation_challenge_change", args=[challenge.pk])
    data = {
        "ref": challenge.ref,
        "skill": challenge.skill_id,
        "kind": "single",
        "statement": challenge.statement,
        "proposals": '["Une", "Deux", "Trois"]',
        "solution": "[1, 2]",
        "accepted": "[]",
        "explanation": challenge.explanation,
        "learn_more": challenge.learn_more,
        "is_active": "on",
    }
    response = admin_client.post(url, data)
    assert "exactement une bonne réponse attendue" in response.content.decode()
    challenge.refresh_from_db()
    assert challenge.solution == [2]


def test_evaluations_are_read_only_in_the_admin(admin_client):
    evaluation = AnswerFactory().evaluation
    assert admin_client.get(reverse("admin:evaluation_evaluation_add")).status_code == 403
    response = admin_client.post(
        reverse("admin:evaluation_evaluation_change", args=[evaluation.pk]), {"status": "x"}
    )
    assert response.status_code == 403


def test_models_of_evaluation_and_profiles_match_their_migrations():
    out = StringIO()
    call_command("makemigrations", "evaluation", "profiles", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()
