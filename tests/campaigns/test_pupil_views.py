"""The pupil's path: code, landing page, reconciliation, external id, sending, confirmation."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.factories import OrganizationFactory, UserFactory
from accounts.models import Organization
from campaigns.factories import AssessmentCampaignFactory, CampaignFactory, SharedParticipationFactory
from campaigns.models import Participation
from campaigns.services import campaign_archive
from profiles.framework import COMPETENCE_CODES
from profiles.services import competence_pix_set
from students.factories import OrganizationLearnerFactory
from students.models import OrganizationLearner
from tests.evaluation.play import make_bank
from tests.pages import page_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def pupil_client(client, pupil):
    client.force_login(pupil)
    return client


def _go(client, campaign):
    """« C'est parti ! », following the redirects."""
    return client.post(reverse("pupil:landing", args=[campaign.code]), follow=True)


def test_code_is_matched_after_normalisation(pupil_client, campaign):
    typed = f" {campaign.code[:3].lower()}-{campaign.code[3:6]} {campaign.code[6:]} "
    response = pupil_client.get(reverse("pupil:code"), {"code": typed})
    assert response.status_code == 302
    assert response["Location"] == f"/campagnes/{campaign.code}"


def test_direct_link_in_lower_case_goes_to_the_canonical_link(pupil_client, campaign):
    response = pupil_client.get(f"/campagnes/{campaign.code.lower()}")
    assert response["Location"] == f"/campagnes/{campaign.code}"


def test_malformed_code_is_explained_on_the_home_page(pupil_client):
    response = pupil_client.get(reverse("pupil:code"), {"code": "abc"})
    assert response.status_code == 400
    assert "Ce code n'a pas le bon format" in page_text(response)


def test_empty_code_asks_for_the_code(pupil_client):
    response = pupil_client.get(reverse("pupil:code"), {"code": ""})
    assert "Saisissez le code que votre enseignant vous a donné." in page_text(response)


def test_unknown_code_says_so_and_creates_nothing(pupil_client):
    response = pupil_client.get("/campagnes/ZZZZZZ999")
    assert response.status_code == 404
    assert "Le code « ZZZZZZ999 » ne correspond à aucune campagne" in page_text(response)
    assert pupil_client.post("/campagnes/ZZZZZZ999").status_code == 404
    assert not Participation.objects.exists()


def test_landing_page_shows_the_guide_texts(client, campaign):
    campaign.custom_landing_page_text = "Envoyez-le avant vendredi."
    campaign.save()
    content = page_text(client.get(campaign.get_join_url()))
    assert "Envoyez votre profil" in content
    assert campaign.organization.name in content
    assert "Envoyez-le avant vendredi." in content
    assert "C'est parti !" in content
    assert "Elles ne seront transmises qu'avec votre consentement." in content


def test_anonymous_visitor_logs_in_and_comes_back_to_the_campaign(client, campaign, pupil):
    content = page_text(client.get(campaign.get_join_url()))
    login_link = f"/connexion/?next=/campagnes/{campaign.code}"
    assert login_link in content
    assert f"/inscription/?next=/campagnes/{campaign.code}" in content
    response = client.post(login_link, {"username": pupil.username, "password": "motdepasse-de-test"})
    assert response["Location"] == f"/campagnes/{campaign.code}"


def test_anonymous_post_is_sent_to_login(client, campaign):
    response = client.post(campaign.get_join_url())
    assert response["Location"] == f"/connexion/?next=/campagnes/{campaign.code}"
    assert not Participation.objects.exists()


def test_archived_campaign_says_so_and_creates_nothing(pupil_client, campaign, teacher):
    campaign_archive(campaign=campaign, user=teacher)
    assert "Cette campagne est archivée" in page_text(pupil_client.get(campaign.get_join_url()))
    response = _go(pupil_client, campaign)
    assert "Cette campagne est archivée" in page_text(response)
    assert not Participation.objects.exists()


def test_assessment_campaign_leads_to_its_first_question(pupil_client, organization, teacher):
    topics = {challenge.skill.topic for challenge in make_bank()}
    campaign = AssessmentCampaignFactory(organization=organization, creator=teacher, target_topics=topics)
    response = _go(pupil_client, campaign)
    assert "Question 1 sur" in page_text(response)
    assert Participation.objects.get().status == Participation.Status.STARTED


def test_full_flow_sends_a_frozen_profile(pupil_client, pupil, campaign):
    competence_pix_set(user=pupil, pix_by_competence=dict.fromkeys(COMPETENCE_CODES[:5], 9))

    sending_page = _go(pupil_client, campaign)
    content = page_text(sending_page)
    assert "Envoi de votre profil Pix" in content
    assert "Toute évolution de votre profil après cet envoi ne sera pas transmise." in content
    assert "Cet envoi n'est possible qu'une seule fois" in content
    assert "45 pix" in content

    participation = Participation.objects.get()
    response = pupil_client.post(
        reverse("pupil:send", args=[campaign.code]),
        {"participation": participation.pk, "resend": "0"},
        follow=True,
    )
    assert "Merci, votre profil a bien été envoyé !" in page_text(response)
    participation.refresh_from_db()
    assert participation.is_shared and participation.snapshot.pix_score == 45


def test_second_click_on_send_makes_one_sending_and_shows_the_confirmation(pupil_client, campaign):
    _go(pupil_client, campaign)
    participation = Participation.objects.get()
    url = reverse("pupil:send", args=[campaign.code])
    pupil_client.post(url, {"participation": participation.pk, "resend": "0"})
    replay = pupil_client.post(url, {"participation": participation.pk, "resend": "0"}, follow=True)
    assert "Merci, votre profil a bien été envoyé !" in page_text(replay)
    assert Participation.objects.count() == 1


def test_coming_back_after_sending_shows_when_the_profile_was_sent(pupil_client, campaign):
    _go(pupil_client, campaign)
    participation = Participation.objects.get()
    pupil_client.post(reverse("pupil:send", args=[campaign.code]), {"participation": participation.pk})
    participation.refresh_from_db()
    content = page_text(_go(pupil_client, campaign))
    assert (
        f"Vous avez envoyé votre profil le {timezone.localtime(participation.shared_at):%d/%m/%Y}" in content
    )
    assert "Cette campagne n'accepte qu'un seul envoi." in content
    assert "J'envoie mon profil" not in content


def test_forged_resend_on_a_single_sending_campaign_is_refused(pupil_client, campaign):
    _go(pupil_client, campaign)
    participation = Participation.objects.get()
    url = reverse("pupil:send", args=[campaign.code])
    pupil_client.post(url, {"participation": participation.pk})
    response = pupil_client.post(url, {"participation": participation.pk, "resend": "1"}, follow=True)
    assert "Cette campagne n'accepte qu'un seul envoi." in page_text(response)
    assert Participation.objects.count() == 1


def test_multiple_sendings_offer_to_send_again_and_supersede(pupil_client, pupil, organization, teacher):
    campaign = CampaignFactory(organization=organization, creator=teacher, multiple_sendings=True)
    _go(pupil_client, campaign)
    first = Participation.objects.get()
    url = reverse("pupil:send", args=[campaign.code])
    pupil_client.post(url, {"participation": first.pk, "resend": "0"})
    competence_pix_set(user=pupil, pix_by_competence={"1.1": 40})

    again = page_text(_go(pupil_client, campaign))
    assert "Cette campagne accepte un nouvel envoi" in again
    pupil_client.post(url, {"participation": first.pk, "resend": "1"})

    first.refresh_from_db()
    latest = Participation.objects.get(is_improved=False)
    assert first.is_improved and latest.snapshot.pix_score == 40
    assert Participation.objects.count() == 2


def test_sending_someone_elses_participation_is_404(pupil_client, campaign):
    other = SharedParticipationFactory(campaign=campaign)
    response = pupil_client.post(reverse("pupil:send", args=[campaign.code]), {"participation": other.pk})
    assert response.status_code == 404


@pytest.mark.parametrize("forged", ["", "abc", "-1", "99999999"])
def test_forged_sending_form_is_404(pupil_client, campaign, forged):
    _go(pupil_client, campaign)
    response = pupil_client.post(reverse("pupil:send", args=[campaign.code]), {"participation": forged})
    assert response.status_code == 404
    assert not Participation.objects.filter(status=Participation.Status.SHARED).exists()


def test_send_without_participation_goes_back_to_landing(pupil_client, campaign):
    response = pupil_client.get(reverse("pupil:send", args=[campaign.code]))
    assert response["Location"] == campaign.get_join_url()
    assert pupil_client.post(reverse("pupil:send", args=[campaign.code])).status_code == 404


def test_thanks_page_before_sending_goes_to_the_sending_page(pupil_client, campaign):
    _go(pupil_client, campaign)
    response = pupil_client.get(reverse("pupil:thanks", args=[campaign.code]))
    assert response["Location"] == reverse("pupil:send", args=[campaign.code])


def test_archiving_between_join_and_send_keeps_the_pupil_informed(pupil_client, campaign, teacher):
    _go(pupil_client, campaign)
    participation = Participation.objects.get()
    campaign_archive(campaign=campaign, user=teacher)
    response = pupil_client.post(
        reverse("pupil:send", args=[campaign.code]), {"participation": participation.pk}, follow=True
    )
    assert "Cette campagne est archivée" in page_text(response)
    participation.refresh_from_db()
    assert not participation.is_shared


# Reconciliation with the school's roster


@pytest.fixture
def newcomer(client, organization):
    """A pupil who signed up himself; the school's roster knows him, unlinked."""
    OrganizationLearnerFactory(
        organization=organization,
        first_name="Éloïse",
        last_name="Lefèvre-Roux",
        birthdate=datetime.date(2008, 5, 14),
        user=None,
        division="2NDE1",
    )
    user = UserFactory(first_name="Eloise", last_name="Lefevre")
    client.force_login(user)
    return user


def test_school_campaign_asks_unlinked_pupil_who_he_is(client, newcomer, campaign):
    response = client.post(campaign.get_join_url())
    assert response["Location"] == reverse("pupil:reconcile", args=[campaign.code])
    assert "Votre compte sera rattaché définitivement à cet élève." in page_text(
        client.get(response["Location"])
    )


def test_reconciliation_ignores_case_accents_and_dashes(client, newcomer, campaign, organization):
    response = client.post(
        reverse("pupil:reconcile", args=[campaign.code]),
        {"first_name": "ELOISE", "last_name": "lefevre roux", "birthdate": "2008-05-14"},
    )
    assert response["Location"] == reverse("pupil:send", args=[campaign.code])
    learner = OrganizationLearner.objects.get(user=newcomer)
    assert learner.last_name == "Lefèvre-Roux"
    assert Participation.objects.get().learner == learner


def test_reconciliation_without_match_tells_to_see_the_teacher(client, newcomer, campaign):
    response = client.post(
        reverse("pupil:reconcile", args=[campaign.code]),
        {"first_name": "Éloïse", "last_name": "Lefèvre-Roux", "birthdate": "2008-05-15"},
    )
    assert "rapprochez-vous de votre enseignant" in page_text(response)
    assert not OrganizationLearner.objects.filter(user=newcomer).exists()
    assert not Participation.objects.exists()


def test_reconciliation_with_a_pupil_linked_to_another_account_is_refused(client, newcomer, campaign):
    learner = OrganizationLearner.objects.get(last_name="Lefèvre-Roux")
    learner.user = UserFactory()
    learner.save()
    response = client.post(
        reverse("pupil:reconcile", args=[campaign.code]),
        {"first_name": "Éloïse", "last_name": "Lefèvre-Roux", "birthdate": "14/05/2008"},
    )
    assert "Cet élève est déjà rattaché à un autre compte" in page_text(response)
    assert OrganizationLearner.objects.filter(organization=campaign.organization).count() == 1


def test_reconciliation_form_errors_are_in_french(client, newcomer, campaign):
    response = client.post(reverse("pupil:reconcile", args=[campaign.code]), {"birthdate": "hier"})
    content = page_text(response)
    assert "Saisissez une date de naissance valide" in content
    assert "Ce champ est obligatoire." in content


def test_outside_schools_the_account_is_the_participant(client):
    organization = OrganizationFactory(type=Organization.Type.PRO)
    campaign = CampaignFactory(organization=organization)
    user = UserFactory(first_name="Paul", last_name="Durand")
    client.force_login(user)
    response = client.post(campaign.get_join_url())
    assert response["Location"] == reverse("pupil:send", args=[campaign.code])
    learner = Participation.objects.get().learner
    assert (learner.first_name, learner.last_name, learner.user) == ("Paul", "Durand", user)


# External id


def test_external_id_is_asked_once_before_sending(pupil_client, organization, teacher):
    campaign = CampaignFactory(organization=organization, creator=teacher, external_id_label="numéro d'élève")
    response = pupil_client.post(campaign.get_join_url())
    assert response["Location"] == reverse("pupil:external_id", args=[campaign.code])
    empty = pupil_client.post(response["Location"], {"participant_external_id": "  "})
    assert "Veuillez renseigner votre numéro d'élève." in page_text(empty)
    pupil_client.post(response["Location"], {"participant_external_id": " E-4521 "})
    assert Participation.objects.get().participant_external_id == "E-4521"
    again = pupil_client.post(campaign.get_join_url())
    assert again["Location"] == reverse("pupil:send", args=[campaign.code])


# Home and profile


def test_pupil_home_lists_joined_campaigns(pupil_client, pupil, campaign):
    SharedParticipationFactory(campaign=campaign, user=pupil, learner=pupil.learners.get())
    content = page_text(pupil_client.get(reverse("pupil:home")))
    assert campaign.name in content and campaign.organization.name in content
    assert "Profil envoyé le" in content


def test_my_profile_shows_score_levels_and_what_is_missing(pupil_client, pupil):
    competence_pix_set(user=pupil, pix_by_competence={"1.1": 8, "1.2": 17, "3.4": 40, "5.2": 7})
    content = page_text(pupil_client.get(reverse("pupil:profile")))
    assert "72" in content and "Non certifiable" in content
    assert "encore 2 compétences à amener au niveau 1" in content
    assert "3.4 Programmer" in content


def test_my_profile_requires_login(client):
    assert client.get(reverse("pupil:profile"))["Location"].startswith("/connexion/")


def test_pupil_pages_run_a_bounded_number_of_queries(pupil_client, campaign, django_assert_max_num_queries):
    _go(pupil_client, campaign)
    with django_assert_max_num_queries(8):
        pupil_client.get(reverse("pupil:send", args=[campaign.code]))


def test_opening_a_step_page_directly_writes_nothing(client):
    campaign = CampaignFactory(organization=OrganizationFactory(type=Organization.Type.PRO))
    client.force_login(UserFactory())
    for name in ["pupil:reconcile", "pupil:external_id"]:
        response = client.get(reverse(name, args=[campaign.code]))
        assert response["Location"] == campaign.get_join_url()
    assert not OrganizationLearner.objects.exists()
    assert not Participation.objects.exists()
