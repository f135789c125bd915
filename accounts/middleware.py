from .selectors import membership_for_session


class CurrentOrganizationMiddleware:
    """Sets request.membership: the user's membership in the organization he is working in, or None.

    The organization chosen in the switcher is kept in the session; a user without a membership there
    (removed from the team, say) falls back to his first organization.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.membership = membership_for_session(request)
        return self.get_response(request)
