import pytest

from accounts.factories import UserFactory

from .play import make_bank


@pytest.fixture
def bank(db):
    return make_bank()


@pytest.fixture
def learner(db):
    return UserFactory(username="lea.martin", first_name="Léa", last_name="Martin")


@pytest.fixture
def learner_client(client, learner):
    client.force_login(learner)
    return client
