"""« Modifier »: the owner or an admin changes the name, the owner and the landing text; what pupils
answered to (objective, sending rule, external id) stays as it was created; an archived campaign is not
changed."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.factories import MembershipFactory
from campaigns.factories import CampaignFactory
from campaigns.models import Campaign
from tests.pages import page_text

from .checks import (
    NOT_A_MEMBER,
    assert_forbidden,
    assert_method_not_allowed,
    assert_not_found,
    assert_sent_to_login,
    fr,
)
from .html import attr, document, element, elements, field_errors, links, messages, text, title
from .pupils import campaign_change

pytestmark = pytest.mark.django_db

ARCHIVED = "Cette campagne est archivée : désarchivez-la pour la modifier."


def _url(campaign):
    return reverse("campaigns:update", args=[campaign.pk])


def _form(campaign, **changes):
    data = {"name": "Nouveau nom", "owner": campaign.owner_id, "custom_landing_page_text": "Avant vendredi"}
    data.update(changes)
    return data


def _unchanged(campaign):
    before = campaign.name
    campaign.refresh_from_db()
    return campaign.name == before


# Who may change it


def test_owner_who_is_not_an_admin_changes_it(as_owner, campaign):
    response = as_owner.post(_url(campaign), _form(campaign), follow=True)
    campaign.refresh_from_db()
    assert (campaign.name, campaign.custom_landing_page_text) == ("Nouveau nom", "Avant vendredi")
    assert response.redirect_chain == [(reverse("campaigns:settings", args=[campaign.pk]), 302)]
    assert messages(document(response)) == ["Les modifications de la campagne sont enregistrées."]


def test_admin_who_is_not_the_owner_changes_it_and_hands_it_to_a_colleague(as_admin, campaign, member):
    as_admin.post(_url(campaign), _form(campaign, owner=member.pk))
    campaign.refresh_from_db()
    assert (campaign.name, campaign.owner) == ("Nouveau nom", member)


def test_member_who_is_neither_gets_403_and_changes_nothing(as_member, campaign):
    assert_forbidden(as_member.get(_url(campaign)))
    assert_forbidden(as_member.post(_url(campaign), _form(campaign)))
    assert _unchanged(campaign)


def test_member_who_is_neither_is_not_offered_to_change_it(as_member, campaign):
    for name in ("campaigns:detail", "campaigns:results", "campaigns:settings"):
        assert links(document(as_member.get(reverse(name, args=[campaign.pk]))), "Modifier") == []


def test_teacher_of_another_organization_gets_404_and_changes_nothing(as_stranger, campaign):
    assert_not_found(as_stranger.post(_url(campaign), _form(campaign)))
    assert _unchanged(campaign)


def test_pupil_without_membership_gets_403(as_pupil, campaign):
    assert_forbidden(as_pupil.post(_url(campaign), _form(campaign)), NOT_A_MEMBER)
    assert _unchanged(campaign)


def test_anonymous_visitor_is_sent_to_login(client, campaign):
    assert_sent_to_login(client.post(_url(campaign), _form(campaign)), _url(campaign))
    assert _unchanged(campaign)


def test_put_is_405_and_changes_nothing(as_owner, campaign):
    assert_method_not_allowed(as_owner.put(_url(campaign)), "GET", "POST")
    assert _unchanged(campaign)


# What may change


def test_form_offers_only_what_may_change(as_owner, campaign):
    doc = document(as_owner.get(_url(campaign)))
    assert title(doc) == "Modifier la campagne · pixorga"
    names = {attr(control, "name") for control in elements(element(doc, "form", class_="form"), "input")}
    names |= {attr(control, "name") for control in elements(doc, "select") if attr(control, "name")}
    assert {"name", "owner"} <= names
    assert not names & {
        "type",
        "multiple_sendings",
        "asks_external_id",
        "external_id_type",
        "external_id_label",
    }
    assert attr(element(doc, "input", name="name"), "value") == campaign.name


def test_objective_sending_rule_and_external_id_are_locked(as_owner, organization, owner):
    campaign = CampaignFactory(
        organization=organization,
        creator=owner,
        external_id_label="Numéro d'élève",
        external_id_type=Campaign.ExternalIdType.STRING,
    )
    code = campaign.code
    as_owner.post(
        _url(campaign),
        _form(
            campaign,
            code="AAAAAA111",
            type="ASSESSMENT",
            multiple_sendings="oui",
            asks_external_id="non",
            external_id_type="EMAIL",
            external_id_label="Adresse e-mail",
        ),
    )
    campaign.refresh_from_db()
    assert campaign.name == "Nouveau nom"
    assert (campaign.code, campaign.type, campaign.multiple_sendings) == (code, "PROFILES_COLLECTION", False)
    assert (campaign.external_id_type, campaign.external_id_label) == ("STRING", "Numéro d'élève")


def test_locked_external_id_is_shown_as_text(as_owner, organization, owner):
    campaign = CampaignFactory(
        organization=organization,
        creator=owner,
        external_id_label="Adresse e-mail de l'ENT",
        external_id_type=Campaign.ExternalIdType.EMAIL,
    )
    content = page_text(as_owner.get(_url(campaign)))
    assert "Adresse e-mail de l'ENT (adresse e-mail) — fixé à la création de la campagne." in content


def test_owner_must_be_a_member_of_the_organization(as_owner, campaign, stranger):
    doc = document(as_owner.post(_url(campaign), _form(campaign, owner=stranger.pk)))
    assert field_errors(doc, "owner") == ["Choisissez un membre de votre organisation comme propriétaire."]
    assert _unchanged(campaign)


def test_new_owner_may_be_a_teacher_who_joined_the_organization(as_owner, campaign, stranger):
    MembershipFactory(organization=campaign.organization, user=stranger)
    as_owner.post(_url(campaign), _form(campaign, owner=stranger.pk))
    campaign.refresh_from_db()
    assert campaign.owner == stranger


# Errors


def test_empty_name_is_refused_next_to_the_field_and_named_in_the_title(as_owner, campaign):
    response = as_owner.post(_url(campaign), _form(campaign, name=""))
    doc = document(response)
    assert response.status_code == 200
    assert title(doc) == fr("Erreur : Modifier la campagne · pixorga")
    assert field_errors(doc, "name") == ["Veuillez donner un nom à la campagne."]
    assert attr(element(doc, "input", name="name"), "aria-describedby") == "id_name_error"
    assert text(element(doc, "textarea", name="custom_landing_page_text")) == "Avant vendredi"
    assert _unchanged(campaign)


# Archived


def test_archived_campaign_is_not_offered_to_change(as_owner, campaign):
    campaign_change(campaign, archived_at=timezone.now())
    for name in ("campaigns:detail", "campaigns:results", "campaigns:settings"):
        doc = document(as_owner.get(reverse(name, args=[campaign.pk])))
        assert links(doc, "Modifier") == []
        assert text(element(doc, "form", action=reverse("campaigns:unarchive", args=[campaign.pk]))) == (
            "Désarchiver"
        )


def test_archived_campaign_refuses_the_form_with_403(as_owner, as_admin, campaign):
    campaign_change(campaign, archived_at=timezone.now())
    assert_forbidden(as_owner.get(_url(campaign)), fr(ARCHIVED))
    assert_forbidden(as_admin.post(_url(campaign), _form(campaign)), fr(ARCHIVED))
    assert _unchanged(campaign)


@pytest.mark.parametrize("pk", ["²", "1" * 30])
def test_malformed_campaign_id_is_404(as_owner, pk):
    assert_not_found(as_owner.get(f"/orga/campagnes/{pk}/modifier/"))
