from .models import Membership

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
