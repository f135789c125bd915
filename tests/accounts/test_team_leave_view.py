"""« Quitter l'organisation » (/orga/equipe/quitter/): a confirmation page, then the departure."""

import pytest
from django.urls import reverse

from accounts.factories import MembershipFactory, OrganizationFactory
from accounts.models import Membership
from tests.pages import page_text

pytestmark = pytest.mark.django_db

URL = reverse("team_leave")


def test_a_member_is_asked_to_confirm(team_member, colleague):
    text = page_text(team_member.get(URL))
    assert "Quitter l'équipe de Lycée Victor Hugo\u00a0?" in text
    assert "Quitter l'organisation</button>" in text
    assert Membership.objects.filter(user=colleague).exists()


def test_a_member_leaves_and_is_told_so(team_member, colleague):
    response = team_member.post(URL, follow=True)
    assert not Membership.objects.filter(user=colleague).exists()
    assert "Vous avez quitté l'équipe de Lycée Victor Hugo." in page_text(response)
    assert response.redirect_chain[-1][0] == reverse("pupil:home")


def test_leaving_one_organization_keeps_the_others(team_member, colleague):
    other = MembershipFactory(user=colleague, organization=OrganizationFactory(name="Collège Pasteur"))
    team_member.post(URL)
    assert list(Membership.objects.filter(user=colleague)) == [other]
    assert team_member.get(reverse("campaigns:list")).status_code == 200


def test_the_last_admin_is_told_why_he_cannot_leave(team_admin, teacher):
    text = page_text(team_admin.get(URL))
    assert (
        "Vous êtes le seul administrateur de Lycée Victor Hugo\u00a0: nommez d'abord un autre "
        "administrateur, vous pourrez ensuite quitter l'organisation."
    ) in text
    assert "Quitter l'organisation</button>" not in text

    response = team_admin.post(URL, follow=True)
    assert "vous pourrez ensuite quitter l'organisation." in page_text(response)
    assert Membership.objects.get(user=teacher).role == "ADMIN"


def test_an_admin_leaves_when_another_admin_remains(team_admin, teacher, organization):
    MembershipFactory(organization=organization, role="ADMIN")
    team_admin.post(URL)
    assert not Membership.objects.filter(user=teacher).exists()


def test_anonymous_visitor_is_sent_to_login(client):
    assert client.post(URL)["Location"].startswith(reverse("login"))


def test_a_pupil_is_refused(pupil_client):
    assert pupil_client.post(URL).status_code == 403


def test_wrong_method_is_refused(team_member, colleague):
    assert team_member.put(URL).status_code == 405
    assert Membership.objects.filter(user=colleague).exists()
