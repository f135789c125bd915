"""Équipe: the members of the organization the teacher works for, and no one else."""

import pytest
from django.urls import reverse

from accounts.factories import MembershipFactory

from .checks import NOT_A_MEMBER, assert_forbidden, assert_method_not_allowed, assert_sent_to_login
from .html import document, element, table_rows

pytestmark = pytest.mark.django_db

URL = reverse("campaigns:team")


def _members(response):
    return [
        (row["Nom"], row["Prénom"], row["Rôle"]) for row in table_rows(element(document(response), "table"))
    ]


def test_member_sees_his_organization_by_name(as_member, owner, admin, member, stranger):
    MembershipFactory(user__last_name="Inconnu", user__first_name="Ivan")
    assert _members(as_member.get(URL)) == [
        ("Dumont", "Olivier", "Membre"),
        ("Lambert", "Anne", "Administrateur"),
        ("Petit", "Marc", "Membre"),
    ]


def test_teacher_of_another_organization_sees_only_his_own(as_stranger, owner, stranger):
    assert _members(as_stranger.get(URL)) == [(stranger.last_name, stranger.first_name, "Administrateur")]


def test_pupil_without_membership_gets_403(as_pupil):
    assert_forbidden(as_pupil.get(URL), NOT_A_MEMBER)


def test_anonymous_visitor_is_sent_to_login(client):
    assert_sent_to_login(client.get(URL), URL)


def test_post_is_405(as_member):
    assert_method_not_allowed(as_member.post(URL), "GET")
