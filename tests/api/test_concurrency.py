"""Sendings through the API at the same moment make one sending, with the web's row lock: the API calls
the same `participation_send_profile`, so a script replaying its POST, or a pupil clicking on the web
while his app sends, cannot make two."""

import threading
import time

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.tokens import api_token_create
from campaigns import services
from campaigns.factories import ParticipationFactory
from campaigns.models import Campaign, Participation
from profiles.models import ProfileSnapshot

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


@pytest.fixture
def slow_snapshot(monkeypatch):
    """Hold the transaction open a little while the snapshot is taken, so that the requests overlap."""
    take = services.snapshot_take

    def slow(**kwargs):
        time.sleep(0.3)
        return take(**kwargs)

    monkeypatch.setattr(services, "snapshot_take", slow)


def _at_once(requests):
    """Run each request in its own thread and connection, all released at the same moment."""
    barrier = threading.Barrier(len(requests))
    responses = [None] * len(requests)

    def run(index):
        send = requests[index]()
        barrier.wait()
        try:
            responses[index] = send()
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(len(requests))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return responses


def _api_send(token, code):
    def prepare():
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
        return lambda: client.post(f"/api/v1/eleve/campagnes/{code}/envoyer/")

    return prepare


def _web_send(participation):
    def prepare():
        client = Client()
        client.force_login(participation.user)
        url = reverse("pupil:send", args=[participation.campaign.code])
        return lambda: client.post(url, {"participation": participation.pk})

    return prepare


def _assert_one_sending(participation):
    assert Participation.objects.filter(status=Participation.Status.SHARED).count() == 1
    assert ProfileSnapshot.objects.count() == 1
    campaign = Campaign.objects.get(pk=participation.campaign_id)
    assert (campaign.participants_count, campaign.received_count) == (1, 1)


def test_ten_api_sendings_at_once_make_one_sending(slow_snapshot):
    participation = ParticipationFactory()
    _, token = api_token_create(user=participation.user, name="Appli")

    responses = _at_once([_api_send(token, participation.campaign.code)] * 10)

    assert [response.status_code for response in responses] == [200] * 10
    assert {response.json()["id"] for response in responses} == {participation.pk}
    assert {response.json()["shared_at"] for response in responses} != {None}
    assert len({response.json()["shared_at"] for response in responses}) == 1
    _assert_one_sending(participation)


def test_a_web_sending_and_an_api_sending_at_once_make_one_sending(slow_snapshot):
    participation = ParticipationFactory()
    _, token = api_token_create(user=participation.user, name="Appli")

    web, api = _at_once([_web_send(participation), _api_send(token, participation.campaign.code)])

    assert (web.status_code, web["Location"]) == (
        302,
        reverse("pupil:thanks", args=[participation.campaign.code]),
    )
    assert (api.status_code, api.json()["status"]) == (200, "SHARED")
    _assert_one_sending(participation)
