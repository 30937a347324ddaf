"""The "Your progress" card of a topic page: status, evidence note and review."""

from django.http import HttpRequest
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from roadmap.models import Progress, Topic
from roadmap.progress import review
from roadmap.progress.forms import STATUS_CHOICES


def learner_status_context(
    request: HttpRequest, topic: Topic, progress: Progress | None, *, saved: bool = False
) -> dict:
    """What the card needs, on the topic page and in answer to a change made on it."""
    retention = review.retention(progress) if progress else None
    return {
        "topic": topic,
        "progress": progress,
        "status_choices": STATUS_CHOICES,
        "status_url": reverse("topic_status", args=[topic.slug]),
        "review_url": reverse("topic_review", args=[topic.slug]),
        "review_choices": review.ReviewRating.choices,
        "retention": round(100 * retention) if retention is not None else None,
        "review_is_due": bool(progress and progress.review_due and progress.review_due <= timezone.now()),
        "saved": saved,
    }


def render_card(request: HttpRequest, topic: Topic, progress: Progress | None):
    """The card alone, answered to an htmx change made on it."""
    return render(
        request,
        "roadmap/topic_detail.html#learner-status",
        learner_status_context(request, topic, progress, saved=True),
    )
