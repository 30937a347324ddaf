"""A status change leaves out only the panels it did not visibly change.

The dashboard answers a status change with the panels whose content moved
(roadmap/progress/panel_changes.py), judged from plain data rather than by
rendering them. Here each panel is rendered in full before and after random
changes, with stale, fading, due, checked and planned topics about, and any
panel the answer left out must render exactly as it did before.
"""

import random
from datetime import timedelta

import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.models import Profile
from roadmap.models import Progress, Status
from roadmap.progress.dashboard import PANELS, build_dashboard
from roadmap.progress.status import set_status
from roadmap.progress.views import dashboard_context
from tests import dom, oob
from tests.factories import UserFactory, bulk_roadmap

STATUSES = [Status.LEARNING, Status.PRACTISED, Status.MASTERED, Status.SKIPPED, None]


# Rendered apart from the panels: the plan's steps, which a change that moves only
# the plan's summary leaves in place, and the summary, which a patch of the steps may leave.
PARTS = PANELS | {"plan-steps", "plan-summary", "plan-more"}


def rendered_panels(learner, roadmap) -> dict[str, str]:
    context = dashboard_context(build_dashboard(learner=learner, roadmap=roadmap), oob=True)
    return {part: render_to_string(f"roadmap/dashboard.html#{part}", context) for part in PARTS}


def seed_progress(rng: random.Random, learner, topics) -> None:
    """Statuses on about half the topics, some stale, some due or failing their reviews, some checked."""
    now = timezone.now()
    rows = []
    for topic in topics:
        status = rng.choice([*STATUSES, None, None, None])
        if status is None:
            continue
        row = Progress(learner=learner, topic=topic, status=status, status_changed_at=now)
        if status == Status.LEARNING and rng.random() < 0.5:
            row.status_changed_at = now - timedelta(days=30)  # stale
        if status == Status.MASTERED:
            row.review_due = now + timedelta(days=rng.choice([-9, -1, 3, 20]))
            row.review_failures = rng.choice([0, 0, 1, 2])
        if status in (Status.MASTERED, Status.SKIPPED) and rng.random() < 0.3:
            row.checked_at, row.check_score = now - timedelta(days=2), "3/3"
        rows.append(row)
    Progress.objects.bulk_create(rows)


@pytest.mark.parametrize("seed", range(4))
def test_a_panel_left_out_of_a_status_change_renders_as_it_did(db, seed):
    rng = random.Random(seed)
    topics = bulk_roadmap(topics=90, edges=260, seed=seed, sections=4)
    roadmap = topics[0].roadmap
    learner = UserFactory()
    seed_progress(rng, learner, topics)
    profile = Profile.objects.for_user(learner)
    profile.goal = topics[-1]  # the most to study on the way: a plan longer than its cap
    profile.save()

    left_out = summaries_only = patches = restated = 0
    before = rendered_panels(learner, roadmap)
    for _ in range(60):
        topic = rng.choice(topics)
        # From a page up to date, as the dashboard sends it (test_page_state.py).
        shown = Profile.objects.get(user=learner).state_token
        change = set_status(learner=learner, topic=topic, status=rng.choice(STATUSES), shown=shown)
        assert change.page_current
        data = build_dashboard(learner=learner, roadmap=roadmap, change=change)
        sent = data.panels
        summaries_only += "plan-summary" in sent and "plan-patch" not in sent
        after = rendered_panels(learner, roadmap)
        what = f"after {topic.slug} → {change.status}"
        if "plan-patch" in sent:
            patches += 1
            restated += bool(data.plan_patch.restated)
            patch = render_to_string("roadmap/dashboard.html#plan-patch", dashboard_context(data, oob=True))
            assert plan_steps(oob.apply(dom.parse(before["plan-steps"]), patch)) == plan_steps(
                after["plan-steps"]
            ), f"the patched steps differ from the new ones {what}"
            if "plan-summary" not in sent:
                assert (after["plan-summary"], after["plan-more"]) == (
                    before["plan-summary"],
                    before["plan-more"],
                )
        for panel in PANELS - sent:
            if panel == "plan-body" and "plan-patch" in sent:
                continue  # checked above
            if panel == "plan-body" and "plan-summary" in sent:
                panel = "plan-steps"  # only the summary was sent: the steps must stand
            left_out += 1
            assert after[panel] == before[panel], f"{panel} changed {what}"
        before = after
    assert build_dashboard(learner=learner, roadmap=roadmap).plan  # a plan, so its panel is tried too
    assert left_out  # the check ran: some changes left panels out
    assert summaries_only  # and some sent the plan's summary without its steps
    assert patches  # and some patched the steps in place
    assert restated  # among them, some changed a step's status where it stands


def plan_steps(markup) -> list[tuple[str, str]]:
    """Each plan step as (id, markup with white space collapsed), in order: what the list shows."""
    return [(li.id, " ".join(li.markup().split())) for li in dom.select(markup, "#plan-steps > li")]
