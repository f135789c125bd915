"""The pupil's side through the API: a campaign by its code, joining it, sending the profile — through
the web flow's services, with its messages."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.factories import OrganizationFactory, UserFactory
from accounts.models import Organization
from campaigns import services
from campaigns.factories import CampaignFactory, ParticipationFactory
from campaigns.models import Campaign, Participation
from profiles.models import ProfileSnapshot
from profiles.services import competence_pix_set
from students.factories import OrganizationLearnerFactory
from students.models import OrganizationLearner
from tests.api.conftest import api_error

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"


def lookup_url(code):
    return f"/api/v1/eleve/campagnes/{code}/"


def join_url(code):
    return f"/api/v1/eleve/campagnes/{code}/rejoindre/"


def send_url(code):
    return f"/api/v1/eleve/campagnes/{code}/envoyer/"


# Looking a campaign up.


def test_a_pupil_finds_a_campaign_by_its_code_as_typed(as_pupil, campaign):
    typed = f"{campaign.code[:3].lower()}-{campaign.code[3:].lower()}"
    body = as_pupil.get(lookup_url(typed)).json()
    assert (body["code"], body["name"], body["organization_name"]) == (
        campaign.code,
        campaign.name,
        "Lycée Victor Hugo",
    )
    assert (body["closed_reason"], body["needs_reconciliation"], body["needs_external_id"]) == (
        "",
        False,
        False,
    )
    assert body["participation"] is None
    assert body["consent_text"].startswith("En cliquant sur «")


def test_the_landing_text_comes_rendered_and_sanitised(as_pupil, campaign):
    campaign.custom_landing_page_text = "**Bienvenue** <script>alert(1)</script>"
    campaign.save()
    body = as_pupil.get(lookup_url(campaign.code)).json()
    assert "<strong>Bienvenue</strong>" in body["landing_page_html"]
    assert "<script>" not in body["landing_page_html"]


def test_an_unknown_code_is_404(as_pupil):
    error = api_error(as_pupil.get(lookup_url("ZZZZZZ999")), 404)
    assert error["message"].startswith("Ce code ne correspond à aucune campagne.")


def test_the_pupil_endpoints_need_an_account(anonymous, campaign):
    api_error(anonymous.get(lookup_url(campaign.code)), 401)
    api_error(anonymous.post(join_url(campaign.code)), 401)
    api_error(anonymous.post(send_url(campaign.code)), 401)
    assert Participation.objects.count() == 0


def test_wrong_methods_are_405(as_pupil, campaign):
    api_error(as_pupil.get(join_url(campaign.code)), 405)
    api_error(as_pupil.get(send_url(campaign.code)), 405)
    api_error(as_pupil.put(lookup_url(campaign.code), {}), 405)


def test_a_pupil_sees_only_his_own_participation(as_pupil, pupil, campaign):
    ParticipationFactory(campaign=campaign)
    assert as_pupil.get(lookup_url(campaign.code)).json()["participation"] is None
    mine = as_pupil.post(join_url(campaign.code)).json()
    assert as_pupil.get(lookup_url(campaign.code)).json()["participation"]["id"] == mine["id"]
    assert Participation.objects.get(pk=mine["id"]).user == pupil


# Joining.


def test_a_pupil_of_the_roster_joins_once(as_pupil, pupil, campaign):
    response = as_pupil.post(join_url(campaign.code))

    assert response.status_code == 201, response.content
    participation = Participation.objects.get()
    assert (participation.user, participation.learner.user, participation.status) == (
        pupil,
        pupil,
        "TO_SHARE",
    )
    assert response.json()["id"] == participation.pk
    again = as_pupil.post(join_url(campaign.code))
    assert (again.status_code, again.json()["id"]) == (200, participation.pk)
    campaign.refresh_from_db()
    assert campaign.participants_count == 1


@pytest.fixture
def newcomer(token_client, organization):
    """A pupil of the school's roster whose account is not linked to it yet."""
    OrganizationLearnerFactory(
        organization=organization,
        first_name="Camille",
        last_name="Lefèvre-Roux",
        birthdate=datetime.date(2008, 5, 14),
        user=None,
    )
    user = UserFactory(first_name="Camille", last_name="Lefevre")
    client = token_client(user)
    client.user = user
    return client


def test_a_pupil_not_linked_yet_is_asked_who_he_is(newcomer, campaign):
    assert newcomer.get(lookup_url(campaign.code)).json()["needs_reconciliation"] is True

    error = api_error(newcomer.post(join_url(campaign.code), {"first_name": "Camille"}), 400)

    assert error["code"] == "rattachement_requis"
    assert set(error["champs"]) == {"last_name", "birthdate"}
    assert Participation.objects.count() == 0


def test_a_pupil_who_does_not_match_the_roster_is_told_so(newcomer, campaign):
    body = {"first_name": "Camille", "last_name": "Lefèvre-Roux", "birthdate": "2008-05-15"}
    error = api_error(newcomer.post(join_url(campaign.code), body), 400)
    assert error["code"] == "rattachement_impossible"
    assert error["message"].startswith("Nous n'avons pas trouvé d'élève correspondant")
    assert not OrganizationLearner.objects.filter(user=newcomer.user).exists()


def test_a_pupil_who_matches_the_roster_is_linked_and_joins(newcomer, campaign):
    body = {"first_name": "camille", "last_name": "LEFEVRE ROUX", "birthdate": "14/05/2008"}
    response = newcomer.post(join_url(campaign.code), body)
    assert response.status_code == 201, response.content
    learner = OrganizationLearner.objects.get(user=newcomer.user)
    assert learner.last_name == "Lefèvre-Roux"
    assert Participation.objects.get().learner == learner


def test_outside_schools_the_account_is_the_participant(token_client):
    company = OrganizationFactory(type=Organization.Type.PRO)
    campaign = CampaignFactory(organization=company)
    user = UserFactory(first_name="Marc", last_name="Durand")

    response = token_client(user).post(join_url(campaign.code))

    assert response.status_code == 201, response.content
    learner = OrganizationLearner.objects.get(user=user)
    assert (learner.organization, learner.last_name, learner.first_name) == (company, "Durand", "Marc")


def test_the_external_id_is_asked_with_the_campaigns_label(as_pupil, organization, teacher):
    campaign = CampaignFactory(organization=organization, creator=teacher, external_id_label="Numéro d'élève")
    assert as_pupil.get(lookup_url(campaign.code)).json()["needs_external_id"] is True

    error = api_error(as_pupil.post(join_url(campaign.code)), 400)
    assert error["champs"] == {"participant_external_id": ["Veuillez renseigner votre Numéro d'élève."]}
    assert Participation.objects.count() == 0

    response = as_pupil.post(join_url(campaign.code), {"participant_external_id": " 12345 "})
    assert response.status_code == 201
    assert Participation.objects.get().participant_external_id == "12345"


def test_an_external_id_of_type_email_must_be_one(as_pupil, organization, teacher):
    campaign = CampaignFactory(
        organization=organization,
        creator=teacher,
        external_id_label="Adresse e-mail de l'ENT",
        external_id_type=Campaign.ExternalIdType.EMAIL,
    )
    error = api_error(
        as_pupil.post(join_url(campaign.code), {"participant_external_id": "pas-une-adresse"}), 400
    )
    assert error["champs"]["participant_external_id"][0].startswith("Saisissez une adresse e-mail valide")


def test_an_archived_campaign_takes_no_one(as_pupil, campaign):
    campaign.archived_at = timezone.now()
    campaign.save()
    assert (
        as_pupil.get(lookup_url(campaign.code))
        .json()["closed_reason"]
        .startswith("Cette campagne est archivée")
    )
    error = api_error(as_pupil.post(join_url(campaign.code)), 409)
    assert error["code"] == "campagne_archivee"
    assert error["message"] == f"Cette campagne est archivée{NBSP}: elle n'accepte plus de participation."
    assert Participation.objects.count() == 0


def test_a_removed_participation_is_not_started_again(as_pupil, pupil, campaign, teacher):
    joined = as_pupil.post(join_url(campaign.code)).json()
    services.participation_delete(participation=Participation.objects.get(pk=joined["id"]), user=teacher)

    error = api_error(as_pupil.post(join_url(campaign.code)), 409)

    assert error["code"] == "participation_supprimee"
    assert as_pupil.get(lookup_url(campaign.code)).json()["closed_reason"].startswith("Votre participation")
    assert Participation.objects.count() == 1


# Sending.


def test_sending_before_joining_is_refused(as_pupil, campaign):
    error = api_error(as_pupil.post(send_url(campaign.code)), 409)
    assert error["code"] == "participation_absente"
    assert ProfileSnapshot.objects.count() == 0


def test_sending_freezes_the_live_profile_once(as_pupil, pupil, campaign):
    competence_pix_set(user=pupil, pix_by_competence={"1.1": 16, "1.2": 8, "2.1": 8, "3.1": 8, "4.1": 8})
    as_pupil.post(join_url(campaign.code))

    response = as_pupil.post(send_url(campaign.code))

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["pix_score"], body["is_certifiable"], body["sending_number"]) == (
        "SHARED",
        48,
        True,
        1,
    )
    again = as_pupil.post(send_url(campaign.code))
    assert again.json()["shared_at"] == body["shared_at"]
    assert ProfileSnapshot.objects.count() == 1
    campaign.refresh_from_db()
    assert (campaign.received_count, campaign.certifiable_count) == (1, 1)


def test_with_multiple_sendings_joining_again_starts_a_new_sending(as_pupil, pupil, organization, teacher):
    campaign = CampaignFactory(organization=organization, creator=teacher, multiple_sendings=True)
    first = as_pupil.post(join_url(campaign.code)).json()
    as_pupil.post(send_url(campaign.code))
    competence_pix_set(user=pupil, pix_by_competence={"1.1": 24})

    second = as_pupil.post(join_url(campaign.code))
    sending = as_pupil.post(send_url(campaign.code)).json()

    assert second.status_code == 201 and second.json()["id"] != first["id"]
    assert (sending["id"], sending["sending_number"], sending["pix_score"]) == (second.json()["id"], 2, 24)
    assert Participation.objects.filter(is_latest_sending=True).get().pk == sending["id"]


def test_a_sending_made_through_the_api_is_the_one_the_web_shows(as_pupil, pupil, client, campaign):
    as_pupil.post(join_url(campaign.code))
    as_pupil.post(send_url(campaign.code))
    client.force_login(pupil)
    response = client.get(reverse("pupil:thanks", args=[campaign.code]))
    assert response.status_code == 200
    assert "Merci" in response.content.decode()
