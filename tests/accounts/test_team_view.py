"""Équipe (/orga/equipe/): the tabs « Membres (n) » and « Invitations (n) ». Admins manage, members read."""

import re

import pytest
from django.urls import reverse

from accounts.factories import InvitationFactory, MembershipFactory, UserFactory
from accounts.models import Membership
from tests.accounts.typography import typography_faults
from tests.pages import page_text

pytestmark = pytest.mark.django_db

URL = reverse("campaigns:team")
INVITATIONS = f"{URL}?onglet=invitations"


@pytest.fixture
def team(organization, teacher, colleague):
    """The admin and the member of the conftest, plus a second member and two open invitations."""
    MembershipFactory(
        organization=organization,
        user=UserFactory(first_name="Zoé", last_name="Abadie", email="zoe@example.org"),
    )
    InvitationFactory(organization=organization, email="anne@example.org", role="ADMIN")
    InvitationFactory(organization=organization, email="paul@example.org", status="FAILED", sent_at=None)
    InvitationFactory(organization=organization, email="ancien@example.org", status="ACCEPTED")
    InvitationFactory(organization=organization, email="annule@example.org", status="CANCELLED")


def test_admin_sees_the_members_with_their_roles_and_the_actions(team_admin, team, teacher, colleague):
    text = page_text(team_admin.get(URL))

    assert "Membres (3)" in text
    assert "Invitations (2)" in text
    assert re.search(r"Abadie</td>\s*<td>Zoé", text)
    assert teacher.email in text and colleague.email in text
    assert "Inviter des membres" in text
    assert text.count("Changer le rôle") == 3
    # Everyone but himself can be removed; he leaves instead.
    assert text.count(">Retirer<") == 2
    assert "Quitter l'organisation" in text


def test_members_are_sorted_by_name(team_admin, organization):
    for last_name in ["Martin", "Bernard", "Durand"]:
        MembershipFactory(organization=organization, user__last_name=last_name)
    text = page_text(team_admin.get(URL))
    assert text.index("Bernard") < text.index("Durand") < text.index("Martin")


def test_admin_sees_open_invitations_with_their_status_and_actions(team_admin, team):
    text = page_text(team_admin.get(INVITATIONS))

    assert "anne@example.org" in text and "paul@example.org" in text
    assert "ancien@example.org" not in text and "annule@example.org" not in text
    assert "Échec d'envoi" in text
    assert "En attente" in text
    assert text.count(">Renvoyer<") == 2
    assert text.count(">Annuler<") == 2


def test_member_reads_the_team_without_any_management_button(team_member, team):
    members = page_text(team_member.get(URL))
    invitations = page_text(team_member.get(INVITATIONS))

    assert "Abadie" in members and "anne@example.org" in invitations
    for text in (members, invitations):
        for button in ("Inviter des membres", "Changer le rôle", ">Retirer<", ">Renvoyer<", ">Annuler<"):
            assert button not in text
    assert "Quitter l'organisation" in members


def test_the_last_admin_is_told_why_he_cannot_leave(team_admin, organization, colleague):
    text = page_text(team_admin.get(URL))
    assert (
        "Vous êtes le seul administrateur de Lycée Victor Hugo\u00a0: nommez d'abord un autre "
        "administrateur, vous pourrez ensuite quitter l'organisation."
    ) in text
    assert reverse("team_leave") not in text


def test_an_admin_among_several_may_leave(team_admin, organization):
    MembershipFactory(organization=organization, role=Membership.Role.ADMIN)
    assert reverse("team_leave") in page_text(team_admin.get(URL))


def test_no_invitation_says_so(team_admin):
    text = page_text(team_admin.get(INVITATIONS))
    assert "Invitations (0)" in text
    assert "Aucune invitation en attente." in text


def test_another_organization_sees_its_own_team_only(other_school_admin, team):
    text = page_text(other_school_admin.get(URL))
    assert "Membres (1)" in text and "Invitations (0)" in text
    assert "Abadie" not in text
    assert "anne@example.org" not in page_text(other_school_admin.get(INVITATIONS))


def test_anonymous_visitor_is_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_pupil_is_refused(pupil_client):
    response = pupil_client.get(URL)
    assert response.status_code == 403
    assert "membre d'aucune organisation" in page_text(response)


def test_post_is_refused(team_admin):
    assert team_admin.post(URL).status_code == 405


def test_unknown_tab_shows_the_members(team_admin, team):
    assert "Abadie" in page_text(team_admin.get(URL, {"onglet": "<script>"}))


def test_page_follows_french_typography(team_admin, team):
    assert typography_faults(team_admin.get(URL).content.decode()) == []
    assert typography_faults(team_admin.get(INVITATIONS).content.decode()) == []


@pytest.mark.parametrize(("tab", "rows"), [(URL, 31), (INVITATIONS, 30)])
def test_query_count_does_not_grow_with_the_team(
    team_admin, organization, django_assert_max_num_queries, tab, rows
):
    for number in range(30):
        MembershipFactory(organization=organization)
        InvitationFactory(organization=organization, invited_by=UserFactory(), email=f"i{number}@example.org")
    # session, user, current membership, the switcher's memberships, the two tab counts, the admin count,
    # the page's count and its rows (users or inviters joined).
    with django_assert_max_num_queries(9):
        response = team_admin.get(tab)
    # The header row, then the 30 new members and the admin, or the 30 invitations.
    assert page_text(response).count("<tr>") == 1 + rows


@pytest.mark.parametrize("name", ["campaigns:team", "team_invite", "team_leave"])
def test_the_menu_marks_equipe_on_every_page_of_the_team(team_admin, organization, name):
    MembershipFactory(organization=organization, role=Membership.Role.ADMIN)
    menu = re.search(r'<ul class="menu">.*?</ul>', page_text(team_admin.get(reverse(name))), re.S).group(0)
    assert re.findall(r'<a href="[^"]*" aria-current="page">([^<]+)</a>', menu) == ["Équipe"]
