"""Two requests at the same moment — a double click, two tabs — make one answer and one evaluation: the
evaluation's row lock and the unique constraints behind it are the database's job."""

import threading
import time

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from accounts.factories import UserFactory
from evaluation import services
from evaluation.models import Answer, Challenge, Evaluation

from .play import make_bank

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


@pytest.fixture
def slow_engine(monkeypatch):
    """Hold the transaction open while the engine reads the evaluation, so that the two requests overlap."""
    read = services.selectors.evaluation_state

    def slow(**kwargs):
        time.sleep(0.3)
        return read(**kwargs)

    monkeypatch.setattr(services.selectors, "evaluation_state", slow)


def _post_together(user, url, data, count=2):
    barrier = threading.Barrier(count)
    responses = [None] * count

    def send(index):
        client = Client()
        client.force_login(user)
        barrier.wait()
        try:
            responses[index] = client.post(url, data)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return responses


def test_two_clicks_on_commencer_at_once_make_one_evaluation(slow_engine):
    make_bank()
    pupil = UserFactory()
    responses = _post_together(pupil, reverse("evaluation:start", args=["1.1"]), {})
    evaluation = Evaluation.objects.get(user=pupil)
    assert [r["Location"] for r in responses] == [reverse("evaluation:question", args=[evaluation.pk])] * 2


def test_two_submits_of_one_answer_at_once_record_one_answer(slow_engine):
    make_bank()
    pupil = UserFactory()
    evaluation = Evaluation.objects.create(
        user=pupil,
        competence_id=Challenge.objects.filter(is_active=True)
        .values_list("skill__topic__competence_id", flat=True)
        .first(),
    )
    challenge = Challenge.objects.get(
        pk=services.selectors.evaluation_state(evaluation=evaluation).assessment.next_challenge
    )
    data = {"epreuve": challenge.pk, "action": "valider", "reponse": str(challenge.solution[0])}

    responses = _post_together(pupil, reverse("evaluation:answer", args=[evaluation.pk]), data)

    recorded = Answer.objects.get()
    assert [r["Location"] for r in responses] == [
        reverse("evaluation:correction", args=[evaluation.pk, recorded.pk])
    ] * 2
