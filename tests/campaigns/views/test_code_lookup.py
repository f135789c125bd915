"""« J'ai un code »: the code typed on the home page, however it was typed, leads to its campaign."""

import pytest
from django.urls import reverse

from campaigns.models import Participation

from .checks import assert_method_not_allowed, assert_sent_to_login, fr
from .html import attr, document, element, field_errors, text, title

pytestmark = pytest.mark.django_db

URL = reverse("pupil:code")
BAD_FORMAT = "Ce code n'a pas le bon format : il compte 6 lettres puis 3 chiffres, par exemple MPPHCD934."


def test_code_typed_in_lower_case_with_spaces_and_dashes_leads_to_its_campaign(as_pupil, campaign):
    typed = f" {campaign.code[:3].lower()}-{campaign.code[3:6]} {campaign.code[6:]} "
    response = as_pupil.get(URL, {"code": typed}, follow=True)
    assert response.redirect_chain == [(campaign.get_join_url(), 302)]
    assert (
        text(element(document(response), "p", class_="landing__organization")) == campaign.organization.name
    )
    assert not Participation.objects.exists()


@pytest.mark.parametrize("typed", ["abc", "ABCDEF12", "ABCDEF1234", "²²²²²²²²²", "ABCDE0123"])
def test_malformed_code_is_explained_next_to_the_field(as_pupil, typed):
    response = as_pupil.get(URL, {"code": typed})
    doc = document(response)
    assert response.status_code == 400
    assert field_errors(doc, "code") == [fr(BAD_FORMAT)]
    assert title(doc) == fr("Erreur : Accueil · pixorga")
    assert attr(element(doc, "input", name="code"), "value") == typed


def test_empty_code_asks_for_the_code(as_pupil):
    doc = document(as_pupil.get(URL, {"code": ""}))
    assert field_errors(doc, "code") == ["Saisissez le code que votre enseignant vous a donné."]


def test_missing_code_asks_for_the_code(as_pupil):
    assert field_errors(document(as_pupil.get(URL)), "code") == [
        "Saisissez le code que votre enseignant vous a donné."
    ]


def test_ten_thousand_characters_are_refused_without_a_500(as_pupil):
    response = as_pupil.get(URL, {"code": "A" * 10_000})
    assert response.status_code == 400
    assert field_errors(document(response), "code")


def test_well_formed_code_of_no_campaign_says_so(as_pupil):
    response = as_pupil.get(URL, {"code": "zzzzzz-999"}, follow=True)
    assert response.redirect_chain == [("/campagnes/ZZZZZZ999", 302)]
    assert response.status_code == 404
    assert fr("Le code « ZZZZZZ999 » ne correspond à aucune campagne.") in text(
        element(document(response), "p", role="alert")
    )


def test_anonymous_visitor_is_sent_to_login(client, campaign):
    response = client.get(URL, {"code": campaign.code})
    assert_sent_to_login(response, f"{URL}?code={campaign.code}")


def test_post_is_405(as_pupil, campaign):
    assert_method_not_allowed(as_pupil.post(URL, {"code": campaign.code}), "GET")
