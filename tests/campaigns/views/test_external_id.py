"""The external id the organizer asks for (a pupil number, an e-mail address…), typed once before
joining."""

import pytest
from django.urls import reverse

from accounts.factories import UserFactory
from campaigns.factories import CampaignFactory
from campaigns.models import Campaign, Participation

from .checks import assert_method_not_allowed, assert_sent_to_login, fr
from .html import attr, document, element, field_errors, text, title
from .pupils import press_start, send_url

pytestmark = pytest.mark.django_db


def _url(campaign):
    return reverse("pupil:external_id", args=[campaign.code])


@pytest.fixture
def numbered(organization, owner):
    return CampaignFactory(organization=organization, creator=owner, external_id_label="numéro d'élève")


@pytest.fixture
def by_email(organization, owner):
    return CampaignFactory(
        organization=organization,
        creator=owner,
        external_id_label="adresse e-mail de l'ENT",
        external_id_type=Campaign.ExternalIdType.EMAIL,
    )


def test_external_id_is_asked_once_before_sending(as_pupil, numbered):
    response = press_start(as_pupil, numbered)
    assert response.redirect_chain == [(_url(numbered), 302)]
    doc = document(response)
    assert title(doc) == "numéro d'élève · pixorga"
    assert fr(
        "L'organisateur vous demande votre numéro d'élève. Vérifiez-le bien : il ne pourra plus être modifié."
    ) in text(element(doc, "section"))
    field = element(doc, "input", name="participant_external_id")
    assert text(element(doc, "label", **{"for": attr(field, "id")})) == "numéro d'élève *"
    assert as_pupil.post(_url(numbered), {"participant_external_id": " E-4521 "})["Location"] == send_url(
        numbered
    )
    assert Participation.objects.get().participant_external_id == "E-4521"
    assert press_start(as_pupil, numbered).redirect_chain == [(send_url(numbered), 302)]


def test_empty_id_is_refused_next_to_the_field(as_pupil, numbered):
    doc = document(as_pupil.post(_url(numbered), {"participant_external_id": "  "}))
    assert field_errors(doc, "participant_external_id") == ["Veuillez renseigner votre numéro d'élève."]
    assert title(doc).startswith(fr("Erreur : "))
    assert not Participation.objects.exists()


@pytest.mark.parametrize("typed", ["lea.martin", "lea@", "lea martin@exemple.fr", "@exemple.fr"])
def test_wrong_email_address_is_refused_in_french_next_to_the_field(as_pupil, by_email, typed):
    response = as_pupil.post(_url(by_email), {"participant_external_id": typed})
    doc = document(response)
    assert field_errors(doc, "participant_external_id") == [
        "Saisissez une adresse e-mail valide, par exemple prenom.nom@exemple.fr."
    ]
    field = element(doc, "input", name="participant_external_id")
    assert (attr(field, "type"), attr(field, "value")) == ("email", typed)
    assert "id_participant_external_id_error" in attr(field, "aria-describedby").split()
    assert title(doc).startswith(fr("Erreur : "))
    assert not Participation.objects.exists()


def test_right_email_address_joins(as_pupil, by_email):
    response = as_pupil.post(_url(by_email), {"participant_external_id": "lea.martin@exemple.fr"})
    assert response["Location"] == send_url(by_email)
    assert Participation.objects.get().participant_external_id == "lea.martin@exemple.fr"


def test_ten_thousand_characters_are_refused_without_a_500(as_pupil, numbered):
    doc = document(as_pupil.post(_url(numbered), {"participant_external_id": "x" * 10_000}))
    assert field_errors(doc, "participant_external_id")
    assert not Participation.objects.exists()


def test_campaign_without_external_id_goes_back_to_the_landing_page(as_pupil, campaign):
    assert as_pupil.get(_url(campaign))["Location"] == campaign.get_join_url()
    assert not Participation.objects.exists()


def test_pupil_not_yet_linked_to_the_roster_goes_back_to_the_landing_page(login, numbered):
    client = login(UserFactory())
    assert (
        client.post(_url(numbered), {"participant_external_id": "E-1"})["Location"] == numbered.get_join_url()
    )
    assert not Participation.objects.exists()


def test_anonymous_visitor_is_sent_to_login(client, numbered):
    assert_sent_to_login(client.post(_url(numbered), {"participant_external_id": "E-1"}), _url(numbered))
    assert not Participation.objects.exists()


def test_put_is_405(as_pupil, numbered):
    assert_method_not_allowed(as_pupil.put(_url(numbered)), "GET", "POST")
    assert not Participation.objects.exists()
