"""The cast of the Équipe tests: an admin, a member, a teacher of another school, a pupil, each logged in."""

import re

import pytest
from django.test import Client

LINK = re.compile(r"https?://testserver(/invitation/[^/\s]+/)")


def link_path(text):
    """The path of the invitation link found in an e-mail's text."""
    return LINK.search(text).group(1)


def _logged_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def team_admin(teacher):
    """The admin's client."""
    return _logged_in(teacher)


@pytest.fixture
def team_member(colleague):
    """A plain member's client: he reads the team, and changes nothing but his own departure."""
    return _logged_in(colleague)


@pytest.fixture
def other_school_admin(stranger):
    return _logged_in(stranger)


@pytest.fixture
def pupil_client(pupil):
    return _logged_in(pupil)
