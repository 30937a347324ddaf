"""The shipped problem bank: every key recomputed independently, and every topic covered.

Each numeric and expression problem carries `compute`, the answer worked out
again from the problem's data in sympy. Here it is evaluated and compared with
the key as the app reads it (the answer grammar), so a wrong key fails CI. A
choice problem with a computable answer carries `choice_values`: exactly the
keyed letters must equal `compute`.

`compute` is curated text from the repository, evaluated by sympy in the test
suite only; learners' answers never reach sympy (the app uses answers.py).
"""

import math
from functools import cache

import pytest
import sympy
import yaml
from sympy.parsing.sympy_parser import parse_expr

from roadmap.curriculum import answers, problem_rules
from roadmap.curriculum.roadmap_file import bank_path, parse, parse_bank
from tests.roadmap.curriculum.sympy_bridge import to_sympy
from tests.seed import FIXTURE

BANK = bank_path(FIXTURE)


@cache
def shipped() -> dict:
    return yaml.safe_load(BANK.read_text(encoding="utf-8"))["topics"]


@cache
def roadmap_topics() -> dict:
    data = parse(FIXTURE.read_text(encoding="utf-8"))
    return {topic.slug: topic for topic in data.topics()}


def _exact(values) -> list:
    return [sympy.Rational(str(v)) for v in values]


def _mean(values):
    xs = _exact(values)
    return sum(xs) / len(xs)


def _median(values):
    xs = sorted(_exact(values))
    middle = len(xs) // 2
    return xs[middle] if len(xs) % 2 else (xs[middle - 1] + xs[middle]) / 2


def _squares(values):
    xs, m = _exact(values), _mean(values)
    return sum((x - m) ** 2 for x in xs)


def namespace(variables=()) -> dict:
    ns = {name: getattr(sympy, name) for name in dir(sympy) if not name.startswith("_")}
    ns.update({letter: sympy.Symbol(letter) for letter in "abcdefghijklmnopqrstuvwxyz"})
    ns.update({name: sympy.Symbol(name) for name in variables})
    ns.update(
        E=sympy.E,
        mean=_mean,
        median=_median,
        pvariance=lambda xs: _squares(xs) / len(xs),
        variance=lambda xs: _squares(xs) / (len(xs) - 1),
        pstdev=lambda xs: sympy.sqrt(_squares(xs) / len(xs)),
        stdev=lambda xs: sympy.sqrt(_squares(xs) / (len(xs) - 1)),
        range=range,
        set=set,
    )
    return ns


def problems():
    for slug, entry in shipped().items():
        for problem in entry["problems"]:
            yield pytest.param(slug, problem, id=f"{slug}/{problem['key']}")


def computed(problem) -> sympy.Expr:
    return sympy.sympify(parse_expr(problem["compute"], namespace(problem.get("variables", ()))))


def key_matches(problem) -> bool:
    """The key, as the app reads it, equals what `compute` gives."""
    kind, target = problem["kind"], computed(problem)
    if kind == "numeric":
        key = answers.evaluate(answers.parse(problem["answer"]), {})
        value = float(sympy.N(target, 30))
        tolerance = problem.get("tolerance")
        if tolerance:
            return abs(key - value) <= tolerance
        return math.isclose(key, value, rel_tol=1e-6, abs_tol=1e-9)
    if kind == "expression":
        key = to_sympy(answers.parse(problem["answer"], problem["variables"]))
        if sympy.simplify(key - target) == 0:
            return True
        # simplify() can miss an identity; equal values across the domain still prove the key.
        symbols = [sympy.Symbol(v) for v in problem["variables"]]
        domain = problem.get("domain") or {}
        for step in (0.13, 0.37, 0.61, 0.89):
            point = {}
            for s in symbols:
                low, high = domain.get(s.name, (-3, 3))
                point[s] = low + (high - low) * step
            difference = complex(sympy.N((key - target).subs(point)))
            if abs(difference) > 1e-8:
                return False
        return True
    values = [parse_expr(v, namespace()) for v in problem["choice_values"]]
    right = {problem_rules.LETTERS[i] for i, v in enumerate(values) if sympy.simplify(v - target) == 0}
    return right == set(problem_rules.keyed_letters(problem["answer"]))


@pytest.mark.parametrize(("slug", "problem"), list(problems()))
def test_every_computable_key_is_recomputed(slug, problem):
    if problem["kind"] in ("numeric", "expression"):
        assert problem.get("compute"), f"{slug}/{problem['key']}: a {problem['kind']} key needs compute"
    if "compute" not in problem:
        return
    assert key_matches(problem), (
        f"{slug}/{problem['key']}: key {problem['answer']!r} ≠ compute {problem['compute']!r}"
    )


def test_a_wrong_key_is_caught():
    """The check above would catch a key off by one: the guard against a test that passes anything."""
    problem = {"kind": "numeric", "answer": "3", "compute": "Rational(2,3) + Rational(4,3)"}
    assert key_matches({**problem, "answer": "2"})
    assert not key_matches(problem)
    wrong = {
        "kind": "expression",
        "answer": "2x cos(x)",
        "variables": ["x"],
        "compute": "diff(x**2*sin(x), x)",
    }
    assert not key_matches(wrong)
    assert key_matches({**wrong, "answer": "x (2 sin(x) + x cos(x))"})


def test_every_active_topic_has_a_bank_that_tests_its_summary():
    topics = roadmap_topics()
    bank = shipped()
    missing = sorted(set(topics) - set(bank))
    assert not missing, f"topics without check problems: {missing}"
    for slug, entry in bank.items():
        problems_, abilities = entry["problems"], entry["abilities"]
        assert len(problems_) >= 3, f"{slug}: {len(problems_)} problems"
        untested = set(abilities) - {p["ability"] for p in problems_}
        assert not untested, f"{slug}: abilities with no problem: {untested}"
        if len(abilities) > 3:
            assert len(problems_) >= 5, f"{slug}: {len(abilities)} abilities need 5 problems"
        difficulties = {p["difficulty"] for p in problems_}
        assert 1 in difficulties and difficulties & {2, 3}, f"{slug}: needs an easy and a harder problem"


def test_the_shipped_bank_imports():
    bank = parse_bank(BANK.read_text(encoding="utf-8"), set(roadmap_topics()))
    assert sum(len(problems_) for problems_ in bank.values()) >= 3 * len(roadmap_topics())
