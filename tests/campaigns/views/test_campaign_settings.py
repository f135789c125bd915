"""Paramètres: what the campaign was created with, and the actions on it (Modifier, Dupliquer,
Supprimer) for those who may take them."""

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.factories import CampaignFactory
from campaigns.models import Campaign

from .checks import (
    NOT_A_MEMBER,
    assert_forbidden,
    assert_method_not_allowed,
    assert_not_found,
    assert_sent_to_login,
    fr,
)
from .html import attr, document, element, elements, links, text
from .pupils import campaign_change

pytestmark = pytest.mark.django_db


def _url(campaign):
    return reverse("campaigns:settings", args=[campaign.pk])


def _settings(response):
    """The settings as the page lists them: {term: definition}."""
    listing = element(document(response), "dl", class_="settings")
    items = [child for child in listing.children if getattr(child, "name", None) == "div"]
    return {text(element(item, "dt")): text(element(item, "dd")) for item in items}


def _actions(response):
    actions = element(
        element(document(response), "section", aria_labelledby="settings-title"), "div", class_="actions"
    )
    return [text(action) for action in [*elements(actions, "a"), *elements(actions, "button")]]


# Who may see it


def test_owner_who_is_not_an_admin_sees_every_action(as_owner, campaign):
    response = as_owner.get(_url(campaign))
    assert _settings(response)["Nom de la campagne"] == campaign.name
    assert sorted(_actions(response)) == ["Dupliquer", "Modifier", "Supprimer"]


def test_admin_who_is_not_the_owner_sees_every_action(as_admin, campaign):
    assert sorted(_actions(as_admin.get(_url(campaign)))) == ["Dupliquer", "Modifier", "Supprimer"]


def test_member_who_is_neither_reads_the_settings_and_may_only_duplicate(as_member, campaign):
    response = as_member.get(_url(campaign))
    assert _settings(response)["Code"] == campaign.code
    assert _actions(response) == ["Dupliquer"]


def test_archived_campaign_offers_no_change(as_owner, campaign):
    campaign_change(campaign, archived_at=timezone.now())
    assert sorted(_actions(as_owner.get(_url(campaign)))) == ["Dupliquer", "Supprimer"]


def test_teacher_of_another_organization_gets_404(as_stranger, campaign):
    assert_not_found(as_stranger.get(_url(campaign)))


def test_pupil_without_membership_gets_403(as_pupil, campaign):
    assert_forbidden(as_pupil.get(_url(campaign)), NOT_A_MEMBER)


def test_anonymous_visitor_is_sent_to_login(client, campaign):
    assert_sent_to_login(client.get(_url(campaign)), _url(campaign))


def test_post_is_405_and_changes_nothing(as_owner, campaign):
    assert_method_not_allowed(as_owner.post(_url(campaign), {"name": "Renommée"}), "GET")
    campaign.refresh_from_db()
    assert campaign.name == "Collecte des profils au 23.09.21"


@pytest.mark.parametrize("pk", ["²", "1" * 30])
def test_malformed_campaign_id_is_404(as_owner, pk):
    assert_not_found(as_owner.get(f"/orga/campagnes/{pk}/parametres/"))


# What it shows


def test_settings_of_a_campaign_with_every_option(as_owner, organization, owner, admin):
    campaign = CampaignFactory(
        organization=organization,
        creator=owner,
        owner=admin,
        multiple_sendings=True,
        external_id_label="Adresse e-mail de l'ENT",
        external_id_type=Campaign.ExternalIdType.EMAIL,
        custom_landing_page_text="Envoyez-le **avant vendredi**.",
    )
    settings = _settings(as_owner.get(_url(campaign)))
    assert settings["Objectif"] == "Collecter les profils Pix des participants"
    assert settings["Lien direct"] == f"http://testserver/campagnes/{campaign.code}"
    assert settings["Envois multiples"] == fr("Oui : le participant peut envoyer son profil à nouveau")
    assert settings["Identifiant externe"] == "Adresse e-mail de l'ENT (adresse e-mail)"
    assert settings["Texte de la page d'accueil"] == "Envoyez-le avant vendredi."
    assert settings["Propriétaire"] == "Anne Lambert"
    created = timezone.localtime(campaign.created_at)
    assert settings["Créée par"] == f"Olivier Dumont, le {created:%d/%m/%Y à %H:%M}"


def test_settings_of_a_plain_campaign(as_owner, campaign):
    settings = _settings(as_owner.get(_url(campaign)))
    assert settings["Envois multiples"] == fr("Non : un seul envoi par participant")
    assert settings["Identifiant externe"] == "Aucun"
    assert settings["Texte de la page d'accueil"] == "Aucun"
    assert "Archivée" not in settings


def test_landing_text_is_shown_as_sanitised_markdown(as_owner, organization, owner):
    campaign = CampaignFactory(
        organization=organization,
        creator=owner,
        custom_landing_page_text=(
            '**Gras** <script>alert(1)</script> [lien](javascript:alert(1)) <b onclick="x()">b</b>'
        ),
    )
    shown = element(document(as_owner.get(_url(campaign))), "div", class_="markdown")
    assert text(element(shown, "strong")) == "Gras"
    for node in elements(shown):
        assert node.name in {"p", "strong", "em", "a", "br"}, node
        assert set(node.attributes) <= {"href", "title", "rel"}, node
        assert not (attr(node, "href") or "").startswith("javascript:"), node


def test_tabs_show_settings_as_the_current_one(as_owner, campaign):
    nav = element(document(as_owner.get(_url(campaign))), "nav", aria_label="Sections de la campagne")
    assert [text(link) for link in elements(nav, "a", aria_current="page")] == ["Paramètres"]
    assert links(nav, "Résultats (0)") == [reverse("campaigns:results", args=[campaign.pk])]
