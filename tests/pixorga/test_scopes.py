"""Tenant scoping is enforced by the managers, not only by the views' filters."""

import pytest
from django_scopes import ScopeError, scope
from django_scopes.state import state

from campaigns.factories import CampaignFactory
from campaigns.models import Campaign, Participation
from students.models import OrganizationLearner

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", [Campaign, Participation, OrganizationLearner])
def test_a_query_outside_any_organization_scope_fails(model):
    token = state.set(None)
    try:
        with pytest.raises(ScopeError):
            list(model.objects.all())
    finally:
        state.reset(token)


def test_inside_a_scope_an_unfiltered_query_only_sees_that_organization(campaign):
    other = CampaignFactory()
    with scope(organization=campaign.organization_id):
        assert list(Campaign.objects.all()) == [campaign]
    with scope(organization=other.organization_id):
        assert list(Campaign.objects.all()) == [other]
