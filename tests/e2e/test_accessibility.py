"""Accessibility as a gate: axe-core finds no WCAG 2.x A/AA or best-practice violation on any page.

Every page the width test visits (tests/e2e/test_page_widths.py, whose learner and
pages this reuses), and the pages it leaves out (a topic's check, the placement
diagnostic, the map's topic page, a log entry's edit form, a review, a suggestion,
the error pages), at 360 px and 1280 px, signed in and signed out where a page
serves both. The learner has what makes the dashboard whole: a goal (so the plan and
its gaps), statuses (next up), a mastered topic due for review, and weeks of log.
A failure lists each violation's rule, impact, help and the nodes that break it.
"""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Profile
from roadmap.checking import diagnostic
from roadmap.models import Problem, ProblemKind, Roadmap, Topic
from tests.e2e import test_page_widths as widths
from tests.factories import MasteredProgressFactory, TopicCheckFactory

# The width test's fixtures: its learner (a long username), with weeks of log, statuses,
# a goal and a public page; `today` is their newest log day.
learner = widths.learner
today = widths.today

REVIEWED = "derivatives"  # mastered six days ago: due for review on the dashboard
CHECKED = "taylor-series"  # its bank has a problem of every kind
# (name, path, who, the status it answers with, what the learner has started).
EXTRA = [
    ("topic check", f"/topics/{CHECKED}/check/", "learner", 200, "a check of every kind"),
    ("placement intro", "/placement/", "learner", 200, None),
    ("placement question", "/placement/question/", "learner", 200, "started"),
    ("placement result", "/placement/result/", "learner", 200, "stopped"),
    ("map topic", "/map/topic/gradient-descent/", "learner", 200, None),
    ("log entry edit", "/log/{today}/edit/", "learner", 200, None),
    ("review", f"/topics/{REVIEWED}/recall/", "learner", 200, None),
    ("suggest a resource", "/topics/gradient-descent/suggest/", "learner", 200, None),
    ("not found", "/no-such-page/", None, 404, None),
    ("dead share link", "/s/no-such-link/", None, 404, None),
]
# Pages that serve anyone, seen signed out as well as signed in.
BOTH = {"home", "topic", "map", "public page", "log day page", "not found", "dead share link"}


def _cases():
    pages = [(name, path, who, 200, None) for name, path, who in widths.PAGES] + EXTRA
    for name, path, who, status, state in pages:
        people = ["learner", None] if name in BOTH else [who]
        for person in people:
            for width in widths.WIDTHS:
                case = f"{name}-{person or 'signed-out'}-{width}"
                yield pytest.param(path, person, width, status, state, id=case)


def _check_of_every_kind(learner) -> None:
    """An open check with one problem of each kind, so every kind of answer input is on the page."""
    bank = Problem.objects.active().filter(topic__slug=CHECKED).order_by("order")
    problems = [bank.filter(kind=kind).first() for kind in ProblemKind.values]
    TopicCheckFactory(learner=learner, topic=Topic.objects.get(slug=CHECKED), problems=problems)


def _placement(stopped: bool):
    def start(learner) -> None:
        run = diagnostic.start(learner, Roadmap.objects.current())
        if stopped:
            diagnostic.stop(run)

    return start


STATES = {
    "a check of every kind": _check_of_every_kind,
    "started": _placement(False),
    "stopped": _placement(True),
}


@pytest.fixture
def whole_dashboard(learner, today):
    """The width test's learner, with a review due too, so every dashboard panel renders."""
    MasteredProgressFactory(
        learner=learner,
        topic=Topic.objects.get(slug=REVIEWED),
        mastered_at=timezone.now() - timedelta(days=6),
    )
    Profile.objects.learner_changed(learner.pk)
    return today


@pytest.mark.parametrize(("path", "who", "width", "status", "state"), list(_cases()))
def test_axe_finds_no_violation(
    new_context,
    axe,
    log_in,
    learner,
    whole_dashboard,
    path,
    who,
    width,
    status,
    state,
):
    page = widths.open_as(new_context, log_in, learner, who, width)
    if state:
        STATES[state](learner)
    path = path.format(username=widths.USERNAME, today=whole_dashboard.isoformat())

    response = page.goto(path)

    assert response is not None and response.status == status, (
        f"{path} answered {response and response.status}"
    )
    expect(page.locator("h1").first).to_be_visible()
    page.wait_for_load_state("networkidle")
    axe.assert_clean(page, f"{path} at {width}px, {who or 'signed out'}")
