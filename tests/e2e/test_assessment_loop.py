"""Step 6 closed in a real browser, on PostgreSQL: a pupil at 4 certifiable competences is relaunched by his
teacher towards an assessment on the competence he lacks, answers right, becomes certifiable, sends his
profile again in the collection, and his teacher sees him « Certifiable », up.

The answers are read from the database (the question bank's solutions), so the run is the same every time.
Runs Debian's Chromium (/usr/bin/chromium); a missing browser is a failure, not a skip.
"""

import re

import pytest
from django.db import connection
from playwright.sync_api import expect

from accounts.factories import UserFactory
from campaigns import services
from campaigns.factories import CampaignFactory
from campaigns.models import Campaign, Participation
from evaluation.models import Challenge
from profiles.services import competence_pix_set, profile_summary_for_user
from students.factories import OrganizationLearnerFactory

from .browser import login

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the whole loop is played on PostgreSQL"),
]

# Four competences at level 1; 3.4 is the closest to it of the others, so the assessment targets it.
FOUR = {"1.1": 8, "1.2": 8, "2.1": 10, "4.1": 9, "3.4": 6, "5.1": 2}


def answer_right(page):
    """Pick the right answer of the challenge on the page, as the bank's solution says."""
    challenge = Challenge.objects.get(pk=page.locator('input[name="epreuve"]').get_attribute("value"))
    if challenge.kind == Challenge.Kind.SHORT:
        page.locator('input[name="reponse"]').fill(challenge.accepted[0])
    else:
        for number in challenge.solution:
            page.locator(f'input[name="reponse"][value="{number}"]').check()
    page.get_by_role("button", name="Valider").click()
    expect(page.get_by_role("heading", name=re.compile(r"Question \d+\s:\sbonne réponse"))).to_be_visible()


def test_a_relaunched_pupil_takes_the_assessment_and_becomes_certifiable(
    live_server, chromium_page, organization, teacher
):
    page, base = chromium_page, live_server.url
    collection = CampaignFactory(
        organization=organization, creator=teacher, name="Collecte des profils", multiple_sendings=True
    )
    pupil = UserFactory(username="lea.martin", first_name="Léa", last_name="Martin")
    learner = OrganizationLearnerFactory(
        organization=organization, user=pupil, first_name="Léa", last_name="Martin", division="2NDE3"
    )
    competence_pix_set(user=pupil, pix_by_competence=FOUR)
    first = services.participation_send_profile(
        participation=services.participation_start(campaign=collection, user=pupil, learner=learner)
    )
    assert (first.certifiable_competences_count, first.is_certifiable) == (4, False)

    # The teacher: Résultats → Relancer the non-certifiable → one click creates the assessment.
    login(page, base, teacher.username)
    page.get_by_role("link", name="Collecte des profils").click()
    page.get_by_role("link", name="Résultats (1)").click()
    page.get_by_role("link", name="Relancer les non certifiables").click()
    expect(page.get_by_label("Relancer Léa Martin")).to_be_checked()
    page.get_by_role("button", name="Créer une campagne d'évaluation sur les compétences manquantes").click()
    expect(
        page.get_by_role("heading", name="Campagne d'évaluation sur les compétences manquantes")
    ).to_be_visible()
    assessment = Campaign.objects.get(type=Campaign.Type.ASSESSMENT)
    assert assessment.name == "Évaluation — compétences manquantes — Collecte des profils"
    expect(page.locator("#assessment-code")).to_have_text(assessment.code)
    expect(page.get_by_text("3.4 Programmer")).to_be_visible()
    page.get_by_role("button", name="Préparer le message à copier").click()
    expect(page.locator("#relaunch-message")).to_contain_text(assessment.code)
    page.get_by_role("button", name="Se déconnecter").click()

    # The pupil takes the assessment, right answer after right answer.
    login(page, base, "lea.martin")
    page.get_by_label("Code de la campagne").fill(assessment.code)
    page.get_by_role("button", name="Accéder au parcours").click()
    expect(page.get_by_role("heading", name="Évaluez vos compétences")).to_be_visible()
    page.get_by_role("button", name="C'est parti !").click()
    expect(page.get_by_role("progressbar")).to_be_visible()
    answered = 0
    while True:
        answer_right(page)
        answered += 1
        following = page.get_by_role("link", name=re.compile("Question suivante|Compétence suivante"))
        if not following.count():
            break
        following.click()
    page.get_by_role("link", name="Voir mes résultats").click()
    page.get_by_role("button", name="J'envoie mes résultats").click()
    expect(page.get_by_text("Merci, vos résultats ont bien été envoyés !")).to_be_visible()
    assert answered > 1
    assert profile_summary_for_user(user=pupil).certifiable_competences_count == 5

    # He sends his profile again in the collection: « C'est parti ! » starts a new participation.
    page.get_by_role("link", name="Accueil", exact=True).click()
    page.get_by_label("Code de la campagne").fill(collection.code)
    page.get_by_role("button", name="Accéder au parcours").click()
    page.get_by_role("button", name="C'est parti !").click()
    page.get_by_role("button", name="J'envoie mon profil").click()
    expect(page.get_by_text("Merci, votre profil a bien été envoyé !")).to_be_visible()
    page.get_by_role("button", name="Se déconnecter").click()
    assert Participation.objects.filter(campaign=collection).count() == 2

    # The teacher sees him certifiable, up.
    login(page, base, teacher.username)
    page.get_by_role("link", name="Collecte des profils", exact=True).click()
    page.get_by_role("link", name="Résultats (1)").click()
    row = page.get_by_role("row").filter(has_text="Martin")
    expect(row).to_contain_text("Certifiable")
    expect(row).not_to_contain_text("Non certifiable")
    expect(row.locator(".evolution--up")).to_contain_text("↑")
    expect(row.locator(".evolution--up")).to_contain_text("En hausse")
    expect(row).to_contain_text("relancé le")
