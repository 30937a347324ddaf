"""What learners add to the curation: resource suggestions and ratings."""

from django.conf import settings
from django.db import models
from django.db.models import Avg, Count, Q

from roadmap.models.plan import Access, Resource, ResourceKind, Topic


class SuggestionStatus(models.TextChoices):
    PENDING = "pending", "Waiting for review"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"


class ResourceSuggestion(models.Model):
    """A learner's "this helped me" resource for a topic, until a curator decides."""

    suggester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="resource_suggestions"
    )
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="suggestions")
    title = models.CharField(max_length=200)
    url = models.URLField(max_length=500)
    kind = models.CharField(max_length=20, choices=ResourceKind.choices)
    access = models.CharField(max_length=20, choices=Access.choices)
    why = models.TextField("why it helped", max_length=1000)
    status = models.CharField(
        max_length=10, choices=SuggestionStatus.choices, default=SuggestionStatus.PENDING
    )
    rejection_reason = models.TextField(
        blank=True, max_length=1000, help_text="Shown to the learner who suggested it. Required to reject."
    )
    resource = models.ForeignKey(
        Resource,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="suggestions",
        help_text="The resource created when the suggestion was approved.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=SuggestionStatus.values), name="suggestion_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status=SuggestionStatus.REJECTED) | ~Q(rejection_reason=""),
                name="suggestion_rejection_has_reason",
            ),
            models.UniqueConstraint(
                fields=["url"],
                condition=Q(status=SuggestionStatus.PENDING),
                name="suggestion_one_pending_per_url",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} for {self.topic} ({self.get_status_display()})"


class ResourceRatingQuerySet(models.QuerySet):
    def summary_by_resource(self, resource_ids) -> dict[int, tuple[float, int]]:
        """{resource id: (average rating, count)} in one query."""
        rows = (
            self.filter(resource_id__in=resource_ids, rating__isnull=False)
            .values("resource_id")
            .annotate(average=Avg("rating"), count=Count("id"))
        )
        return {row["resource_id"]: (round(float(row["average"]), 1), row["count"]) for row in rows}


class ResourceRating(models.Model):
    """A learner used a resource and, optionally, rated how much it helped (1–5)."""

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="resource_ratings"
    )
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="ratings")
    rating = models.PositiveSmallIntegerField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ResourceRatingQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["learner", "resource"], name="rating_one_per_learner_resource"),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5), name="rating_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.learner} · {self.resource}: {self.rating or 'used'}"
