"""« Dupliquer »: any member copies a campaign's settings under a new code, as last year's campaign."""

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.factories import CampaignFactory
from campaigns.models import Campaign
from tests.campaigns.sendings import sent

from .checks import (
    NOT_A_MEMBER,
    assert_forbidden,
    assert_method_not_allowed,
    assert_not_found,
    assert_sent_to_login,
    fr,
)
from .html import document, element, messages, text
from .pupils import campaign_change

pytestmark = pytest.mark.django_db


def _url(campaign):
    return reverse("campaigns:duplicate", args=[campaign.pk])


@pytest.fixture
def original(organization, owner):
    """A campaign with every setting a copy takes, and a sending a copy does not take."""
    campaign = CampaignFactory(
        organization=organization,
        creator=owner,
        name="Collecte 2nde 2024",
        multiple_sendings=True,
        external_id_label="Adresse e-mail de l'ENT",
        external_id_type=Campaign.ExternalIdType.EMAIL,
        custom_landing_page_text="**Avant les vacances**",
    )
    sent(campaign, last_name="Martin")
    return campaign


def _copy():
    return Campaign.objects.get(name__startswith="Copie de ")


# Who may duplicate


def test_owner_who_is_not_an_admin_duplicates_it_and_lands_on_the_copy(as_owner, original, owner):
    response = as_owner.post(_url(original), follow=True)
    copy = _copy()
    assert response.redirect_chain == [(reverse("campaigns:settings", args=[copy.pk]), 302)]
    assert messages(document(response)) == [
        fr(f"La campagne « Copie de Collecte 2nde 2024 » est créée. Son code : {copy.code}.")
    ]
    assert (copy.creator, copy.owner) == (owner, owner)


def test_admin_who_is_not_the_owner_duplicates_it_and_owns_the_copy(as_admin, original, admin):
    as_admin.post(_url(original))
    assert (_copy().creator, _copy().owner) == (admin, admin)


def test_member_who_is_neither_may_duplicate_too(as_member, original, member):
    doc = document(as_member.get(reverse("campaigns:settings", args=[original.pk])))
    assert text(element(doc, "form", action=_url(original))) == "Dupliquer"
    as_member.post(_url(original))
    assert _copy().owner == member


def test_teacher_of_another_organization_gets_404_and_copies_nothing(as_stranger, original):
    assert_not_found(as_stranger.post(_url(original)))
    assert Campaign.objects.count() == 1


def test_pupil_without_membership_gets_403(as_pupil, original):
    assert_forbidden(as_pupil.post(_url(original)), NOT_A_MEMBER)
    assert Campaign.objects.count() == 1


def test_anonymous_visitor_is_sent_to_login(client, original):
    assert_sent_to_login(client.post(_url(original)), _url(original))
    assert Campaign.objects.count() == 1


def test_get_is_405_and_copies_nothing(as_owner, original):
    assert_method_not_allowed(as_owner.get(_url(original)), "POST")
    assert Campaign.objects.count() == 1


# The copy


def test_copy_has_the_settings_a_new_code_and_nothing_else(as_owner, original, organization):
    as_owner.post(_url(original))
    copy = _copy()
    assert copy.name == "Copie de Collecte 2nde 2024"
    assert copy.code != original.code and len(copy.code) == 9
    assert (copy.organization, copy.type, copy.multiple_sendings) == (organization, original.type, True)
    assert (copy.external_id_type, copy.external_id_label) == ("EMAIL", "Adresse e-mail de l'ENT")
    assert copy.custom_landing_page_text == "**Avant les vacances**"
    assert (copy.participants_count, copy.received_count, copy.participations.count()) == (0, 0, 0)


def test_copy_of_an_archived_campaign_is_active(as_owner, original):
    campaign_change(original, archived_at=timezone.now())
    as_owner.post(_url(original))
    assert not _copy().is_archived


def test_copy_of_a_name_at_the_maximum_length_fits(as_owner, organization, owner):
    campaign = CampaignFactory(organization=organization, creator=owner, name="x" * 255)
    as_owner.post(_url(campaign))
    assert _copy().name == "Copie de " + "x" * 246


@pytest.mark.parametrize("pk", ["²", "1" * 30])
def test_malformed_campaign_id_is_404(as_owner, pk):
    assert_not_found(as_owner.post(f"/orga/campagnes/{pk}/dupliquer/"))
