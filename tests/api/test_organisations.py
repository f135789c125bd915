"""/api/v1/organisations/: the organizations of the current user, and which one the API uses by default."""

import pytest
from rest_framework.test import APIClient

from accounts.factories import MembershipFactory, OrganizationFactory
from accounts.models import Membership
from accounts.selectors import SESSION_KEY
from tests.api.conftest import api_error

pytestmark = pytest.mark.django_db

URL = "/api/v1/organisations/"


def test_a_teacher_sees_his_organizations_and_his_role_in_each(token_client, teacher, organization):
    college = OrganizationFactory(name="Collège Jean Jaurès", external_id="0069999Z")
    MembershipFactory(organization=college, user=teacher, role=Membership.Role.MEMBER)
    OrganizationFactory(name="Lycée d'à côté")

    response = token_client(teacher).get(URL)

    assert response.status_code == 200
    assert response.json()["count"] == 2
    assert response.json()["results"] == [
        {
            "id": college.pk,
            "name": "Collège Jean Jaurès",
            "type": "SCO",
            "external_id": "0069999Z",
            "role": "MEMBER",
            "is_current": False,
        },
        {
            "id": organization.pk,
            "name": "Lycée Victor Hugo",
            "type": "SCO",
            "external_id": "0061234A",
            "role": "ADMIN",
            "is_current": True,
        },
    ]


def test_the_browser_session_uses_the_organization_of_the_switcher(teacher, organization):
    college = OrganizationFactory(name="Collège Jean Jaurès")
    MembershipFactory(organization=college, user=teacher)
    client = APIClient()
    client.force_login(teacher)
    session = client.session
    session[SESSION_KEY] = college.pk
    session.save()

    rows = client.get(URL).json()["results"]

    assert [(row["name"], row["is_current"]) for row in rows] == [
        ("Collège Jean Jaurès", True),
        ("Lycée Victor Hugo", False),
    ]


def test_a_member_sees_his_organization(as_colleague, organization):
    assert [row["role"] for row in as_colleague.get(URL).json()["results"]] == ["MEMBER"]


def test_a_pupil_is_refused_the_console(as_pupil):
    error = api_error(as_pupil.get(URL), 403)
    assert error["code"] == "membre_requis"


def test_anonymous_is_401(anonymous):
    api_error(anonymous.get(URL), 401)


def test_wrong_method_is_405(as_teacher):
    api_error(as_teacher.post(URL, {}), 405)


def test_organizations_take_a_bounded_number_of_queries(token_client, teacher, django_assert_max_num_queries):
    for index in range(12):
        MembershipFactory(organization=OrganizationFactory(name=f"Collège {index:02d}"), user=teacher)
    client = token_client(teacher)
    # token and user, last use, current membership, count, page of memberships with their organization
    with django_assert_max_num_queries(5):
        response = client.get(URL, {"taille": 100})
    assert response.json()["count"] == 13
