"""Requests of the same pupil at the same moment in an assessment: a double click on « J'envoie mes
résultats » sends once, and two tabs opening the next competence start one evaluation. The row lock and
the unique constraints behind them are the database's job."""

import threading
import time

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from campaigns import selectors, services
from campaigns.models import Campaign, Participation, ParticipationEvaluation
from evaluation.models import Evaluation
from tests.campaigns.assessments import answer_all, assessment, bank_topics, joined
from tests.campaigns.test_concurrency import _post_together

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


def _get_together(user, url, count=2):
    barrier = threading.Barrier(count)
    responses = [None] * count

    def get(index):
        client = Client()
        client.force_login(user)
        barrier.wait()
        try:
            responses[index] = client.get(url)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=get, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return responses


@pytest.fixture
def campaign(organization, teacher):
    return assessment(organization, teacher, bank_topics(codes=("1.1",)))


def test_a_double_click_on_send_my_results_sends_once(campaign, pupil, monkeypatch):
    participation = joined(campaign, pupil)
    answer_all(participation)
    freeze = selectors.participation_assessment_result

    def slow(**kwargs):
        time.sleep(0.3)
        return freeze(**kwargs)

    monkeypatch.setattr(selectors, "participation_assessment_result", slow)
    url = reverse("pupil:send", args=[campaign.code])

    responses = _post_together(pupil, url, {"participation": participation.pk}, count=3)

    assert {r["Location"] for r in responses} == {reverse("pupil:thanks", args=[campaign.code])}
    sent = Participation.objects.get()
    assert (sent.status, sent.sending_number, sent.is_latest_sending) == (
        Participation.Status.SHARED,
        1,
        True,
    )
    campaign = Campaign.objects.get()
    assert (campaign.participants_count, campaign.received_count) == (1, 1)


def test_two_tabs_opening_the_next_competence_start_it_once(campaign, pupil, monkeypatch):
    participation = joined(campaign, pupil)
    start = services.evaluation_start_targeted

    def slow(**kwargs):
        evaluation = start(**kwargs)
        time.sleep(0.3)
        return evaluation

    monkeypatch.setattr(services, "evaluation_start_targeted", slow)
    url = reverse("pupil:assessment", args=[campaign.code])

    responses = _get_together(pupil, url)

    assert [r.status_code for r in responses] == [200, 200]
    assert ParticipationEvaluation.objects.filter(participation=participation).count() == 1
    assert Evaluation.objects.count() == 1
