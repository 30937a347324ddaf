"""The template tags built in Python for speed: the same markup a template would give, escaped."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.template import engines
from django.test import RequestFactory

from roadmap.curriculum.graph import TopicNode
from roadmap.models import Status
from roadmap.progress.items import TopicItem
from roadmap.templatetags.roadmap_tags import checked_text, evidence_note
from tests import dom

CHECKED_ON = datetime(2026, 12, 1, 23, 30, tzinfo=UTC)


def test_checked_text_names_the_day_and_score():
    assert checked_text(CHECKED_ON, "3/3") == "checked 1 Dec 2026, 3/3"
    assert checked_text(CHECKED_ON, "") == "checked 1 Dec 2026"


@pytest.mark.parametrize("status", [Status.MASTERED, Status.SKIPPED])
def test_a_covered_status_with_a_check_is_marked_checked(status):
    [mark] = dom.select(evidence_note(status, CHECKED_ON, "3/3"), ".evidence")

    assert mark.classes == ["evidence", "is-checked"]
    assert mark.text == "✓ checked 1 Dec 2026, 3/3"
    assert mark.select_one('[aria-hidden="true"]').text == "✓"  # read as "checked …", not "check mark"


def test_a_covered_status_without_one_is_self_reported():
    [mark] = dom.select(evidence_note(Status.SKIPPED), ".evidence")

    assert (mark.classes, mark.text) == (["evidence", "is-self-reported"], "self-reported")


def test_with_status_puts_the_status_first():
    assert dom.text(evidence_note(Status.MASTERED, CHECKED_ON, "3/3", True)) == (
        "✓ Mastered · checked 1 Dec 2026, 3/3"
    )
    assert dom.text(evidence_note(Status.SKIPPED, None, "", True)) == "Known · self-reported"


@pytest.mark.parametrize("status", [None, Status.LEARNING, Status.PRACTISED])
def test_a_status_that_is_not_covered_has_no_mark(status):
    # A practised topic never keeps a check (set_status drops it); if one did, nothing claims it.
    assert evidence_note(status, CHECKED_ON, "3/3") == ""


def test_the_score_is_escaped():
    markup = evidence_note(Status.MASTERED, CHECKED_ON, '<img src=x onerror="alert(1)">')

    assert dom.select(markup, "img") == []
    assert dom.select_one(markup, ".evidence").text.endswith('<img src=x onerror="alert(1)">')


# -- quick_actions: the one-click buttons of the dashboard's panels -----------


def quick(actions: str, *, title: str = "Limits", with_request: bool = True) -> str:
    item = TopicItem(TopicNode(1, "limits", title, 1, Decimal(1), 0), None)
    context = {"item": item, "actions": actions, "status_url": "/progress/", "here": "/dashboard/"}
    request = RequestFactory().get("/dashboard/") if with_request else None
    template = engines["django"].from_string("{% load roadmap_tags %}{% quick_actions item actions %}")
    return template.render(context, request)


def test_quick_actions_post_each_status_with_the_pages_context():
    form = dom.root_element(quick("mastered skipped"))

    assert (form.tag, form["method"], form["action"], form["hx-post"]) == (
        "form",
        "post",
        "/progress/",
        "/progress/",
    )
    assert form["hx-include"] == ".status-context"  # the page's state, plan and sections go along
    assert dom.form_values(form)["topic"] == "limits"
    assert dom.form_values(form)["next"] == "/dashboard/"
    assert form.select_one("[name=csrfmiddlewaretoken]")["value"]
    buttons = form.select("button")
    assert [(b["value"], b.text, b["aria-label"]) for b in buttons] == [
        ("mastered", "Mastered", "Mark Limits as mastered"),
        ("skipped", "Known", "Mark Limits as known"),
    ]
    assert "btn-ghost" in buttons[1].classes


def test_quick_actions_start_learning_and_escape_the_title():
    form = dom.root_element(quick("learning", title='<img src=x onerror="alert(1)">'))

    [button] = form.select("button")
    assert (button["value"], button.text) == ("learning", "Start")
    assert button["aria-label"] == 'Start learning <img src=x onerror="alert(1)">'  # as text, not markup
    assert not form.select("img")


def test_quick_actions_without_a_request_have_no_token_field():
    assert not dom.select(quick("practised", with_request=False), "[name=csrfmiddlewaretoken]")
