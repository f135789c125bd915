"""The rules of a team (accounts/services.py): roles, removals, departures, and the last administrator
who can neither leave nor be demoted nor removed."""

import pytest

from accounts import services
from accounts.factories import MembershipFactory
from accounts.models import Membership

pytestmark = pytest.mark.django_db

ADMIN, MEMBER = Membership.Role.ADMIN, Membership.Role.MEMBER


@pytest.fixture
def admin(organization):
    return MembershipFactory(
        organization=organization, role=ADMIN, user__first_name="Anne", user__last_name="Roux"
    )


@pytest.fixture
def member(organization):
    return MembershipFactory(organization=organization, role=MEMBER)


def _roles(organization):
    return sorted(Membership.objects.filter(organization=organization).values_list("role", flat=True))


def test_an_admin_promotes_a_member(admin, member):
    services.membership_change_role(membership=member, role=ADMIN, by=admin.user)
    member.refresh_from_db()
    assert member.role == ADMIN


def test_an_admin_may_step_down_when_another_admin_remains(admin, organization):
    MembershipFactory(organization=organization, role=ADMIN)
    services.membership_change_role(membership=admin, role=MEMBER, by=admin.user)
    admin.refresh_from_db()
    assert admin.role == MEMBER


def test_the_last_admin_cannot_step_down_and_is_told_why(admin, member, organization):
    with pytest.raises(services.LastAdminError) as refusal:
        services.membership_change_role(membership=admin, role=MEMBER, by=admin.user)
    assert str(refusal.value) == (
        f"Vous êtes le seul administrateur de {organization.name}\u00a0: nommez d'abord un autre "
        "administrateur, vous pourrez ensuite changer votre rôle."
    )
    assert _roles(organization) == [ADMIN, MEMBER]


def test_the_last_admin_cannot_be_demoted_by_someone_else(admin, member, organization):
    with pytest.raises(services.LastAdminError, match="Anne Roux est le seul administrateur"):
        services.membership_change_role(membership=admin, role=MEMBER, by=member.user)
    assert _roles(organization) == [ADMIN, MEMBER]


def test_the_last_admin_cannot_be_removed(admin, member, organization):
    with pytest.raises(services.LastAdminError):
        services.membership_remove(membership=admin, by=member.user)
    assert _roles(organization) == [ADMIN, MEMBER]


def test_the_last_admin_cannot_leave(admin, organization):
    with pytest.raises(services.LastAdminError, match="vous pourrez ensuite quitter l'organisation"):
        services.membership_leave(membership=admin)
    assert _roles(organization) == [ADMIN]


def test_a_member_leaves_and_keeps_his_account(admin, member, organization):
    services.membership_leave(membership=member)
    assert _roles(organization) == [ADMIN]
    member.user.refresh_from_db()


def test_an_admin_removes_a_member(admin, member, organization):
    services.membership_remove(membership=member, by=admin.user)
    assert not Membership.objects.filter(pk=member.pk).exists()


def test_a_demotion_reads_the_role_as_it_is_now_not_as_it_was_loaded(admin, organization):
    """Two admins load the page; one steps down; the other's stale copy still sees him as admin."""
    other = MembershipFactory(organization=organization, role=ADMIN)
    stale_admin = Membership.objects.get(pk=admin.pk)
    services.membership_change_role(membership=other, role=MEMBER, by=other.user)

    with pytest.raises(services.LastAdminError):
        services.membership_change_role(membership=stale_admin, role=MEMBER, by=admin.user)
    assert _roles(organization) == [ADMIN, MEMBER]


def test_removing_someone_already_gone_changes_nothing(admin, member):
    gone = Membership.objects.get(pk=member.pk)
    member.delete()
    services.membership_remove(membership=gone, by=admin.user)
    assert list(Membership.objects.all()) == [admin]
