from django.conf import settings
from django.db import models
from django.db.models import Q

from roadmap.models.plan import Roadmap, Topic
from roadmap.progress import statuses


class Status(models.TextChoices):
    # The words live in roadmap/progress/statuses.py, with each status's colour.
    LEARNING = statuses.LEARNING.value, statuses.LEARNING.label
    PRACTISED = statuses.PRACTISED.value, statuses.PRACTISED.label
    MASTERED = statuses.MASTERED.value, statuses.MASTERED.label
    SKIPPED = statuses.KNOWN.value, statuses.KNOWN.label


COVERED = frozenset(Status(value) for value in statuses.COVERED)
STARTED = frozenset(Status(value) for value in statuses.STARTED)
# Two failed reviews in a row: one miss is a slip, two say the topic is fading.
FADES_AFTER_FAILED_REVIEWS = 2


class ProgressQuerySet(models.QuerySet):
    def for_learner(self, learner, roadmap: Roadmap):
        # Unordered: callers build lookups, and the default ordering (learner, topic)
        # would join topics and sections only to sort rows nobody reads in order.
        return self.filter(learner=learner, topic__roadmap=roadmap, topic__is_archived=False).order_by()


class Progress(models.Model):
    """One learner's status on one topic; no row means "not started"."""

    # No index of its own: both below lead with it.
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="progress", db_index=False
    )
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
    # Evidence: when the learner last passed a check of this topic, and the score
    # ("3/3"). Empty means the status is self-reported.
    checked_at = models.DateTimeField(null=True, blank=True)
    check_score = models.CharField(max_length=10, blank=True)
    # Reviews failed in a row; at FADES_AFTER_FAILED_REVIEWS the topic is flagged fading and offered for re-study.
    review_failures = models.PositiveSmallIntegerField(default=0)

    objects = ProgressQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "progress"
        ordering = ["learner", "topic"]
        constraints = [
            models.UniqueConstraint(fields=["learner", "topic"], name="progress_one_per_learner_topic"),
            models.CheckConstraint(condition=Q(status__in=Status.values), name="progress_status_valid"),
        ]
        indexes = [
            # Every dashboard, status change and badge reads all of one learner's rows,
            # these columns only (progress/dashboard.learner_progress): on PostgreSQL,
            # an index-only scan instead of a heap visit per row (0.6 ms to 0.16 ms
            # for 473 rows). SQLite has no INCLUDE and gets the plain index.
            models.Index(
                fields=["learner"],
                include=[
                    "topic",
                    "status",
                    "status_changed_at",
                    "review_due",
                    "checked_at",
                    "check_score",
                    "review_failures",
                ],
                name="progress_learner_rows",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.learner} · {self.topic}: {self.get_status_display()}"

    @property
    def is_checked(self) -> bool:
        """Covered, and proven by a passed check rather than only self-reported."""
        return self.status in COVERED and self.checked_at is not None

    @property
    def is_failing_reviews(self) -> bool:
        return self.review_failures >= FADES_AFTER_FAILED_REVIEWS
