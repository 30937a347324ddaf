"""Changing a learner's status on a topic."""

from django.db import transaction
from django.utils import timezone

from roadmap.models import Progress, Status, Topic


def set_status(*, learner, topic: Topic, status: Status | None, note: str | None = None) -> Progress | None:
    """Put the learner's record for `topic` in the given state; None clears it.

    The request carries the desired state, not a transition, so repeating it
    changes nothing. Concurrent requests for the same learner and topic are
    serialised by the row lock (and by the unique constraint on the insert
    race inside get_or_create), so there is never a duplicate row or a lost
    update: the last request to commit wins whole.
    """
    with transaction.atomic():
        if status is None:
            Progress.objects.filter(learner=learner, topic=topic).delete()
            return None
        now = timezone.now()
        progress, created = Progress.objects.select_for_update().get_or_create(
            learner=learner,
            topic=topic,
            defaults={"status": status, "note": note or "", "status_changed_at": now},
        )
        if created:
            return progress
        fields = []
        if progress.status != status:
            progress.status = status
            progress.status_changed_at = now
            fields += ["status", "status_changed_at"]
        if note is not None and progress.note != note:
            progress.note = note
            fields.append("note")
        if fields:
            progress.save(update_fields=[*fields, "updated_at"])
        return progress
