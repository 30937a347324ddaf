"""Grading a learner's answer to a check problem against its key, on plain data.

numeric: one value, within the problem's tolerance. expression: numeric
equivalence at points of the domain, so any equivalent form passes. choice and
multiple: exactly the keyed letters. The answer's AnswerError propagates for
the form to show; a key (or tolerance, variables, domain) that can't be used
is a curation mistake and raises BadKeyError, never blamed on the learner.
Imports nothing from the project but the answer grammar, and no Django.
"""

import math
import random
from collections.abc import Collection, Iterable, Mapping, Sequence

from roadmap.curriculum.answers import FUNCTIONS, AnswerError, Node, evaluate, parse

# AnswerError is the grammar's; the view catches it from here, with BadKeyError.
__all__ = [
    "AnswerError",
    "BadKeyError",
    "describe_grammar",
    "grade_choice",
    "grade_expression",
    "grade_numeric",
]

RELATIVE_TOLERANCE = 1e-6  # numeric, when the problem sets no tolerance
ABSOLUTE_FLOOR = 1e-9  # so a key of 0 is not graded to within 0
EXPRESSION_RELATIVE = 1e-7
EXPRESSION_ABSOLUTE = 1e-9
DEFAULT_DOMAIN = (-3.0, 3.0)
POINTS = 12  # drawn per round
USABLE_POINTS = 6  # points where the key is defined, at least
MAX_POINTS = 240  # then the key is undefined almost everywhere in its domain: a curation mistake


class BadKeyError(Exception):
    """A problem's key, tolerance, variables or domain can't be graded against: fix the problem bank.

    Deliberately not a ValueError, so code catching the learner's AnswerError
    (a ValueError) never shows a curation mistake as the learner's."""


def grade_numeric(answer: str, key: str, tolerance: float | None = None) -> bool:
    """Whether `answer` is the number `key` is: within `tolerance` (absolute) when given,
    else within RELATIVE_TOLERANCE (with ABSOLUTE_FLOOR)."""
    key_value = evaluate(_parsed_key(key, ()), {})
    if not math.isfinite(key_value):
        raise BadKeyError(f"The key {key!r} has no finite value")
    if tolerance is not None and not (math.isfinite(tolerance) and tolerance >= 0):
        raise BadKeyError(f"The tolerance {tolerance!r} of key {key!r} is not a number ≥ 0")
    value = evaluate(parse(answer), {})
    if not math.isfinite(value):
        return False
    if tolerance is None:
        return math.isclose(value, key_value, rel_tol=RELATIVE_TOLERANCE, abs_tol=ABSOLUTE_FLOOR)
    # Decimal answers and tolerances are not exact in binary: 2.34 against key
    # 2.35 is 0.010000000000000231 apart. A few units in the last place of the
    # numbers involved keep an answer right on the boundary inside it.
    slack = 16 * math.ulp(max(abs(value), abs(key_value), tolerance))
    return abs(value - key_value) <= tolerance + slack


def grade_expression(
    answer: str,
    key: str,
    variables: Iterable[str],
    domain: Mapping[str, Sequence[float]] | None = None,
) -> bool:
    """Whether `answer` equals the formula `key` at every point drawn from the domain where the key is defined.

    The points are pseudo-random but the same every time for a given key, each
    variable within its domain (DEFAULT_DOMAIN unless `domain` names it).
    """
    names = tuple(variables)
    key_tree = _parsed_key(key, names)
    points = _usable_points(key_tree, key, _bounds(names, domain, key))
    answer_tree = parse(answer, names)
    for point, key_value in points:
        value = evaluate(answer_tree, point)
        if not math.isclose(value, key_value, rel_tol=EXPRESSION_RELATIVE, abs_tol=EXPRESSION_ABSOLUTE):
            return False  # nan and inf are never close: the answer must be defined where the key is
    return True


def grade_choice(selected: Collection[str], key: Collection[str]) -> bool:
    """Whether the learner selected exactly the keyed choices. A str is one choice ("B"), not its letters."""
    return _choices(selected) == _choices(key)


def describe_grammar() -> str:
    """The one line of help the answer form shows under the input."""
    return (
        "Type a number or a formula, such as 2x sin(x) + x^2 cos(x), sqrt(2)/2 or e^(-x): "
        "use + − × ÷ ^, parentheses, pi, e and " + ", ".join(FUNCTIONS) + " (log is ln), "
        "always with parentheses: sin(x)."
    )


def _parsed_key(key: str, variables: tuple[str, ...]) -> Node:
    try:
        return parse(key, variables)
    except ValueError as error:  # AnswerError, or a bad variable name
        raise BadKeyError(f"The key {key!r} does not parse: {error}") from error


def _bounds(
    variables: tuple[str, ...], domain: Mapping[str, Sequence[float]] | None, key: str
) -> dict[str, tuple[float, float]]:
    domain = domain or {}
    unknown = set(domain) - set(variables)
    if unknown:
        raise BadKeyError(f"The domain of key {key!r} names {sorted(unknown)}, which are not its variables")
    bounds = {}
    for name in variables:
        try:
            low, high = (float(bound) for bound in domain.get(name, DEFAULT_DOMAIN))
        except (TypeError, ValueError):  # not two numbers: refused just below
            low = high = math.nan
        if not (math.isfinite(low) and math.isfinite(high) and low < high):
            raise BadKeyError(f"The domain of {name} in key {key!r} is not an interval low < high")
        bounds[name] = (low, high)
    return bounds


def _usable_points(
    key_tree: Node, key: str, bounds: dict[str, tuple[float, float]]
) -> list[tuple[dict[str, float], float]]:
    """At least USABLE_POINTS (point, key's value there) where the key is finite, from POINTS a round."""
    # Seeded by the key and its domain (a str seed is hashed the same in every
    # process), so a learner's answer is always graded at the same points.
    generator = random.Random(f"{key}|{sorted(bounds.items())}")
    usable: list[tuple[dict[str, float], float]] = []
    drawn = 0
    while len(usable) < USABLE_POINTS and drawn < MAX_POINTS:
        for _ in range(POINTS):
            point = {name: generator.uniform(low, high) for name, (low, high) in bounds.items()}
            key_value = evaluate(key_tree, point)
            if math.isfinite(key_value):
                usable.append((point, key_value))
        drawn += POINTS
    if len(usable) < USABLE_POINTS:
        raise BadKeyError(f"The key {key!r} is undefined at almost every point of its domain")
    return usable


def _choices(choices: Collection[str]) -> frozenset[str]:
    return frozenset((choices,)) if isinstance(choices, str) else frozenset(choices)
