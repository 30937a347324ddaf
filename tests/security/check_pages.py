"""The checking feature's share of the security catalogue (pages.py imports it).

A problem bank on the world's topics, with the payload text in every curated
field; the owner's open check of derivatives and a placement run under way;
the pages they show and the POSTs they take.
"""

from collections.abc import Callable
from typing import TYPE_CHECKING

from roadmap.checking import diagnostic
from roadmap.models import Attempt, Placement, Problem, Purpose, TopicCheck
from tests.factories import ChoiceProblemFactory, ExpressionProblemFactory, ProblemFactory

if TYPE_CHECKING:
    from tests.security.endpoints import Endpoint
    from tests.security.pages import Page, World

# Typed back into an answer field: it cannot be read, so the form comes back with it.
HOSTILE_ANSWER = '"><script>alert(1)</script><img src=x onerror=alert(2)>'


def add_checking(world: "World", t: Callable[[str], str]) -> None:
    """Problems on three topics, the owner's open check and placement run; on `world`."""
    derivatives = world.topics["derivatives"]
    check = [
        ProblemFactory(
            topic=derivatives,
            key="slope",
            ability_text=t("compute a slope"),
            statement=t("Compute the slope $2 + 3$."),
            answer="5",
            solution=t("Add: $2 + 3 = 5$."),
        ),
        ExpressionProblemFactory(
            topic=derivatives, key="power", statement=t("Differentiate $x^2$."), solution=t("Power rule.")
        ),
        ChoiceProblemFactory(
            topic=derivatives,
            key="even",
            statement=t("Which is even?"),
            choices=[t("$3$"), "$4$", t("$5$")],
            solution=t("Only $4$."),
        ),
    ]
    # Not vectors: its reviews are the four-button kind, for topics with no problems (pages.py).
    for slug in ("limits", "gradient"):
        ProblemFactory(topic=world.topics[slug], key=f"{slug}-1", statement=t("Compute $1 + 1$."), answer="2")
    world.check = TopicCheck.objects.create(
        learner=world.owner, topic=derivatives, problem_ids=[p.pk for p in check]
    )
    # One wrong answer on gradient so far, and a problem on limits on screen.
    run = Placement.objects.create(
        learner=world.owner, roadmap=world.roadmap, current=Problem.objects.get(key="limits-1")
    )
    Attempt.objects.create(
        learner=world.owner,
        problem=Problem.objects.get(key="gradient-1"),
        answer="3",
        correct=False,
        purpose=Purpose.PLACEMENT,
        placement=run,
    )
    world.placement = run


def check_answers(world: "World") -> dict:
    """The owner's open check, answered right."""
    problems = Problem.objects.in_bulk(world.check.problem_ids)
    return {"check": str(world.check.pk), **{f"answer_{pk}": problems[pk].answer for pk in problems}}


def placement_answer(world: "World", response: str = "2") -> dict:
    problem = world.placement.current
    return {"problem": str(problem.pk), f"answer_{problem.pk}": response}


def finish_placement(world: "World") -> None:
    diagnostic.stop(Placement.objects.get(pk=world.placement.pk))


def check_pages(world: "World", page: type["Page"], htmx: Callable[..., dict]) -> list["Page"]:
    """The check page and the placement pages, as the owner sees them; htmx fragments too."""
    slope = Problem.objects.get(key="slope")
    unreadable = {**check_answers(world), f"answer_{slope.pk}": HOSTILE_ANSWER}
    return [
        page("check", "/topics/derivatives/check/", as_owner=True),
        page("check-htmx", "/topics/derivatives/check/", True, htmx()),
        page("check-unreadable", "/topics/derivatives/check/", True, post=unreadable),
        page("check-unreadable-htmx", "/topics/derivatives/check/", True, htmx(), unreadable),
        page("check-result", "/topics/derivatives/check/", True, htmx(), check_answers(world)),
        page("check-result-again", "/topics/derivatives/check/", True, post=check_answers(world)),
        page("placement-intro", "/placement/", as_owner=True),
        page("placement-question", "/placement/question/", as_owner=True),
        page("placement-question-htmx", "/placement/question/", True, htmx()),
        page(
            "placement-unreadable", "/placement/question/", True, post=placement_answer(world, HOSTILE_ANSWER)
        ),
        page("placement-result", "/placement/result/", as_owner=True, prepare=finish_placement),
    ]


def check_endpoints(world: "World", endpoint: type["Endpoint"]) -> list["Endpoint"]:
    """A valid POST for each URL of the checking feature."""
    vectors = world.topics["vectors"].pk
    return [
        endpoint("topic_check", "/topics/derivatives/check/", check_answers(world)),
        endpoint("placement", "/placement/", {}),
        endpoint("placement_question", "/placement/question/", placement_answer(world)),
        endpoint("placement_stop", "/placement/stop/", {}),
        # Stopped, the run proposes vectors (mastered) as a gap: accepting clears it.
        endpoint("placement_result", "/placement/result/", {"topic": str(vectors)}, setup=finish_placement),
    ]


def checking_rows(user) -> dict:
    """A learner's answers, checks and placement runs, for learner_rows()."""
    return {
        "attempts": sorted(
            Attempt.objects.filter(learner=user).values_list("problem_id", "answer", "correct", "purpose")
        ),
        "checks": sorted(
            TopicCheck.objects.filter(learner=user).values_list("pk", "problem_ids", "finished_at", "score")
        ),
        "placements": sorted(
            Placement.objects.filter(learner=user).values_list(
                "pk", "current_id", "finished_at", "applied_at"
            )
        ),
    }
