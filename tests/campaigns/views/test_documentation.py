"""Documentation: the guide's six steps, for every member of an organization."""

import pytest
from django.urls import reverse

from .checks import NOT_A_MEMBER, assert_forbidden, assert_method_not_allowed, assert_sent_to_login, fr
from .html import document, element, elements, text

pytestmark = pytest.mark.django_db

URL = reverse("campaigns:documentation")


def _steps(response):
    return [text(element(step, "strong")) for step in elements(element(document(response), "ol"), "li")]


STEPS = [
    "Créer une campagne",
    "Choisir la collecte",
    "Communiquer le code",
    "Côté élèves",
    "Suivre la campagne",
    "Relancer les élèves non certifiables",
]


def test_member_who_is_not_an_admin_reads_the_six_steps(as_member):
    assert _steps(as_member.get(URL)) == STEPS


def test_admin_reads_the_six_steps(as_admin):
    response = as_admin.get(URL)
    assert _steps(response) == STEPS
    assert fr(
        "Suivre la campagne : onglet Résultats ; le profil le plus récent apparaît en premier."
    ) in text(element(document(response), "ol"))


def test_menu_shows_documentation_as_the_current_page(as_member):
    menu = element(document(as_member.get(URL)), "nav", aria_label="Menu principal")
    assert [text(link) for link in elements(menu, "a", aria_current="page")] == ["Documentation"]


def test_pupil_without_membership_gets_403(as_pupil):
    assert_forbidden(as_pupil.get(URL), NOT_A_MEMBER)


def test_anonymous_visitor_is_sent_to_login(client):
    assert_sent_to_login(client.get(URL), URL)


def test_post_is_405(as_member):
    response = as_member.post(URL)
    assert_method_not_allowed(response, "GET")
    assert "Choisir la collecte" not in response.content.decode()
