"""The API's cast: a client per role, each with its own personal token, and the error shape."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from accounts.tokens import api_token_create


@pytest.fixture(autouse=True)
def _fresh_throttles():
    """Throttles count in the cache: each test starts with every budget full."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def token_client(db):
    def make(user, *, read_only=False):
        _, token = api_token_create(user=user, name="Outil de test", read_only=read_only)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
        client.token = token
        return client

    return make


@pytest.fixture
def as_teacher(token_client, teacher):
    """An admin of the organization."""
    return token_client(teacher)


@pytest.fixture
def as_colleague(token_client, colleague):
    """A plain member of the organization."""
    return token_client(colleague)


@pytest.fixture
def as_stranger(token_client, stranger):
    """An admin of another organization."""
    return token_client(stranger)


@pytest.fixture
def as_pupil(token_client, pupil):
    return token_client(pupil)


@pytest.fixture
def anonymous():
    return APIClient()


def api_error(response, status):
    """The one error shape, checked, and its content."""
    assert response.status_code == status, response.content.decode()
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert list(body) == ["erreur"]
    assert set(body["erreur"]) == {"code", "message", "champs"}
    return body["erreur"]
