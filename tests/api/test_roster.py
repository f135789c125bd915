"""/api/v1/eleves/: the roster of the organization, by class, filtered by class and name."""

import datetime

import pytest

from students.api import RosterLearnerSerializer
from students.factories import OrganizationLearnerFactory
from tests.api.conftest import api_error

pytestmark = pytest.mark.django_db

URL = "/api/v1/eleves/"


@pytest.fixture
def roster(organization):
    return [
        OrganizationLearnerFactory(
            organization=organization,
            last_name="Lefèvre-Roux",
            first_name="Camille",
            division="TG2",
            birthdate=datetime.date(2008, 5, 14),
        ),
        OrganizationLearnerFactory(
            organization=organization, last_name="Arnaud", first_name="Alice", division="2NDE1"
        ),
        OrganizationLearnerFactory(
            organization=organization, last_name="Bernard", first_name="Léo", division="2NDE1"
        ),
        OrganizationLearnerFactory(
            organization=organization, last_name="Caché", division="2NDE1", is_disabled=True
        ),
        OrganizationLearnerFactory(last_name="D'un autre lycée", division="2NDE1"),
    ]


def last_names(response):
    assert response.status_code == 200, response.content
    return [row["last_name"] for row in response.json()["results"]]


def test_roster_lists_the_organizations_pupils_by_class(as_teacher, roster):
    response = as_teacher.get(URL)
    assert last_names(response) == ["Arnaud", "Bernard", "Lefèvre-Roux"]
    camille = roster[0]
    assert response.json()["results"][2] == {
        "id": camille.pk,
        "learner_id": camille.pk,
        "last_name": "Lefèvre-Roux",
        "first_name": "Camille",
        "division": "TG2",
        "birthdate": "2008-05-14",
        "certificability": "non-communique",
        "certifiable_competences_count": None,
        "certificability_at": None,
        "certificability_source": "",
    }


def test_roster_gives_each_pupils_certificability(as_teacher, roster):
    from django.utils import timezone

    camille = roster[0]
    camille.certificability = "non-certifiable"
    camille.certifiable_competences_count = 3
    camille.certificability_at = timezone.now()
    camille.certificability_source = "envoi"
    camille.save()
    row = as_teacher.get(URL).json()["results"][2]
    assert (row["certificability"], row["certifiable_competences_count"], row["certificability_source"]) == (
        "non-certifiable",
        3,
        "envoi",
    )
    only = as_teacher.get(URL, {"certificabilite": "non-certifiable"}).json()["results"]
    assert [row["last_name"] for row in only] == ["Lefèvre-Roux"]


def test_roster_columns_are_those_of_the_named_serializer():
    assert RosterLearnerSerializer().fields.keys() == {
        "id",
        "learner_id",
        "last_name",
        "first_name",
        "division",
        "birthdate",
        "certificability",
        "certifiable_competences_count",
        "certificability_at",
        "certificability_source",
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"classe": "2NDE1"}, ["Arnaud", "Bernard"]),
        ({"classe": ["2NDE1", "TG2"]}, ["Arnaud", "Bernard", "Lefèvre-Roux"]),
        ({"recherche": "lefevre"}, ["Lefèvre-Roux"]),
        ({"recherche": "LEO bern"}, ["Bernard"]),
        ({"classe": "TG2", "recherche": "alice"}, []),
    ],
)
def test_roster_filters_by_class_and_name(as_teacher, roster, query, expected):
    assert last_names(as_teacher.get(URL, query)) == expected


def test_roster_refuses_a_class_the_organization_does_not_have(as_teacher, roster):
    error = api_error(as_teacher.get(URL, {"classe": "3EME"}), 400)
    assert list(error["champs"]) == ["classe"]


def test_roster_of_another_of_my_organizations_or_not_mine(as_teacher, as_stranger, stranger, roster):
    other = stranger.memberships.get().organization
    OrganizationLearnerFactory(organization=other, last_name="Voisin")
    assert last_names(as_stranger.get(URL)) == ["Voisin"]
    api_error(as_teacher.get(URL, {"organisation": other.pk}), 404)


def test_roster_permissions(as_colleague, as_pupil, anonymous, roster):
    # The pupil (Léa Martin) is in the roster; he still may not read it.
    assert last_names(as_colleague.get(URL)) == ["Arnaud", "Bernard", "Martin", "Lefèvre-Roux"]
    api_error(as_pupil.get(URL), 403)
    api_error(anonymous.get(URL), 401)
    api_error(as_colleague.post(URL, {}), 405)


@pytest.mark.parametrize("count", [5, 60])
def test_roster_takes_as_many_queries_for_5_as_for_60_pupils(
    as_teacher, organization, count, django_assert_max_num_queries
):
    for index in range(count):
        OrganizationLearnerFactory(organization=organization, division=f"2NDE{index % 3}")
    # token and user, last use, membership, the classes (filter choices), count, page
    with django_assert_max_num_queries(6):
        response = as_teacher.get(URL, {"classe": ["2NDE0", "2NDE1", "2NDE2"], "taille": 100})
    assert response.json()["count"] == count
