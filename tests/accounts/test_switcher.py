"""The organization switcher of the console names each organization « Nom (UAI) »."""

import re

import pytest
from django.urls import reverse

from accounts.factories import MembershipFactory, OrganizationFactory
from accounts.models import Organization
from tests.pages import page_text

pytestmark = pytest.mark.django_db


def test_switcher_shows_name_and_uai(team_admin, teacher, organization):
    college = OrganizationFactory(name="Collège Pasteur", external_id="0831234B")
    MembershipFactory(user=teacher, organization=college)

    text = page_text(team_admin.get(reverse("campaigns:list")))

    options = re.findall(r"<option value=\"(\d+)\"( selected)?>([^<]+)</option>", text)
    assert [(label, bool(selected)) for _, selected, label in options] == [
        ("Collège Pasteur (0831234B)", False),
        ("Lycée Victor Hugo (0061234A)", True),
    ]


def test_an_organization_without_uai_shows_its_name_alone():
    assert Organization(name="Université de Nice", external_id="").label == "Université de Nice"
    assert (
        Organization(name="Lycée Jean Moulin", external_id="0061234A").label == "Lycée Jean Moulin (0061234A)"
    )


def test_one_organization_shows_no_switcher(team_admin):
    assert "Changer d'organisation" not in page_text(team_admin.get(reverse("campaigns:list")))
