"""Spaced review of mastered topics with FSRS, aware of the prerequisite graph.

Mastered topics fade. Each mastered topic carries an FSRS card; a review rated
Again/Hard/Good/Easy schedules the next one. Reviewing a topic also exercises
what it builds on, so its prerequisites get partial credit (the edge's
`review_credit`, multiplied along the path), which pushes their due dates out
without counting as a full review — Math Academy's "implicit repetition".

A topic whose review is long overdue, or was failed twice in a row, is fading:
the dashboard lists it with the reason, and the map marks it. Reviews that ask
a problem from the bank (roadmap/checking/recall.py) rate through review_topic
too, so the schedule and the credit are the same however the review was rated.
"""

from collections import deque
from datetime import datetime, timedelta
from decimal import Decimal

from django.db import models, transaction
from django.utils import timezone
from fsrs import Card, Rating, Scheduler

from accounts.models import Profile
from roadmap.curriculum import loading
from roadmap.curriculum.graph import RoadmapGraph
from roadmap.models import DEFAULT_REVIEW_CREDIT, FADES_AFTER_FAILED_REVIEWS, Progress, Status, Topic

# Topics are reviewed in days, not minutes: no intra-day learning steps, and no
# fuzzing so that schedules are reproducible (and testable on fixed dates).
SCHEDULER = Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)
# Credit below this share is noise; it also bounds the walk up the graph.
MIN_CREDIT = Decimal("0.1")
# A due review left this long makes the topic "fading" in the gap analysis.
FADING_AFTER = timedelta(days=3)


class ReviewRating(models.IntegerChoices):
    AGAIN = Rating.Again.value, "Again"
    HARD = Rating.Hard.value, "Hard"
    GOOD = Rating.Good.value, "Good"
    EASY = Rating.Easy.value, "Easy"


class NotMastered(Exception):
    """Only mastered topics are reviewed."""


def store_card(progress: Progress, card: Card) -> None:
    """Put this card on the record (unsaved), its due time copied out for the "what is due" query."""
    progress.review_card = card.to_dict()
    progress.review_due = card.due


def start_reviews(progress: Progress, *, now: datetime) -> None:
    """A topic just mastered: treat mastering it as a good first review."""
    card, _ = SCHEDULER.review_card(Card(due=now), Rating.Good, review_datetime=now)
    store_card(progress, card)


def stop_reviews(progress: Progress) -> None:
    progress.review_card = None
    progress.review_due = None


def review_topic(*, learner, topic: Topic, rating: ReviewRating, now: datetime | None = None) -> Progress:
    now = now or timezone.now()
    with transaction.atomic():
        # The learner's lock first, as every progress writer takes it: a status
        # change on the same topic locks in this order, so the two cannot deadlock.
        Profile.objects.lock_learner(learner.pk)
        progress = (
            Progress.objects.select_for_update()
            .filter(learner=learner, topic=topic, status=Status.MASTERED)
            .first()
        )
        if progress is None:
            raise NotMastered(f"“{topic.title}” is not mastered, so there is nothing to review.")
        card = Card.from_dict(progress.review_card) if progress.review_card else Card(due=now)
        card, _ = SCHEDULER.review_card(card, Rating(rating), review_datetime=now)
        store_card(progress, card)
        # Failed reviews in a row: two mean the topic is fading (Progress.is_failing_reviews).
        progress.review_failures = progress.review_failures + 1 if rating == ReviewRating.AGAIN else 0
        progress.save(update_fields=["review_card", "review_due", "review_failures", "updated_at"])
        if rating != ReviewRating.AGAIN:
            credit_prerequisites(learner=learner, topic=topic, rating=rating, now=now)
    return progress


def prerequisite_credit(graph: RoadmapGraph, topic_id: int) -> dict[int, Decimal]:
    """Credit per (transitive) prerequisite: the best product of edge credits on a path."""
    credit: dict[int, Decimal] = {}
    queue = deque([(topic_id, Decimal(1))])
    while queue:
        node, share = queue.popleft()
        for prerequisite in graph.needs.get(node, ()):
            value = share * graph.credit.get((node, prerequisite), DEFAULT_REVIEW_CREDIT)
            if value < MIN_CREDIT or value <= credit.get(prerequisite, Decimal(0)):
                continue
            credit[prerequisite] = value
            queue.append((prerequisite, value))
    return credit


def credit_prerequisites(*, learner, topic: Topic, rating: ReviewRating, now: datetime) -> list[Progress]:
    """Push out the due dates of what `topic` builds on. Only inside review_topic(), under its lock."""
    credit = prerequisite_credit(loading.load_graph(topic.roadmap), topic.pk)
    if not credit:
        return []
    implicit = Rating.Good if rating >= ReviewRating.GOOD else Rating.Hard
    credited = []
    rows = Progress.objects.select_for_update().filter(
        learner=learner, topic_id__in=credit, status=Status.MASTERED, review_card__isnull=False
    )
    for progress in rows:
        card = Card.from_dict(progress.review_card)
        full, _ = SCHEDULER.review_card(Card.from_dict(progress.review_card), implicit, review_datetime=now)
        if full.due <= card.due:
            continue
        # Move the due date part of the way a real review would have moved it.
        card.due = card.due + (full.due - card.due) * float(credit[progress.topic_id])
        store_card(progress, card)
        progress.save(update_fields=["review_card", "review_due", "updated_at"])
        credited.append(progress)
    return credited


def retention(progress: Progress, *, now: datetime | None = None) -> float | None:
    """FSRS's estimate of the chance the learner still recalls the topic now."""
    if not progress.review_card:
        return None
    return SCHEDULER.get_card_retrievability(
        Card.from_dict(progress.review_card), current_datetime=now or timezone.now()
    )


def is_fading(review_due: datetime | None, *, now: datetime) -> bool:
    return review_due is not None and review_due <= now - FADING_AFTER


def fading_reason(review_due: datetime | None, review_failures: int, *, now: datetime) -> str | None:
    """Why a mastered topic is fading, or None: failed reviews say more than an overdue one."""
    if review_failures >= FADES_AFTER_FAILED_REVIEWS:
        return f"failed its last {review_failures} reviews"
    if is_fading(review_due, now=now):
        return "review overdue"
    return None
