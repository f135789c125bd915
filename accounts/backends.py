from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class UsernameOrEmailBackend(ModelBackend):
    """Log in with a username (pupils of a school) or an e-mail address (everyone else)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        user_model = get_user_model()
        identifier = username.strip()
        lookup = {"email__iexact": identifier} if "@" in identifier else {"username__iexact": identifier}
        user = user_model._default_manager.filter(**lookup).first()
        if user is None:
            # Hash anyway, so that the response time does not tell whether the account exists.
            user_model().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
