from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Min, Q, Sum
from django.urls import reverse

from roadmap.journal.stats import format_day, format_minutes
from roadmap.models.plan import Topic
from roadmap.web.safe_markdown import render_markdown

MAX_MINUTES_PER_DAY = 24 * 60
MAX_NOTE_LENGTH = 5000


class Satisfaction(models.TextChoices):
    YES = "yes", "Yes"
    SOMEWHAT = "somewhat", "Somewhat"
    NOT_REALLY = "not_really", "Not really"


class LogEntryQuerySet(models.QuerySet):
    def for_learner(self, learner):
        return self.filter(learner=learner)

    def recent(self, count: int):
        return self.order_by("-date").prefetch_related("topics")[:count]

    def pace_totals(self, *, today: date, since: date, week_start: date) -> tuple[date | None, int, int]:
        """(first day logged, minutes since `since`, minutes since `week_start`), up to today: one query."""
        totals = self.filter(date__lte=today).aggregate(
            first=Min("date"),
            window=Sum("minutes", filter=Q(date__gte=since)),
            week=Sum("minutes", filter=Q(date__gte=week_start)),
        )
        return totals["first"], totals["window"] or 0, totals["week"] or 0


class LogEntry(models.Model):
    """One day of study, in the spirit of the seed's "ML progress report (day N)"."""

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="log_entries"
    )
    date = models.DateField()
    minutes = models.PositiveIntegerField(help_text="Time studied that day.")
    stage = models.CharField(
        "current stage", max_length=120, blank=True, help_text='e.g. "noob-level math grind"'
    )
    topics = models.ManyToManyField(Topic, blank=True, related_name="log_entries")
    satisfied = models.CharField("satisfied?", max_length=12, choices=Satisfaction.choices)
    note = models.TextField(blank=True, max_length=MAX_NOTE_LENGTH, help_text="Markdown.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = LogEntryQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "log entries"
        ordering = ["learner", "-date"]
        constraints = [
            models.UniqueConstraint(fields=["learner", "date"], name="log_entry_one_per_day"),
            models.CheckConstraint(
                condition=Q(minutes__gt=0, minutes__lte=MAX_MINUTES_PER_DAY),
                name="log_entry_minutes_in_a_day",
            ),
            models.CheckConstraint(
                condition=Q(satisfied__in=Satisfaction.values), name="log_entry_satisfied_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.learner} · {format_day(self.date)}"

    def get_absolute_url(self) -> str:
        return reverse("log_entry_edit", args=[self.date.isoformat()])

    @property
    def duration(self) -> str:
        return format_minutes(self.minutes)

    @property
    def note_html(self):
        return render_markdown(self.note)
