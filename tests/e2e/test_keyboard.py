"""A pupil sends his profile with the keyboard alone: Tab to move, Enter or Space to act, from the login
page to « Merci, votre profil a bien été envoyé ! »."""

import pytest
from playwright.sync_api import expect

from accounts.factories import UserFactory
from campaigns.factories import CampaignFactory
from campaigns.models import Participation
from profiles.framework import COMPETENCE_CODES
from profiles.services import competence_pix_set
from students.factories import OrganizationLearnerFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

FOCUSED_NAME = r"""() => {
  const element = document.activeElement;
  if (!element || element === document.body) return "";
  const label = element.labels && element.labels.length ? element.labels[0].textContent : "";
  const name = label || element.getAttribute("aria-label") || element.textContent || element.value || "";
  return name.replace(/\s+/g, " ").trim();
}"""


def _tab_to(page, name, *, limit=40):
    """Press Tab until the focused element's name holds `name`; fail if the keyboard cannot reach it."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if name in page.evaluate(FOCUSED_NAME):
            return
    pytest.fail(f"« {name} » cannot be reached with the Tab key")


def test_a_pupil_sends_his_profile_with_the_keyboard_only(live_server, browser_page, organization, teacher):
    page, base = browser_page, live_server.url
    campaign = CampaignFactory(organization=organization, creator=teacher, name="Collecte des profils")
    pupil = UserFactory(username="lea.martin", first_name="Léa", last_name="Martin")
    OrganizationLearnerFactory(organization=organization, user=pupil, first_name="Léa", last_name="Martin")
    competence_pix_set(user=pupil, pix_by_competence=dict.fromkeys(COMPETENCE_CODES[:5], 9))

    page.goto(f"{base}/connexion/")
    _tab_to(page, "Identifiant ou adresse e-mail")
    page.keyboard.type("lea.martin")
    _tab_to(page, "Mot de passe")
    page.keyboard.type("motdepasse-de-test")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Bonjour Léa")).to_be_visible()

    _tab_to(page, "Code de la campagne")
    page.keyboard.type(campaign.code.lower())
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Envoyez votre profil")).to_be_visible()

    _tab_to(page, "C'est parti !")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Envoi de votre profil Pix")).to_be_visible()

    _tab_to(page, "J'envoie mon profil")
    page.keyboard.press("Space")
    expect(page.get_by_text("Merci, votre profil a bien été envoyé !")).to_be_visible()
    assert Participation.objects.get(user=pupil).status == Participation.Status.SHARED
