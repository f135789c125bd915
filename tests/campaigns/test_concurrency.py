"""Two requests sending the same profile at the same moment make one sending: the row lock of
participation_send_profile, and the partial unique constraint behind it, are the database's job."""

import threading
import time

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from campaigns import services
from campaigns.factories import CampaignFactory, ParticipationFactory
from campaigns.models import Participation
from profiles.models import ProfileSnapshot

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


@pytest.fixture
def slow_snapshot(monkeypatch):
    """Hold the transaction open a little while the snapshot is taken, so that the two requests overlap."""
    take = services.snapshot_take

    def slow(**kwargs):
        time.sleep(0.3)
        return take(**kwargs)

    monkeypatch.setattr(services, "snapshot_take", slow)


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


def test_two_tabs_sending_at_once_make_one_sending(slow_snapshot):
    participation = ParticipationFactory()
    url = reverse("pupil:send", args=[participation.campaign.code])

    responses = _post_together(participation.user, url, {"participation": participation.pk, "resend": "0"})

    assert [r.status_code for r in responses] == [302, 302]
    assert {r["Location"] for r in responses} == {reverse("pupil:thanks", args=[participation.campaign.code])}
    assert Participation.objects.filter(status=Participation.Status.SHARED).count() == 1
    assert ProfileSnapshot.objects.count() == 1


def test_two_resends_at_once_make_one_new_sending(slow_snapshot):
    campaign = CampaignFactory(multiple_sendings=True)
    first = services.participation_send_profile(participation=ParticipationFactory(campaign=campaign))
    url = reverse("pupil:send", args=[campaign.code])

    responses = _post_together(first.user, url, {"participation": first.pk, "resend": "1"})

    assert [r.status_code for r in responses] == [302, 302]
    assert Participation.objects.count() == 2
    assert Participation.objects.filter(is_improved=False).count() == 1
    assert ProfileSnapshot.objects.count() == 2
