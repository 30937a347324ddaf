"""Reviews that make you recall: a review of a mastered topic asks one problem from its bank.

The answer is graded on the server and kept as an Attempt, and the review is
rated from the result: a wrong answer is Again; a right one is Good, or Hard or
Easy if the learner says so. The scheduling, and the credit prerequisites get,
stay in roadmap/progress/review.py: this module only chooses the problem and
the rating. A topic with no problems keeps the self-rated review.

The problem is drawn from the learner, the topic and the review's due date, so
reloading the page shows the same one until the review is answered; it avoids
the problem of the learner's last review of the topic where the bank allows.
"""

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from roadmap.checking import drawing
from roadmap.checking.topic_check import Marked
from roadmap.models import Attempt, Problem, Progress, Purpose, Status, Topic
from roadmap.progress import review
from roadmap.progress.review import ReviewRating

# How the learner may say a right answer felt; Good unless they say otherwise.
FEELINGS = (ReviewRating.HARD, ReviewRating.GOOD, ReviewRating.EASY)
# A form sent again this soon after its answer was recorded (a reload of the
# result, a second click) shows that result instead of counting a second review.
RESENT_WITHIN = timedelta(minutes=10)


@dataclass(frozen=True)
class Recall:
    """One review of a mastered topic, as it stands: its record, its problem and the last one answered."""

    topic: Topic
    progress: Progress
    problem: Problem | None  # None: the bank has no problems, so the learner rates the review
    last: Attempt | None  # the learner's last review answer on this topic

    @property
    def token(self) -> str:
        """Names this review: it changes once the review is answered (or credit moves it)."""
        due = self.progress.review_due
        return due.isoformat() if due else "first"

    def is_answered(self, problem_id: int) -> bool:
        """Whether a form for `problem_id` was answered just now: it is then a resend."""
        last = self.last
        return bool(
            last and last.problem_id == problem_id and last.created_at >= timezone.now() - RESENT_WITHIN
        )


@dataclass(frozen=True)
class RecallResult:
    topic: Topic
    problem: Problem
    answer: str
    correct: bool
    progress: Progress  # after the review: its next due date and failures in a row
    rating: ReviewRating | None  # None for a result shown again, whose rating was not kept


def open_recall(learner, topic: Topic) -> Recall:
    """The learner's review of `topic`; review.NotMastered when they have not mastered it."""
    progress = Progress.objects.filter(learner=learner, topic=topic, status=Status.MASTERED).first()
    if progress is None:
        raise review.NotMastered(f"“{topic.title}” is not mastered, so there is nothing to review.")
    last = (
        Attempt.objects.for_learner(learner)
        .filter(purpose=Purpose.REVIEW, problem__topic=topic)
        .select_related("problem")
        .order_by("-created_at", "-id")
        .first()
    )
    bank = list(Problem.objects.active().filter(topic=topic))
    recall = Recall(topic, progress, None, last)
    avoid = {last.problem_id} if last else set()
    rng = random.Random(f"{learner.pk}:{topic.pk}:{recall.token}")
    return Recall(topic, progress, drawing.draw_one(bank, avoid, rng), last)


def rating_for(correct: bool, feel: ReviewRating = ReviewRating.GOOD) -> ReviewRating:
    """A wrong answer is Again, however it felt; a right one is what the learner says (Good by default)."""
    if not correct:
        return ReviewRating.AGAIN
    if feel not in FEELINGS:
        raise ValueError(f"A right answer feels Hard, Good or Easy, not {feel!r}.")
    return ReviewRating(feel)


def record_recall(
    *,
    learner,
    recall: Recall,
    marked: Marked,
    feel: ReviewRating = ReviewRating.GOOD,
    now: datetime | None = None,
) -> RecallResult:
    """Rate the review from the answer and keep the answer, together: neither without the other.

    review.NotMastered when the topic stopped being mastered since the problem was shown.
    """
    now = now or timezone.now()
    rating = rating_for(marked.correct, feel)
    with transaction.atomic():
        progress = review.review_topic(learner=learner, topic=recall.topic, rating=rating, now=now)
        Attempt.objects.create(
            learner=learner,
            problem=marked.problem,
            answer=marked.answer,
            correct=marked.correct,
            purpose=Purpose.REVIEW,
            created_at=now,
        )
    return RecallResult(recall.topic, marked.problem, marked.answer, marked.correct, progress, rating)


def result_again(recall: Recall) -> RecallResult:
    """The result of the review answered just now, for a form sent twice."""
    last = recall.last
    if last is None:
        raise ValueError("This review has no answer yet.")
    return RecallResult(recall.topic, last.problem, last.answer, last.correct, recall.progress, None)
