"""The session's user, loaded with its profile in one precompiled query (accounts/backends.py).

It must give what the ORM's select_related("profile") gives, field for field
and with the profile cached both ways, on SQLite and on PostgreSQL alike (CI
runs this module on both).
"""

import datetime
import zoneinfo
from importlib import import_module

import pytest
from django.conf import settings
from django.contrib import auth
from django.contrib.auth import get_user_model
from django.test import RequestFactory
from django.utils import timezone

from accounts.backends import user_with_profile
from accounts.models import Profile
from tests.factories import ProfileFactory, TopicFactory, UserFactory


def fields(instance) -> dict:
    return {f.attname: getattr(instance, f.attname) for f in type(instance)._meta.concrete_fields}


def test_it_loads_what_the_orm_loads(db, django_assert_num_queries):
    user = UserFactory(first_name="Ada", is_staff=True, last_login=timezone.now())
    ProfileFactory(
        user=user,
        display_name="Ada L.",
        goal=TopicFactory(),
        weekly_minutes=300,
        target_date=datetime.date(2027, 3, 1),
        timezone=zoneinfo.ZoneInfo("Europe/Paris").key,
    )
    expected = get_user_model().objects.select_related("profile").get(pk=user.pk)

    with django_assert_num_queries(1):
        loaded = user_with_profile(user.pk)
        profile = loaded.profile  # no second query: cached
        assert profile.user is loaded

    assert fields(loaded) == fields(expected)
    assert fields(profile) == fields(expected.profile)
    assert all(type(v) is type(fields(expected.profile)[k]) for k, v in fields(profile).items())
    assert loaded._state.db == expected._state.db
    assert not loaded._state.adding
    assert loaded.check_password("a long unguessable phrase") == expected.check_password(
        "a long unguessable phrase"
    )


def test_a_user_without_a_profile_has_none_cached(db, django_assert_num_queries):
    user = UserFactory()
    Profile.objects.filter(user=user).delete()

    with django_assert_num_queries(1):
        loaded = user_with_profile(user.pk)
        with pytest.raises(Profile.DoesNotExist):
            loaded.profile  # noqa: B018 - known absent, without a query
    # and for_user makes one, as it does for the ORM's user
    assert Profile.objects.for_user(loaded).user_id == user.pk


@pytest.mark.parametrize("key", [10**9, "not-a-number", None])
def test_an_unknown_or_malformed_key_is_no_user(db, key):
    UserFactory()
    assert user_with_profile(key) is None


def test_the_session_user_is_loaded_this_way(learner_client, learner, django_assert_max_num_queries):
    ProfileFactory(user=learner)
    request = RequestFactory().get("/")
    request.session = import_module(settings.SESSION_ENGINE).SessionStore(learner_client.session.session_key)

    with django_assert_max_num_queries(2):  # the session (from the database, in this mode) and the user
        user = auth.get_user(request)
        assert user.profile.user_id == learner.pk
    assert user == learner
    assert user.is_authenticated
