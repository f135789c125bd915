"""The pupil's home: a box for the code, and the campaigns he joined in every organization."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.factories import OrganizationFactory
from campaigns.factories import CampaignFactory
from students.factories import OrganizationLearnerFactory

from .checks import assert_method_not_allowed, assert_sent_to_login
from .html import attr, document, element, elements, table_rows, text, title
from .pupils import join, roster_pupil, send, send_url

pytestmark = pytest.mark.django_db

URL = reverse("pupil:home")


def _campaigns(response):
    section = element(document(response), "section", aria_labelledby="mine-title")
    tables = list(elements(section, "table"))
    return table_rows(tables[0]) if tables else []


def test_pupil_is_greeted_and_offered_to_type_a_code(as_pupil):
    doc = document(as_pupil.get(URL))
    assert title(doc) == "Accueil · pixorga"
    assert text(element(doc, "h1")) == "Bonjour Léa"
    form = element(doc, "form", action=reverse("pupil:code"))
    assert attr(form, "method") == "get"
    code = element(form, "input", name="code")
    assert text(element(doc, "label", **{"for": attr(code, "id")})) == "Code de la campagne *"


def test_pupil_sees_the_campaigns_he_joined_in_every_organization(as_pupil, campaign, pupil):
    sending = send(campaign, pupil.learners.get())
    college = OrganizationFactory(name="Collège Marie Curie")
    elsewhere = CampaignFactory(organization=college, name="Collecte du collège")
    join(elsewhere, OrganizationLearnerFactory(organization=college, user=pupil))
    rows = _campaigns(as_pupil.get(URL))
    assert {row["Campagne"]: (row["Organisation"], row["Envoi"]) for row in rows} == {
        campaign.name: (
            "Lycée Victor Hugo",
            f"Profil envoyé le {timezone.localtime(sending.shared_at):%d/%m/%Y}",
        ),
        "Collecte du collège": ("Collège Marie Curie", "En attente d'envoi"),
    }
    section = element(document(as_pupil.get(URL)), "section", aria_labelledby="mine-title")
    assert attr(element(section, "a", href=send_url(elsewhere)), "href") == send_url(elsewhere)


def test_pupil_who_joined_nothing_is_told_so(as_pupil):
    empty = element(
        element(document(as_pupil.get(URL)), "section", aria_labelledby="mine-title"), "p", class_="empty"
    )
    assert text(empty) == "Vous n'avez encore rejoint aucune campagne."


def test_other_pupils_campaigns_are_not_shown(as_pupil, campaign):
    send(campaign, roster_pupil(campaign.organization, last_name="Durand"))
    assert _campaigns(as_pupil.get(URL)) == []


def test_deleted_participation_is_not_shown(as_pupil, campaign, pupil):
    participation = join(campaign, pupil.learners.get())
    participation.deleted_at = timezone.now()
    participation.save()
    assert _campaigns(as_pupil.get(URL)) == []


def test_anonymous_visitor_is_sent_to_login(client):
    assert_sent_to_login(client.get(URL), URL)


def test_post_is_405(as_pupil):
    assert_method_not_allowed(as_pupil.post(URL), "GET")


def test_runs_a_bounded_number_of_queries(as_pupil, pupil, django_assert_max_num_queries):
    for _ in range(20):
        organization = OrganizationFactory()
        join(
            CampaignFactory(organization=organization),
            OrganizationLearnerFactory(organization=organization, user=pupil),
        )
    # session, user, membership (the pupil has none), his participations with their campaign and
    # organization: 4, whatever the number of campaigns
    with django_assert_max_num_queries(4):
        response = as_pupil.get(URL)
    assert len(_campaigns(response)) == 20
