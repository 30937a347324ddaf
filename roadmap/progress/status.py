"""Changing a learner's status on a topic."""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from accounts.models import Profile
from roadmap.models import Progress, Status, Topic
from roadmap.progress import review


@dataclass(frozen=True)
class StatusChange:
    """What set_status did: the record now (None once cleared) and the status it replaced."""

    topic: Topic
    progress: Progress | None
    previous: str | None  # None: the topic was not started

    @property
    def status(self) -> str | None:
        return self.progress.status if self.progress else None


def set_status(*, learner, topic: Topic, status: Status | None, note: str | None = None) -> StatusChange:
    """Put the learner's record for `topic` in the given state; None clears it.

    The request carries the desired state, not a transition, so repeating it
    changes nothing. Concurrent changes for one learner are serialised by a
    lock on their profile row (Profile.objects.lock_learner, which also marks
    their pages changed), so there is never
    a duplicate row or a lost update: the last request to commit wins whole.
    A new record is then a plain INSERT: nothing else can be inserting it.
    """
    with transaction.atomic():
        Profile.objects.lock_learner(learner.pk)
        existing = (
            Progress.objects.select_for_update().filter(learner=learner, topic=topic).order_by().first()
        )
        if status is None:
            if existing is not None:
                existing.delete()
            return StatusChange(topic, None, existing.status if existing else None)
        now = timezone.now()
        if existing is None:
            progress = Progress(
                learner=learner, topic=topic, status=status, note=note or "", status_changed_at=now
            )
            # Mastered topics are scheduled for spaced review; others are not.
            if status == Status.MASTERED:
                review.start_reviews(progress, now=now)
            progress.save(force_insert=True)
            return StatusChange(topic, progress, None)
        progress, previous = existing, existing.status
        fields = []
        if progress.status != status:
            progress.status = status
            progress.status_changed_at = now
            fields += ["status", "status_changed_at", "review_card", "review_due"]
            if status == Status.MASTERED:
                review.start_reviews(progress, now=now)
            else:
                review.stop_reviews(progress)
        if note is not None and progress.note != note:
            progress.note = note
            fields.append("note")
        if fields:
            progress.save(update_fields=[*fields, "updated_at"])
        return StatusChange(topic, progress, previous)
