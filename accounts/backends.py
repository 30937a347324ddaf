"""Authentication backends that load the signed-in user's profile with them.

Nearly every page a learner sees needs their profile (time zone, goal, and the
state token that keys their cached pages), so the session's user is fetched
with it in one query instead of two.

That query runs on every signed-in request, and building its SQL cost Django
more than running it: about half of a bare signed-in request. So its SQL is
built once per database (from the models' fields, so it follows every
migration) and the rows become a User and a Profile as the ORM's
select_related("profile") makes them, with the same converters.
"""

from dataclasses import dataclass

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connections, router

from accounts import email_addresses
from accounts.models import Profile


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
    user_fields: list
    profile_fields: list
    profile_pk: int  # the index of Profile's primary key among its fields
    converters: list  # (column index, [converter, …], the column's expression)


_QUERIES: dict[str, _Query] = {}


def user_with_profile(user_id):
    """The user with this id, its profile loaded (None when it has none), or None: one query."""
    User = get_user_model()
    try:
        user_id = User._meta.pk.to_python(user_id)
    except ValidationError:  # a session holding a key of another shape: no such user
        return None
    alias = router.db_for_read(User)
    connection = connections[alias]
    query = _QUERIES.get(alias) or _QUERIES.setdefault(alias, _compile(connection))
    with connection.cursor() as cursor:
        cursor.execute(query.sql, [User._meta.pk.get_db_prep_value(user_id, connection)])
        row = cursor.fetchone()
    if row is None:
        return None
    row = list(row)
    for index, converters, expression in query.converters:
        for converter in converters:
            row[index] = converter(row[index], expression, connection)
    split = len(query.user_fields)
    user = User.from_db(alias, [f.attname for f in query.user_fields], row[:split])
    reverse = Profile._meta.get_field("user").remote_field
    if row[split + query.profile_pk] is None:  # no profile row: the LEFT JOIN's columns are all NULL
        reverse.set_cached_value(user, None)
        return user
    profile = Profile.from_db(alias, [f.attname for f in query.profile_fields], row[split:])
    reverse.set_cached_value(user, profile)
    Profile._meta.get_field("user").set_cached_value(profile, user)
    return user


def _compile(connection) -> _Query:
    User = get_user_model()
    quote = connection.ops.quote_name
    users, profiles = User._meta.db_table, Profile._meta.db_table
    user_fields, profile_fields = list(User._meta.concrete_fields), list(Profile._meta.concrete_fields)
    columns = [f.get_col(users) for f in user_fields] + [f.get_col(profiles) for f in profile_fields]
    select = ", ".join(f"{quote(col.alias)}.{quote(col.target.column)}" for col in columns)
    sql = (
        f"SELECT {select} FROM {quote(users)} LEFT OUTER JOIN {quote(profiles)} "
        f"ON {quote(profiles)}.{quote(Profile._meta.get_field('user').column)} = "
        f"{quote(users)}.{quote(User._meta.pk.column)} "
        f"WHERE {quote(users)}.{quote(User._meta.pk.column)} = %s"
    )
    converters = []
    for index, col in enumerate(columns):
        found = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
        if found:
            converters.append((index, found, col))
    profile_pk = next(index for index, f in enumerate(profile_fields) if f.primary_key)
    return _Query(sql, user_fields, profile_fields, profile_pk, converters)


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
