"""Step 6 in a browser: from Résultats « Non certifiables » to the printed slips of the class."""

import pytest
from playwright.sync_api import expect

from campaigns.factories import CampaignFactory
from campaigns.models import Relaunch
from tests.campaigns.sendings import sent

from .browser import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

FOUR_COMPETENCES = {"1.1": 8, "1.2": 8, "1.3": 8, "2.1": 8, "3.4": 6}


def test_teacher_goes_from_the_non_certifiable_pupils_to_printed_slips(
    live_server, browser_page, organization, teacher
):
    page, base = browser_page, live_server.url
    campaign = CampaignFactory(organization=organization, creator=teacher, name="Collecte des 2nde")
    sent(campaign, last_name="Martin", first_name="Léa", division="2NDE1")
    sent(campaign, last_name="Petit", first_name="Hugo", division="2NDE1", pix=FOUR_COMPETENCES)
    sent(campaign, last_name="Durand", first_name="Tom", division="2NDE2", pix={"4.1": 7})

    login(page, base, teacher.username)
    page.goto(f"{base}/orga/campagnes/{campaign.pk}/resultats/")
    page.get_by_label("Certifiabilité").select_option("non")
    expect(page.get_by_role("status").filter(has_text="participant")).to_have_text("2 participants")
    page.get_by_role("link", name="Relancer les non certifiables").click()

    expect(page.get_by_role("heading", name="Relancer les élèves")).to_be_visible()
    hugo = page.get_by_role("row").filter(has_text="Petit")
    expect(hugo).to_contain_text("Non certifiables — il manque 1 compétence")
    expect(page.get_by_role("row").filter(has_text="Martin")).to_have_count(0)
    page.get_by_label("Relancer Tom Durand").uncheck()
    page.get_by_role("button", name="Imprimer les fiches par classe").click()

    expect(page.get_by_role("heading", name="Classe 2NDE1")).to_be_visible()
    slip = page.get_by_role("article").filter(has_text="Hugo Petit")
    expect(slip).to_contain_text(campaign.code)
    expect(slip).to_contain_text("Il vous manque 1 compétence au niveau 1.")
    expect(slip.get_by_role("listitem")).to_have_text(["Programmer"])
    expect(slip.locator("svg")).to_have_count(1)
    expect(page.get_by_text("Tom Durand")).to_have_count(0)
    relaunch = Relaunch.objects.get()
    assert relaunch.channel == Relaunch.Channel.SLIPS
    assert [r.learner.last_name for r in relaunch.recipients.select_related("learner")] == ["Petit"]
