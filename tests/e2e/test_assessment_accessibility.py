"""The pages of an assessment campaign, audited by axe-core in Chromium as test_accessibility.py audits the
others: no serious or critical violation, no Content-Security-Policy refusal."""

import pytest
from playwright.sync_api import expect

from campaigns.factories import CampaignFactory
from tests.campaigns.assessments import answer_all, assessment, bank_topics, joined, sent_assessment
from tests.campaigns.sendings import sent

from .axe import audit, blocking
from .browser import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_assessment_pages_have_no_serious_or_critical_violation(
    live_server, browser_context, organization, teacher, pupil
):
    page, base = browser_context.new_page(), live_server.url
    refusals = []
    page.on(
        "console",
        lambda message: refusals.append(message.text) if "Content Security Policy" in message.text else None,
    )
    topics = bank_topics(codes=("1.1", "2.1", "3.4"))
    campaign = assessment(organization, teacher, topics[:4], name="Évaluation 2nde")
    result = sent_assessment(campaign, {"1.1": (3, 6), "2.1": (6, 6)}, last_name="Arnaud")
    collection = CampaignFactory(organization=organization, creator=teacher, name="Collecte")
    sent(collection, last_name="Quatre", pix={"1.1": 8, "1.2": 8, "1.3": 8, "2.1": 5})
    pupil.set_password("motdepasse-de-test")
    pupil.save()
    finished = joined(campaign, pupil)
    answer_all(finished)

    failures = {}

    def check(name):
        expect(page.locator("h1")).to_have_count(1)
        problems = [f"{v['id']} ({v['impact']}): {v['help']}" for v in blocking(audit(page, name))]
        problems += [f"CSP: {text[:160]}" for text in refusals]
        refusals.clear()
        if problems:
            failures[name] = problems

    login(page, base, teacher.username)
    for name, path in [
        ("Création d'une évaluation", "/orga/campagnes/creation/"),
        ("Activité d'une évaluation", f"/orga/campagnes/{campaign.pk}/"),
        ("Résultats d'une évaluation", f"/orga/campagnes/{campaign.pk}/resultats/"),
        ("Paramètres d'une évaluation", f"/orga/campagnes/{campaign.pk}/parametres/"),
        ("Résultats d'un participant", f"/orga/campagnes/{campaign.pk}/participants/{result.pk}/"),
        (
            "Relancer vers une évaluation",
            f"/orga/campagnes/{collection.pk}/relancer/?groupe=non-certifiables",
        ),
    ]:
        page.goto(base + path)
        check(name)
    page.goto(f"{base}/orga/campagnes/creation/")
    page.get_by_label("Évaluer les participants").check()
    page.get_by_role("button", name="Créer la campagne").click()
    check("Création d'une évaluation en erreur")
    page.goto(f"{base}/orga/campagnes/{collection.pk}/relancer/?groupe=non-certifiables")
    page.get_by_role("button", name="Créer une campagne d'évaluation sur les compétences manquantes").click()
    check("Campagne d'évaluation créée")

    browser_context.clear_cookies()
    login(page, base, pupil.username)
    page.goto(f"{base}/campagnes/{campaign.code}/envoi")
    check("Envoi des résultats")
    page.get_by_role("button", name="J'envoie mes résultats").click()
    check("Résultats envoyés")
    # 3.4, where the pupil has validated nothing yet: there are questions to ask.
    other = assessment(organization, teacher, topics[4:], name="Autre évaluation")
    page.goto(f"{base}/campagnes/{other.code}")
    check("Page d'accueil d'une évaluation")
    page.get_by_role("button", name="C'est parti !").click()
    check("Question d'une évaluation")
    page.get_by_role("button", name="Valider").click()
    check("Question d'une évaluation en erreur")
    page.locator('input[name="reponse"][value="1"]').check()
    page.get_by_role("button", name="Valider").click()
    check("Correction d'une évaluation")

    assert failures == {}
