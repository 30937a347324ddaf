"""Answering check and placement problems in tests: the forms, and a whole placement run."""

from roadmap.checking import diagnostic
from roadmap.checking.topic_check import check_problems
from roadmap.models import Attempt, Placement, Problem, Roadmap, TopicCheck

WRONG = "123456.789"  # the factories key integers, and the shipped bank has no such number


def answers(problems: list[Problem], *, wrong: set[int] = frozenset()) -> dict:
    """The form data answering each problem: right, except those at the positions in `wrong`."""
    return {f"answer_{p.pk}": (WRONG if i in wrong else p.answer) for i, p in enumerate(problems)}


def check_form(check: TopicCheck, *, wrong: set[int] = frozenset()) -> dict:
    """A check's whole form: its id and an answer to each of its problems, in the order shown."""
    return {"check": str(check.pk), **answers(check_problems(check), wrong=wrong)}


def roadmap() -> Roadmap:
    # Read again each time: the bank is kept under the graph token the roadmap row carries.
    return Roadmap.objects.current()


def right(problem) -> str:
    return problem.answer


def wrong(problem) -> str:
    if problem.is_choice:
        return next(letter for letter in problem.letters if letter not in problem.keyed_letters)
    return WRONG


def drive(run: Placement, answer=right, *, limit: int = 100) -> list[Attempt]:
    """Answer what the run shows until it stops; the attempts, in order."""
    for _ in range(limit):
        run.refresh_from_db()
        if run.current is None:
            break
        diagnostic.answer(run, roadmap(), answer(run.current))
    return list(run.attempts.order_by("created_at", "id"))
