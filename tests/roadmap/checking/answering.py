"""Filling in the answer forms of the checking pages."""

from roadmap.checking.topic_check import check_problems
from roadmap.models import Problem, TopicCheck

WRONG = "999"  # no problem of the factories has this key


def answers(problems: list[Problem], *, wrong: set[int] = frozenset()) -> dict:
    """The form data answering each problem: right, except those at the positions in `wrong`."""
    return {f"answer_{p.pk}": (WRONG if i in wrong else p.answer) for i, p in enumerate(problems)}


def check_form(check: TopicCheck, *, wrong: set[int] = frozenset()) -> dict:
    """A check's whole form: its id and an answer to each of its problems, in the order shown."""
    return {"check": str(check.pk), **answers(check_problems(check), wrong=wrong)}
