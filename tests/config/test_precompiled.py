"""Rows read with SQL built once (config/precompiled.py) are the ORM's rows, field for field.

CI runs this on SQLite and on PostgreSQL: the converters differ (SQLite's
datetimes and UUIDs are text), and the instances must not.
"""

from django.db import connection
from django.test.utils import override_settings

from roadmap.models import Roadmap
from tests.factories import RoadmapFactory


def fields(instance) -> dict:
    return {f.attname: getattr(instance, f.attname) for f in type(instance)._meta.concrete_fields}


def test_the_current_roadmap_is_the_orms_in_one_query(db, django_assert_num_queries, settings):
    roadmap = RoadmapFactory(slug="served", description="Everything, in order.")
    RoadmapFactory(slug="other")
    settings.MATHPATH_DEFAULT_ROADMAP = "served"
    expected = Roadmap.objects.get(slug="served")

    with django_assert_num_queries(1):
        current = Roadmap.objects.current()

    assert current == roadmap
    assert fields(current) == fields(expected)
    assert {k: type(v) for k, v in fields(current).items()} == {
        k: type(v) for k, v in fields(expected).items()
    }
    assert current._state.db == connection.alias
    assert not current._state.adding


def test_no_current_roadmap_until_one_is_imported(db):
    RoadmapFactory(slug="another")
    with override_settings(MATHPATH_DEFAULT_ROADMAP="not-there"):
        assert Roadmap.objects.current() is None


def test_a_new_graph_token_is_read_at_once(db, settings):
    settings.MATHPATH_DEFAULT_ROADMAP = RoadmapFactory().slug
    before = Roadmap.objects.current().graph_token
    Roadmap.graph_changed()
    assert Roadmap.objects.current().graph_token != before  # nothing of the row is kept between calls
