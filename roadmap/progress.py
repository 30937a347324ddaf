"""Changing a learner's status on a topic."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from roadmap import review
from roadmap.models import Progress, Status, Topic


def set_status(*, learner, topic: Topic, status: Status | None, note: str | None = None) -> Progress | None:
    """Put the learner's record for `topic` in the given state; None clears it.

    The request carries the desired state, not a transition, so repeating it
    changes nothing. Concurrent requests from one learner are serialised by a
    lock on the learner's user row, so there is never a duplicate row or a
    lost update: the last request to commit wins whole.
    """
    with transaction.atomic():
        # Why not just get_or_create's own race handling: after its insert hits
        # the unique constraint it retries the read, and if a parallel "not
        # started" deleted the row in between, it raises IntegrityError (a 500).
        get_user_model().objects.select_for_update(no_key=True).filter(pk=learner.pk).exists()
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
            if status == Status.MASTERED:
                review.start_reviews(progress, now=now)
                progress.save(update_fields=["review_card", "review_due"])
            return progress
        fields = []
        if progress.status != status:
            progress.status = status
            progress.status_changed_at = now
            fields += ["status", "status_changed_at", "review_card", "review_due"]
            # Mastered topics are scheduled for spaced review; others are not.
            if status == Status.MASTERED:
                review.start_reviews(progress, now=now)
            else:
                review.stop_reviews(progress)
        if note is not None and progress.note != note:
            progress.note = note
            fields.append("note")
        if fields:
            progress.save(update_fields=[*fields, "updated_at"])
        return progress
