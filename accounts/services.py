"""Writes on an organization's team: roles, removals, departures. Invitations are in invitations.py.

Every change to a team runs under one row lock on its organization (`organization_lock`), so two admins
acting at the same moment are served one after the other: two admins demoting each other at once leave
one admin, never zero.
"""

from django.db import transaction

from .models import Membership, Organization


class TeamError(Exception):
    """A rule of the team refused the action; the message is shown to the person as it is."""


class LastAdminError(TeamError):
    pass


def organization_lock(*, organization_id):
    """Lock the organization's row until the transaction ends.

    FOR NO KEY UPDATE, not FOR UPDATE: rows that merely reference the organization (a roster import
    inserting learners, a new campaign) take a key-share lock on it and must not wait for a team change.
    """
    return Organization.objects.select_for_update(no_key=True).get(pk=organization_id)


def _admins_left_without(membership):
    return (
        Membership.objects.filter(organization_id=membership.organization_id, role=Membership.Role.ADMIN)
        .exclude(pk=membership.pk)
        .count()
    )


def _current(membership):
    """The membership as the database holds it now, inside the lock: another admin may have changed it."""
    return Membership.objects.select_related("user", "organization").filter(pk=membership.pk).first()


def _refuse_last_admin(membership, *, by, action):
    if membership.role != Membership.Role.ADMIN or _admins_left_without(membership):
        return
    organization = membership.organization.name
    if by is not None and by.pk == membership.user_id:
        raise LastAdminError(
            f"Vous êtes le seul administrateur de {organization}\u00a0: nommez d'abord un autre "
            f"administrateur, vous pourrez ensuite {action}."
        )
    raise LastAdminError(
        f"{membership.user} est le seul administrateur de {organization}\u00a0: nommez d'abord un autre "
        "administrateur."
    )


def membership_change_role(*, membership, role, by):
    """Give `role` to the member. The last administrator keeps his role."""
    with transaction.atomic():
        organization_lock(organization_id=membership.organization_id)
        current = _current(membership)
        if current is None:
            raise TeamError("Cette personne ne fait plus partie de l'équipe.")
        if role != Membership.Role.ADMIN:
            _refuse_last_admin(current, by=by, action="changer votre rôle")
        Membership.objects.filter(pk=current.pk).update(role=role)
    current.role = role
    return current


def membership_remove(*, membership, by):
    """Take the member out of the team (his account and his campaigns stay). Not the last administrator."""
    with transaction.atomic():
        organization_lock(organization_id=membership.organization_id)
        current = _current(membership)
        if current is None:
            return
        _refuse_last_admin(current, by=by, action="quitter l'organisation")
        current.delete()


def membership_leave(*, membership):
    """The member leaves the team himself; the last administrator cannot."""
    membership_remove(membership=membership, by=membership.user)
