"""The common cast: an organization (a lycée), its teachers, a pupil, and a campaign."""

import pytest
from django.core.cache import cache
from django.test.client import ClientHandler
from django_scopes import scopes_disabled
from django_scopes.state import state as scope_state

from accounts.factories import MembershipFactory, OrganizationFactory, UserFactory
from accounts.models import Membership
from campaigns.factories import CampaignFactory
from students.factories import OrganizationLearnerFactory
from tests.smtp import smtp_server  # noqa: F401  (a fixture: a real local SMTP server)


@pytest.fixture
def organization(db):
    return OrganizationFactory(name="Lycée Victor Hugo", external_id="0061234A")


@pytest.fixture
def teacher(organization):
    """An admin of the organization."""
    return MembershipFactory(organization=organization, role=Membership.Role.ADMIN).user


@pytest.fixture
def colleague(organization):
    """A plain member of the same organization."""
    return MembershipFactory(organization=organization, role=Membership.Role.MEMBER).user


@pytest.fixture
def stranger(db):
    """A teacher of another organization."""
    return MembershipFactory(role=Membership.Role.ADMIN).user


@pytest.fixture
def pupil(organization):
    user = UserFactory(first_name="Léa", last_name="Martin")
    OrganizationLearnerFactory(
        organization=organization, user=user, first_name="Léa", last_name="Martin", division="2NDE1"
    )
    return user


@pytest.fixture
def campaign(organization, teacher):
    return CampaignFactory(
        organization=organization, creator=teacher, name="Collecte des profils au 23.09.21"
    )


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """PBKDF2 is slow on purpose; the tests log in hundreds of times."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate-limit counters and login lockouts live in the cache: each test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _test_code_sees_every_organization():
    """Factories and assertions read across organizations; views still run in the scope they set."""
    with scopes_disabled():
        yield


@pytest.fixture(autouse=True, scope="session")
def _requests_start_without_scope():
    """Each test-client request starts with no organization scope, as in production, so that a view that
    forgets to set one fails here too instead of inheriting the test's disabled scopes."""
    original = ClientHandler.__call__

    def call_without_scope(self, environ):
        token = scope_state.set(None)
        try:
            return original(self, environ)
        finally:
            scope_state.reset(token)

    ClientHandler.__call__ = call_without_scope
    yield
    ClientHandler.__call__ = original
