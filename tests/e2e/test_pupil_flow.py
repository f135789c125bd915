"""A pupil goes through the whole flow in a real browser, then his teacher finds him in the results.

Runs Debian's Chromium (/usr/bin/chromium); a missing browser is a failure, not a skip.
"""

import re

import pytest
from playwright.sync_api import expect

from accounts.factories import UserFactory
from campaigns.factories import CampaignFactory
from profiles.framework import COMPETENCE_CODES
from profiles.services import competence_pix_set
from students.factories import OrganizationLearnerFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _login(page, base, username):
    page.goto(f"{base}/connexion/")
    page.get_by_label("Identifiant ou adresse e-mail").fill(username)
    page.get_by_label("Mot de passe").fill("motdepasse-de-test")
    page.get_by_role("button", name="Je me connecte").click()


def test_pupil_sends_his_profile_and_teacher_sees_it(live_server, browser_page, organization, teacher):
    page, base = browser_page, live_server.url
    campaign = CampaignFactory(organization=organization, creator=teacher, name="Collecte des profils")
    pupil = UserFactory(username="lea.martin", first_name="Léa", last_name="Martin")
    OrganizationLearnerFactory(
        organization=organization, user=pupil, first_name="Léa", last_name="Martin", division="2NDE3"
    )
    competence_pix_set(user=pupil, pix_by_competence=dict.fromkeys(COMPETENCE_CODES[:6], 10))
    lazy = UserFactory(username="hugo.petit", first_name="Hugo", last_name="Petit")
    OrganizationLearnerFactory(
        organization=organization, user=lazy, first_name="Hugo", last_name="Petit", division="2NDE3"
    )

    _login(page, base, "lea.martin")
    typed = f"{campaign.code[:3].lower()} {campaign.code[3:].lower()}"
    page.get_by_label("Code de la campagne").fill(typed)
    page.get_by_role("button", name="Accéder au parcours").click()
    expect(page.get_by_role("heading", name="Envoyez votre profil")).to_be_visible()
    page.get_by_role("button", name="C'est parti !").click()
    expect(page.get_by_role("heading", name="Envoi de votre profil Pix")).to_be_visible()
    expect(page.get_by_text("Cet envoi n'est possible qu'une seule fois")).to_be_visible()
    page.get_by_role("button", name="J'envoie mon profil").click()
    expect(page.get_by_text("Merci, votre profil a bien été envoyé !")).to_be_visible()
    page.get_by_role("button", name="Se déconnecter").click()

    _login(page, base, teacher.username)
    page.get_by_role("link", name="Collecte des profils").click()
    page.get_by_role("link", name="Résultats (1)").click()
    row = page.get_by_role("row").filter(has_text="Martin")
    expect(row).to_contain_text("Léa")
    expect(row).to_contain_text("60")
    expect(row).to_contain_text("Certifiable")
    expect(row.get_by_role("cell").nth(-3)).to_have_text("6")
    expect(row.get_by_role("cell").nth(-2)).to_have_text("0")

    page.get_by_label("Certifiabilité").select_option("non")
    expect(page.get_by_text("Aucun participant ne correspond à ces filtres.")).to_be_visible()
    expect(page).to_have_url(re.compile(r"certifiable=non"))
    page.get_by_role("link", name="Effacer les filtres").click()
    page.get_by_role("link", name="Martin").click()
    expect(page.get_by_role("heading", name="Léa Martin")).to_be_visible()
    expect(page.get_by_text("6 sur 16")).to_be_visible()
