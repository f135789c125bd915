"""« Changer le rôle » of a member (POST /orga/equipe/membres/<id>/role/)."""

import pytest
from django.urls import reverse

from accounts.factories import MembershipFactory
from accounts.models import Membership
from tests.pages import page_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def colleague_membership(organization, colleague):
    return Membership.objects.get(organization=organization, user=colleague)


@pytest.fixture
def teacher_membership(organization, teacher):
    return Membership.objects.get(organization=organization, user=teacher)


def _url(membership):
    return reverse("team_member_role", args=[membership.pk])


def test_admin_makes_a_member_admin(team_admin, colleague_membership, colleague):
    response = team_admin.post(_url(colleague_membership), {"role": "ADMIN"}, follow=True)
    colleague_membership.refresh_from_db()
    assert colleague_membership.role == "ADMIN"
    assert f"{colleague.get_full_name()} a maintenant le rôle Administrateur." in page_text(response)


def test_admin_makes_another_admin_a_member(team_admin, organization):
    other = MembershipFactory(organization=organization, role="ADMIN")
    team_admin.post(_url(other), {"role": "MEMBER"})
    other.refresh_from_db()
    assert other.role == "MEMBER"


def test_the_last_admin_cannot_demote_himself_and_is_told_why(team_admin, teacher_membership):
    response = team_admin.post(_url(teacher_membership), {"role": "MEMBER"}, follow=True)
    teacher_membership.refresh_from_db()
    assert teacher_membership.role == "ADMIN"
    assert (
        "Vous êtes le seul administrateur de Lycée Victor Hugo\u00a0: nommez d'abord un autre "
        "administrateur, vous pourrez ensuite changer votre rôle."
    ) in page_text(response)


@pytest.mark.parametrize("role", ["", "OWNER", "admin"])
def test_an_unknown_role_changes_nothing(team_admin, colleague_membership, role):
    response = team_admin.post(_url(colleague_membership), {"role": role}, follow=True)
    assert "Choisissez le rôle Administrateur ou Membre." in page_text(response)
    colleague_membership.refresh_from_db()
    assert colleague_membership.role == "MEMBER"


def test_member_cannot_change_a_role(team_member, colleague_membership):
    assert team_member.post(_url(colleague_membership), {"role": "ADMIN"}).status_code == 403
    colleague_membership.refresh_from_db()
    assert colleague_membership.role == "MEMBER"


def test_another_organization_gets_404(other_school_admin, colleague_membership):
    assert other_school_admin.post(_url(colleague_membership), {"role": "ADMIN"}).status_code == 404
    colleague_membership.refresh_from_db()
    assert colleague_membership.role == "MEMBER"


def test_anonymous_visitor_is_sent_to_login(client, colleague_membership):
    response = client.post(_url(colleague_membership), {"role": "ADMIN"})
    assert response["Location"].startswith(reverse("login"))


def test_a_pupil_is_refused(pupil_client, colleague_membership):
    assert pupil_client.post(_url(colleague_membership), {"role": "ADMIN"}).status_code == 403


def test_get_is_refused(team_admin, colleague_membership):
    assert team_admin.get(_url(colleague_membership)).status_code == 405
