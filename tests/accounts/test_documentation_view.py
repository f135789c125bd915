"""Documentation (/orga/documentation/): the guide to a profile-collection campaign, for every member."""

import itertools
import re

import pytest
from django.urls import reverse

from tests.accounts.typography import typography_faults
from tests.pages import page_text

pytestmark = pytest.mark.django_db

URL = reverse("campaigns:documentation")


@pytest.fixture
def response(team_member):
    return team_member.get(URL)


@pytest.fixture
def page(response):
    return response.content.decode()


def test_a_member_reads_the_guide_with_its_table_of_contents(response):
    text = page_text(response)
    toc = re.search(r'<nav class="card doc__toc".*?</nav>', text, re.S).group(0)
    anchors = re.findall(r'href="#([\w-]+)"', toc)
    assert len(anchors) == 10
    for anchor in anchors:
        assert f'id="{anchor}"' in text


def test_headings_go_down_one_level_at_a_time(page):
    levels = [int(level) for level in re.findall(r"<h([1-6])\b", page)]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels))


def test_the_certifiability_rule_is_stated_with_pix_numbers(response):
    text = page_text(response)
    assert (
        "Un élève est certifiable lorsqu'il a atteint au moins le niveau\u00a01 dans au moins "
        "5\u00a0des 16\u00a0compétences du référentiel Pix."
    ) in re.sub(r"</?strong>", "", text)
    assert "8\u00a0pix font un niveau" in re.sub(r"</?strong>", "", text)
    assert "Le niveau maximal est <strong>7</strong>, soit 56\u00a0pix par compétence." in text


@pytest.mark.parametrize(
    "topic",
    [
        "Créer une campagne",
        "Le QR code",
        "J'envoie mon profil",
        "Total de participants",
        "n'ont pas encore rejoint",
        "jamais rejoint la campagne",
        "Évolution",
        "Manque",
        "Un message à coller",
        "Des fiches à imprimer",
        "Des e-mails",
        "Une campagne d'évaluation",
        "relancé le…",
        "L'export SIECLE",
        "FREGATA",
        "Tout ou rien",
        "Générer identifiants et mots de passe",
        "Administrateur",
    ],
)
def test_each_topic_of_the_guide_is_covered(response, topic):
    assert topic in re.sub(r"</?(strong|dt)>", "", page_text(response))


def test_the_invitation_lifetime_follows_the_setting(team_member, settings):
    settings.INVITATION_MAX_AGE_DAYS = 3
    assert "un lien personnel, valable 3 jours\u00a0:" in page_text(team_member.get(URL))


def test_the_guide_follows_french_typography(page):
    assert typography_faults(page) == []


def test_an_admin_reads_it_too(team_admin):
    assert "La règle de certificabilité" in page_text(team_admin.get(URL))


def test_anonymous_visitor_is_sent_to_login(client):
    assert client.get(URL)["Location"].startswith(reverse("login"))


def test_a_pupil_is_refused(pupil_client):
    assert pupil_client.get(URL).status_code == 403


def test_post_is_refused(team_member):
    assert team_member.post(URL).status_code == 405
