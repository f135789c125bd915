"""Accessibility as a gate: axe-core audits every teacher and pupil page, error states included, in
Chromium; no serious or critical violation is allowed. The same pages must run under the strict
Content-Security-Policy without a single refusal.

To audit one more page, add one line to PAGES. The summary (pages audited, violations by impact) is
printed at the end of the pytest run.
"""

from dataclasses import dataclass, field

import pytest
from django.test import override_settings
from playwright.sync_api import expect

from accounts.factories import MembershipFactory, UserFactory
from accounts.models import Membership
from campaigns.factories import CampaignFactory, ParticipationFactory, SharedParticipationFactory
from profiles.framework import COMPETENCE_CODES
from profiles.services import competence_pix_set
from students.factories import OrganizationLearnerFactory

from .axe import audit, blocking

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
PASSWORD = "motdepasse-de-test"


@dataclass(frozen=True)
class Page:
    name: str
    path: str  # may use {code}, {pk} (the campaign) and {participation} (a sent participation)
    who: str = (
        ""  # "" anonymous, "teacher", "pupil" (joined, not sent yet), "sender", "newcomer" (no roster link)
    )
    submit: str = ""  # a button pressed with the form left empty: the page's error state
    limits: dict = field(default_factory=dict)  # settings.RATELIMITS overrides, to show the 429 page


PAGES = [
    Page("Connexion", "/connexion/"),
    Page("Connexion en erreur", "/connexion/", submit="Je me connecte"),
    Page("Inscription", "/inscription/"),
    Page("Inscription en erreur", "/inscription/", submit="Je m'inscris"),
    Page("Vérifiez votre boîte mail", "/inscription/envoyee/"),
    Page("Lien d'activation périmé", "/inscription/activer/MQ/perime/"),
    Page("Mot de passe oublié", "/mot-de-passe/oubli/"),
    Page("Mot de passe oublié en erreur", "/mot-de-passe/oubli/", submit="Recevoir le lien"),
    Page("E-mail de réinitialisation envoyé", "/mot-de-passe/oubli/envoye/"),
    Page("Page d'accueil d'une campagne, anonyme", "/campagnes/{code}"),
    Page("Lien d'invitation invalide", "/invitation/lien-invalide/"),
    Page("Accueil élève", "/accueil/", who="pupil"),
    Page("Code au mauvais format", "/campagnes/?code=abc", who="pupil"),
    Page("Code introuvable", "/campagnes/ZZZZZZ999", who="pupil"),
    Page("Trop de tentatives (429)", "/campagnes/ZZZZZZ998", who="pupil", limits={"code-user": "0/10m"}),
    Page("Page d'accueil d'une campagne", "/campagnes/{code}", who="pupil"),
    Page("Envoi du profil", "/campagnes/{code}/envoi", who="pupil"),
    Page("Mon profil Pix", "/mon-profil/", who="pupil"),
    Page("Page introuvable", "/une-page-qui-n-existe-pas/", who="pupil"),
    Page("Merci", "/campagnes/{code}/merci", who="sender"),
    Page("Rattachement", "/campagnes/{code}/rattachement", who="newcomer"),
    Page("Rattachement en erreur", "/campagnes/{code}/rattachement", who="newcomer", submit="Je m'associe"),
    Page("Campagnes", "/orga/campagnes/", who="teacher"),
    Page("Campagnes archivées", "/orga/campagnes/?onglet=archivees", who="teacher"),
    Page("Création de campagne", "/orga/campagnes/creation/", who="teacher"),
    Page(
        "Création de campagne en erreur",
        "/orga/campagnes/creation/",
        who="teacher",
        submit="Créer la campagne",
    ),
    Page("Activité", "/orga/campagnes/{pk}/", who="teacher"),
    Page("Résultats", "/orga/campagnes/{pk}/resultats/", who="teacher"),
    Page("Résultats filtrés sans réponse", "/orga/campagnes/{pk}/resultats/?certifiable=non", who="teacher"),
    Page("Paramètres", "/orga/campagnes/{pk}/parametres/", who="teacher"),
    Page("Modifier la campagne", "/orga/campagnes/{pk}/modifier/", who="teacher"),
    Page("Profil d'un participant", "/orga/campagnes/{pk}/participants/{participation}/", who="teacher"),
    Page("Affiche à distribuer", "/orga/campagnes/{pk}/affiche/", who="teacher"),
    Page("Supprimer la campagne", "/orga/campagnes/{pk}/supprimer/", who="teacher"),
    Page("Élèves qui n'ont jamais rejoint", "/orga/campagnes/{pk}/jamais-rejoint/", who="teacher"),
    Page("Relancer", "/orga/campagnes/{pk}/relancer/", who="teacher"),
    Page("Relances", "/orga/campagnes/{pk}/relances/", who="teacher"),
    Page("Journal des exports", "/orga/journal-des-exports/", who="teacher"),
    Page("Inviter des membres", "/orga/equipe/inviter/", who="teacher"),
    Page(
        "Inviter des membres en erreur",
        "/orga/equipe/inviter/",
        who="teacher",
        submit="Envoyer les invitations",
    ),
    Page("Élèves", "/orga/eleves/", who="teacher"),
    Page("Équipe", "/orga/equipe/", who="teacher"),
    Page("Documentation", "/orga/documentation/", who="teacher"),
]


@pytest.fixture
def school(organization):
    teacher = MembershipFactory(organization=organization, role=Membership.Role.ADMIN).user
    campaign = CampaignFactory(organization=organization, creator=teacher, name="Collecte des profils")
    pupil = UserFactory(username="hugo.petit", first_name="Hugo", last_name="Petit")
    ParticipationFactory(campaign=campaign, user=pupil)
    competence_pix_set(user=pupil, pix_by_competence=dict.fromkeys(COMPETENCE_CODES[:3], 12))
    sender = UserFactory(username="lea.martin", first_name="Léa", last_name="Martin")
    participation = SharedParticipationFactory(campaign=campaign, user=sender)
    OrganizationLearnerFactory(organization=organization, user=None, last_name="Roux", first_name="Éloïse")
    UserFactory(username="eloise.roux")
    users = {
        "teacher": teacher.username,
        "pupil": "hugo.petit",
        "sender": "lea.martin",
        "newcomer": "eloise.roux",
    }
    values = {"code": campaign.code, "pk": campaign.pk, "participation": participation.pk}
    return users, values


def _log_in(context, page, base, username):
    context.clear_cookies()
    if username:
        page.goto(f"{base}/connexion/")
        page.get_by_label("Identifiant ou adresse e-mail").fill(username)
        page.get_by_label("Mot de passe").fill(PASSWORD)
        page.get_by_role("button", name="Je me connecte").click()
        page.wait_for_load_state()


def _visit_every_page(context, page, base, school, settings):
    """Open each of PAGES in turn as its user, in its error state where it has one; yield its entry."""
    users, values = school
    current = None
    for entry in PAGES:
        if entry.who != current:
            _log_in(context, page, base, users.get(entry.who, ""))
            current = entry.who
        with override_settings(RATELIMITS={**settings.RATELIMITS, **entry.limits}):
            page.goto(base + entry.path.format(**values))
            if entry.submit:
                page.get_by_role("button", name=entry.submit).click()
                page.wait_for_load_state()
        yield entry


def test_every_page_has_no_serious_or_critical_violation(live_server, browser_context, school, settings):
    page, base = browser_context.new_page(), live_server.url
    refusals = []
    page.on(
        "console",
        lambda message: refusals.append(message.text) if "Content Security Policy" in message.text else None,
    )
    failures = {}
    for entry in _visit_every_page(browser_context, page, base, school, settings):
        expect(page.locator("h1")).to_have_count(1)
        problems = [
            f"{v['id']} ({v['impact']}): {v['help']} {v['targets']}"
            for v in blocking(audit(page, entry.name))
        ]
        if refusals:
            problems += [f"CSP: {text[:160]}" for text in refusals]
        refusals.clear()
        if problems:
            failures[entry.name] = problems
    assert failures == {}


def test_no_page_scrolls_sideways_on_a_375_px_phone(live_server, browser_context, school, settings):
    """RGAA 10.11: at 375 px nothing but a wide table, inside its own scrolling region, may overflow."""
    page, base = browser_context.new_page(), live_server.url
    page.set_viewport_size({"width": 375, "height": 800})
    too_wide = {
        entry.name: width
        for entry in _visit_every_page(browser_context, page, base, school, settings)
        if (width := page.evaluate("document.documentElement.scrollWidth")) > 375
    }
    assert too_wide == {}
