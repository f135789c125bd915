import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.factories import OrganizationFactory, UserFactory
from students.models import GeneratedAccount, RosterImport

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize("name", ["rosterimport", "generatedaccount"])
def test_admin_lists_roster_imports_and_generated_accounts(admin_client, name):
    user = UserFactory(username="lea.martin2103")
    RosterImport.objects.create(organization=OrganizationFactory(), created_by=user, file_name="eleves.zip")
    GeneratedAccount.objects.create(user=user, password_generated_at=timezone.now())
    response = admin_client.get(reverse(f"admin:students_{name}_changelist"))
    expected = "eleves.zip" if name == "rosterimport" else str(user)
    assert expected in response.content.decode()
    searched = admin_client.get(reverse(f"admin:students_{name}_changelist"), {"q": "lea.martin"})
    assert searched.status_code == 200


def test_roster_imports_are_read_only_in_the_admin(admin_client):
    assert admin_client.get(reverse("admin:students_rosterimport_add")).status_code == 403
