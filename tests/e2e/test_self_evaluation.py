"""A pupil evaluates himself on a competence in a real browser, with the keyboard, and becomes certifiable.

Runs Debian's Chromium (/usr/bin/chromium); a missing browser is a failure, not a skip.
"""

import re

import pytest
from playwright.sync_api import expect

from accounts.factories import UserFactory
from profiles.services import competence_pix_set
from tests.evaluation.play import make_bank

from .browser import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_pupil_evaluates_himself_and_becomes_certifiable(live_server, chromium_page):
    page, base = chromium_page, live_server.url
    make_bank()  # two topics of difficulties 1 to 3, every right answer « Oui »
    pupil = UserFactory(username="lea.martin", first_name="Léa", last_name="Martin")
    competence_pix_set(user=pupil, pix_by_competence=dict.fromkeys(["2.1", "2.2", "3.1", "4.1"], 8))

    login(page, base, "lea.martin")
    page.get_by_role("link", name="Mon profil Pix").first.click()
    expect(page.get_by_text("encore 1 compétence à amener au niveau 1")).to_be_visible()
    page.get_by_role("button", name="Commencer l’évaluation de la compétence 1.1").click()

    expect(page.get_by_role("heading", name=re.compile(r"Question 1 sur \d+ environ"))).to_be_visible()
    expect(page.get_by_role("progressbar")).to_be_visible()
    # With the keyboard only: into the group of radio buttons, choose, then submit.
    page.get_by_label("Oui", exact=True).focus()
    page.keyboard.press("Space")
    expect(page.get_by_label("Oui", exact=True)).to_be_checked()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name=re.compile(r"Question 1\s:\sbonne réponse"))).to_be_visible()

    while page.get_by_role("link", name="Question suivante").count():
        page.get_by_role("link", name="Question suivante").click()
        page.get_by_label("Oui", exact=True).check()
        page.get_by_role("button", name="Valider").click()
        expect(page.get_by_text("Bravo, c’est la bonne réponse")).to_be_visible()

    page.get_by_role("link", name="Voir mon résultat").click()
    expect(page.get_by_text(re.compile(r"Vous avez gagné 24 pix sur cette compétence"))).to_be_visible()
    expect(page.get_by_text(re.compile(r"vous êtes maintenant certifiable"))).to_be_visible()

    page.get_by_role("link", name="Retour à mon profil").click()
    expect(page.get_by_text("Retenter dans 4 jours")).to_be_visible()
    expect(page.get_by_text("Certifiable", exact=True)).to_be_visible()
