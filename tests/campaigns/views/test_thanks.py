"""The confirmation after sending: what was sent, what is missing, and where to go next."""

import pytest
from django.urls import reverse
from django.utils import timezone

from profiles.framework import COMPETENCE_CODES

from .checks import assert_method_not_allowed, assert_sent_to_login, fr
from .html import document, element, links, text, title
from .pupils import join, roster_pupil, send, send_url

pytestmark = pytest.mark.django_db


def _url(campaign):
    return reverse("pupil:thanks", args=[campaign.code])


def _page(response):
    return text(element(document(response), "section", class_="sending"))


def test_pupil_who_sent_reads_the_confirmation_with_what_was_sent(as_pupil, campaign, pupil):
    sending = send(campaign, pupil.learners.get(), pix=dict.fromkeys(COMPETENCE_CODES[:6], 8))
    response = as_pupil.get(_url(campaign))
    doc = document(response)
    assert title(doc) == "Profil envoyé · pixorga"
    page = _page(response)
    assert fr("Merci, votre profil a bien été envoyé !") in page
    sent_at = timezone.localtime(sending.shared_at)
    assert fr(f"Envoyé le {sent_at:%d/%m/%Y à %H:%M} : 48 pix, 6 compétences certifiables.") in page
    assert "Pour être certifiable" not in page


@pytest.mark.parametrize(
    ("competences", "sent", "missing"),
    [
        (1, "1 compétence certifiable.", "dans 4 compétences de plus"),
        (4, "4 compétences certifiables.", "dans 1 compétence de plus"),
        (0, "0 compétence certifiable.", "dans 5 compétences de plus"),
    ],
)
def test_not_certifiable_pupil_is_told_how_many_competences_he_misses_in_french(
    as_pupil, campaign, pupil, competences, sent, missing
):
    send(campaign, pupil.learners.get(), pix=dict.fromkeys(COMPETENCE_CODES[:competences], 8))
    page = _page(as_pupil.get(_url(campaign)))
    assert f"{sent} Pour être certifiable, il vous faut le niveau 1 {missing}" in page


def test_continue_leads_to_my_profile_and_home_is_one_click_away(as_pupil, campaign, pupil):
    send(campaign, pupil.learners.get())
    doc = document(as_pupil.get(_url(campaign)))
    assert links(doc, "Continuez votre expérience Pix") == [reverse("pupil:profile")]
    assert reverse("pupil:home") in links(doc, "Retour à l'accueil")


def test_before_sending_it_leads_to_the_sending_page(as_pupil, campaign, pupil):
    join(campaign, pupil.learners.get())
    assert as_pupil.get(_url(campaign))["Location"] == send_url(campaign)


def test_without_joining_it_leads_to_the_sending_page_then_the_landing_page(as_pupil, campaign):
    response = as_pupil.get(_url(campaign), follow=True)
    assert response.redirect_chain == [(send_url(campaign), 302), (campaign.get_join_url(), 302)]


def test_another_pupils_sending_is_not_his(as_pupil, campaign):
    send(campaign, roster_pupil(campaign.organization, last_name="Durand"))
    assert as_pupil.get(_url(campaign))["Location"] == send_url(campaign)


def test_anonymous_visitor_is_sent_to_login(client, campaign):
    assert_sent_to_login(client.get(_url(campaign)), _url(campaign))


def test_post_is_405(as_pupil, campaign, pupil):
    send(campaign, pupil.learners.get())
    response = as_pupil.post(_url(campaign))
    assert_method_not_allowed(response, "GET")
    assert "Merci" not in response.content.decode()
