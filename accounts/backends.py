"""Authentication backends that load the signed-in user's profile with them.

Nearly every page a learner sees needs their profile (time zone, goal, and the
state token that keys their cached pages), so the session's user is fetched
with it in one query instead of two.
"""

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth import get_user_model

from accounts import email_addresses


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
    """allauth's email backend (the site's login), for addresses that speak for the account.

    allauth would also sign in with an unverified address added to an account
    later, or one another account holds (accounts/email_addresses.py).
    """

    def authenticate(self, request, **credentials):
        user = super().authenticate(request, **credentials)
        login = credentials.get("email") or credentials.get("username") or ""
        if user is not None and not email_addresses.speaks_for(user, login):
            return None
        return user
