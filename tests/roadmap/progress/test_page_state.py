"""The dashboard tells each status change which state it shows, so the answer fits the page.

The page carries the learner's state token (`page_state`, in #overall) and every
status control sends it (hx-include=".status-context"). The answer renews it.
A page that showed the state just before the change gets only what the change
moved, a second click nothing more; a page that is behind (another tab changed
things) gets every panel, as does one that does not say.
"""

from accounts.models import Profile
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
    assert state == str(Profile.objects.get(user=learner).state_token)

    answer = post(learner_client, "limits", "learning", state)

    renewed = page_state(answer)
    assert renewed != state
    assert renewed == str(Profile.objects.get(user=learner).state_token)
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
