"""Parallel status changes for one learner never duplicate or lose a row.

These need real parallel connections, so they run on PostgreSQL only:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mathpath .venv/bin/pytest tests/roadmap/progress/test_concurrency.py
"""

import contextlib
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections
from django.test import Client

from roadmap.models import Progress, Status
from roadmap.progress import review
from roadmap.progress.status import set_status
from tests.factories import SectionFactory, TopicFactory, UserFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL for real parallel transactions and row locks "
        "(SQLite serialises writers); set DATABASE_URL=postgres://…",
    ),
]

STATUSES = [Status.LEARNING, Status.PRACTISED, Status.MASTERED, Status.SKIPPED]


def in_parallel(calls: int, work) -> list:
    """Run work(i) for i in range(calls) on as many threads, all released at once.

    Each thread has its own database connection; it is closed at the end so the
    test database can be dropped afterwards.
    """
    start = threading.Barrier(calls)

    def run(i):
        try:
            start.wait(timeout=30)
            return work(i)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=calls) as pool:
        return list(pool.map(run, range(calls)))  # re-raises the first exception, if any


def test_parallel_changes_to_one_topic_leave_exactly_one_row():
    learner = UserFactory()
    topic = TopicFactory()
    sent = [STATUSES[i % len(STATUSES)] for i in range(50)]

    in_parallel(50, lambda i: set_status(learner=learner, topic=topic, status=sent[i], note=f"call {i}"))

    [row] = Progress.objects.filter(learner=learner, topic=topic)
    assert row.status in sent
    # The last call to commit wins whole: its status and its note, never a mix of two calls.
    assert row.status == sent[int(row.note.removeprefix("call "))]


def test_parallel_sets_and_clears_leave_at_most_one_row():
    learner = UserFactory()
    topic = TopicFactory()
    sent = [None if i % 3 == 0 else STATUSES[i % len(STATUSES)] for i in range(50)]

    in_parallel(50, lambda i: set_status(learner=learner, topic=topic, status=sent[i]))

    statuses = list(Progress.objects.filter(learner=learner, topic=topic).values_list("status", flat=True))
    assert len(statuses) <= 1
    assert set(statuses) <= set(sent)


def test_parallel_changes_to_many_topics_leave_one_row_per_topic():
    learner = UserFactory()
    section = SectionFactory()
    topics = [TopicFactory(section=section) for _ in range(10)]

    # Five calls per topic, with different statuses, all at once.
    in_parallel(
        50,
        lambda i: set_status(learner=learner, topic=topics[i % 10], status=STATUSES[i // 10 % len(STATUSES)]),
    )

    per_topic = Counter(Progress.objects.filter(learner=learner).values_list("topic_id", flat=True))
    assert per_topic == Counter({topic.pk: 1 for topic in topics})


def test_parallel_learners_on_one_topic_each_get_their_own_row():
    learners = [UserFactory() for _ in range(10)]
    topic = TopicFactory()

    in_parallel(
        40, lambda i: set_status(learner=learners[i % 10], topic=topic, status=STATUSES[i % len(STATUSES)])
    )

    per_learner = Counter(Progress.objects.filter(topic=topic).values_list("learner_id", flat=True))
    assert per_learner == Counter({learner.pk: 1 for learner in learners})


def test_parallel_http_requests_from_one_learner_leave_one_row_per_topic():
    learner = UserFactory()
    section = SectionFactory()
    topics = [TopicFactory(section=section) for _ in range(6)]
    clients = []
    for _ in range(24):
        client = Client()
        client.force_login(learner)  # a separate session each, as from several tabs and devices
        clients.append(client)

    def post(i):
        # Half plain form posts, half htmx posts that also rebuild the dashboard.
        extra = {"HTTP_HX_REQUEST": "true"} if i % 2 else {}
        data = {
            "topic": topics[i % 6].slug,
            "status": STATUSES[i // 6 % len(STATUSES)],
            "next": "/dashboard/",
        }
        return clients[i].post("/progress/", data, **extra).status_code

    codes = in_parallel(24, post)

    assert Counter(codes) == Counter({302: 12, 200: 12})
    per_topic = Counter(Progress.objects.filter(learner=learner).values_list("topic_id", flat=True))
    assert per_topic == Counter({topic.pk: 1 for topic in topics})


def test_reviews_and_status_changes_of_one_topic_in_parallel_never_deadlock(monkeypatch):
    # Both lock the learner's profile row, then the progress row. Taken in opposite
    # orders they would deadlock; the pause, while a review holds the progress row
    # (review_topic credits the prerequisites under its locks), makes sure the status
    # changes arrive in between.
    learner = UserFactory()
    topic = TopicFactory()
    set_status(learner=learner, topic=topic, status=Status.MASTERED)
    credit_prerequisites = review.credit_prerequisites

    def slow_credit(**kwargs):
        threading.Event().wait(0.05)
        return credit_prerequisites(**kwargs)

    monkeypatch.setattr(review, "credit_prerequisites", slow_credit)

    def work(i):
        if i % 2:
            with contextlib.suppress(review.NotMastered):  # a status change got there first
                review.review_topic(learner=learner, topic=topic, rating=review.ReviewRating.GOOD)
        else:
            set_status(learner=learner, topic=topic, status=Status.MASTERED if i % 4 else Status.PRACTISED)

    in_parallel(20, work)  # a deadlock would raise here

    [row] = Progress.objects.filter(learner=learner, topic=topic)
    assert (row.review_due is not None) == (row.status == Status.MASTERED)
