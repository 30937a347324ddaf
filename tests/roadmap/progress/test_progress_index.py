"""The query every dashboard, status change and badge makes for a learner's rows is an index-only scan.

On PostgreSQL, Progress's covering index (progress_learner_rows) holds every
column learner_progress reads. A column read there but missing from the index
would turn the plan into an Index Scan with a heap visit per row: this fails then.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from roadmap.curriculum import loading
from roadmap.models import Progress, Status
from roadmap.progress.dashboard import learner_progress
from tests.factories import UserFactory, bulk_roadmap

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="INCLUDE indexes and EXPLAIN are PostgreSQL's; CI runs this there",
)


def test_a_learners_rows_come_from_the_covering_index_alone(db):
    topics = bulk_roadmap(topics=40, edges=60)
    learner = UserFactory()
    Progress.objects.bulk_create(
        Progress(learner=learner, topic=topic, status=Status.LEARNING, status_changed_at="2026-11-01T00:00Z")
        for topic in topics
    )
    graph = loading.load(topics[0].roadmap).graph
    with connection.cursor() as cursor:
        # The test database is tiny, so the planner would rightly scan the table: rule that out.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        with CaptureQueriesContext(connection) as captured:
            assert len(learner_progress(learner, graph)) == 40
        cursor.execute(f"EXPLAIN {captured.captured_queries[-1]['sql']}")
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "Index Only Scan using progress_learner_rows" in plan, plan
    # The check tells the two apart: a column outside the index needs the table.
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute("EXPLAIN SELECT note FROM roadmap_progress WHERE learner_id = %s", [learner.pk])
        assert "Index Only Scan" not in "\n".join(row[0] for row in cursor.fetchall())
