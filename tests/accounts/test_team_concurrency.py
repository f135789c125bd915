"""Two admins who demote each other at the same moment leave one admin, not zero: the organization's
row lock serves them one after the other (PostgreSQL; SQLite serializes writes by itself)."""

import threading
import time

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from accounts import services
from accounts.factories import MembershipFactory, OrganizationFactory
from accounts.models import Membership

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


@pytest.fixture
def slow_count(monkeypatch):
    """Wait between counting the admins and writing, so that without the lock both requests would count
    two admins and both would demote."""
    count = services._admins_left_without

    def slow(membership):
        result = count(membership)
        time.sleep(0.3)
        return result

    monkeypatch.setattr(services, "_admins_left_without", slow)


def _post_together(requests):
    barrier = threading.Barrier(len(requests))
    responses = [None] * len(requests)

    def send(index, user, url, data):
        client = Client()
        client.force_login(user)
        barrier.wait()
        try:
            responses[index] = client.post(url, data)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send, args=(i, *request)) for i, request in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return responses


def test_two_admins_demoting_each_other_at_once_leave_one_admin(slow_count):
    organization = OrganizationFactory()
    anne = MembershipFactory(organization=organization, role=Membership.Role.ADMIN)
    paul = MembershipFactory(organization=organization, role=Membership.Role.ADMIN)

    responses = _post_together(
        [
            (anne.user, reverse("team_member_role", args=[paul.pk]), {"role": "MEMBER"}),
            (paul.user, reverse("team_member_role", args=[anne.pk]), {"role": "MEMBER"}),
        ]
    )

    assert [r.status_code for r in responses] == [302, 302]
    roles = sorted(Membership.objects.filter(organization=organization).values_list("role", flat=True))
    assert roles == ["ADMIN", "MEMBER"]


def test_two_admins_leaving_at_once_leave_one_admin(slow_count):
    organization = OrganizationFactory()
    anne = MembershipFactory(organization=organization, role=Membership.Role.ADMIN)
    paul = MembershipFactory(organization=organization, role=Membership.Role.ADMIN)

    _post_together([(anne.user, reverse("team_leave"), {}), (paul.user, reverse("team_leave"), {})])

    assert Membership.objects.filter(organization=organization, role=Membership.Role.ADMIN).count() == 1
