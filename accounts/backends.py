"""Authentication backends that load the signed-in user's profile with them.

Nearly every page a learner sees needs their profile (time zone, goal, and the
state token that keys their cached pages), so the session's user is fetched
with it in one query instead of two.

Its SQL is built once per database (config/precompiled.py): it runs on every
signed-in request, and the ORM building it cost more than running it.
"""

from dataclasses import dataclass

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connections, router

from accounts import email_addresses
from accounts.models import Profile
from config import precompiled


class WithProfile:
    def get_user(self, user_id):
        # As Django's ModelBackend.get_user, plus the profile.
        user = user_with_profile(user_id)
        if user is None:
            return None
        return user if self.user_can_authenticate(user) else None


@dataclass(frozen=True)
class _Query:
    sql: str
    user: precompiled.Part
    profile: precompiled.Part


_QUERIES: dict[tuple[str, str], _Query] = {}  # by database and user model


def user_with_profile(user_id):
    """The user with this id, its profile loaded (None when it has none), or None: one query."""
    User = get_user_model()
    try:
        user_id = User._meta.pk.to_python(user_id)
    except ValidationError:  # a session holding a key of another shape: no such user
        return None
    alias = router.db_for_read(User)
    connection = connections[alias]
    key = (alias, User._meta.label)
    query = _QUERIES.get(key) or _QUERIES.setdefault(key, _compile(connection))
    row = precompiled.one_row(connection, query.sql, [User._meta.pk.get_db_prep_value(user_id, connection)])
    if row is None:
        return None
    split = len(query.user.fields)
    user = query.user.instance(row[:split], alias, connection)
    reverse = Profile._meta.get_field("user").remote_field
    if row[split + query.profile.pk_index] is None:  # no profile row: the LEFT JOIN's columns are all NULL
        reverse.set_cached_value(user, None)
        return user
    profile = query.profile.instance(row[split:], alias, connection)
    reverse.set_cached_value(user, profile)
    Profile._meta.get_field("user").set_cached_value(profile, user)
    return user


def _compile(connection) -> _Query:
    User = get_user_model()
    quote = connection.ops.quote_name
    user, profile = precompiled.Part.of(User, connection), precompiled.Part.of(Profile, connection)
    users, profiles = quote(User._meta.db_table), quote(Profile._meta.db_table)
    pk = quote(User._meta.pk.column)
    sql = (
        f"SELECT {user.sql}, {profile.sql} FROM {users} LEFT OUTER JOIN {profiles} "
        f"ON {profiles}.{quote(Profile._meta.get_field('user').column)} = {users}.{pk} "
        f"WHERE {users}.{pk} = %s"
    )
    return _Query(sql, user, profile)


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
