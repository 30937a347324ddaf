"""A review outside its own page: the topic page's review box, the dashboard's due reviews and
Fading list, and the map's fading mark."""

from django.utils import timezone

from roadmap.models import Progress, Status
from tests import dom
from tests.factories import MasteredProgressFactory
from tests.roadmap.checking.test_recall_views import (
    DAY,
    HTMX,
    KEY,
    RECALL,
    ago,
    answer,
    form_data,
    page_problem,
    progress_of,
)

# -- The topic page's review box ------------------------------------------------------------------------------


def test_the_review_box_offers_review_now_for_a_topic_with_problems(learner_client, due):
    html = learner_client.get("/topics/derivatives/").content.decode()

    link = dom.select_one(html, "#review-box #recall-derivatives a")
    assert link.text.strip() == "Review now"
    assert link["href"] == RECALL and link["hx-get"] == RECALL
    assert link["hx-target"] == "#recall-derivatives" and link["hx-swap"] == "outerHTML"
    assert not dom.select(html, ".review-buttons")
    assert KEY not in html


def test_a_review_not_due_yet_can_be_taken_early(learner_client, learner, topics, problem):
    MasteredProgressFactory(learner=learner, topic=topics["derivatives"], mastered_at=ago(0))

    html = learner_client.get("/topics/derivatives/").content.decode()

    assert dom.select_one(html, "#recall-derivatives a").text.strip() == "Review early"
    assert learner_client.get(RECALL).status_code == 200


def test_the_review_box_keeps_the_rating_buttons_for_a_topic_without_problems(learner_client, due):
    html = learner_client.get("/topics/limits/").content.decode()

    assert dom.select(html, '#review-box [aria-label="Rate your review of Limits"]')
    assert not dom.select(html, "#recall-limits")


def test_the_review_box_flags_a_fading_topic_and_re_study_sets_it_learning(learner_client, learner, due):
    Progress.objects.filter(pk=due["derivatives"].pk).update(review_failures=2)

    html = learner_client.get("/topics/derivatives/").content.decode()

    note = dom.select_one(html, "#review-box .fading-note")
    assert "failed its last 2 reviews" in dom.text(note)
    form = dom.select_one(note, "form")
    assert form["hx-post"] == "/topics/derivatives/status/" and form["hx-target"] == "#learner-status"
    assert dom.select(form, 'input[name="csrfmiddlewaretoken"]')
    assert dom.select_one(form, "button").text.strip() == "Re-study it"

    response = learner_client.post("/topics/derivatives/status/", dom.form_values(form), **HTMX)

    assert response.status_code == 200
    progress = progress_of(learner, due["derivatives"].topic)
    assert progress.status == Status.LEARNING
    assert (progress.review_failures, progress.review_card, progress.review_due) == (0, None, None)
    assert not dom.select(response, ".fading-note")


def test_an_overdue_review_is_flagged_fading_without_re_study(learner_client, learner, topics, problem):
    MasteredProgressFactory(learner=learner, topic=topics["derivatives"], mastered_at=ago(10))

    html = learner_client.get("/topics/derivatives/").content.decode()

    note = dom.select_one(html, "#review-box .fading-note")
    assert "review overdue" in dom.text(note)
    assert not dom.select(note, "form")


# -- The dashboard -----------------------------------------------------------------------------------------------


def test_due_reviews_with_problems_offer_review_now_and_the_others_keep_their_buttons(learner_client, due):
    html = learner_client.get("/dashboard/").content.decode()

    entry = dom.by_id(html, "review-derivatives")
    link = dom.select_one(entry, "#recall-derivatives a")
    assert (link.text.strip(), link["href"]) == ("Review now", RECALL)
    assert link["hx-get"] == RECALL + "?from=dashboard"
    assert link["aria-label"] == "Review now: Derivatives"
    assert not dom.select(entry, ".review-buttons")
    assert dom.select(dom.by_id(html, "review-limits"), '[aria-label="Rate your review of Limits"]')


def test_a_review_opened_from_the_dashboard_ends_with_done_bringing_its_panel_up_to_date(learner_client, due):
    panel = learner_client.get(RECALL + "?from=dashboard", **HTMX)
    data = form_data(panel, **{f"answer_{page_problem(panel)}": KEY})
    assert data["from"] == "dashboard"

    result = learner_client.post(RECALL, data, **HTMX)

    done = dom.select_one(result, ".check-actions a")
    assert (done.text.strip(), done["href"]) == ("Done", "/dashboard/#reviews")
    assert (done["hx-get"], done["hx-target"]) == ("/dashboard/", "#reviews")
    reviews = learner_client.get("/dashboard/", HTTP_HX_TARGET="reviews", **HTMX)
    # Derivatives is off it, and so is limits: reviewing derivatives credited it, a prerequisite.
    assert dom.id_suffixes(reviews, "review-") == []


def test_a_review_opened_elsewhere_ends_with_plain_links(learner_client, due):
    result = answer(learner_client, KEY, htmx=True)

    links = dom.select(result, ".check-actions a")
    assert [(a.text.strip(), a["href"]) for a in links] == [
        ("Back to Derivatives", "/topics/derivatives/"),
        ("Your reviews", "/dashboard/#reviews"),
    ]
    assert not any(a.has("hx-get") for a in links)


def test_fading_lists_failing_reviews_first_with_their_reason_and_re_study(
    learner_client, learner, topics, due
):
    # Limits is overdue by a week; derivatives failed its last two reviews.
    Progress.objects.filter(pk=due["derivatives"].pk).update(
        review_failures=2, review_due=timezone.now() + DAY
    )

    html = learner_client.get("/dashboard/").content.decode()

    assert dom.id_suffixes(html, "fading-") == ["derivatives", "limits"]
    failing, overdue = dom.by_id(html, "fading-derivatives"), dom.by_id(html, "fading-limits")
    assert dom.select_one(failing, ".fading-reason").text.strip() == "Failed its last 2 reviews"
    assert dom.select_one(overdue, ".fading-reason").text.strip() == "Review overdue"
    button = dom.select_one(failing, "form button")
    assert (button.text.strip(), button["aria-label"]) == ("Re-study", "Re-study Derivatives")
    assert dom.form_values(dom.select_one(failing, "form"))["topic"] == "derivatives"
    assert not dom.select(overdue, "form")


def test_re_study_from_the_dashboard_takes_it_off_the_fading_list(learner_client, learner, due):
    Progress.objects.filter(pk=due["derivatives"].pk).update(
        review_failures=2, review_due=timezone.now() + DAY
    )

    response = learner_client.post(
        "/progress/", {"topic": "derivatives", "status": "learning", "next": "/dashboard/"}, **HTMX
    )

    assert response.status_code == 200
    assert dom.id_suffixes(response, "fading-") == ["limits"]
    assert progress_of(learner, due["derivatives"].topic).status == Status.LEARNING


def test_the_map_marks_a_topic_failing_its_reviews_as_fading(learner_client, due):
    Progress.objects.filter(pk=due["derivatives"].pk).update(
        review_failures=2, review_due=timezone.now() + DAY
    )

    html = learner_client.get("/map/").content.decode()

    node = dom.map_node(html, "derivatives")
    assert "is-fading" in node.classes
    assert node["aria-label"] == "Derivatives — mastered, fading: failed its last 2 reviews"
