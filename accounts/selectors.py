from django.shortcuts import get_object_or_404

from .models import Invitation, Membership

SESSION_KEY = "organization_id"


def membership_for_session(request):
    user = request.user
    if not user.is_authenticated:
        return None
    memberships = memberships_of(user)
    wanted = request.session.get(SESSION_KEY)
    if wanted is not None:
        membership = memberships.filter(organization_id=wanted).first()
        if membership is not None:
            return membership
    return memberships.order_by("created_at", "pk").first()


def memberships_of(user):
    return Membership.objects.filter(user=user).select_related("organization").order_by("organization__name")


def team_members(*, organization):
    return (
        Membership.objects.filter(organization=organization)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "pk")
    )


def team_invitations(*, organization):
    """The invitations still waiting for an answer; accepted and cancelled ones are history."""
    return (
        Invitation.objects.filter(organization=organization, status__in=Invitation.OPEN_STATUSES)
        .select_related("invited_by")
        .order_by("-created_at", "-pk")
    )


def team_counts(*, organization):
    return {
        "members": Membership.objects.filter(organization=organization).count(),
        "invitations": team_invitations(organization=organization).count(),
    }


def team_admin_count(*, organization):
    return Membership.objects.filter(organization=organization, role=Membership.Role.ADMIN).count()


def membership_in_team(*, organization, pk):
    """A member of the organization's team, or 404: another organization's member is not found."""
    return get_object_or_404(
        Membership.objects.select_related("user", "organization"), organization=organization, pk=pk
    )


def invitation_in_team(*, organization, pk):
    return get_object_or_404(
        Invitation.objects.select_related("organization"), organization=organization, pk=pk
    )
