"""Changing a learner's status on a topic."""

import copy
import dataclasses
import uuid
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import Profile
from roadmap.models import COVERED, Progress, Status, Topic
from roadmap.progress import review


@dataclass(frozen=True)
class StatusChange:
    """What set_status did: the record now (None once cleared) and the status it replaced."""

    topic: Topic
    progress: Progress | None
    previous: str | None  # None: the topic was not started
    # The record as it was (None: there was none), for the dashboard to tell
    # which panels the change moved (roadmap/progress/panel_changes.py).
    before: Progress | None = field(default=None, compare=False)
    # Whether the learner's state was, just before, the one the page that sent the
    # change showed (set_status's `shown`); None when it did not say.
    page_current: bool | None = field(default=None, compare=False)

    @property
    def status(self) -> str | None:
        return self.progress.status if self.progress else None


@dataclass(frozen=True)
class Evidence:
    """A passed check behind a status: when, and the score ("3/3")."""

    at: datetime
    score: str


def set_status(
    *,
    learner,
    topic: Topic,
    status: Status | None,
    note: str | None = None,
    evidence: Evidence | None = None,
    shown: uuid.UUID | None = None,
) -> StatusChange:
    """Put the learner's record for `topic` in the given state; None clears it.

    `evidence` records a passed check. A status that is not covered drops the
    evidence of an earlier check: it proved a mastery the learner no longer claims.

    The request carries the desired state, not a transition, so repeating it
    changes nothing. Concurrent changes for one learner are serialised by a
    lock on their profile row (Profile.objects.lock_learner, which also marks
    their pages changed), so there is never
    a duplicate row or a lost update: the last request to commit wins whole.
    A new record is then a plain INSERT: nothing else can be inserting it.

    `shown`: the state token of the page that sent the change; the answer says
    whether the learner's state was that one until the lock was taken.
    """
    with transaction.atomic():
        if shown is None:
            token, current = Profile.objects.lock_learner(learner.pk), None
        else:
            token, current = Profile.objects.lock_learner_as_shown(learner.pk, shown)
        change = _set_locked(learner, topic, status, note, evidence)
    # The profile loaded with the user (accounts/backends.py) holds the new token too, for
    # the page this request draws. (Inside an outer transaction that then rolls back, that
    # token never existed: a page drawn with it counts as behind, and gets every panel.)
    if Profile._meta.get_field("user").remote_field.is_cached(learner) and hasattr(learner, "profile"):
        learner.profile.state_token = token
    return dataclasses.replace(change, page_current=current)


def _set_locked(
    learner, topic: Topic, status: Status | None, note: str | None, evidence: Evidence | None
) -> StatusChange:
    """set_status's work, inside its transaction and the learner's lock."""
    existing = Progress.objects.select_for_update().filter(learner=learner, topic=topic).order_by().first()
    before = copy.copy(existing)
    if status is None:
        if existing is not None:
            existing.delete()
        return StatusChange(topic, None, existing.status if existing else None, before)
    now = timezone.now()
    if existing is None:
        progress = Progress(
            learner=learner, topic=topic, status=status, note=note or "", status_changed_at=now
        )
        if evidence is not None:
            progress.checked_at, progress.check_score = evidence.at, evidence.score
        # Mastered topics are scheduled for spaced review; others are not.
        if status == Status.MASTERED:
            review.start_reviews(progress, now=now)
        progress.save(force_insert=True)
        return StatusChange(topic, progress, None, None)
    progress, previous = existing, existing.status
    fields = []
    if progress.status != status:
        progress.status = status
        progress.status_changed_at = now
        progress.review_failures = 0  # a new status starts a new run of reviews
        fields += ["status", "status_changed_at", "review_card", "review_due", "review_failures"]
        if status == Status.MASTERED:
            review.start_reviews(progress, now=now)
        else:
            review.stop_reviews(progress)
    if note is not None and progress.note != note:
        progress.note = note
        fields.append("note")
    fields += _evidence_fields(progress, evidence)
    if fields:
        progress.save(update_fields=[*fields, "updated_at"])
    return StatusChange(topic, progress, previous, before)


def _evidence_fields(progress: Progress, evidence: Evidence | None) -> list[str]:
    """Set or drop the check evidence on an existing record; the fields that changed."""
    if evidence is not None:
        checked_at, score = evidence.at, evidence.score
    elif progress.status not in COVERED:
        checked_at, score = None, ""
    else:
        return []
    if (progress.checked_at, progress.check_score) == (checked_at, score):
        return []
    progress.checked_at, progress.check_score = checked_at, score
    return ["checked_at", "check_score"]
