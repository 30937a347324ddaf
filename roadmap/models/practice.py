"""Practice tasks: curated work on a small dataset that exercises several topics, and who did them."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from roadmap.models.plan import Section, Topic


class PracticeTaskQuerySet(models.QuerySet):
    def for_roadmap(self, roadmap_id: int):
        """The roadmap's tasks in section order, each with its section and exercised topics (2 queries)."""
        return (
            self.filter(section__roadmap_id=roadmap_id)
            .select_related("section")
            .prefetch_related(
                models.Prefetch("exercises", Topic.objects.active().order_by("section__order", "order"))
            )
            .order_by("section__order", "section_id", "order", "id")
        )


class PracticeTask(models.Model):
    """A task of a section, such as "fit a line to iris by least squares", and the topics it exercises."""

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="practice_tasks")
    slug = models.SlugField(max_length=80)
    title = models.CharField(max_length=200)
    data = models.CharField(max_length=300, blank=True, help_text="The dataset it uses, and where it is.")
    task = models.TextField(help_text="What to do, in a paragraph.")
    order = models.PositiveIntegerField(default=0)
    exercises = models.ManyToManyField(Topic, through="PracticeExercise", related_name="practice_tasks")

    history = HistoricalRecords()
    objects = PracticeTaskQuerySet.as_manager()

    class Meta:
        ordering = ["section", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["section", "slug"], name="practice_task_unique_slug_per_section"),
        ]

    def __str__(self) -> str:
        return self.title


class PracticeExercise(models.Model):
    """A topic a practice task exercises; its own row, with history, as edges are."""

    task = models.ForeignKey(PracticeTask, on_delete=models.CASCADE, related_name="exercise_links")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="exercise_links")
    order = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["task", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["task", "topic"], name="practice_exercise_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.task} exercises {self.topic}"


class PracticeDone(models.Model):
    """One learner did one practice task; no row means not done."""

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="practice_done"
    )
    # CASCADE, unlike progress on a topic: a task dropped from the roadmap file is
    # deleted by the import, and a mark on a task nobody can see says nothing.
    task = models.ForeignKey(PracticeTask, on_delete=models.CASCADE, related_name="done_by")
    done_at = models.DateTimeField()

    class Meta:
        verbose_name_plural = "practice done"
        ordering = ["learner", "task"]
        constraints = [
            models.UniqueConstraint(fields=["learner", "task"], name="practice_done_one_per_learner_task"),
        ]

    def __str__(self) -> str:
        return f"{self.learner} did {self.task}"
