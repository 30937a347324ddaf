from django.conf import settings
from django.db import models
from django.db.models import Q

from roadmap.models.plan import Roadmap, Topic


class Status(models.TextChoices):
    LEARNING = "learning", "Learning"
    PRACTISED = "practised", "Practised"
    MASTERED = "mastered", "Mastered"
    SKIPPED = "skipped", "Skipped / already known"

    @property
    def hint(self) -> str:
        return STATUS_HINTS[self]


STATUS_HINTS = {
    Status.LEARNING: "Watching or reading",
    Status.PRACTISED: "Did exercises",
    Status.MASTERED: "Confident, solved problems alone",
    Status.SKIPPED: "Already known",
}
# Covered means nothing left to do; "practised" is deliberately not covered:
# watching and a few exercises are where the seed's false confidence lives.
COVERED = frozenset({Status.MASTERED, Status.SKIPPED})
# Statuses that say the learner is building on a topic, so its prerequisites matter.
STARTED = frozenset({Status.LEARNING, Status.PRACTISED, Status.MASTERED})


class ProgressQuerySet(models.QuerySet):
    def for_learner(self, learner, roadmap: Roadmap):
        # Unordered: callers build lookups, and the default ordering (learner, topic)
        # would join topics and sections only to sort rows nobody reads in order.
        return self.filter(learner=learner, topic__roadmap=roadmap, topic__is_archived=False).order_by()


class Progress(models.Model):
    """One learner's status on one topic; no row means "not started"."""

    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="progress")
    # PROTECT: curators archive topics instead of deleting learners' records.
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="progress")
    status = models.CharField(max_length=20, choices=Status.choices)
    note = models.CharField(
        max_length=200, blank=True, help_text='Evidence, e.g. "Larson 2.4 exercises 1–40".'
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    status_changed_at = models.DateTimeField()
    # Spaced review of mastered topics: the FSRS card as JSON, and its due time
    # copied out so "what is due" is one indexed query.
    review_card = models.JSONField(null=True, blank=True)
    review_due = models.DateTimeField(null=True, blank=True, db_index=True)

    objects = ProgressQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "progress"
        ordering = ["learner", "topic"]
        constraints = [
            models.UniqueConstraint(fields=["learner", "topic"], name="progress_one_per_learner_topic"),
            models.CheckConstraint(condition=Q(status__in=Status.values), name="progress_status_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.learner} · {self.topic}: {self.get_status_display()}"

    @property
    def is_covered(self) -> bool:
        return self.status in COVERED
