"""Élèves: the organization's pupils. Kept to what any version of the page must do, through its URL."""

import pytest
from django.urls import reverse

from students.factories import OrganizationLearnerFactory
from tests.pages import page_text

pytestmark = pytest.mark.django_db

URL = reverse("campaigns:learners")


def test_disabled_learner_is_not_listed(client, teacher, organization):
    OrganizationLearnerFactory(organization=organization, last_name="Présente", first_name="Inès")
    OrganizationLearnerFactory(
        organization=organization, last_name="Partie", first_name="Jade", is_disabled=True
    )
    client.force_login(teacher)
    content = page_text(client.get(URL))
    assert "Présente" in content
    assert "Partie" not in content


def test_another_organizations_learner_is_not_listed(client, teacher, organization):
    OrganizationLearnerFactory(organization=organization, last_name="Présente")
    OrganizationLearnerFactory(last_name="Étrangère")
    client.force_login(teacher)
    content = page_text(client.get(URL))
    assert "Présente" in content
    assert "Étrangère" not in content
