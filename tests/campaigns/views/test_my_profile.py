"""« Mon profil Pix »: the pupil's live score, levels and certifiability — where « Continuez votre
expérience Pix » and « M'évaluer d'abord » lead."""

import pytest
from django.urls import reverse

from profiles.services import competence_pix_set

from .checks import assert_method_not_allowed, assert_sent_to_login
from .html import document, element, elements, text

pytestmark = pytest.mark.django_db

URL = reverse("pupil:profile")


def _stats(response):
    section = element(document(response), "section", class_="stats")
    return [text(stat) for stat in elements(section, "div", class_="stat")]


def test_profile_shows_score_levels_and_what_is_missing(as_pupil, pupil):
    competence_pix_set(user=pupil, pix_by_competence={"1.1": 8, "1.2": 17, "3.4": 40, "5.2": 7})
    response = as_pupil.get(URL)
    assert _stats(response) == [
        "72 pix au total",
        "3 compétences de niveau 1 ou plus",
        "Non certifiable encore 2 compétences à amener au niveau 1",
    ]
    assert "3.4 Programmer" in text(document(response))


def test_empty_profile_agrees_in_french(as_pupil):
    assert _stats(as_pupil.get(URL))[1] == "0 compétence de niveau 1 ou plus"


def test_anonymous_visitor_is_sent_to_login(client):
    assert_sent_to_login(client.get(URL), URL)


def test_post_is_405(as_pupil):
    assert_method_not_allowed(as_pupil.post(URL), "GET")
