"""Spaced review and suggestions in the browser: answer a due review's problem on the dashboard, rate
the review of a topic without problems; suggest a resource."""

import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from roadmap.checking import recall
from roadmap.models import (
    Attempt,
    Problem,
    ProblemKind,
    Progress,
    ResourceSuggestion,
    SuggestionStatus,
    Topic,
)
from tests.factories import MasteredProgressFactory


def review_panel(page: Page) -> Locator:
    return page.get_by_role("region", name=re.compile(r"^Review due"))


def answer_rightly(page: Page, problem: Problem) -> None:
    """Type or tick the problem's key, as a learner who knows it would."""
    name = f"answer_{problem.pk}"
    if problem.kind in (ProblemKind.CHOICE, ProblemKind.MULTIPLE):
        for letter in problem.keyed_letters:
            page.locator(f'input[name="{name}"][value="{letter}"]').check()
    else:
        page.locator(f'input[name="{name}"]').fill(problem.answer)


def test_a_due_review_asks_its_problem_in_place_and_a_right_answer_reschedules_it(
    page: Page, learner, log_in
):
    derivatives = Topic.objects.get(slug="derivatives")
    MasteredProgressFactory(
        learner=learner, topic=derivatives, mastered_at=timezone.now() - timedelta(days=6)
    )
    problem = recall.open_recall(learner, derivatives).problem  # the one the page will show
    log_in(page, learner)
    panel = review_panel(page)
    expect(panel.get_by_role("heading", level=2)).to_have_text(re.compile(r"^Review due\s*1$"))
    page.evaluate("window.__marker = 1")

    panel.get_by_role("link", name="Review now: Derivatives").click()

    box = panel.get_by_role("region", name="Review: Derivatives")
    expect(box.get_by_role("button", name="Check my answer")).to_be_visible()
    expect(box.get_by_role("radio", name="Good")).to_be_checked()
    expect(box).not_to_contain_text("Worked solution")
    answer_rightly(page, problem)
    box.get_by_role("button", name="Check my answer").click()

    result = panel.get_by_role("region", name="Right: Derivatives")
    expect(result).to_contain_text("Right, reviewed as Good.")
    expect(result).to_contain_text("Next review")
    expect(result.get_by_text("Worked solution")).to_be_visible()
    assert page.evaluate("window.__marker") == 1  # answered in place, no reload
    assert Progress.objects.get(learner=learner, topic=derivatives).review_due > timezone.now() + timedelta(
        days=2
    )
    assert Attempt.objects.get(learner=learner).correct

    result.get_by_role("link", name="Done").click()
    expect(panel.get_by_role("heading", level=2)).to_have_text(re.compile(r"^Review due\s*0$"))
    assert page.evaluate("window.__marker") == 1


def test_rating_a_due_review_good_takes_it_off_the_review_panel_without_a_reload(page: Page, learner, log_in):
    derivatives = Topic.objects.get(slug="derivatives")
    # A topic without problems in its bank keeps the four rating buttons.
    Problem.objects.filter(topic=derivatives).update(is_archived=True)
    six_days_ago = timezone.now() - timedelta(days=6)
    MasteredProgressFactory(learner=learner, topic=derivatives, mastered_at=six_days_ago)
    log_in(page, learner)
    panel = review_panel(page)
    expect(panel.get_by_role("heading", level=2)).to_have_text(re.compile(r"^Review due\s*1$"))
    expect(panel.get_by_role("link", name="Derivatives", exact=True)).to_be_visible()
    # Derivatives is four days overdue, so the gap analysis lists it as fading too.
    gaps = page.get_by_role("region", name=re.compile(r"^Gaps"))
    expect(gaps.get_by_role("link", name="Derivatives", exact=True)).to_be_visible()
    # Survives only if nothing below reloads the page.
    page.evaluate("window.__marker = 1")

    rate = page.get_by_role("form", name="Rate your review of Derivatives")
    rate.get_by_role("button", name="Good").click()

    expect(page.get_by_role("status")).to_contain_text("Reviewed Derivatives: next review")
    expect(panel.get_by_role("heading", level=2)).to_have_text(re.compile(r"^Review due\s*0$"))
    expect(panel).to_contain_text("Nothing to review right now.")
    expect(panel.get_by_role("link", name="Derivatives", exact=True)).to_have_count(0)
    expect(gaps.get_by_role("link", name="Derivatives", exact=True)).to_have_count(0)
    assert page.evaluate("window.__marker") == 1
    assert Progress.objects.get(learner=learner, topic=derivatives).review_due > timezone.now() + timedelta(
        days=2
    )


def test_a_learner_suggests_a_resource_and_is_thanked(page: Page, learner, log_in):
    log_in(page, learner)
    page.goto("/topics/derivatives/")

    page.get_by_role("link", name="Suggest a resource").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Suggest a resource for Derivatives")
    page.get_by_label("Title").fill("Essence of calculus: derivatives")
    page.get_by_label("Link").fill("https://www.youtube.com/watch?v=9vKqVkMQHKk")
    page.get_by_label("Kind").select_option(label="Video series")
    page.get_by_label("Access").select_option(label="Free")
    page.get_by_label("Why it helped").fill("The pictures of nudging x made the limit definition click.")
    page.get_by_role("button", name="Send suggestion").click()

    page.wait_for_url("**/topics/derivatives/")
    expect(page.get_by_role("status")).to_contain_text(
        "Thanks! A curator will review your suggestion; you'll see the decision in your settings."
    )
    suggestion = ResourceSuggestion.objects.get()
    assert (suggestion.suggester, suggestion.topic.slug, suggestion.status) == (
        learner,
        "derivatives",
        SuggestionStatus.PENDING,
    )
    assert suggestion.kind == "video_series"

    page.goto("/settings/")
    suggestions = page.get_by_role("region", name="Your resource suggestions")
    expect(suggestions).to_contain_text("Essence of calculus: derivatives")
    expect(suggestions).to_contain_text("Waiting for review")
