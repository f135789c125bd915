"""A teacher of two organizations works for one at a time: the console shows that one's campaigns only."""

import pytest
from django.urls import reverse

from accounts.factories import MembershipFactory, OrganizationFactory
from campaigns.factories import CampaignFactory

from .checks import assert_method_not_allowed, assert_not_found
from .html import document, element, messages, table_rows, text

pytestmark = pytest.mark.django_db

URL = reverse("switch_organization")


@pytest.fixture
def college(owner):
    """A second organization the owner belongs to, with a campaign of its own."""
    college = OrganizationFactory(name="Collège Marie Curie")
    MembershipFactory(organization=college, user=owner)
    CampaignFactory(organization=college, creator=owner, name="Collecte du collège")
    return college


def _campaigns(client):
    listed = element(document(client.get(reverse("campaigns:list"))), "table")
    return [row["Nom de la campagne"] for row in table_rows(listed)]


def test_switching_shows_the_other_organizations_campaigns_only(as_owner, campaign, college):
    elsewhere = college.campaigns.get()
    assert _campaigns(as_owner) == [campaign.name]
    assert_not_found(as_owner.get(elsewhere.get_absolute_url()))
    response = as_owner.post(URL, {"organization": college.pk}, follow=True)
    assert response.redirect_chain == [(reverse("campaigns:list"), 302)]
    assert messages(document(response)) == ["Vous travaillez maintenant pour Collège Marie Curie."]
    assert _campaigns(as_owner) == ["Collecte du collège"]
    assert text(element(document(as_owner.get(elsewhere.get_absolute_url())), "h1")) == "Collecte du collège"
    assert_not_found(as_owner.get(campaign.get_absolute_url()))


@pytest.mark.parametrize("wanted", ["foreign", "abc", "", "²", "1" * 30])
def test_cannot_switch_to_an_organization_one_is_not_a_member_of(as_owner, campaign, stranger, wanted):
    foreign = stranger.memberships.get().organization
    response = as_owner.post(URL, {"organization": foreign.pk if wanted == "foreign" else wanted})
    assert_not_found(response)
    assert _campaigns(as_owner) == [campaign.name]


def test_get_is_405_and_switches_nothing(as_owner, campaign, college):
    assert_method_not_allowed(as_owner.get(URL, {"organization": college.pk}), "POST")
    assert _campaigns(as_owner) == [campaign.name]
