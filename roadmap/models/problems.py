"""Check problems: the curated bank a learner proves a topic with.

A problem belongs to one topic and tests one of the abilities its summary claims
("compute a dot product"). Problems are curated content, like topics: imported
from the bank file beside the roadmap file, edited in the admin with history,
archived (never deleted) once learners have answered them.
"""

from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from roadmap.checking import placement
from roadmap.curriculum import problem_rules
from roadmap.models.plan import Topic


class ProblemKind(models.TextChoices):
    NUMERIC = "numeric", "Numeric"
    CHOICE = "choice", "Single choice"
    MULTIPLE = "multiple", "Multiple choice (select all that apply)"
    EXPRESSION = "expression", "Expression"


class Difficulty(models.IntegerChoices):
    ROUTINE = 1, "Routine"
    STANDARD = 2, "Standard"
    HARDER = 3, "Harder"


class ProblemQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_archived=False)


class Problem(models.Model):
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="problems")
    key = models.SlugField(max_length=80, help_text="Stable within the topic; answers refer to it.")
    order = models.PositiveIntegerField(default=0)
    ability = models.SlugField(max_length=80, help_text="Which ability of the topic it tests (a short slug).")
    ability_text = models.CharField(
        max_length=200, help_text='The ability in words: "compute a dot product".'
    )
    difficulty = models.PositiveSmallIntegerField(choices=Difficulty.choices, default=Difficulty.STANDARD)
    kind = models.CharField(max_length=20, choices=ProblemKind.choices)
    statement = models.TextField(help_text="Markdown; math in $...$ or $$...$$ (LaTeX, shown as MathML).")
    choices = models.JSONField(
        default=list, blank=True, help_text="Choice problems: 3–5 Markdown strings, shown as A, B, C, …"
    )
    answer = models.CharField(
        max_length=300,
        help_text='Numeric: a number or formula without variables ("-7/12"). Expression: the formula '
        '("2x sin(x) + x^2 cos(x)"). Single choice: a letter ("B"). Multiple: letters ("A,C").',
    )
    tolerance = models.FloatField(
        null=True, blank=True, help_text="Numeric: absolute tolerance; empty means exact (relative 1e-6)."
    )
    variables = models.JSONField(default=list, blank=True, help_text='Expression: the letters, e.g. ["x"].')
    domain = models.JSONField(
        default=dict, blank=True, help_text='Expression: where to compare, e.g. {"x": [0.5, 3]}.'
    )
    solution = models.TextField(help_text="The worked solution, shown after the answer is in.")
    compute = models.CharField(
        max_length=500,
        blank=True,
        help_text="The answer recomputed from the data, in sympy syntax; the test suite checks the key with it.",
    )
    choice_values = models.JSONField(
        default=list, blank=True, help_text="With compute on a choice problem: each choice's value (sympy)."
    )
    is_archived = models.BooleanField(default=False, help_text="Archived problems are never asked again.")

    history = HistoricalRecords()
    objects = ProblemQuerySet.as_manager()

    class Meta:
        ordering = ["topic", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["topic", "key"], name="problem_unique_key_per_topic"),
            models.CheckConstraint(
                condition=models.Q(difficulty__in=[1, 2, 3]), name="problem_difficulty_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.topic.slug}/{self.key}"

    def clean(self) -> None:
        errors = problem_rules.problem_errors(
            kind=self.kind,
            statement=self.statement,
            solution=self.solution,
            choices=self.choices,
            answer=self.answer,
            variables=self.variables,
            domain=self.domain,
        )
        if errors:
            by_field: dict[str, list[str]] = {}
            for field, message in errors:
                by_field.setdefault(field, []).append(message)
            raise ValidationError(by_field)

    @property
    def is_choice(self) -> bool:
        return self.kind in (ProblemKind.CHOICE, ProblemKind.MULTIPLE)

    @property
    def letters(self) -> str:
        return problem_rules.LETTERS[: len(self.choices)]

    @property
    def lettered_choices(self) -> list[tuple[str, str]]:
        return list(zip(self.letters, self.choices, strict=False))

    @property
    def keyed_letters(self) -> list[str]:
        return problem_rules.keyed_letters(self.answer)

    @property
    def guess_chance(self) -> float:
        """How likely a blind guess is right: what the placement diagnostic discounts a right answer by."""
        return placement.guess_chance(self.kind, len(self.choices))

    def grade(self, response: str) -> bool:
        """Whether the response is right; raises answers.AnswerError when it cannot be read."""
        return problem_rules.grade(
            kind=self.kind,
            answer=self.answer,
            tolerance=self.tolerance,
            variables=self.variables,
            domain=self.domain,
            response=response,
        )
