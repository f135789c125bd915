"""« Relancer » → one click: an assessment on the competences the chosen non-certifiable pupils lack, then
their relaunch towards it, recorded on the collection where they were found."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.factories import OrganizationFactory
from campaigns import relaunch
from campaigns.factories import CampaignFactory, ParticipationFactory
from campaigns.models import Campaign, Relaunch
from campaigns.views import ASSESSMENT_RELAUNCH_SESSION_KEY
from evaluation.models import Challenge
from students.factories import OrganizationLearnerFactory
from tests.campaigns.assessments import assessment, bank_topics
from tests.campaigns.sendings import sent
from tests.pages import page_text
from tests.test_typography import _faults

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"
FOUR = {"1.1": 8, "1.2": 8, "1.3": 8, "2.1": 8, "3.4": 7, "4.1": 2}  # lacks one: 3.4 is the closest
THREE = {"1.1": 8, "1.2": 8, "1.3": 8, "2.2": 5, "3.1": 3}  # lacks two: 2.2, then 3.1


@pytest.fixture
def collection(organization, teacher):
    return CampaignFactory(
        organization=organization, creator=teacher, name="Collecte 2nde", multiple_sendings=True
    )


@pytest.fixture
def topics(db):
    return bank_topics(codes=("2.2", "3.1", "3.4"))


@pytest.fixture
def cast(collection, topics):
    return {
        "four": sent(collection, last_name="Quatre", pix=FOUR),
        "three": sent(collection, last_name="Trois", pix=THREE, division="2NDE2"),
        "certifiable": sent(collection, last_name="Certifiable"),
        "pending": ParticipationFactory(campaign=collection, learner__last_name="Attente"),
    }


@pytest.fixture
def member_client(client, colleague):
    client.force_login(colleague)
    return client


def relaunch_url(campaign):
    return reverse("campaigns:relaunch", args=[campaign.pk])


def page_url(campaign, created):
    return reverse("campaigns:relaunch_assessment", args=[campaign.pk, created.pk])


def create_assessment(client, collection, *learners):
    return client.post(
        relaunch_url(collection) + "?groupe=non-certifiables&groupe=en-attente",
        {"action": "evaluation", "message": "", "eleve": [learner.pk for learner in learners]},
    )


def test_relaunch_page_offers_an_assessment_for_non_certifiable_pupils(member_client, collection, cast):
    text = page_text(member_client.get(relaunch_url(collection)))
    assert "Créer une campagne d'évaluation sur les compétences manquantes" in text
    assert _faults(member_client.get(relaunch_url(collection))) == []
    only_pending = page_text(member_client.get(relaunch_url(collection), {"groupe": "en-attente"}))
    assert "Créer une campagne d'évaluation" not in only_pending


def test_one_click_creates_the_assessment_on_the_missing_competences(
    member_client, collection, cast, colleague, topics
):
    response = create_assessment(member_client, collection, cast["four"].learner, cast["three"].learner)
    created = Campaign.objects.get(type=Campaign.Type.ASSESSMENT)
    assert response["Location"] == page_url(collection, created)
    assert created.name == "Évaluation — compétences manquantes — Collecte 2nde"
    assert (created.owner, created.creator, created.organization) == (
        colleague,
        colleague,
        collection.organization,
    )
    assert set(created.target_topics.all()) == set(topics)  # every topic of 2.2, 3.1 and 3.4
    assert not Relaunch.objects.exists()


def test_only_the_competences_closest_to_level_one_of_each_pupil_are_targeted(
    member_client, collection, cast
):
    create_assessment(member_client, collection, cast["four"].learner, cast["pending"].learner)
    created = Campaign.objects.get(type=Campaign.Type.ASSESSMENT)
    assert set(created.target_topics.values_list("competence__code", flat=True)) == {"3.4"}


def test_the_new_campaign_page_gives_its_code_link_and_the_relaunch_towards_it(
    member_client, collection, cast
):
    create_assessment(member_client, collection, cast["four"].learner)
    created = Campaign.objects.get(type=Campaign.Type.ASSESSMENT)
    response = member_client.get(page_url(collection, created))
    text = page_text(response)
    assert created.code in text and f"http://testserver/campagnes/{created.code}" in text and "<svg" in text
    assert "3.4 Programmer (2 sujets)" in text
    assert f"il manque 1 compétence (à travailler{NBSP}: Programmer)" in text
    assert f'value="{cast["four"].learner.pk}" id="eleve-{cast["four"].learner.pk}" checked' in text
    assert f'id="eleve-{cast["three"].learner.pk}" checked' not in text
    message = response.context["form"].initial["message"]
    assert created.code in message and f"http://testserver/campagnes/{created.code}" in message
    assert f"J'envoie mes résultats{NBSP}»" in message and collection.code in message
    assert _faults(response) == []


def test_relaunch_towards_the_assessment_is_recorded_on_the_collection(
    member_client, collection, cast, colleague
):
    create_assessment(member_client, collection, cast["four"].learner)
    created = Campaign.objects.get(type=Campaign.Type.ASSESSMENT)
    response = member_client.post(
        page_url(collection, created),
        {"action": "message", "message": "Passez l'évaluation.", "eleve": [cast["four"].learner.pk]},
    )
    assert "Message de relance prêt à copier" in page_text(response)
    record = Relaunch.objects.get()
    assert (record.campaign, record.target_campaign, record.created_by) == (collection, created, colleague)
    assert record.join_url == f"http://testserver/campagnes/{created.code}"
    assert list(record.recipients.values_list("learner", flat=True)) == [cast["four"].learner.pk]
    results = page_text(member_client.get(reverse("campaigns:results", args=[collection.pk])))
    assert f"relancé le {timezone.localdate():%d/%m/%Y}" in results


def test_slips_towards_the_assessment_carry_its_code(member_client, collection, cast):
    create_assessment(member_client, collection, cast["three"].learner)
    created = Campaign.objects.get(type=Campaign.Type.ASSESSMENT)
    response = member_client.post(
        page_url(collection, created),
        {"action": "fiches", "message": "x", "eleve": [cast["three"].learner.pk]},
    )
    text = page_text(response)
    assert created.code in text and f'Code{NBSP}: <strong class="handout-slip__code">{created.code}' in text
    assert "Cette évaluation porte sur" in text and "Partager et publier" in text
    assert f"Envoyez ensuite à nouveau votre profil avec le code {collection.code}" in text


def test_email_towards_the_assessment_names_it(
    member_client, collection, cast, django_capture_on_commit_callbacks
):
    learner = cast["four"].learner
    learner.user.email = "quatre@example.org"
    learner.user.save()
    create_assessment(member_client, collection, learner)
    created = Campaign.objects.get(type=Campaign.Type.ASSESSMENT)
    with django_capture_on_commit_callbacks(execute=True):
        member_client.post(
            page_url(collection, created), {"action": "email", "message": "Bonjour", "eleve": [learner.pk]}
        )
    (message,) = mail.outbox
    assert message.subject == f"Relance{NBSP}: passez l'évaluation — {created.name}"
    assert (
        f"/campagnes/{created.code}" in message.body
        and f"Code de la campagne{NBSP}: {created.code}" in message.body
    )


def test_an_assessment_only_for_pupils_who_are_not_certifiable(member_client, collection, cast):
    response = create_assessment(member_client, collection, cast["pending"].learner)
    text = page_text(response)
    assert "Aucun des élèves sélectionnés n'est non certifiable" in text and "<title>Erreur" in text
    assert 'aria-describedby="id_eleve_error"' in text
    assert not Campaign.objects.filter(type=Campaign.Type.ASSESSMENT).exists()


def test_no_pupil_ticked_creates_nothing(member_client, collection, cast):
    text = page_text(create_assessment(member_client, collection))
    assert "Sélectionnez au moins un élève à relancer." in text
    assert not Campaign.objects.filter(type=Campaign.Type.ASSESSMENT).exists()


def test_competences_without_questions_create_nothing(member_client, collection, cast):
    Challenge.objects.filter(skill__topic__competence__code="3.4").update(is_active=False)
    text = page_text(create_assessment(member_client, collection, cast["four"].learner))
    assert "n'a pas encore de questions sur les compétences qui leur manquent" in text
    assert not Campaign.objects.filter(type=Campaign.Type.ASSESSMENT).exists()


def test_an_assessment_campaign_offers_no_assessment_and_chases_its_own_way(
    member_client, organization, teacher, topics
):
    campaign = assessment(organization, teacher, topics[:1])
    waiting = ParticipationFactory(campaign=campaign, learner__last_name="Attente", status="STARTED")
    response = member_client.get(relaunch_url(campaign))
    text = page_text(response)
    assert "Créer une campagne d'évaluation" not in text and "Non certifiables" not in text
    assert "Ont rejoint sans envoyer leurs résultats" in text
    assert f"J'envoie mes résultats{NBSP}»" in response.context["form"].initial["message"]
    forged = member_client.post(
        relaunch_url(campaign),
        {"action": "evaluation", "message": "x", "eleve": [waiting.learner_id]},
    )
    assert "Choisissez comment relancer." in page_text(forged)
    assert Campaign.objects.count() == 1


def test_without_the_session_the_page_ticks_every_pupil_not_chased_today(member_client, collection, cast):
    create_assessment(member_client, collection, cast["four"].learner)
    created = Campaign.objects.get(type=Campaign.Type.ASSESSMENT)
    session = member_client.session
    del session[ASSESSMENT_RELAUNCH_SESSION_KEY]
    session.save()
    text = page_text(member_client.get(page_url(collection, created)))
    for name in ("four", "three"):
        assert f'id="eleve-{cast[name].learner.pk}" checked' in text
    assert "Attente" not in text and "Certifiable</td>" not in text


def test_the_page_posts_only_message_slips_or_email(member_client, collection, cast):
    create_assessment(member_client, collection, cast["four"].learner)
    created = Campaign.objects.get(type=Campaign.Type.ASSESSMENT)
    response = member_client.post(
        page_url(collection, created),
        {"action": "evaluation", "message": "x", "eleve": [cast["four"].learner.pk]},
    )
    assert "Choisissez comment relancer." in page_text(response)
    assert (
        Campaign.objects.filter(type=Campaign.Type.ASSESSMENT).count() == 1 and not Relaunch.objects.exists()
    )


def test_the_page_is_404_for_another_organization_or_a_campaign_that_is_not_an_assessment(
    client, member_client, collection, cast, stranger, organization, teacher
):
    create_assessment(member_client, collection, cast["four"].learner)
    created = Campaign.objects.get(type=Campaign.Type.ASSESSMENT)
    other = CampaignFactory(organization=organization, creator=teacher)
    foreign = assessment(OrganizationFactory(), teacher, [])
    assert member_client.get(page_url(collection, other)).status_code == 404
    assert member_client.get(page_url(collection, foreign)).status_code == 404
    assert member_client.get(page_url(created, created)).status_code == 404
    assert member_client.delete(page_url(collection, created)).status_code == 405
    client.force_login(stranger)
    assert client.get(page_url(collection, created)).status_code == 404
    client.logout()
    assert client.get(page_url(collection, created))["Location"].startswith(reverse("login"))


def test_the_page_runs_a_bounded_number_of_queries(
    member_client, collection, organization, topics, django_assert_max_num_queries
):
    for index in range(40):
        sent(collection, last_name=f"Nom{index:02d}", pix=FOUR, division=f"2NDE{index % 4}")
    OrganizationLearnerFactory(organization=organization, last_name="Absent")
    create_assessment(member_client, collection, collection.participations.order_by("pk").first().learner)
    created = Campaign.objects.get(type=Campaign.Type.ASSESSMENT)
    # session, user, membership, switcher, the two campaigns, candidates, last relaunches, their sendings'
    # competences, target profile
    with django_assert_max_num_queries(10):
        response = member_client.get(page_url(collection, created))
    assert len(response.context["rows"]) == 40


def test_candidate_rows_keep_the_codes_of_the_competences_to_work_on(collection, cast):
    rows = relaunch.candidates_detail(
        campaign=collection,
        learners=relaunch.relaunch_candidates(campaign=collection, groups=[relaunch.Group.NOT_CERTIFIABLE]),
        with_competences=True,
    )
    assert {row.learner.last_name: row.work_on_codes for row in rows} == {
        "Quatre": ["3.4"],
        "Trois": ["2.2", "3.1"],
    }
