"""« Activité de l'élève »: identity, certificabilité and its source, every participation, and the
competences to work on first."""

import datetime

import pytest
from django.urls import reverse

from accounts.factories import UserFactory
from campaigns import services
from campaigns.factories import CampaignFactory, ParticipationFactory
from profiles.services import competence_pix_set
from students.certificability import organization_certificability_refresh
from students.factories import OrganizationLearnerFactory
from tests.pages import page_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def member_client(client, colleague):
    client.force_login(colleague)
    return client


@pytest.fixture
def learner(organization):
    user = UserFactory(email="", username="lea.martin2103")
    return OrganizationLearnerFactory(
        organization=organization,
        user=user,
        last_name="Martin",
        first_name="Léa",
        birthdate=datetime.date(2009, 3, 21),
        division="2NDE1",
        national_student_id="1234567890A",
    )


def detail(client, learner):
    return client.get(reverse("students:detail", args=[learner.pk]))


def test_shows_identity_participations_and_sendings(member_client, organization, learner):
    competence_pix_set(
        user=learner.user, pix_by_competence={"1.1": 8, "1.2": 8, "2.1": 16, "3.1": 6, "4.1": 2}
    )
    collection = CampaignFactory(
        organization=organization, name="Collecte de septembre", multiple_sendings=True
    )
    for _ in range(2):
        participation = services.participation_start(campaign=collection, user=learner.user, learner=learner)
        services.participation_send_profile(participation=participation)
    ParticipationFactory(
        campaign=CampaignFactory(organization=organization, name="Collecte de juin"),
        user=learner.user,
        learner=learner,
    )
    text = page_text(detail(member_client, learner))
    assert "<title>Activité de l'élève Léa Martin" in text
    for expected in ("21/03/2009", "2NDE1", "1234567890A", "Identifiant généré", "lea.martin2103"):
        assert expected in text, expected
    assert "Collecte de septembre" in text and "Collecte de juin" in text
    assert "Profil reçu" in text and "En attente d'envoi" in text
    assert "Non certifiable" in text and "il manque 2\u00a0compétences" in text
    assert "Source : envoi de son profil" in text and "dans la campagne « Collecte de septembre »" in text
    assert "<td>2</td>" in text  # two sendings in the collection


def test_competences_closest_to_level_one_come_first(member_client, organization, learner):
    competence_pix_set(user=learner.user, pix_by_competence={"1.1": 8, "3.1": 6, "4.1": 2, "5.2": 7})
    organization_certificability_refresh(organization_id=organization.pk)
    response = detail(member_client, learner)
    to_work_on = [competence.code for competence, _, _ in response.context["to_work_on"]]
    assert to_work_on[:3] == ["5.2", "3.1", "4.1"]
    assert "1.1" not in to_work_on
    text = page_text(response)
    assert "Source : calcul sur son profil Pix" in text
    assert "encore 1\u00a0pix pour le niveau 1" in text
    assert "il lui manque 4\u00a0compétences de niveau 1" in text


def test_pupil_without_account_or_sending(member_client, organization):
    learner = OrganizationLearnerFactory(organization=organization, last_name="Seul")
    text = page_text(detail(member_client, learner))
    assert "Non communiqué" in text and "Aucun compte" in text
    assert "n'a participé à aucune campagne" in text
    assert "Aucun niveau connu" in text


def test_learner_of_another_organization_is_404(member_client):
    assert detail(member_client, OrganizationLearnerFactory()).status_code == 404


@pytest.mark.parametrize("raw_id", ["²", "１", "99999999999999999999", "-1", "1e3"])
def test_malformed_ids_are_404(member_client, raw_id):
    assert member_client.get(f"/orga/eleves/{raw_id}/").status_code == 404


def test_disabled_learner_page_says_he_left(member_client, organization):
    learner = OrganizationLearnerFactory(organization=organization, is_disabled=True)
    assert "n'est plus dans la base élèves" in page_text(detail(member_client, learner))


def test_detail_needs_get(member_client, learner):
    assert member_client.post(reverse("students:detail", args=[learner.pk])).status_code == 405


def test_detail_runs_a_bounded_number_of_queries(
    member_client, organization, learner, django_assert_max_num_queries
):
    for number in range(12):
        campaign = CampaignFactory(organization=organization, name=f"Collecte {number}")
        services.participation_send_profile(
            participation=ParticipationFactory(campaign=campaign, user=learner.user, learner=learner)
        )
    learner.refresh_from_db()
    with django_assert_max_num_queries(8):
        response = detail(member_client, learner)
    assert page_text(response).count("Collecte ") >= 12
