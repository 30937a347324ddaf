"""The dashboard tells each status change which state it shows, so the answer fits the page.

The page carries what it shows (`page_state`, in #overall: the learner's state
token, the graph token and the day, as the page cache keys it) and every status
control sends it (hx-include=".status-context"). The answer renews it. A page that
showed the state just before the change gets only what the change moved (its plan
patched), a second click nothing more; a page that is behind (another tab changed
things, a curator edited the roadmap, the day turned) gets every panel. One that
does not say gets what the change moved, its plan whole, and every panel on a
second click.
"""

from datetime import date, timedelta

import pytest

from accounts.models import Profile
from roadmap.models import Roadmap
from tests import dom
from tests.factories import ProfileFactory

PROGRESS = "/progress/"
HTMX = {"HTTP_HX_REQUEST": "true"}
PANELS = {"gaps", "next-up", "reviews", "plan-body"}


def page_state(markup) -> str:
    return dom.select_one(markup, "#overall input[name=page_state]")["value"]


def post(client, slug: str, status: str, state: str | None) -> str:
    data = {"topic": slug, "status": status, "next": "/dashboard/"}
    if state is not None:
        data["page_state"] = state
    response = client.post(PROGRESS, data, **HTMX)
    assert response.status_code == 200
    return response.content.decode()


def test_the_page_carries_its_state_and_each_answer_renews_it(learner_client, learner, topics):
    state = page_state(learner_client.get("/dashboard/"))
    assert state.startswith(f"{Profile.objects.get(user=learner).state_token}.")

    answer = post(learner_client, "limits", "learning", state)

    renewed = page_state(answer)
    assert renewed != state
    assert renewed.startswith(f"{Profile.objects.get(user=learner).state_token}.")
    assert page_state(learner_client.get("/dashboard/")) == renewed  # as a reload would show it


def test_a_second_click_from_a_page_up_to_date_sends_no_panel(learner_client, learner, topics):
    ProfileFactory(user=learner, goal=topics["derivatives"])
    state = page_state(post(learner_client, "limits", "learning", None))

    ids = dom.oob_ids(post(learner_client, "limits", "learning", state))

    assert {"section-card-calculus", "overall"} <= ids
    assert not ids & PANELS


def test_a_page_behind_gets_every_panel_even_for_a_real_change(learner_client, learner, topics):
    ProfileFactory(user=learner, goal=topics["derivatives"])
    state = page_state(learner_client.get("/dashboard/"))
    post(learner_client, "derivatives", "learning", state)  # in another tab: this page is now behind

    ids = dom.oob_ids(post(learner_client, "limits", "mastered", state))

    assert ids >= PANELS


def test_a_page_up_to_date_gets_only_what_moved(learner_client, learner, topics):
    state = page_state(learner_client.get("/dashboard/"))

    ids = dom.oob_ids(post(learner_client, "limits", "skipped", state))

    # Nothing started builds on limits, and it is not mastered: no gap and no review can move.
    assert "next-up" in ids
    assert not ids & {"gaps", "reviews"}


def test_a_page_that_does_not_say_is_brought_up_to_date_on_a_second_click(learner_client, learner, topics):
    ProfileFactory(user=learner, goal=topics["derivatives"])
    post(learner_client, "limits", "learning", None)

    assert dom.oob_ids(post(learner_client, "limits", "learning", None)) >= PANELS


def test_a_page_drawn_before_a_curation_edit_is_behind(learner_client, learner, topics):
    ProfileFactory(user=learner, goal=topics["derivatives"])
    state = page_state(learner_client.get("/dashboard/"))
    Roadmap.graph_changed()  # a curator edits the roadmap: learners' tokens stay

    assert dom.oob_ids(post(learner_client, "limits", "mastered", state)) >= PANELS


def test_a_page_drawn_yesterday_is_behind(learner_client, learner, topics):
    ProfileFactory(user=learner, goal=topics["derivatives"])
    token, graph, day = page_state(learner_client.get("/dashboard/")).split(".")
    yesterday = (date.fromisoformat(day) - timedelta(days=1)).isoformat()

    assert dom.oob_ids(post(learner_client, "limits", "mastered", f"{token}.{graph}.{yesterday}")) >= PANELS


@pytest.mark.parametrize("state", ["nonsense", "not-a-uuid.x.y", "..."])
def test_a_page_state_that_makes_no_sense_is_behind(learner_client, learner, topics, state):
    assert dom.oob_ids(post(learner_client, "limits", "mastered", state)) >= {"gaps", "next-up", "reviews"}


def test_a_page_that_does_not_say_gets_its_plan_whole(learner_client, learner, topics):
    ProfileFactory(user=learner, goal=topics["derivatives"])

    ids = dom.oob_ids(post(learner_client, "limits", "mastered", None))

    assert "plan-body" in ids  # drawn before the patch existed, its steps may lack the ids a patch targets
    assert not ids & {"plan-step-limits"}


def test_the_lock_says_whether_the_token_was_the_one_shown(db, learner):
    profile = ProfileFactory(user=learner)
    shown = profile.state_token

    token, current = Profile.objects.lock_learner_as_shown(learner.pk, shown)
    assert current
    assert Profile.objects.get(pk=profile.pk).state_token == token != shown

    # Shown again, the old token is no longer the learner's: another change came in between.
    later, current = Profile.objects.lock_learner_as_shown(learner.pk, shown)
    assert not current
    assert Profile.objects.get(pk=profile.pk).state_token == later not in (token, shown)
