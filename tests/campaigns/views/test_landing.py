"""The campaign's landing page (the code's link): the organizer's text, « C'est parti ! », and where
pressing it leads — reconciliation, the external id, or the sending page."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.factories import MembershipFactory, OrganizationFactory, UserFactory
from accounts.models import Organization
from campaigns.factories import CampaignFactory
from campaigns.models import Participation
from students.models import OrganizationLearner
from tests.campaigns.assessments import assessment, bank_topics
from tests.pages import page_text

from .checks import assert_method_not_allowed, fr
from .html import attr, document, element, elements, links, text, title
from .pupils import campaign_change, press_start, send, send_url

pytestmark = pytest.mark.django_db

START = fr("C'est parti !")
CONSENT = "Elles ne seront transmises qu'avec votre consentement."


def _start_buttons(response):
    doc = document(response)
    return [text(button) for button in elements(doc, "button") if text(button) == START] + [
        attr(link, "href") for link in elements(doc, "a") if text(link) == START
    ]


def _alert(response):
    return text(element(document(response), "p", role="alert"))


# Anyone may read it


def test_anonymous_visitor_reads_the_guide_texts_and_is_offered_to_log_in(client, campaign):
    campaign_change(campaign, custom_landing_page_text="Envoyez-le avant vendredi.")
    response = client.get(campaign.get_join_url())
    doc = document(response)
    assert title(doc) == "Envoyez votre profil · pixorga"
    assert text(element(doc, "h1")) == "Envoyez votre profil"
    content = text(element(doc, "section", class_="landing"))
    assert campaign.organization.name in content and "Envoyez-le avant vendredi." in content
    assert CONSENT in content
    assert _start_buttons(response) == [f"/connexion/?next=/campagnes/{campaign.code}"]
    assert links(doc, "Inscrivez-vous") == [f"/inscription/?next=/campagnes/{campaign.code}"]


def test_anonymous_visitor_logs_in_and_comes_back_to_the_campaign(client, campaign, pupil):
    response = client.post(
        f"/connexion/?next=/campagnes/{campaign.code}",
        {"username": pupil.username, "password": "motdepasse-de-test", "next": f"/campagnes/{campaign.code}"},
    )
    assert response["Location"] == f"/campagnes/{campaign.code}"


def test_anonymous_start_is_sent_to_login_and_creates_nothing(client, campaign):
    response = client.post(campaign.get_join_url())
    assert response["Location"] == f"/connexion/?next=/campagnes/{campaign.code}"
    assert not Participation.objects.exists()


def test_pupil_is_offered_to_start(as_pupil, campaign):
    response = as_pupil.get(campaign.get_join_url())
    assert _start_buttons(response) == [START]


def test_put_is_405_and_creates_nothing(as_pupil, campaign):
    assert_method_not_allowed(as_pupil.put(campaign.get_join_url()), "GET", "POST")
    assert not Participation.objects.exists()


# The code in the link


def test_link_typed_in_lower_case_with_dashes_goes_to_the_canonical_link(as_pupil, campaign):
    typed = f"{campaign.code[:3].lower()}-{campaign.code[3:6]}-{campaign.code[6:]}"
    assert as_pupil.get(f"/campagnes/{typed}")["Location"] == f"/campagnes/{campaign.code}"


@pytest.mark.parametrize("code", ["ZZZZZZ999", "²²²", "<script>alert(1)", "x" * 10_000])
def test_unknown_code_says_so_in_french_and_creates_nothing(as_pupil, code):
    response = as_pupil.get(reverse("pupil:landing", args=[code]))
    assert response.status_code == 404
    assert fr(f"Le code « {code} » ne correspond à aucune campagne.") in _alert(response)
    assert "<script>alert" not in response.content.decode()
    assert as_pupil.post(reverse("pupil:landing", args=[code])).status_code == 404
    assert not Participation.objects.exists()


# The organizer's text


def test_landing_text_is_rendered_as_markdown(client, campaign):
    campaign.custom_landing_page_text = (
        "## Avant de commencer\n\nEnvoyez-le **avant vendredi**, *sans faute* :\n\n"
        "- connectez-vous\n- saisissez le code\n\n[Le guide](https://pix.fr/guide)"
    )
    campaign.save()
    text_block = element(document(client.get(campaign.get_join_url())), "div", class_="landing__text")
    assert text(element(text_block, "h2")) == "Avant de commencer"
    assert text(element(text_block, "strong")) == "avant vendredi"
    assert text(element(text_block, "em")) == "sans faute"
    assert [text(item) for item in elements(text_block, "li")] == ["connectez-vous", "saisissez le code"]
    link = element(text_block, "a")
    assert (attr(link, "href"), text(link)) == ("https://pix.fr/guide", "Le guide")
    assert set(attr(link, "rel").split()) >= {"noopener", "noreferrer"}


@pytest.mark.parametrize(
    "typed",
    [
        "<script>alert('x')</script>Bonjour",
        '<img src="x" onerror="alert(1)">Bonjour',
        "[Cliquez](javascript:alert(1))",
        '<a href="javascript:alert(1)">Cliquez</a>',
        "<iframe src='https://exemple.fr'></iframe>",
        '<b style="color:red" onclick="x()">Bonjour</b>',
        '<form action="https://exemple.fr"><input name="mdp"></form>',
    ],
)
def test_landing_text_lets_no_html_through(client, campaign, typed):
    campaign_change(campaign, custom_landing_page_text=typed)
    text_block = element(document(client.get(campaign.get_join_url())), "div", class_="landing__text")
    for node in elements(text_block):
        assert node.name in {"p", "strong", "em", "a", "ul", "ol", "li", "br", "code", "blockquote"}, node
        assert set(node.attributes) <= {"href", "title", "rel"}, node
        assert not (attr(node, "href") or "").startswith("javascript:"), node


# Where « C'est parti ! » leads


def test_pupil_of_the_roster_goes_straight_to_the_sending_page(as_pupil, campaign, pupil):
    response = press_start(as_pupil, campaign)
    assert response.redirect_chain == [(send_url(campaign), 302)]
    participation = Participation.objects.get()
    assert (participation.user, participation.learner, participation.status) == (
        pupil,
        pupil.learners.get(),
        "TO_SHARE",
    )


def test_unlinked_pupil_of_a_school_is_asked_who_he_is(login, campaign):
    response = press_start(login(UserFactory()), campaign)
    assert response.redirect_chain == [(reverse("pupil:reconcile", args=[campaign.code]), 302)]
    assert not Participation.objects.exists()


def test_campaign_with_an_external_id_asks_for_it_first(as_pupil, organization, owner):
    campaign = CampaignFactory(organization=organization, creator=owner, external_id_label="numéro d'élève")
    response = press_start(as_pupil, campaign)
    assert response.redirect_chain == [(reverse("pupil:external_id", args=[campaign.code]), 302)]
    assert not Participation.objects.exists()


def test_outside_schools_the_account_is_the_participant(login):
    organization = OrganizationFactory(type=Organization.Type.PRO)
    campaign = CampaignFactory(
        organization=organization, creator=MembershipFactory(organization=organization).user
    )
    user = UserFactory(first_name="Paul", last_name="Durand")
    response = press_start(login(user), campaign)
    assert response.redirect_chain == [(send_url(campaign), 302)]
    learner = Participation.objects.get().learner
    assert (learner.organization, learner.first_name, learner.last_name, learner.user) == (
        organization,
        "Paul",
        "Durand",
        user,
    )


def test_pressing_twice_keeps_one_participation(as_pupil, campaign):
    press_start(as_pupil, campaign)
    press_start(as_pupil, campaign)
    assert Participation.objects.count() == 1
    campaign.refresh_from_db()
    assert campaign.participants_count == 1


def test_archived_campaign_says_so_and_creates_nothing(as_pupil, campaign, owner):
    campaign_change(campaign, archived_at=timezone.now())
    archived = fr("Cette campagne est archivée : elle n'accepte plus de participation.")
    response = as_pupil.get(campaign.get_join_url())
    assert _alert(response) == archived and _start_buttons(response) == []
    assert archived in page_text(press_start(as_pupil, campaign))
    assert not Participation.objects.exists()


def test_assessment_campaign_starts_with_its_first_question(as_pupil, organization, owner):
    campaign = assessment(organization, owner, bank_topics(codes=("1.1",)))
    response = as_pupil.get(campaign.get_join_url())
    assert text(element(document(response), "h1")) == fr("Évaluez vos compétences")
    assert _start_buttons(response) == [START]
    assert "Question 1 sur" in page_text(press_start(as_pupil, campaign))
    assert Participation.objects.get().status == Participation.Status.STARTED


# After sending


def test_after_sending_once_the_page_says_when_and_offers_nothing_more(as_pupil, campaign, pupil):
    sending = send(campaign, pupil.learners.get())
    response = as_pupil.get(campaign.get_join_url())
    status = text(element(document(response), "p", role="status"))
    assert (
        status
        == f"Vous avez déjà envoyé votre profil le {timezone.localtime(sending.shared_at):%d/%m/%Y à %H:%M}."
    )
    again = press_start(as_pupil, campaign)
    assert again.redirect_chain == [(send_url(campaign), 302)]
    assert "Cette campagne n'accepte qu'un seul envoi." in text(element(document(again), "section"))
    assert Participation.objects.count() == 1


def test_with_multiple_sendings_starting_again_makes_a_new_participation_at_once(as_pupil, campaign, pupil):
    campaign_change(campaign, multiple_sendings=True)
    first = send(campaign, pupil.learners.get())
    assert "Vous pouvez l'envoyer à nouveau." in text(
        element(document(as_pupil.get(campaign.get_join_url())), "p", role="status")
    )
    response = press_start(as_pupil, campaign)
    assert response.redirect_chain == [(send_url(campaign), 302)]
    first.refresh_from_db()
    latest = Participation.objects.get(is_improved=False)
    assert (first.is_improved, first.is_latest_sending, first.status) == (True, True, "SHARED")
    assert latest.status == "TO_SHARE"
    assert [text(button) for button in elements(document(response), "button", data_once=True)] == [
        "J'envoie mon profil"
    ]
    campaign.refresh_from_db()
    assert (campaign.participants_count, campaign.received_count) == (1, 1)


def test_step_pages_opened_directly_write_nothing(login):
    organization = OrganizationFactory(type=Organization.Type.PRO)
    campaign = CampaignFactory(
        organization=organization, creator=MembershipFactory(organization=organization).user
    )
    client = login(UserFactory())
    for name in ["pupil:reconcile", "pupil:external_id"]:
        assert client.get(reverse(name, args=[campaign.code]))["Location"] == campaign.get_join_url()
    assert not OrganizationLearner.objects.exists()
    assert not Participation.objects.exists()
