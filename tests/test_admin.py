import pytest
from django.urls import reverse

from accounts.factories import UserFactory
from campaigns.factories import SharedParticipationFactory

pytestmark = pytest.mark.django_db

MODELS = [
    "accounts/user",
    "accounts/organization",
    "accounts/membership",
    "profiles/area",
    "profiles/competence",
    "profiles/competencepix",
    "profiles/profilesnapshot",
    "students/organizationlearner",
    "campaigns/campaign",
    "campaigns/participation",
]


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize("model", MODELS)
def test_admin_lists_every_model(admin_client, model):
    SharedParticipationFactory()
    app, name = model.split("/")
    response = admin_client.get(reverse(f"admin:{app}_{name}_changelist"), {"q": "a"})
    assert response.status_code == 200


def test_sent_profiles_are_read_only_in_the_admin(admin_client):
    snapshot = SharedParticipationFactory().snapshot
    assert admin_client.get(reverse("admin:profiles_profilesnapshot_add")).status_code == 403
    response = admin_client.post(
        reverse("admin:profiles_profilesnapshot_change", args=[snapshot.pk]), {"pix_score": 0}
    )
    assert response.status_code == 403
    snapshot.refresh_from_db()
    assert snapshot.pix_score == 40


def test_framework_is_installed_with_its_16_competences():
    from profiles.models import Area, Competence

    assert Area.objects.count() == 5
    assert Competence.objects.get(code="4.2").name == "Protéger les données personnelles et la vie privée"
    assert Competence.objects.filter(area__code="2").count() == 4
