"""Answer forms: one field per problem shown, graded in clean().

An answer the grammar cannot read is a field error that says what was not
understood, and every answer typed so far is kept on the re-rendered form:
nothing is graded, or stored, until every answer can be read.
"""

from django import forms

from roadmap.checking.recall import FEELINGS
from roadmap.checking.topic_check import Marked
from roadmap.curriculum import answers, grading
from roadmap.curriculum.problem_rules import MAX_RESPONSE_LENGTH
from roadmap.models import Problem, ProblemKind
from roadmap.progress.review import ReviewRating

NUMBER_HELP = "A number or a calculation: -7/12, 0.583, 3/4 and sqrt(2)/2 all work."


def field_name(problem: Problem) -> str:
    return f"answer_{problem.pk}"


class AnswersForm(forms.Form):
    """Answers to the given problems; `marked` holds the graded answers once valid."""

    def __init__(self, problems: list[Problem], *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.problems = problems
        self.marked: list[Marked] = []
        for problem in problems:
            self.fields[field_name(problem)] = _field(problem)

    def clean(self):
        cleaned = super().clean()
        marked = []
        for problem in self.problems:
            name = field_name(problem)
            if name not in cleaned:
                continue  # a required or invalid-choice error is already on the field
            response = cleaned[name]
            text = ",".join(response) if isinstance(response, list) else response
            try:
                correct = problem.grade(text)
            except answers.AnswerError as exc:
                self.add_error(name, str(exc))
                continue
            marked.append(Marked(problem, text, correct))
        self.marked = marked
        return cleaned

    def rows(self):
        """(problem, bound field) pairs, in the order shown."""
        return [(problem, self[field_name(problem)]) for problem in self.problems]


class RecallForm(AnswersForm):
    """The answer to a review's one problem, and how it felt: Hard, Good (unless told) or Easy.

    The feeling only counts when the answer is right (recall.rating_for).
    """

    feel = forms.TypedChoiceField(
        label="How did it feel?",
        coerce=int,
        choices=[(rating.value, rating.label) for rating in FEELINGS],
        required=False,
        empty_value=ReviewRating.GOOD.value,
        initial=ReviewRating.GOOD.value,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Say Hard, Good or Easy, or leave it at Good."},
    )

    def __init__(self, problem: Problem, *args, **kwargs):
        super().__init__([problem], *args, **kwargs)

    @property
    def feeling(self) -> ReviewRating:
        return ReviewRating(self.cleaned_data["feel"])


def _field(problem: Problem) -> forms.Field:
    letters = [(letter, letter) for letter in problem.letters]
    if problem.kind == ProblemKind.CHOICE:
        return forms.ChoiceField(
            choices=letters, widget=forms.RadioSelect, error_messages={"required": "Choose one answer."}
        )
    if problem.kind == ProblemKind.MULTIPLE:
        return forms.MultipleChoiceField(
            choices=letters,
            widget=forms.CheckboxSelectMultiple,
            error_messages={"required": "Choose at least one answer."},
        )
    return forms.CharField(
        max_length=MAX_RESPONSE_LENGTH,
        strip=True,
        error_messages={
            "required": "Type an answer, or your best guess.",
            "max_length": f"Keep the answer under {MAX_RESPONSE_LENGTH} characters.",
        },
        help_text=grading.describe_grammar() if problem.kind == ProblemKind.EXPRESSION else NUMBER_HELP,
    )
