from pathlib import Path

import pytest
from django.core.management import call_command

from roadmap.models import Roadmap
from tests import seed
from tests.factories import UserFactory


@pytest.hookimpl(wrapper=True)
def pytest_collection_modifyitems(config, items):
    # `make test` runs the suite on several pytest-xdist workers (--dist loadgroup),
    # each with a database of its own. The PostgreSQL tests that open dozens of
    # connections or start gunicorn servers run one after another on one worker, so
    # they never compete with each other for connections (max_connections is 100).
    for item in items:
        if item.get_closest_marker("postgres"):
            item.add_marker(pytest.mark.xdist_group("postgres"))
    yield  # pytest-xdist's own hook names each grouped test's group in its node id
    if getattr(config.option, "loadgroup", False):  # an xdist worker, with --dist loadgroup
        _name_xdist_groups(items)


def _name_xdist_groups(items) -> None:
    """Make sure each grouped test's node id ends in "@group", which is how the
    controller sees its group.

    pytest-xdist 3.8 appends it to `item._nodeid`, which pytest 9.2 no longer reads
    (its node ids are structured): every test would then be scheduled on its own,
    silently (pytest-dev/pytest-xdist#1386). Here the suffix goes on the structured
    id instead, where it is missing; and if neither works, the run stops.
    """
    for item in items:
        names = {
            str(mark.args[0] if mark.args else mark.kwargs.get("name", "default"))
            for mark in item.iter_markers("xdist_group")
        }
        if not names:
            continue
        suffix = "@" + "_".join(sorted(names))
        if item.nodeid.endswith(suffix):
            continue  # pytest-xdist did it
        if not hasattr(item, "_id"):
            raise pytest.UsageError(f"pytest-xdist did not put {item.nodeid} in its xdist_group")
        from _pytest.nodeid import NodeId  # pytest 9.2's structured ids

        item._id = NodeId.parse(item.nodeid + suffix)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    # Cache (and so allauth's rate-limit counters) lives in the database.
    with django_db_blocker.unblock():
        call_command("createcachetable", verbosity=0)


def _on_redis() -> list[str]:
    """The cache aliases kept in Redis (CACHE_URL=redis://…), none by default."""
    from django.conf import settings

    return [alias for alias, cache in settings.CACHES.items() if "Redis" in cache["BACKEND"]]


@pytest.fixture(scope="session", autouse=True)
def _redis_keys_removed_at_the_end():
    yield
    from django.core.cache import caches

    for alias in _on_redis():
        caches[alias].clear()  # this process's keys only (config/redis_cache.py)


@pytest.fixture(autouse=True)
def _empty_redis_caches():
    """On Redis, each test starts with empty caches.

    The database caches are rolled back with each test's transaction (and the
    transactional tests clear them themselves); nothing rolls Redis back, so
    one test's rate-limit counters, sessions or pages would reach the next.
    """
    from django.core.cache import caches

    for alias in _on_redis():
        caches[alias].clear()


@pytest.fixture(scope="session")
def _seed_snapshot(django_db_setup, django_db_blocker) -> seed.Snapshot:
    """fixtures/math-for-ml.yaml imported once per session (and worker), then rolled back.

    Session-scoped, so it runs before any test's own database fixtures: the
    import always starts from the empty test database.
    """
    with django_db_blocker.unblock():
        return seed.capture()


@pytest.fixture
def seeded_roadmap(_seed_snapshot, db) -> Roadmap:
    """The curated roadmap from fixtures/, as importing it the way `make run` does leaves it.

    The session's import is laid into this test's database in a few bulk
    INSERTs (tests/seed.py); the test's rollback, or a transactional test's
    flush, removes it again, so tests that do not ask for it never see it.
    """
    return seed.lay(_seed_snapshot)


# -- Hypothesis ---------------------------------------------------------------
# Property tests (tests/property/, tests/faults/) stay fast by default; run
# with HYPOTHESIS_PROFILE=thorough for a longer search. Examples that failed
# once are kept under .pytest_cache (git-ignored) and tried first next time.
import os  # noqa: E402

from hypothesis import HealthCheck  # noqa: E402
from hypothesis import settings as hypothesis_settings  # noqa: E402
from hypothesis.database import DirectoryBasedExampleDatabase  # noqa: E402

_HYPOTHESIS_DB = DirectoryBasedExampleDatabase(
    Path(__file__).resolve().parent.parent / ".pytest_cache" / "hypothesis"
)
# function_scoped_fixture: the database tests roll each example back themselves.
_HYPOTHESIS_CHECKS = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
hypothesis_settings.register_profile(
    "mathpath",
    max_examples=60,
    deadline=None,
    database=_HYPOTHESIS_DB,
    suppress_health_check=_HYPOTHESIS_CHECKS,
)
hypothesis_settings.register_profile(
    "thorough",
    max_examples=1000,
    deadline=None,
    database=_HYPOTHESIS_DB,
    suppress_health_check=_HYPOTHESIS_CHECKS,
)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "mathpath"))


# A signed-in learner, for the many tests that need one and nothing more; a module
# or folder that needs a learner of its own defines `learner`, and `learner_client`
# signs that one in.
@pytest.fixture
def learner(db):
    return UserFactory()


@pytest.fixture
def learner_client(client, learner):
    client.force_login(learner)
    return client


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # The default hasher is deliberately slow; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_page_memory():
    """Each test starts with an empty in-process page cache, as a new app process would."""
    from roadmap.web import page_cache

    page_cache.clear_memory()
