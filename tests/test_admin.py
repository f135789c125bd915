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
    "campaigns/campaignactivityday",
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


def test_campaigns_created_in_the_admin_get_a_generated_code(admin_client, organization, teacher):
    from campaigns.codes import looks_like_code
    from campaigns.models import Campaign

    for name in ("Collecte A", "Collecte B"):
        response = admin_client.post(
            reverse("admin:campaigns_campaign_add"),
            {
                "organization": organization.pk,
                "type": Campaign.Type.PROFILES_COLLECTION,
                "name": name,
                "owner": teacher.pk,
                "creator": teacher.pk,
                "custom_landing_page_text": "",
                "external_id_label": "",
                "external_id_type": "",
            },
        )
        assert response.status_code == 302, response.content.decode()[:2000]
    codes = list(Campaign.objects.values_list("code", flat=True))
    assert len(codes) == 2 and len(set(codes)) == 2
    assert all(looks_like_code(code) for code in codes)
