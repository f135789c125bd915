"""The cast of the console's checklist: the campaign belongs to a plain member (its owner), so that « the
owner », « an admin » and « a member who is neither » are three different people; each has a client
logged in as him."""

import pytest
from django.test import Client

from accounts.factories import MembershipFactory
from accounts.models import Membership
from campaigns.factories import CampaignFactory


@pytest.fixture
def owner(organization):
    """A plain member (not an admin) who owns the campaign."""
    return MembershipFactory(
        organization=organization,
        role=Membership.Role.MEMBER,
        user__first_name="Olivier",
        user__last_name="Dumont",
    ).user


def _named(user, first_name, last_name):
    """Names fixed so that a search or a sort never depends on the names Faker draws."""
    user.first_name, user.last_name = first_name, last_name
    user.save(update_fields=["first_name", "last_name"])
    return user


@pytest.fixture
def admin(teacher):
    """An admin of the organization who does not own the campaign."""
    return _named(teacher, "Anne", "Lambert")


@pytest.fixture
def member(colleague):
    """A plain member who does not own the campaign: he reads it, he cannot change it."""
    return _named(colleague, "Marc", "Petit")


@pytest.fixture
def campaign(organization, owner):
    return CampaignFactory(organization=organization, creator=owner, name="Collecte des profils au 23.09.21")


@pytest.fixture
def login(db):
    """A new client logged in as `user`: a test may need several people at once."""

    def log_in(user):
        client = Client()
        client.force_login(user)
        return client

    return log_in


@pytest.fixture
def as_owner(login, owner):
    return login(owner)


@pytest.fixture
def as_admin(login, admin):
    return login(admin)


@pytest.fixture
def as_member(login, member):
    return login(member)


@pytest.fixture
def as_stranger(login, stranger):
    """A teacher (an admin) of another organization."""
    return login(stranger)


@pytest.fixture
def as_pupil(login, pupil):
    """A pupil of the organization's roster: an account without any membership."""
    return login(pupil)
