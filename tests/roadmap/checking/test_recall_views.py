"""A review's problem on the pages: GET/POST /topics/<slug>/recall/, the topic page's review box, the
dashboard's due reviews and Fading list, and the self-rated review kept for topics without problems."""

from datetime import timedelta

import pytest
from django.utils import timezone

from roadmap.checking.topic_check import ANSWER_LIMIT
from roadmap.curriculum import loading
from roadmap.models import Attempt, Progress, Purpose, Roadmap, Status
from tests import dom
from tests.factories import (
    MasteredProgressFactory,
    PrerequisiteFactory,
    ProblemFactory,
    ProfileFactory,
    ProgressFactory,
    SectionFactory,
    TopicFactory,
    UserFactory,
)

HTMX = {"HTTP_HX_REQUEST": "true"}
RECALL = "/topics/derivatives/recall/"
DAY = timedelta(days=1)
# Distinctive enough that finding them on a page means the key or the solution leaked.
KEY = "4917"
SOLUTION = "Line the units up under each other"


def ago(days: float):
    return timezone.now() - days * DAY


def snapshot() -> list[tuple]:
    return list(
        Progress.objects.order_by("pk").values_list(
            "pk", "status", "review_card", "review_due", "review_failures"
        )
    )


@pytest.fixture
def topics(db):
    """limits ← derivatives ← chain rule (each needs the one before), in the current roadmap."""
    section = SectionFactory(slug="calculus", title="Calculus")
    names = [("limits", "Limits"), ("derivatives", "Derivatives"), ("chain-rule", "Chain rule")]
    topics = {slug: TopicFactory(section=section, slug=slug, title=title) for slug, title in names}
    PrerequisiteFactory(topic=topics["derivatives"], prerequisite=topics["limits"])
    PrerequisiteFactory(topic=topics["chain-rule"], prerequisite=topics["derivatives"])
    return topics


@pytest.fixture
def problem(topics):
    """Derivatives' bank: one numeric problem, so every review of it asks this one."""
    return ProblemFactory(
        topic=topics["derivatives"],
        statement="What is $4900 + 17$?",
        answer=KEY,
        solution=f"{SOLUTION}: $4900 + 17 = {KEY}$.",
        ability_text="add large numbers",
    )


@pytest.fixture
def learner(db):
    return UserFactory()


@pytest.fixture
def learner_client(client, learner):
    client.force_login(learner)
    return client


@pytest.fixture
def due(learner, topics, problem):
    """Derivatives mastered 4 days ago (due two days ago), limits 10 days ago: both due."""
    return {
        "derivatives": MasteredProgressFactory(
            learner=learner, topic=topics["derivatives"], mastered_at=ago(4)
        ),
        "limits": MasteredProgressFactory(learner=learner, topic=topics["limits"], mastered_at=ago(10)),
    }


def form_data(html, **answers) -> dict:
    """The recall form as shown (its hidden fields), with the given answers."""
    values = dom.form_values(dom.select_one(html, "form.recall-form"))
    values.pop("csrfmiddlewaretoken", None)
    return {**values, **answers}


def answer(client, answer_text: str, *, htmx=False, **extra):
    page = client.get(RECALL)
    data = form_data(page, **{f"answer_{page_problem(page)}": answer_text}, **extra)
    return client.post(RECALL, data, **(HTMX if htmx else {}))


def page_problem(html) -> int:
    return int(dom.select_one(html, 'form.recall-form input[name="problem"]')["value"])


def progress_of(learner, topic) -> Progress:
    return Progress.objects.get(learner=learner, topic=topic)


# -- Showing the problem ------------------------------------------------------------------------------


def test_a_due_review_shows_one_problem_with_an_answer_field_and_how_it_felt(learner_client, due, problem):
    response = learner_client.get(RECALL)

    assert response.status_code == 200
    html = response.content.decode()
    form = dom.select_one(html, "form.recall-form")
    assert form["method"] == "post" and form["action"] == RECALL and form["hx-post"] == RECALL
    assert form["hx-target"] == "#recall-derivatives"
    assert dom.select(form, f'input[name="answer_{problem.pk}"]')
    assert "4900" in dom.text(form)
    assert dom.checked(form, "feel") == ["3"]  # Good unless the learner says otherwise
    assert [label.text.strip() for label in dom.select(form, ".feel-choices label")] == [
        "Hard",
        "Good",
        "Easy",
    ]
    assert dom.select_one(html, "h1").text == "Derivatives"


def test_the_key_and_the_solution_are_not_on_the_page_before_the_answer_is_in(learner_client, due):
    html = learner_client.get(RECALL).content.decode()

    assert KEY not in html
    assert SOLUTION not in html


def test_a_choice_problem_marks_no_choice_as_right_before_the_answer(learner_client, learner, topics, due):
    problem = ProblemFactory(
        topic=topics["limits"],
        kind="choice",
        statement="Which is the limit of $1/x$ as $x \\to \\infty$?",
        choices=["$1$", "$0$", "$\\infty$"],
        answer="B",
        solution="Unmistakable solution text.",
    )

    html = learner_client.get("/topics/limits/recall/").content.decode()

    assert [radio["value"] for radio in dom.select(html, f'input[name="answer_{problem.pk}"]')] == [
        "A",
        "B",
        "C",
    ]
    assert dom.select(html, ".is-key, .badge-ok") == []
    assert "right answer" not in html and "Unmistakable solution text." not in html


def test_htmx_gets_the_panel_alone_and_a_plain_request_the_whole_page(learner_client, due):
    panel = learner_client.get(RECALL, **HTMX).content.decode()
    page = learner_client.get(RECALL).content.decode()

    assert dom.root_element(panel).matches("section.recall-panel#recall-derivatives")
    assert "<html" not in panel
    assert dom.select(panel, "h3#recall-heading-derivatives")  # inside the review box or the panel
    assert "<html" in page
    assert dom.select(page, "main section.recall-panel h2#recall-heading-derivatives")


# -- Answering it ---------------------------------------------------------------------------------------


def test_a_right_answer_is_a_good_review_with_its_solution_and_next_date(
    learner_client, learner, due, problem
):
    limits_due = due["limits"].review_due

    response = answer(learner_client, KEY)

    assert response.status_code == 200
    html = response.content.decode()
    progress = progress_of(learner, problem.topic)
    assert progress.review_due > timezone.now() + 5 * DAY
    assert progress.review_failures == 0
    assert dom.select_one(html, ".recall-result").matches(".is-right")
    assert "reviewed as Good" in dom.text(html)
    assert f"Next review {progress.review_due:%-d %b %Y}." in dom.text(html)
    assert SOLUTION in html
    assert "a right answer is" not in html  # the key is shown when wrong
    # Limits, a prerequisite, got its credit.
    assert progress_of(learner, due["limits"].topic).review_due > limits_due
    [attempt] = Attempt.objects.filter(learner=learner)
    assert (attempt.problem, attempt.answer, attempt.correct, attempt.purpose) == (
        problem,
        KEY,
        True,
        Purpose.REVIEW,
    )


@pytest.mark.parametrize("feel", ["2", "4"])
def test_a_right_answer_takes_hard_or_easy_when_the_learner_says_so(client, topics, problem, feel):
    # Two learners on the same schedule: the one who found it easy comes back later.
    due_dates = {}
    for said in ("3", feel):
        learner = UserFactory()
        MasteredProgressFactory(learner=learner, topic=problem.topic, mastered_at=ago(4))
        client.force_login(learner)
        response = answer(client, KEY, feel=said)
        due_dates[said] = progress_of(learner, problem.topic).review_due

    assert f"reviewed as {'Hard' if feel == '2' else 'Easy'}" in dom.text(response)
    if feel == "2":
        assert due_dates["2"] < due_dates["3"]
    else:
        assert due_dates["4"] > due_dates["3"]


def test_a_wrong_answer_is_again_and_shows_the_key_and_the_solution(learner_client, learner, due, problem):
    limits_due = due["limits"].review_due

    response = answer(learner_client, "4000", feel="4")  # "Easy" does not count when wrong

    assert response.status_code == 200
    html = response.content.decode()
    progress = progress_of(learner, problem.topic)
    assert progress.review_due < timezone.now() + 2 * DAY
    assert progress.review_failures == 1
    assert dom.select_one(html, ".recall-result").matches(".is-wrong")
    assert "counts as Again" in dom.text(html)
    assert f"a right answer is {KEY}" in dom.text(html)
    assert dom.select_one(html, "details.solution").has("open")
    assert progress_of(learner, due["limits"].topic).review_due == limits_due  # Again credits nothing
    assert Attempt.objects.get(learner=learner).correct is False
    assert not dom.select(html, ".fading-note")  # one miss is a slip


def test_a_htmx_answer_gets_the_result_panel_alone(learner_client, due):
    response = answer(learner_client, KEY, htmx=True)

    html = response.content.decode()
    assert response.status_code == 200
    assert dom.root_element(html).matches("section.recall-panel#recall-derivatives")
    assert "<html" not in html


def test_an_unreadable_answer_is_422_with_the_message_and_keeps_the_answer(learner_client, learner, due):
    before = snapshot()

    response = answer(learner_client, "49 +")

    assert response.status_code == 422
    html = response.content.decode()
    [error] = dom.select(html, "p.field-error")
    assert error.text == 'The answer ends with "+": something is missing after it'
    assert "could not be read; nothing was recorded" in html
    problem_id = page_problem(html)
    assert dom.select_one(html, f'input[name="answer_{problem_id}"]')["value"] == "49 +"
    assert KEY not in html and SOLUTION not in html
    assert snapshot() == before
    assert not Attempt.objects.exists()


def test_a_feeling_that_is_not_one_is_422_and_records_nothing(learner_client, due):
    before = snapshot()

    response = answer(learner_client, KEY, feel="1")

    assert response.status_code == 422
    assert "Say Hard, Good or Easy, or leave it at Good." in response.content.decode()
    assert snapshot() == before
    assert not Attempt.objects.exists()


def test_an_empty_answer_is_422(learner_client, due):
    response = answer(learner_client, "", htmx=True)

    assert response.status_code == 422
    assert "Type an answer, or your best guess." in response.content.decode()
    assert dom.root_element(response.content.decode()).matches("section.recall-panel")


def test_too_many_answers_is_429_and_records_nothing(learner_client, learner, due, problem):
    Attempt.objects.bulk_create(
        Attempt(learner=learner, problem=problem, answer="1", correct=False, purpose=Purpose.CHECK)
        for _ in range(ANSWER_LIMIT)
    )
    before = snapshot()

    response = answer(learner_client, KEY)

    assert response.status_code == 429
    assert f"You have answered {ANSWER_LIMIT} problems" in response.content.decode()
    assert snapshot() == before
    assert Attempt.objects.filter(purpose=Purpose.REVIEW).count() == 0


def test_a_form_sent_twice_counts_one_review_and_shows_its_result_again(learner_client, learner, due):
    page = learner_client.get(RECALL)
    data = form_data(page, **{f"answer_{page_problem(page)}": "1"})
    learner_client.post(RECALL, data)

    response = learner_client.post(RECALL, data)  # a reload of the result, a second click

    assert response.status_code == 200
    assert "counts as Again" in dom.text(response)
    assert Attempt.objects.count() == 1
    assert progress_of(learner, due["derivatives"].topic).review_failures == 1


def test_a_form_for_a_review_that_moved_on_shows_its_problem_now(learner_client, learner, due):
    page = learner_client.get(RECALL)
    data = form_data(page, **{f"answer_{page_problem(page)}": KEY}, review="2020-01-01T00:00:00+00:00")
    before = snapshot()

    response = learner_client.post(RECALL, data)

    assert response.status_code == 409
    assert "nothing was recorded" in response.content.decode()
    assert dom.select(response, "form.recall-form")
    assert snapshot() == before
    assert not Attempt.objects.exists()


def test_two_failed_reviews_make_it_fading_and_offer_re_study(learner_client, learner, due):
    answer(learner_client, "1")
    Progress.objects.filter(pk=due["derivatives"].pk).update(review_due=ago(0.1))  # a day later
    Attempt.objects.update(created_at=ago(1))

    html = answer(learner_client, "2").content.decode()

    assert progress_of(learner, due["derivatives"].topic).is_failing_reviews
    note = dom.select_one(html, ".fading-note")
    assert "failed its last 2 reviews" in dom.text(note)
    [form] = dom.select(note, "form")
    assert form["action"] == "/topics/derivatives/status/" and form["method"] == "post"
    assert dom.form_values(form)["status"] == "learning"


# -- Who can review what ------------------------------------------------------------------------------------


def test_another_learners_mastered_topic_has_no_review_for_you(client, due):
    client.force_login(UserFactory())
    before = snapshot()

    shown = client.get(RECALL)
    sent = client.post(RECALL, {"problem": str(due["derivatives"].topic.problems.get().pk), "answer_1": KEY})

    for response in (shown, sent):
        assert response.status_code == 404
        assert "“Derivatives” is not mastered, so there is nothing to review." in response.content.decode()
        assert KEY not in response.content.decode()
    assert snapshot() == before
    assert not Attempt.objects.exists()


@pytest.mark.parametrize("status", [Status.LEARNING, Status.PRACTISED, Status.SKIPPED])
def test_a_topic_you_have_not_mastered_has_no_review(learner_client, learner, topics, problem, status):
    ProgressFactory(learner=learner, topic=topics["derivatives"], status=status)

    response = learner_client.get(RECALL)

    assert response.status_code == 404
    assert "is not mastered" in response.content.decode()


def test_an_unknown_or_archived_topic_is_404(learner_client, due, topics):
    assert learner_client.get("/topics/no-such-topic/recall/").status_code == 404
    topics["derivatives"].is_archived = True
    topics["derivatives"].save()
    assert learner_client.get(RECALL).status_code == 404


def test_visitors_are_sent_to_log_in(client, due):
    before = snapshot()

    for response in (client.get(RECALL), client.post(RECALL, {"answer_1": KEY})):
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    assert snapshot() == before


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_other_methods_are_refused(learner_client, due, method):
    assert getattr(learner_client, method)(RECALL).status_code == 405


# -- Topics without problems keep the rating buttons ---------------------------------------------------------


def test_a_topic_without_problems_has_no_problem_to_show(learner_client, learner, topics, due):
    response = learner_client.get("/topics/limits/recall/")

    assert response.status_code == 200
    assert "has no problems in its bank yet" in response.content.decode()
    assert not dom.select(response, "form.recall-form")
    assert learner_client.post("/topics/limits/recall/", {"problem": "1"}).status_code == 400


def test_a_bare_rating_is_refused_for_a_topic_with_problems(learner_client, due):
    before = snapshot()

    for path, data in [
        ("/review/", {"topic": "derivatives", "rating": "3", "next": "/dashboard/"}),
        ("/topics/derivatives/review/", {"rating": "3"}),
    ]:
        response = learner_client.post(path, data, **HTMX)

        assert response.status_code == 400, path
        assert "is reviewed with a problem from its bank: answer the problem" in response.content.decode()
    assert snapshot() == before


def test_a_bare_rating_still_works_for_a_topic_without_problems(learner_client, learner, due):
    response = learner_client.post("/review/", {"topic": "limits", "rating": "3", "next": "/dashboard/"})

    assert response.status_code == 302
    assert progress_of(learner, due["limits"].topic).review_due > timezone.now()


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


# -- Queries -----------------------------------------------------------------------------------------------------


def test_showing_the_problem_takes_a_fixed_number_of_queries(
    learner_client, due, django_assert_max_num_queries
):
    # session, user, current roadmap, the topic (with its section and roadmap), the learner's
    # progress on it, their last review answer on it, the topic's bank.
    with django_assert_max_num_queries(7):
        response = learner_client.get(RECALL)

    assert response.status_code == 200


def test_answering_takes_a_fixed_number_of_queries(
    learner_client, learner, due, django_assert_max_num_queries
):
    ProfileFactory(user=learner)  # as signing up makes it
    page = learner_client.get(RECALL)
    data = form_data(page, **{f"answer_{page_problem(page)}": KEY})
    loading.load_graph(Roadmap.objects.current())  # as any page before it did: no queries for it below

    # session, user, roadmap, topic, progress, last answer, bank; the answers in the last ten
    # minutes; then the recall's savepoint and the review's, the learner's lock (a profile update),
    # the progress row again for update and its save; the prerequisites' rows and the one credited
    # (limits) saved; the review's savepoint released, the answer stored, the recall's released.
    with django_assert_max_num_queries(18):
        response = learner_client.post(RECALL, data)

    assert response.status_code == 200
    assert "reviewed as Good" in dom.text(response)
