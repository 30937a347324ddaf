"""A review's problem on its page, GET/POST /topics/<slug>/recall/, and the self-rated review kept for
topics without problems. The review box on the topic page, the dashboard and the map are in
test_recall_elsewhere.py; the topics, the problem and the due reviews both use are in conftest.py."""

from datetime import timedelta

import pytest
from django.utils import timezone

from roadmap.checking.topic_check import ANSWER_LIMIT
from roadmap.curriculum import loading
from roadmap.models import Attempt, Progress, Purpose, Roadmap, Status
from tests import dom
from tests.factories import (
    MasteredProgressFactory,
    ProblemFactory,
    ProfileFactory,
    ProgressFactory,
    UserFactory,
)
from tests.roadmap.checking.conftest import RECALL_KEY, RECALL_SOLUTION

HTMX = {"HTTP_HX_REQUEST": "true"}
RECALL = "/topics/derivatives/recall/"
DAY = timedelta(days=1)
KEY, SOLUTION = RECALL_KEY, RECALL_SOLUTION


def ago(days: float):
    return timezone.now() - days * DAY


def snapshot() -> list[tuple]:
    return list(
        Progress.objects.order_by("pk").values_list(
            "pk", "status", "review_card", "review_due", "review_failures"
        )
    )


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
