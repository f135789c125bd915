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
from campaigns.models import Campaign, CampaignActivityDay, Participation
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

    responses = _post_together(participation.user, url, {"participation": participation.pk})

    assert [r.status_code for r in responses] == [302, 302]
    assert {r["Location"] for r in responses} == {reverse("pupil:thanks", args=[participation.campaign.code])}
    assert Participation.objects.filter(status=Participation.Status.SHARED).count() == 1
    assert ProfileSnapshot.objects.count() == 1
    campaign = Campaign.objects.get()
    assert (campaign.participants_count, campaign.received_count) == (1, 1)


def test_a_storm_of_clicks_on_a_second_sending_makes_one_more_sending(slow_snapshot):
    campaign = CampaignFactory(multiple_sendings=True)
    first = services.participation_send_profile(participation=ParticipationFactory(campaign=campaign))
    landing = reverse("pupil:landing", args=[campaign.code])
    send = reverse("pupil:send", args=[campaign.code])

    _post_together(first.user, landing, {}, count=5)
    second = Participation.objects.get(is_improved=False)
    responses = _post_together(first.user, send, {"participation": second.pk}, count=5)

    assert [r.status_code for r in responses] == [302] * 5
    assert Participation.objects.count() == 2
    assert Participation.objects.filter(is_latest_sending=True).get() == second
    assert ProfileSnapshot.objects.count() == 2
    campaign.refresh_from_db()
    assert (campaign.participants_count, campaign.received_count) == (1, 1)


def test_two_pupils_sending_at_once_are_both_counted(slow_snapshot):
    campaign = CampaignFactory()
    first, second = ParticipationFactory(campaign=campaign), ParticipationFactory(campaign=campaign)
    threads = [
        threading.Thread(
            target=_post_together,
            args=(p.user, reverse("pupil:send", args=[campaign.code]), {"participation": p.pk}, 1),
        )
        for p in (first, second)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    campaign.refresh_from_db()
    assert (campaign.participants_count, campaign.received_count) == (2, 2)
    assert sum(CampaignActivityDay.objects.filter(campaign=campaign).values_list("received", flat=True)) == 2
