from .selectors import memberships_of


def organizations(request):
    """The organization switcher of the teacher console: only evaluated by templates that show it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"user_memberships": lambda: list(memberships_of(user))}
