"""« J'envoie mon profil »: the page that says what will be sent, the one sending a click makes, and
sending again when the campaign accepts it."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.factories import UserFactory
from campaigns.consent import sending_consent_text
from campaigns.factories import CampaignFactory, SharedParticipationFactory
from campaigns.models import Participation
from profiles.framework import COMPETENCE_CODES
from profiles.services import competence_pix_set
from tests.pages import page_text

from .checks import assert_method_not_allowed, assert_sent_to_login, fr
from .html import by_id, document, element, elements, links, table_rows, text, title
from .pupils import campaign_change, join, press_send, press_start, roster_pupil, send_url

pytestmark = pytest.mark.django_db

ONCE = "Cet envoi n'est possible qu'une seule fois."
AGAIN = "vous pourrez envoyer à nouveau votre profil"
THANKS = fr("Merci, votre profil a bien été envoyé !")


@pytest.fixture
def joined(as_pupil, campaign, pupil):
    """Léa joined the campaign with 5 competences at 9 pix: 45 pix, certifiable."""
    competence_pix_set(user=pupil, pix_by_competence=dict.fromkeys(COMPETENCE_CODES[:5], 9))
    press_start(as_pupil, campaign)
    return Participation.objects.get()


def _page(response):
    return text(element(document(response), "section", class_="sending"))


def _send_buttons(response):
    return [text(button) for button in elements(document(response), "button", data_once=True)]


# Who may send


def test_pupil_reads_what_will_be_sent_and_sends_it(as_pupil, campaign, joined):
    response = as_pupil.get(send_url(campaign))
    assert title(document(response)) == "Envoi de votre profil Pix · pixorga"
    page = _page(response)
    assert "Toute évolution de votre profil après cet envoi ne sera pas transmise." in page
    assert fr("Aujourd'hui : 45 pix, 5 compétences de niveau 1 ou plus — vous êtes certifiable.") in page
    assert text(by_id(document(response), "consent")) == sending_consent_text(campaign)
    assert _send_buttons(response) == ["J'envoie mon profil"]

    thanks = press_send(as_pupil, campaign, joined)

    assert thanks.redirect_chain == [(reverse("pupil:thanks", args=[campaign.code]), 302)]
    assert THANKS in page_text(thanks)
    joined.refresh_from_db()
    assert (joined.status, joined.pix_score, joined.is_certifiable, joined.sending_number) == (
        "SHARED",
        45,
        True,
        1,
    )
    assert joined.snapshot.pix_score == 45 and joined.consent.text == sending_consent_text(campaign)


def test_anonymous_visitor_is_sent_to_login_and_sends_nothing(client, campaign, joined):
    assert_sent_to_login(client.get(send_url(campaign)), send_url(campaign))
    assert_sent_to_login(client.post(send_url(campaign), {"participation": joined.pk}), send_url(campaign))
    joined.refresh_from_db()
    assert not joined.is_shared


def test_put_is_405_and_sends_nothing(as_pupil, campaign, joined):
    assert_method_not_allowed(as_pupil.put(send_url(campaign)), "GET", "POST")
    joined.refresh_from_db()
    assert not joined.is_shared


def test_someone_elses_participation_is_404_and_stays_unsent(as_pupil, campaign, joined):
    other = join(campaign, roster_pupil(campaign.organization, last_name="Durand", first_name="Paul"))
    response = as_pupil.post(send_url(campaign), {"participation": other.pk})
    assert response.status_code == 404
    other.refresh_from_db()
    assert not other.is_shared


@pytest.mark.parametrize("forged", ["", "abc", "-1", "99999999", "²", "1" * 30])
def test_forged_sending_form_is_404_and_sends_nothing(as_pupil, campaign, joined, forged):
    response = as_pupil.post(send_url(campaign), {"participation": forged})
    assert response.status_code == 404
    assert not Participation.objects.filter(status="SHARED").exists()


def test_participation_of_another_campaign_is_404(as_pupil, campaign, joined, organization, owner):
    other = CampaignFactory(organization=organization, creator=owner)
    response = as_pupil.post(send_url(other), {"participation": joined.pk})
    assert response.status_code == 404
    joined.refresh_from_db()
    assert not joined.is_shared


def test_without_joining_the_page_leads_to_the_landing_page(as_pupil, campaign):
    assert as_pupil.get(send_url(campaign))["Location"] == campaign.get_join_url()
    assert as_pupil.post(send_url(campaign)).status_code == 404
    assert not Participation.objects.exists()


def test_unknown_code_says_so(as_pupil):
    response = as_pupil.get(reverse("pupil:send", args=["ZZZZZZ999"]))
    assert response.status_code == 404
    assert fr("Le code « ZZZZZZ999 » ne correspond à aucune campagne.") in page_text(response)


# One sending per click


def test_second_click_makes_one_sending_and_shows_the_confirmation(as_pupil, campaign, joined):
    press_send(as_pupil, campaign, joined)
    replay = press_send(as_pupil, campaign, joined)
    assert THANKS in page_text(replay)
    assert Participation.objects.count() == 1
    joined.refresh_from_db()
    campaign.refresh_from_db()
    assert (joined.sending_number, campaign.received_count) == (1, 1)


def test_coming_back_after_sending_shows_when_and_offers_no_second_sending(as_pupil, campaign, joined):
    press_send(as_pupil, campaign, joined)
    joined.refresh_from_db()
    response = as_pupil.get(send_url(campaign))
    page = _page(response)
    sent_at = timezone.localtime(joined.shared_at)
    assert fr(f"Vous avez envoyé votre profil le {sent_at:%d/%m/%Y à %H:%M} (45 pix).") in page
    assert "Cette campagne n'accepte qu'un seul envoi." in page
    assert _send_buttons(response) == []


# What the page promises


def test_single_sending_campaign_says_once_and_never_again(as_pupil, campaign, joined):
    page = _page(as_pupil.get(send_url(campaign)))
    assert ONCE in page and AGAIN not in page


def test_multiple_sendings_campaign_says_again_and_never_once(as_pupil, campaign, joined):
    campaign_change(campaign, multiple_sendings=True)
    before = _page(as_pupil.get(send_url(campaign)))
    assert AGAIN in before and "une seule fois" not in before
    press_send(as_pupil, campaign, joined)
    after = as_pupil.get(send_url(campaign))
    assert "une seule fois" not in _page(after)
    assert [text(button) for button in elements(document(after), "button")][
        -1
    ] == "Envoyer à nouveau mon profil"


def test_empty_profile_may_be_sent_but_the_page_says_to_assess_oneself_first(as_pupil, campaign):
    press_start(as_pupil, campaign)
    response = as_pupil.get(send_url(campaign))
    warning = element(document(response), "div", role="note")
    assert fr("Votre profil est vide : 0 pix.") in text(warning)
    assert "il vaut mieux d'abord vous évaluer" in text(warning)
    assert links(warning, "M'évaluer d'abord depuis Mon profil Pix") == [reverse("pupil:profile")]
    assert _send_buttons(response) == ["J'envoie mon profil"]
    thanks = press_send(as_pupil, campaign, Participation.objects.get())
    assert THANKS in page_text(thanks)
    assert Participation.objects.get().pix_score == 0


def test_not_certifiable_pupil_is_told_what_he_misses(as_pupil, campaign, pupil):
    competence_pix_set(user=pupil, pix_by_competence=dict.fromkeys(COMPETENCE_CODES[:4], 8))
    press_start(as_pupil, campaign)
    assert "vous n'êtes pas encore certifiable (il vous manque 1 compétence au niveau 1)" in _page(
        as_pupil.get(send_url(campaign))
    )


# Sending again


def test_with_multiple_sendings_a_pupil_sends_again_and_the_teacher_sees_two_sendings(
    as_pupil, as_owner, campaign, pupil, joined
):
    campaign_change(campaign, multiple_sendings=True)
    press_send(as_pupil, campaign, joined)
    competence_pix_set(user=pupil, pix_by_competence={"1.1": 40})

    again = press_start(as_pupil, campaign)
    latest = Participation.objects.get(is_improved=False)
    assert _send_buttons(again) == ["J'envoie mon profil"]
    assert THANKS in page_text(press_send(as_pupil, campaign, latest))

    joined.refresh_from_db()
    latest.refresh_from_db()
    assert (joined.is_improved, joined.is_latest_sending) == (True, False)
    assert (latest.sending_number, latest.previous_pix_score, latest.is_latest_sending) == (2, 45, True)
    assert latest.pix_score == 45 + 40 - 9
    campaign.refresh_from_db()
    assert (campaign.participants_count, campaign.received_count) == (1, 1)
    results = document(as_owner.get(reverse("campaigns:results", args=[campaign.pk])))
    (row,) = table_rows(element(results, "table", class_="results"))
    assert (row["Nombre d'envois"], row["Score Pix"]) == ("2", "76")
    activity = document(as_owner.get(campaign.get_absolute_url()))
    (row,) = table_rows(element(by_id(activity, "participants-table"), "table"))
    assert (row["Statut"], row["Nombre d'envois"]) == ("Profil reçu", "2")


def test_third_sending_is_counted_third(as_pupil, campaign, pupil, joined):
    campaign_change(campaign, multiple_sendings=True)
    press_send(as_pupil, campaign, joined)
    for _ in range(2):
        press_start(as_pupil, campaign)
        press_send(as_pupil, campaign, Participation.objects.get(is_improved=False))
    assert sorted(Participation.objects.values_list("sending_number", flat=True)) == [1, 2, 3]


# The campaign closes, the participation is deleted


def test_archiving_between_joining_and_sending_keeps_the_pupil_informed(as_pupil, campaign, joined, owner):
    campaign_change(campaign, archived_at=timezone.now())
    response = press_send(as_pupil, campaign, joined)
    archived = fr("Cette campagne est archivée : elle n'accepte plus de participation.")
    assert text(element(document(response), "p", role="alert")) == archived
    assert _send_buttons(response) == []
    joined.refresh_from_db()
    assert not joined.is_shared


def test_deleted_participation_cannot_be_sent(as_pupil, campaign, joined, owner):
    joined.deleted_at = timezone.now()
    joined.save()
    response = press_send(as_pupil, campaign, joined)
    assert fr("Votre participation à cette campagne a été supprimée par l'organisateur") in page_text(
        response
    )
    assert _send_buttons(response) == []
    joined.refresh_from_db()
    assert not joined.is_shared


# Queries


def test_page_runs_a_bounded_number_of_queries(as_pupil, campaign, joined, django_assert_max_num_queries):
    # session, user, membership (the pupil has none), campaign by code, live participation with its
    # snapshot, live profile: 6
    with django_assert_max_num_queries(6):
        response = as_pupil.get(send_url(campaign))
    assert _send_buttons(response) == ["J'envoie mon profil"]


def test_a_sent_participation_of_another_pupil_is_not_shown(as_pupil, campaign, joined):
    SharedParticipationFactory(campaign=campaign, user=UserFactory(), learner__last_name="Autre")
    assert "Autre" not in page_text(as_pupil.get(send_url(campaign)))
