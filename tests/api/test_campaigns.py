"""/api/v1/campagnes/: the campaign list and a campaign's life cycle, with the console's rules."""

import datetime

import pytest
from django.utils import timezone

from accounts.factories import MembershipFactory, OrganizationFactory, UserFactory
from accounts.models import Membership
from campaigns import selectors
from campaigns.codes import looks_like_code
from campaigns.factories import CampaignFactory
from campaigns.models import Campaign
from campaigns.selectors import MANAGE_DENIED
from tests.api.conftest import api_error

pytestmark = pytest.mark.django_db

LIST = "/api/v1/campagnes/"


def detail(campaign, action=""):
    return f"/api/v1/campagnes/{campaign.pk}/" + (f"{action}/" if action else "")


def names(response):
    assert response.status_code == 200, response.content
    return [row["name"] for row in response.json()["results"]]


# The list.


def test_list_shows_my_active_campaigns_newest_first(as_teacher, organization, teacher, colleague):
    older = CampaignFactory(organization=organization, creator=teacher, name="Collecte de septembre")
    Campaign.objects.filter(pk=older.pk).update(created_at=timezone.now() - datetime.timedelta(days=30))
    CampaignFactory(organization=organization, creator=teacher, name="Collecte de novembre")
    CampaignFactory(organization=organization, creator=colleague, name="Collecte d'un collègue")
    CampaignFactory(organization=organization, creator=teacher, name="Vieille", archived_at=timezone.now())
    CampaignFactory(name="Collecte d'un autre lycée")

    assert names(as_teacher.get(LIST)) == ["Collecte de novembre", "Collecte de septembre"]
    assert names(as_teacher.get(LIST, {"vue": "toutes"})) == [
        "Collecte d'un collègue",
        "Collecte de novembre",
        "Collecte de septembre",
    ]
    assert names(as_teacher.get(LIST, {"onglet": "archivees"})) == ["Vieille"]


def test_list_searches_by_name_and_creator_as_the_console(as_teacher, organization, teacher):
    creator = UserFactory(first_name="Claire", last_name="Durand")
    MembershipFactory(organization=organization, user=creator)
    CampaignFactory(organization=organization, creator=creator, name="Collecte 2nde")
    CampaignFactory(organization=organization, creator=teacher, name="Collecte Terminale")

    assert names(as_teacher.get(LIST, {"vue": "toutes", "nom": "termi"})) == ["Collecte Terminale"]
    assert names(as_teacher.get(LIST, {"vue": "toutes", "createur": "claire dur"})) == ["Collecte 2nde"]


def test_list_rows_say_what_the_console_shows(as_teacher, campaign, teacher):
    row = as_teacher.get(LIST).json()["results"][0]
    assert row["code"] == campaign.code
    assert (row["owner"], row["owner_name"]) == (teacher.pk, f"{teacher.first_name} {teacher.last_name}")
    assert row["join_url"] == f"http://testserver/campagnes/{campaign.code}"
    assert (row["participants_count"], row["received_count"], row["can_manage"]) == (0, 0, True)


def test_list_of_another_of_my_organizations(token_client, teacher, campaign):
    college = OrganizationFactory(name="Collège")
    MembershipFactory(organization=college, user=teacher)
    CampaignFactory(organization=college, creator=teacher, name="Collecte du collège")
    client = token_client(teacher)

    assert names(client.get(LIST, {"organisation": college.pk})) == ["Collecte du collège"]
    assert names(client.get(LIST)) == [campaign.name]


def test_list_of_an_organization_that_is_not_mine_is_404(as_teacher, stranger):
    other = stranger.memberships.get().organization
    error = api_error(as_teacher.get(LIST, {"organisation": other.pk}), 404)
    assert error["message"] == "Vous n'êtes pas membre de cette organisation."


def test_list_with_a_malformed_organization_is_400(as_teacher):
    error = api_error(as_teacher.get(LIST, {"organisation": "²"}), 400)
    assert list(error["champs"]) == ["organisation"]


def test_list_pages_are_bounded(as_teacher, organization, teacher):
    for index in range(3):
        CampaignFactory(organization=organization, creator=teacher, name=f"Collecte {index}")
    body = as_teacher.get(LIST, {"taille": 2}).json()
    assert (body["count"], len(body["results"])) == (3, 2)
    assert body["next"].endswith("?page=2&taille=2")
    assert names(as_teacher.get(body["next"])) == ["Collecte 0"]
    assert api_error(as_teacher.get(LIST, {"page": 3, "taille": 2}), 404)["code"] == "introuvable"


@pytest.mark.parametrize("count", [5, 60])
def test_list_takes_as_many_queries_for_5_as_for_60_campaigns(
    as_teacher, organization, teacher, count, django_assert_max_num_queries
):
    for index in range(count):
        CampaignFactory(organization=organization, creator=teacher, name=f"Collecte {index}")
    # token and user, last use, membership, count, page of campaigns with owner and creator
    with django_assert_max_num_queries(5):
        response = as_teacher.get(LIST, {"taille": 100})
    assert response.json()["count"] == count


def test_list_is_for_members(as_pupil, anonymous):
    assert api_error(as_pupil.get(LIST), 403)["code"] == "membre_requis"
    api_error(anonymous.get(LIST), 401)


# Creation.


def test_a_member_creates_a_campaign_with_a_code(as_colleague, colleague, organization):
    response = as_colleague.post(LIST, {"name": "Collecte 2nde", "custom_landing_page_text": "**Bonjour**"})

    assert response.status_code == 201, response.content
    campaign = Campaign.objects.get()
    assert response["Location"] == f"http://testserver/api/v1/campagnes/{campaign.pk}/"
    assert response.json()["code"] == campaign.code and looks_like_code(campaign.code)
    assert (campaign.organization, campaign.creator, campaign.owner) == (organization, colleague, colleague)
    assert (campaign.type, campaign.multiple_sendings, campaign.external_id_label) == (
        Campaign.Type.PROFILES_COLLECTION,
        False,
        "",
    )
    assert campaign.custom_landing_page_text == "**Bonjour**"


def test_creation_with_an_external_id_and_another_owner(as_teacher, colleague):
    response = as_teacher.post(
        LIST,
        {
            "name": "Collecte 2nde",
            "owner": colleague.pk,
            "multiple_sendings": True,
            "external_id_type": "EMAIL",
            "external_id_label": "Adresse e-mail de l'ENT",
        },
    )
    assert response.status_code == 201, response.content
    campaign = Campaign.objects.get()
    assert (
        campaign.owner,
        campaign.multiple_sendings,
        campaign.external_id_type,
        campaign.external_id_label,
    ) == (
        colleague,
        True,
        "EMAIL",
        "Adresse e-mail de l'ENT",
    )


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({}, "name", "Ce champ est obligatoire."),
        # The API takes no target profile: an assessment is created in the console.
        (
            {"name": "x", "type": "ASSESSMENT"},
            "sujets",
            "Choisissez au moins une compétence ou un sujet à évaluer.",
        ),
        ({"name": "x", "type": "AUTRE"}, "type", "n'est pas un choix valide"),
        ({"name": "x", "external_id_type": "EMAIL"}, "external_id_label", "Donnez un libellé"),
        ({"name": "x", "external_id_label": "Numéro"}, "external_id_type", "Choisissez le type"),
        ({"name": "x", "owner": 10**30}, "owner", "inférieure ou égale"),
        ({"name": "x" * 256}, "name", "au plus 255\u00a0caractères"),
        ({"name": "x", "custom_landing_page_text": "a\x00b"}, "custom_landing_page_text", "caractère nul"),
    ],
)
def test_creation_refuses_what_the_console_refuses_field_by_field(as_teacher, body, field, message):
    error = api_error(as_teacher.post(LIST, body), 400)
    assert error["code"] == "donnees_invalides"
    assert message in " ".join(error["champs"][field])
    assert Campaign.objects.count() == 0


def test_creation_refuses_an_owner_from_another_organization(as_teacher, stranger):
    error = api_error(as_teacher.post(LIST, {"name": "x", "owner": stranger.pk}), 400)
    assert error["champs"] == {"owner": ["Choisissez un membre de votre organisation comme propriétaire."]}


def test_creation_is_for_members(as_pupil, anonymous):
    api_error(as_pupil.post(LIST, {"name": "x"}), 403)
    api_error(anonymous.post(LIST, {"name": "x"}), 401)
    assert Campaign.objects.count() == 0


# Reading one.


def test_every_member_reads_a_campaign(as_teacher, as_colleague, campaign):
    for client in (as_teacher, as_colleague):
        body = client.get(detail(campaign)).json()
        assert (body["id"], body["name"], body["code"]) == (campaign.pk, campaign.name, campaign.code)
    assert as_teacher.get(detail(campaign)).json()["can_manage"] is True
    assert as_colleague.get(detail(campaign)).json()["can_manage"] is False


def test_a_campaign_of_another_organization_is_404(as_stranger, campaign):
    api_error(as_stranger.get(detail(campaign)), 404)


def test_reading_a_campaign_is_for_members(as_pupil, anonymous, campaign):
    api_error(as_pupil.get(detail(campaign)), 403)
    api_error(anonymous.get(detail(campaign)), 401)


def test_a_missing_campaign_is_404(as_teacher):
    api_error(as_teacher.get("/api/v1/campagnes/999999999999999999/"), 404)


# Changing one: the owner or an admin, through selectors.campaign_for_manager.


@pytest.fixture
def owned_by_colleague(organization, colleague):
    return CampaignFactory(organization=organization, creator=colleague, name="Collecte du collègue")


def test_the_owner_changes_name_owner_and_landing_text(as_colleague, owned_by_colleague, teacher):
    response = as_colleague.patch(
        detail(owned_by_colleague),
        {"name": "Nouveau nom", "owner": teacher.pk, "custom_landing_page_text": "Salut"},
    )
    assert response.status_code == 200, response.content
    owned_by_colleague.refresh_from_db()
    assert (
        owned_by_colleague.name,
        owned_by_colleague.owner,
        owned_by_colleague.custom_landing_page_text,
    ) == (
        "Nouveau nom",
        teacher,
        "Salut",
    )
    assert response.json()["name"] == "Nouveau nom"


def test_an_admin_changes_a_campaign_he_does_not_own(as_teacher, owned_by_colleague):
    assert as_teacher.put(detail(owned_by_colleague), {"name": "Renommée"}).status_code == 200
    owned_by_colleague.refresh_from_db()
    assert owned_by_colleague.name == "Renommée"


def test_a_member_who_does_not_own_it_is_403(token_client, organization, owned_by_colleague):
    member = MembershipFactory(organization=organization, role=Membership.Role.MEMBER).user
    client = token_client(member)
    for response in (
        client.patch(detail(owned_by_colleague), {"name": "Piratée"}),
        client.post(detail(owned_by_colleague, "archiver")),
        client.post(detail(owned_by_colleague, "desarchiver")),
    ):
        error = api_error(response, 403)
        assert error["code"] == "acces_refuse"
        assert error["message"] == MANAGE_DENIED
    owned_by_colleague.refresh_from_db()
    assert (owned_by_colleague.name, owned_by_colleague.archived_at) == ("Collecte du collègue", None)


def test_changing_a_campaign_of_another_organization_is_404(as_stranger, campaign):
    api_error(as_stranger.patch(detail(campaign), {"name": "Piratée"}), 404)
    api_error(as_stranger.post(detail(campaign, "archiver")), 404)
    api_error(as_stranger.post(detail(campaign, "dupliquer")), 404)
    campaign.refresh_from_db()
    assert (campaign.name, campaign.archived_at, Campaign.objects.count()) == (
        "Collecte des profils au 23.09.21",
        None,
        1,
    )


def test_changing_is_for_members(as_pupil, anonymous, campaign):
    api_error(as_pupil.patch(detail(campaign), {"name": "x"}), 403)
    api_error(anonymous.patch(detail(campaign), {"name": "x"}), 401)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("type", "ASSESSMENT"),
        ("multiple_sendings", True),
        ("external_id_type", "EMAIL"),
        ("external_id_label", "Numéro d'élève"),
    ],
)
def test_settings_fixed_at_creation_are_refused_when_changed(as_teacher, campaign, field, value):
    error = api_error(as_teacher.patch(detail(campaign), {field: value}), 400)
    assert error["champs"] == {
        field: ["Ce réglage est fixé à la création de la campagne\u00a0: il ne se modifie plus."]
    }
    campaign.refresh_from_db()
    assert getattr(campaign, field) in ("PROFILES_COLLECTION", False, "")


def test_the_whole_campaign_sent_back_with_its_fixed_settings_unchanged_is_accepted(as_teacher, campaign):
    body = as_teacher.get(detail(campaign)).json()
    body["name"] = "Renommée"
    assert as_teacher.put(detail(campaign), body).status_code == 200
    campaign.refresh_from_db()
    assert campaign.name == "Renommée"


def test_a_whole_update_needs_the_name(as_teacher, campaign):
    error = api_error(as_teacher.put(detail(campaign), {"custom_landing_page_text": "x"}), 400)
    assert list(error["champs"]) == ["name"]


def test_an_archived_campaign_is_not_changed(as_teacher, campaign):
    campaign.archived_at = timezone.now()
    campaign.save()
    error = api_error(as_teacher.patch(detail(campaign), {"name": "Renommée"}), 403)
    assert error["message"] == "Cette campagne est archivée\u00a0: désarchivez-la pour la modifier."


# Archive, unarchive, duplicate.


def test_the_owner_archives_then_unarchives(as_colleague, owned_by_colleague, colleague):
    response = as_colleague.post(detail(owned_by_colleague, "archiver"))
    assert response.status_code == 200
    assert response.json()["is_archived"] is True
    owned_by_colleague.refresh_from_db()
    assert owned_by_colleague.archived_at is not None and owned_by_colleague.archived_by == colleague

    response = as_colleague.post(detail(owned_by_colleague, "desarchiver"))
    assert response.json()["archived_at"] is None
    owned_by_colleague.refresh_from_db()
    assert (owned_by_colleague.archived_at, owned_by_colleague.archived_by) == (None, None)


def test_archive_needs_a_post(as_teacher, campaign):
    api_error(as_teacher.get(detail(campaign, "archiver")), 405)


def test_any_member_duplicates_a_campaign_as_in_the_console(as_colleague, colleague, campaign):
    campaign.external_id_label, campaign.external_id_type = "Numéro d'élève", "STRING"
    campaign.multiple_sendings = True
    campaign.save()

    response = as_colleague.post(detail(campaign, "dupliquer"))

    assert response.status_code == 201, response.content
    copy = Campaign.objects.exclude(pk=campaign.pk).get()
    assert response["Location"] == f"http://testserver/api/v1/campagnes/{copy.pk}/"
    assert (copy.name, copy.owner, copy.creator) == (f"Copie de {campaign.name}", colleague, colleague)
    assert copy.code != campaign.code
    assert (copy.external_id_label, copy.multiple_sendings) == ("Numéro d'élève", True)
    assert response.json()["can_manage"] is True


def test_a_sending_counted_while_a_campaign_is_edited_is_not_lost(monkeypatch, as_teacher, campaign):
    read_before_the_sending = Campaign.objects.select_related("organization").get(pk=campaign.pk)
    Campaign.objects.filter(pk=campaign.pk).update(participants_count=3, received_count=2)
    monkeypatch.setattr(selectors, "campaign_for_manager", lambda **kwargs: read_before_the_sending)

    assert as_teacher.patch(detail(campaign), {"name": "Renommée"}).status_code == 200

    campaign.refresh_from_db()
    assert (campaign.name, campaign.participants_count, campaign.received_count) == ("Renommée", 3, 2)
