"""Authentication backends that load the signed-in user's profile with them.

Nearly every page a learner sees needs their profile (time zone, goal, and the
state token that keys their cached pages), so the session's user is fetched
with it in one query instead of two.
"""

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth import get_user_model


class WithProfile:
    def get_user(self, user_id):
        # As Django's ModelBackend.get_user, plus the profile.
        User = get_user_model()
        try:
            user = User._default_manager.select_related("profile").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None


class AuthenticationBackend(WithProfile, AllauthBackend):
    """allauth's email-or-username backend (the site's login)."""
