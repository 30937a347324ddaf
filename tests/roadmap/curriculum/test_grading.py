"""Grading answers against keys on plain data (no database): numeric, expression, choice."""

import math
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings

from roadmap.curriculum.answers import FUNCTIONS, parse
from roadmap.curriculum.grading import (
    AnswerError,
    BadKeyError,
    describe_grammar,
    grade_choice,
    grade_expression,
    grade_numeric,
)
from tests.roadmap.curriculum.test_answers_fuzz import FAST, grammar_soup

DERIVATIVE = "2x sin(x) + x^2 cos(x)"  # d/dx of x²·sin x, the example


@pytest.mark.parametrize(
    ("answer", "key"),
    [
        ("2", "2"),
        ("-7/12", "-7/12"),
        ("-0.583333", "-7/12"),  # within 1e-6 relative
        ("0.70710678", "sqrt(2)/2"),
        ("1/sqrt(2)", "sqrt(2)/2"),
        ("3π", "3*pi"),
        ("9.42477796", "3*pi"),
        ("e^0", "1"),
        ("0", "0"),
        ("0.0000000001", "0"),  # the absolute floor: a key of 0 is not graded to within 0
        ("ln(e^2)", "2"),
    ],
)
def test_numeric_equivalent_forms_pass(answer, key):
    assert grade_numeric(answer, key, None)


@pytest.mark.parametrize(
    ("answer", "key"),
    [
        ("3", "2"),
        ("-0.58333", "-7/12"),  # 5.7e-6 relative: outside the default tolerance
        ("0.7071", "sqrt(2)/2"),
        ("0.00001", "0"),
        ("sqrt(-1)", "1"),  # undefined is never right
        ("1/0", "1"),
        ("10^400", "1"),
    ],
)
def test_numeric_wrong_or_too_far_fails(answer, key):
    assert not grade_numeric(answer, key, None)


def test_numeric_tolerance_is_absolute_and_inclusive():
    # "to 2 decimal places" → tolerance 0.005 around the exact value.
    assert grade_numeric("0.33", "1/3", 0.005)
    assert grade_numeric("0.334", "1/3", 0.005)
    assert not grade_numeric("0.34", "1/3", 0.005)
    # On the boundary, whatever binary floats make of 2.35 - 2.34.
    assert grade_numeric("2.34", "2.35", 0.01)
    assert grade_numeric("2.36", "2.35", 0.01)
    assert not grade_numeric("2.3399", "2.35", 0.01)
    assert grade_numeric("1000000.5", "1000000", 0.5)


def test_numeric_tolerance_zero_is_exact():
    assert grade_numeric("0.5", "1/2", 0)
    assert not grade_numeric("0.5000001", "1/2", 0)


def test_numeric_answer_errors_reach_the_learner():
    with pytest.raises(AnswerError, match="this answer is a number"):
        grade_numeric("2x", "2", None)
    with pytest.raises(AnswerError, match="The answer is empty"):
        grade_numeric("", "2", None)


@pytest.mark.parametrize(
    ("key", "tolerance"),
    [("2x", None), ("1/0", None), ("sqrt(-2)", None), ("", None), ("2", -0.1), ("2", math.nan)],
)
def test_numeric_bad_key_is_a_curation_error(key, tolerance):
    with pytest.raises(BadKeyError, match="key"):
        grade_numeric("2", key, tolerance)


def test_a_bad_key_is_not_mistaken_for_the_learners_error():
    assert not issubclass(BadKeyError, ValueError)
    with pytest.raises(BadKeyError):  # raised before the answer, which is also bad, is read
        grade_numeric("((", "((", None)


@pytest.mark.parametrize(
    "answer",
    [
        DERIVATIVE,
        "x*(2*sin(x)+x*cos(x))",
        "x^2 cos(x) + 2 sin(x) x",
        "x(2sin(x) + x cos(x))",
        "2·x·sin(x) + x**2·cos(x)",
    ],
)
def test_expression_equivalent_forms_pass(answer):
    assert grade_expression(answer, DERIVATIVE, ["x"], None)


@pytest.mark.parametrize(
    "answer",
    [
        "2x cos(x)",
        "2x sin(x) - x^2 cos(x)",
        "x^2 cos(x)",
        "2x sin(x) + x^2 cos(x) + 0.001",
        "2x sin(x) + x^2 cos(x)*1.000001",
        "2 sin(x) + x^2 cos(x)",
        "0",
    ],
)
def test_expression_wrong_forms_fail(answer):
    assert not grade_expression(answer, DERIVATIVE, ["x"], None)


def test_expression_domain_keeps_the_points_where_the_key_is_defined():
    domain = {"x": (0.5, 3)}
    assert grade_expression("log(x)", "ln(x)", ["x"], domain)
    assert grade_expression("2 ln(sqrt(x))", "ln(x)", ["x"], domain)
    assert grade_expression("ln(abs(x))", "ln(x)", ["x"], domain)
    assert not grade_expression("x - 1", "ln(x)", ["x"], domain)
    assert not grade_expression("ln(x + 0.0001)", "ln(x)", ["x"], domain)


def test_expression_answer_must_be_defined_wherever_the_key_is():
    assert not grade_expression("sqrt(x)^2", "x", ["x"], None)  # nan for x < 0
    assert grade_expression("sqrt(x)^2", "x", ["x"], {"x": [0, 3]})
    assert grade_expression("x^2/x", "x", ["x"], None)  # undefined only at 0, never drawn


def test_expression_points_where_the_key_is_undefined_are_skipped():
    # ln(x) on the default [-3, 3] is defined at about half the points.
    assert grade_expression("ln(abs(x))", "ln(x)", ["x"], None)
    # The other way round, the answer is undefined where the key is not.
    assert not grade_expression("ln(x)", "ln(abs(x))", ["x"], None)


def test_expression_draws_more_points_when_too_few_are_usable():
    # ln(x - 2.5) is defined on 1/12 of [-3, 3]: 12 points would give about one.
    assert grade_expression("ln(x - 2.5)", "ln(x - 2.5)", ["x"], None)
    assert not grade_expression("ln(x - 2.4)", "ln(x - 2.5)", ["x"], None)


def test_expression_key_undefined_almost_everywhere_is_a_curation_error():
    with pytest.raises(BadKeyError, match="undefined at almost every point"):
        grade_expression("1", "sqrt(-1 - x^2)", ["x"], None)


def test_expression_with_several_variables():
    assert grade_expression("y x + 0", "x y", ["x", "y"], {"y": (1, 2)})
    assert grade_expression("(x+y)^2", "x^2 + 2xy + y^2", ["x", "y"], None)
    assert not grade_expression("x + y", "x y", ["x", "y"], None)
    assert not grade_expression("x^2 + y^2", "(x+y)^2", ["x", "y"], None)


def test_expression_answer_errors_reach_the_learner():
    with pytest.raises(AnswerError, match='"y"'):
        grade_expression("x + y", "x", ["x"], None)
    with pytest.raises(AnswerError, match="sin needs parentheses"):
        grade_expression("sin x", "sin(x)", ["x"], None)


@pytest.mark.parametrize(
    ("key", "variables", "domain"),
    [
        ("x + y", ["x"], None),  # y is not declared
        ("x +", ["x"], None),
        ("sin(x)", ["sin"], None),  # not a variable name
        ("x", ["x"], {"y": (0, 1)}),  # the domain names an unknown variable
        ("x", ["x"], {"x": (1, 0)}),
        ("x", ["x"], {"x": (0, math.inf)}),
        ("x", ["x"], {"x": (0,)}),
        ("x", ["x"], {"x": "ab"}),
    ],
)
def test_expression_bad_key_variables_or_domain_is_a_curation_error(key, variables, domain):
    with pytest.raises(BadKeyError, match="key"):
        grade_expression("x", key, variables, domain)


# x agrees with abs(x) on the positive part of [-0.2, 3]: whether it passes depends
# on whether a point falls below 0, so on the points drawn for each spelling of the key.
SPELLINGS = ("abs(x)", "abs(x) + 0", "1abs(x)", "abs(x)/1", "0 + abs(x)", "abs(x)*1", "abs(+x)", "abs(-x)")
NEAR_ZERO = {"x": (-0.2, 3)}
REPOSITORY = Path(__file__).resolve().parents[3]


def test_expression_grading_is_the_same_in_every_process():
    here = [grade_expression("x", key, ["x"], NEAR_ZERO) for key in SPELLINGS]
    assert True in here and False in here  # it really depends on the points
    script = (
        "from roadmap.curriculum.grading import grade_expression\n"
        f"print([grade_expression('x', key, ['x'], {NEAR_ZERO!r}) for key in {SPELLINGS!r}])"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}  # hash() of a str differs; the points must not
    ran = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, cwd=REPOSITORY, check=True
    )
    assert ran.stdout.strip() == str(here)


def test_expression_grading_leaves_the_global_random_alone():
    state = random.getstate()
    grade_expression("x", "abs(x)", ["x"], None)
    assert random.getstate() == state


@pytest.mark.parametrize(
    ("selected", "key", "right"),
    [
        (["B"], "B", True),
        ("B", "B", True),
        (["B"], ["B"], True),
        (["C", "A"], ["A", "C"], True),
        (["A", "A", "C"], ["A", "C"], True),  # a set: a repeat adds nothing
        (["A"], ["A", "C"], False),
        (["A", "B", "C"], ["A", "C"], False),
        ([], ["A"], False),
        ([], [], True),
        ("AC", ["A", "C"], False),  # a str is one choice, not its letters
        (["b"], "B", False),  # exact
    ],
)
def test_choice_is_the_exact_set(selected, key, right):
    assert grade_choice(selected, key) is right


def test_describe_grammar_is_one_line_naming_every_function():
    help_text = describe_grammar()
    assert "\n" not in help_text
    for function in FUNCTIONS:
        assert function in help_text
    for example in ["2x sin(x) + x^2 cos(x)", "sqrt(2)/2", "e^(-x)", "sin(x)"]:
        assert example in help_text
        parse(example, ["x"])


@settings(FAST, max_examples=200)
@given(grammar_soup)
def test_any_answer_is_graded_or_refused_with_an_answer_error(answer):
    try:
        numeric = grade_numeric(answer, "sqrt(2)/2", None)
        expression = grade_expression(answer, DERIVATIVE, ["x", "y"], None)
    except AnswerError:
        return
    assert isinstance(numeric, bool) and isinstance(expression, bool)
