"""Which email addresses speak for an account.

allauth keeps every address a learner adds, verified or not, and by default lets
an address that another account already holds be added too (so that the form
does not reveal who is registered). An unverified address then could be made
primary, used to log in, and a password reset for it mailed a link for each
account holding it. The rules here:

- an address that another account holds, verified or not, cannot be added;
- an unverified address is never made primary;
- an address finds an account, to log in or to reset its password, only when it
  is verified on that account or is the account's own primary address. Email
  verification is optional, so the address a learner signed up with counts
  before they verify it; an address added later counts once verified.

Used by the add-address and password-reset forms (accounts/forms.py), the login
backend (accounts/backends.py) and the email page (accounts/views.py).
"""

from allauth.account.models import EmailAddress
from allauth.account.utils import filter_users_by_email


def held_by_another_account(email: str, user) -> bool:
    """Whether any account but this user's has this address, verified or not, in any letter case."""
    return any(holder.pk != user.pk for holder in filter_users_by_email(email))


def speaks_for(user, email: str) -> bool:
    """Whether this address may log in to, and reset the password of, this account."""
    if (user.email or "").lower() == email.lower():
        return True  # their primary address (allauth keeps user.email equal to it)
    return is_verified_on(user, email)


def is_verified_on(user, email: str) -> bool:
    return EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists()
