"""Learners' answers to check problems, their topic checks, and their placement diagnostics.

Every answer is kept (an Attempt): it is the evidence behind a checked topic, the
diagnostic's memory, and part of the learner's exported data. A TopicCheck is one
"Check yourself" round of three problems; a Placement is one run of "Find my
level". All of it is deleted with the account.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from roadmap.journal.stats import format_day
from roadmap.models.plan import Roadmap, Topic
from roadmap.models.problems import Problem


class Purpose(models.TextChoices):
    CHECK = "check", "Topic check"
    PLACEMENT = "placement", "Placement diagnostic"
    REVIEW = "review", "Spaced review"


class TopicCheck(models.Model):
    """One "Check yourself" round: the problems drawn, and, once answered, the score."""

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="topic_checks"
    )
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="checks")
    # The problems in the order shown; their ids, so a page reload shows the same three.
    problem_ids = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    passed = models.BooleanField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["learner", "topic", "-created_at"], name="topic_check_latest")]

    def __str__(self) -> str:
        return f"{self.learner} · {self.topic}: {self.score_text or 'open'}"

    @property
    def total(self) -> int:
        return len(self.problem_ids)

    @property
    def score_text(self) -> str:
        return "" if self.score is None else f"{self.score}/{self.total}"


class Placement(models.Model):
    """One run of the placement diagnostic; its answers are Attempts pointing here."""

    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="placements")
    roadmap = models.ForeignKey(Roadmap, on_delete=models.CASCADE, related_name="placements")
    # The problem on screen now: a reload shows the same one, and only it may be answered.
    current = models.ForeignKey(Problem, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # When the learner took its proposal (all of it or some topics); None while it is only a proposal.
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.learner} · placement of {format_day(timezone.localtime(self.created_at))}"

    @property
    def is_finished(self) -> bool:
        return self.finished_at is not None


class AttemptQuerySet(models.QuerySet):
    def for_learner(self, learner):
        return self.filter(learner=learner)


class Attempt(models.Model):
    """One answer to one problem: what the learner typed or chose, and whether it was right."""

    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attempts")
    # PROTECT: problems are archived, never deleted, once answered.
    problem = models.ForeignKey(Problem, on_delete=models.PROTECT, related_name="attempts")
    answer = models.CharField(max_length=300)
    correct = models.BooleanField()
    purpose = models.CharField(max_length=20, choices=Purpose.choices)
    created_at = models.DateTimeField(default=timezone.now)
    topic_check = models.ForeignKey(
        TopicCheck, on_delete=models.CASCADE, null=True, blank=True, related_name="attempts"
    )
    placement = models.ForeignKey(
        Placement, on_delete=models.CASCADE, null=True, blank=True, related_name="attempts"
    )

    objects = AttemptQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["learner", "created_at"], name="attempt_learner_time")]

    def __str__(self) -> str:
        return f"{self.learner} · {self.problem}: {'right' if self.correct else 'wrong'}"
