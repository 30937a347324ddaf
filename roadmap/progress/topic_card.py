"""The "Your progress" card of a topic page: status, evidence note and review."""

from django.http import HttpRequest
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from roadmap.models import Problem, Progress, Status, Topic
from roadmap.progress import review
from roadmap.progress.forms import STATUS_CHOICES


def learner_status_context(
    request: HttpRequest, topic: Topic, progress: Progress | None, *, saved: bool = False
) -> dict:
    """What the card needs, on the topic page and in answer to a change made on it."""
    retention = review.retention(progress) if progress else None
    now = timezone.now()
    reviewing = bool(progress and progress.status == Status.MASTERED and progress.review_due)
    return {
        "topic": topic,
        "progress": progress,
        "status_choices": STATUS_CHOICES,
        "status_url": reverse("topic_status", args=[topic.slug]),
        "review_url": reverse("topic_review", args=[topic.slug]),
        "review_choices": review.ReviewRating.choices,
        "retention": round(100 * retention) if retention is not None else None,
        "review_is_due": bool(progress and progress.review_due and progress.review_due <= now),
        # The review box asks a problem from the bank; a topic without one keeps the rating buttons.
        "review_has_problems": reviewing and Problem.objects.active().filter(topic=topic).exists(),
        "recall_url": reverse("topic_recall", args=[topic.slug]),
        "fading_reason": review.fading_reason(progress.review_due, progress.review_failures, now=now)
        if reviewing
        else None,
        "saved": saved,
    }


def render_card(request: HttpRequest, topic: Topic, progress: Progress | None):
    """The card alone, answered to an htmx change made on it."""
    return render(
        request,
        "roadmap/topic_detail.html#learner-status",
        learner_status_context(request, topic, progress, saved=True),
    )
