"""The user's guide, played from end to end in a real browser on PostgreSQL.

A teacher creates a profiles-collection campaign and copies its code; two pupils send their profiles, one
typing the code in lower case with spaces, the other following the direct link and double-clicking the
sending button; the teacher reads the results, filters by class, opens a participant and exports the CSV.
It runs on PostgreSQL, the production database, whose row lock is what keeps a replayed sending single.
"""

import csv
import io
import re

import pytest
from django.db import connection
from playwright.sync_api import expect

from accounts.factories import UserFactory
from campaigns.models import Campaign, Participation
from profiles.framework import COMPETENCE_CODES, COMPETENCES
from profiles.services import competence_pix_set
from students.factories import OrganizationLearnerFactory

from .browser import login

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the guide's story runs on PostgreSQL, as in production"
    ),
]

CAMPAIGN_NAME = "Collecte des profils au 23.09.21"
CODE_FORMAT = re.compile(r"[A-Z]{6}[0-9]{3}")
# Léa has level 1 or more in six competences (certifiable), Hugo in three only (level 0 in the fourth).
LEA_PIX = dict(zip(COMPETENCE_CODES, (12, 20, 9, 30, 16, 8), strict=False))
HUGO_PIX = dict(zip(COMPETENCE_CODES, (10, 24, 17, 5), strict=False))


@pytest.fixture
def roster(organization):
    """Four pupils of the lycée in two classes; Léa and Hugo have accounts, the two others not yet."""
    lea = UserFactory(username="lea.martin", first_name="Léa", last_name="Martin")
    hugo = UserFactory(username="hugo.petit", first_name="Hugo", last_name="Petit")
    for user, first_name, last_name, division in (
        (lea, "Léa", "Martin", "2NDE1"),
        (None, "Chloé", "Bernard", "2NDE1"),
        (hugo, "Hugo", "Petit", "2NDE2"),
        (None, "Tom", "Durand", "2NDE2"),
    ):
        OrganizationLearnerFactory(
            organization=organization,
            user=user,
            first_name=first_name,
            last_name=last_name,
            division=division,
        )
    competence_pix_set(user=lea, pix_by_competence=LEA_PIX)
    competence_pix_set(user=hugo, pix_by_competence=HUGO_PIX)
    return lea, hugo


def _new_context(browser_context):
    """Another person at another computer: a browser profile of his own, in the same Chromium."""
    return browser_context.browser.new_context(locale="fr-FR")


def _table(page, name):
    """The table as the teacher reads it: one {column header: cell text} per row of data."""
    table = page.get_by_role("table", name=name)
    headers = [text.rstrip(" ▲▼").strip() for text in table.get_by_role("columnheader").all_inner_texts()]
    rows = table.get_by_role("row").filter(has=page.get_by_role("cell"))
    return [
        dict(zip(headers, (text.strip() for text in row.get_by_role("cell").all_inner_texts()), strict=True))
        for row in rows.all()
    ]


def _data_rows(page, name):
    return page.get_by_role("table", name=name).get_by_role("row").filter(has=page.get_by_role("cell"))


def test_the_whole_guide_in_a_browser(live_server, browser_context, teacher, roster):
    base = live_server.url
    lea, hugo = roster

    # 1. The teacher creates the collection campaign and copies its code.
    browser_context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base)
    orga = browser_context.new_page()
    login(orga, base, teacher.username)
    expect(orga.get_by_role("heading", name="Campagnes", level=1)).to_be_visible()
    orga.get_by_role("link", name="Créer une campagne").click()
    expect(orga.get_by_role("heading", name="Création d'une campagne", level=1)).to_be_visible()
    orga.get_by_label("Nom de la campagne").fill(CAMPAIGN_NAME)
    orga.get_by_label("Collecter les profils Pix des participants").check()
    orga.get_by_role("button", name="Créer la campagne").click()

    expect(orga.get_by_role("heading", name=CAMPAIGN_NAME, level=1)).to_be_visible()
    code_keys = orga.get_by_role("definition").filter(has=orga.get_by_role("button", name="Copier le code"))
    code = CODE_FORMAT.search(code_keys.inner_text()).group()
    assert code == Campaign.objects.get(name=CAMPAIGN_NAME).code
    expect(orga.get_by_text(f"Son code\u00a0: {code}.")).to_be_visible()
    orga.get_by_role("button", name="Copier le code").click()
    expect(orga.get_by_role("button", name="Copié !")).to_be_visible()
    assert orga.evaluate("() => navigator.clipboard.readText()") == code

    # 2a. Léa types the code as a pupil would copy it from the board: lower case, with spaces.
    lea_page = _new_context(browser_context).new_page()
    login(lea_page, base, "lea.martin")
    expect(lea_page.get_by_role("heading", name="Bonjour Léa")).to_be_visible()
    typed = f"{code[:3]} {code[3:6]} {code[6:]}".lower()
    lea_page.get_by_label("Code de la campagne").fill(typed)
    lea_page.get_by_role("button", name="Accéder au parcours").click()
    expect(lea_page.get_by_role("heading", name="Envoyez votre profil")).to_be_visible()
    expect(lea_page).to_have_url(f"{base}/campagnes/{code}")
    expect(lea_page.get_by_text("Lycée Victor Hugo")).to_be_visible()
    lea_page.get_by_role("button", name="C'est parti !").click()
    expect(lea_page.get_by_role("heading", name="Envoi de votre profil Pix")).to_be_visible()
    expect(lea_page.get_by_text("vous êtes certifiable")).to_be_visible()
    lea_page.get_by_role("button", name="J'envoie mon profil").click()
    expect(lea_page.get_by_text("Merci, votre profil a bien été envoyé !")).to_be_visible()
    expect(lea_page.get_by_text("95 pix, 6 compétences certifiables")).to_be_visible()

    # 2b. Hugo follows the direct link while logged out, logs in, comes back and double-clicks.
    hugo_page = _new_context(browser_context).new_page()
    hugo_page.goto(f"{base}/campagnes/{code}")
    expect(hugo_page.get_by_role("heading", name="Envoyez votre profil")).to_be_visible()
    hugo_page.get_by_role("link", name="C'est parti !").click()
    expect(hugo_page.get_by_role("heading", name="Connexion")).to_be_visible()
    expect(hugo_page).to_have_url(re.compile(rf"/connexion/\?next=(/|%2F)campagnes(/|%2F){code}$"))
    hugo_page.get_by_label("Identifiant ou adresse e-mail").fill("hugo.petit")
    hugo_page.get_by_label("Mot de passe").fill("motdepasse-de-test")
    hugo_page.get_by_role("button", name="Je me connecte").click()
    expect(hugo_page).to_have_url(f"{base}/campagnes/{code}")
    hugo_page.get_by_role("button", name="C'est parti !").click()
    expect(hugo_page.get_by_role("heading", name="Envoi de votre profil Pix")).to_be_visible()
    expect(hugo_page.get_by_text("vous n'êtes pas encore certifiable")).to_be_visible()
    hugo_page.get_by_role("button", name="J'envoie mon profil").dblclick()
    expect(hugo_page.get_by_text("Merci, votre profil a bien été envoyé !")).to_be_visible()
    expect(hugo_page.get_by_text("56 pix, 3 compétences certifiables")).to_be_visible()

    # 3. The teacher finds the campaign in the list and reads its results.
    orga.get_by_role("link", name="Campagnes", exact=True).click()
    orga.get_by_role("link", name=CAMPAIGN_NAME).click()
    orga.get_by_role("link", name="Résultats (2)").click()
    results = re.compile(r"^Résultats de la campagne")
    expect(_data_rows(orga, results)).to_have_count(2)
    rows = {row["Nom"]: row for row in _table(orga, results)}
    assert rows.keys() == {"Martin", "Petit"}
    assert rows["Martin"]["Prénom"] == "Léa"
    assert rows["Martin"]["Classe"] == "2NDE1"
    assert rows["Martin"]["Score Pix"] == "95"
    assert rows["Martin"]["Certifiable"] == "Certifiable"
    assert rows["Martin"]["Comp. certifiables"] == "6"
    assert rows["Petit"]["Prénom"] == "Hugo"
    assert rows["Petit"]["Classe"] == "2NDE2"
    assert rows["Petit"]["Score Pix"] == "56"
    assert rows["Petit"]["Certifiable"] == "Non certifiable"
    assert rows["Petit"]["Comp. certifiables"] == "3"

    # Filtering by class swaps the table in place (htmx): the page itself is not reloaded.
    orga.evaluate("() => { window.sameDocument = true; }")
    orga.get_by_role("group", name="Classes").get_by_label("2NDE2").check()
    expect(orga).to_have_url(re.compile(r"[?&]classe=2NDE2(&|$)"))
    expect(_data_rows(orga, results)).to_have_count(1)
    expect(_data_rows(orga, results)).to_contain_text("Petit")
    expect(orga.get_by_role("status")).to_have_text("1 participant")
    assert orga.evaluate("() => window.sameDocument") is True

    orga.get_by_role("link", name="Petit").click()
    expect(orga.get_by_role("heading", name="Hugo Petit", level=1)).to_be_visible()
    expect(orga.get_by_text("3 sur 16")).to_be_visible()
    competences = orga.get_by_role("table", name=re.compile(r"^Compétences du domaine")).get_by_role(
        "rowheader"
    )
    expect(competences).to_have_count(16)
    expect(competences).to_have_text([f"{c.code} {c.name}" for c in COMPETENCES])
    second = orga.get_by_role("row", name=f"{COMPETENCES[1].code} {COMPETENCES[1].name}")
    expect(second.get_by_role("cell")).to_have_text(["3", "24"])

    orga.get_by_role("link", name="Retour à la liste").click()
    expect(orga).to_have_url(re.compile(r"/resultats/\?(.*&)?classe=2NDE2(&|$)"))
    expect(orga.get_by_role("group", name="Classes").get_by_label("2NDE2")).to_be_checked()
    expect(_data_rows(orga, results)).to_have_count(1)
    expect(_data_rows(orga, results)).to_contain_text("Petit")

    with orga.expect_download() as download:
        orga.get_by_role("link", name="Exporter les résultats (.csv)").click()
    assert download.value.suggested_filename.startswith(f"Resultats-{CAMPAIGN_NAME}-")
    content = download.value.path().read_bytes()
    assert content.startswith("\ufeff".encode())
    text = content.decode("utf-8-sig")
    assert ";" in text.splitlines()[0]
    exported = list(csv.DictReader(io.StringIO(text, newline=""), delimiter=";"))
    assert len(exported) == 2
    by_name = {row["Nom du Participant"]: row for row in exported}
    assert by_name.keys() == {"Martin", "Petit"}
    for name, division, certifiable, count, score in (
        ("Martin", "2NDE1", "Oui", "6", "95"),
        ("Petit", "2NDE2", "Non", "3", "56"),
    ):
        row = by_name[name]
        assert row["Code"] == code
        assert row["Nom de la campagne"] == CAMPAIGN_NAME
        assert row["Classe"] == division
        assert row["Envoi (O/N)"] == "Oui"
        assert row["Certifiable (O/N)"] == certifiable
        assert row["Nombre de compétences certifiables"] == count
        assert row["Nombre de pix total"] == score

    # 4. One sending each: Hugo's double click made a single one.
    for user in (lea, hugo):
        participations = Participation.objects.filter(user=user)
        assert participations.count() == 1
        assert participations.get().status == Participation.Status.SHARED
