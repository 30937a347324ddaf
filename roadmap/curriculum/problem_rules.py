"""What makes a check problem well-formed, and grading a learner's response to one.

One set of rules for both ways a problem is written: the bank file (refused as a
whole, with line numbers) and the admin form (refused field by field). Plain
values in, so neither needs the other's types.
"""

import math
from collections.abc import Mapping, Sequence

from roadmap.curriculum import answers, grading
from roadmap.web.math_text import math_errors

KINDS = ("numeric", "choice", "multiple", "expression")
LETTERS = "ABCDE"
MAX_RESPONSE_LENGTH = answers.MAX_CHARACTERS


def keyed_letters(answer: str | Sequence[str]) -> list[str]:
    """A choice key as letters: "B" → ["B"], "A,C" or ["A", "C"] → ["A", "C"]."""
    parts = answer.split(",") if isinstance(answer, str) else answer
    return [str(part).strip().upper() for part in parts if str(part).strip()]


def problem_errors(
    *,
    kind: str,
    statement: str,
    solution: str,
    choices: Sequence[str],
    answer: str,
    variables: Sequence[str],
    domain: Mapping[str, Sequence[float]],
) -> list[tuple[str, str]]:
    """Every problem with the problem, as (field, message); empty when it is well-formed."""
    errors: list[tuple[str, str]] = []
    if kind not in KINDS:
        return [("kind", f"Kind {kind!r} is not one of: {', '.join(KINDS)}.")]
    for field, text in (("statement", statement), ("solution", solution)):
        errors += [(field, message) for message in math_errors(text)]
        if not (text or "").strip():
            errors.append((field, f"The {field} must not be empty."))
    if kind in ("choice", "multiple"):
        errors += _choice_errors(kind, choices, answer)
    else:
        if choices:
            errors.append(("choices", "Only choice problems have choices."))
        errors += _formula_errors(kind, answer, variables, domain)
    return errors


def _choice_errors(kind: str, choices: Sequence[str], answer: str) -> list[tuple[str, str]]:
    errors = []
    if not isinstance(choices, list | tuple) or not 3 <= len(choices) <= len(LETTERS):
        return [("choices", f"A choice problem has 3 to {len(LETTERS)} choices.")]
    for index, choice in enumerate(choices):
        if not isinstance(choice, str) or not choice.strip():
            errors.append(("choices", f"Choice {LETTERS[index]} must be text."))
        else:
            errors += [("choices", f"Choice {LETTERS[index]}: {message}") for message in math_errors(choice)]
    letters = keyed_letters(answer)
    allowed = LETTERS[: len(choices)]
    if not letters or any(letter not in allowed for letter in letters) or len(set(letters)) != len(letters):
        errors.append(("answer", f"The answer must be letters among {', '.join(allowed)}."))
    elif kind == "choice" and len(letters) != 1:
        errors.append(("answer", "A single-choice problem has exactly one right letter."))
    return errors


def _formula_errors(kind: str, answer: str, variables: Sequence[str], domain) -> list[tuple[str, str]]:
    if kind == "numeric" and variables:
        return [("variables", "A numeric answer has no variables.")]
    if kind == "expression":
        if not variables or not all(isinstance(v, str) and v.isidentifier() for v in variables):
            return [("variables", 'An expression problem lists its variables, e.g. ["x"].')]
        for name, bounds in (domain or {}).items():
            if name not in variables:
                return [("domain", f"The domain names {name!r}, which is not a variable.")]
            if not (
                isinstance(bounds, list | tuple)
                and len(bounds) == 2
                and all(_is_number(bound) for bound in bounds)  # before comparing: "a" < 3 raises
                and bounds[0] < bounds[1]
            ):
                return [("domain", f"The domain of {name} must be [low, high] with low < high.")]
    try:
        node = answers.parse(answer, variables if kind == "expression" else ())
    except answers.AnswerError as exc:
        return [("answer", f"The key does not parse: {exc}")]
    if kind == "numeric" and not math.isfinite(answers.evaluate(node, {})):
        return [("answer", "The key is not a finite number.")]
    return []


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def grade(
    *,
    kind: str,
    answer: str,
    tolerance: float | None,
    variables: Sequence[str],
    domain: Mapping[str, Sequence[float]],
    response: str,
) -> bool:
    """Whether a response is right; raises answers.AnswerError (with a message for the learner) when unreadable."""
    if kind in ("choice", "multiple"):
        return grading.grade_choice(keyed_letters(response), keyed_letters(answer))
    if kind == "numeric":
        return grading.grade_numeric(response, answer, tolerance)
    bounds = {name: (float(low), float(high)) for name, (low, high) in (domain or {}).items()}
    return grading.grade_expression(response, answer, list(variables), bounds or None)
