"""The "Find my level" pages: start, one problem per page, stop, the result and accepting it.

Each step works as a plain form post that redirects (no JavaScript) and as an
htmx request that gets the fragment to swap in.
"""

import pytest
from django.test import Client

from roadmap.checking import diagnostic
from roadmap.checking.placement import MAX_QUESTIONS
from roadmap.checking.topic_check import ANSWER_LIMIT
from roadmap.curriculum import loading
from roadmap.models import Attempt, Placement, Progress, Roadmap, Status
from tests import dom
from tests.factories import (
    AttemptFactory,
    MasteredProgressFactory,
    ProfileFactory,
    ProgressFactory,
    UserFactory,
)
from tests.roadmap.checking.answering import drive, right, wrong

INTRO, QUESTION, STOP, RESULT = (
    "/placement/",
    "/placement/question/",
    "/placement/stop/",
    "/placement/result/",
)
HTMX = {"HTTP_HX_REQUEST": "true"}


def run_of(learner) -> Placement:
    return Placement.objects.filter(learner=learner).select_related("current").first()


def answer_form(problem, response: str) -> dict:
    return {"problem": str(problem.pk), f"answer_{problem.pk}": response}


def shown_problem(html) -> int:
    return int(dom.form_values(html)["problem"])


def stored(learner) -> tuple:
    return (
        list(Attempt.objects.filter(learner=learner).values_list("pk", flat=True)),
        list(
            Placement.objects.filter(learner=learner).values_list(
                "pk", "current_id", "finished_at", "applied_at"
            )
        ),
        sorted(Progress.objects.filter(learner=learner).values_list("topic_id", "status", "note")),
    )


@pytest.fixture
def started(bank, learner, learner_client) -> Placement:
    assert learner_client.post(INTRO).status_code == 302
    return run_of(learner)


# -- starting and answering ----------------------------------------------------------


def test_the_intro_offers_to_start(bank, learner_client):
    response = learner_client.get(INTRO)

    assert response.status_code == 200
    assert [button.text for button in dom.select(response, ".placement-card form button")] == [
        "Start the diagnostic"
    ]


def test_starting_redirects_to_a_problem_on_screen(bank, learner, learner_client):
    response = learner_client.post(INTRO)

    assert response.status_code == 302 and response["Location"] == QUESTION
    run = run_of(learner)
    page = learner_client.get(QUESTION)
    assert page.status_code == 200
    assert shown_problem(page) == run.current.pk
    assert dom.select_one(page, "#question-heading").text.startswith("Problem 1 of at most 30")


def test_a_reload_shows_the_same_problem(started, learner_client):
    first = shown_problem(learner_client.get(QUESTION))

    assert shown_problem(learner_client.get(QUESTION)) == first == started.current.pk


def test_the_intro_offers_to_resume_a_run_under_way(started, learner_client):
    learner_client.post(QUESTION, answer_form(started.current, wrong(started.current)))

    response = learner_client.get(INTRO)

    assert "You have a diagnostic under way: 1 problem answered." in dom.text(response)
    assert dom.select_one(response, "a.btn")["href"] == QUESTION


def test_an_answer_redirects_to_the_next_problem(started, learner, learner_client):
    shown = started.current

    response = learner_client.post(QUESTION, answer_form(shown, wrong(shown)))

    assert response.status_code == 302 and response["Location"] == QUESTION
    following = learner_client.get(QUESTION)
    assert shown_problem(following) != shown.pk
    assert dom.select_one(following, "#question-heading").text.startswith("Problem 2 ")
    attempt = Attempt.objects.get(learner=learner)
    assert (attempt.problem, attempt.answer, attempt.correct, attempt.placement) == (
        shown,
        wrong(shown),
        False,
        started,
    )


def test_htmx_gets_the_next_problem_in_the_panel(started, learner_client):
    shown = started.current

    response = learner_client.post(QUESTION, answer_form(shown, wrong(shown)), **HTMX)

    assert response.status_code == 200 and b"<html" not in response.content
    assert dom.root_element(response).id == "question-panel"
    assert shown_problem(response) == run_of(started.learner).current.pk != shown.pk
    assert "Answer saved." in dom.text(response)
    assert dom.select_one(response, "#question-heading").text.startswith("Problem 2 ")


def test_a_plain_get_is_the_whole_page_and_htmx_the_panel(started, learner_client):
    assert b"<html" in learner_client.get(QUESTION).content
    partial = learner_client.get(QUESTION, **HTMX)
    assert b"<html" not in partial.content and dom.root_element(partial).id == "question-panel"


def test_a_stale_answer_shows_the_problem_on_screen_and_stores_nothing(started, learner, learner_client):
    shown = started.current
    learner_client.post(QUESTION, answer_form(shown, wrong(shown)))
    before = stored(learner)

    response = learner_client.post(QUESTION, answer_form(shown, right(shown)))  # the old tab

    assert response.status_code == 200
    assert shown_problem(response) == run_of(learner).current.pk != shown.pk
    assert "That problem was answered already" in dom.text(response)
    assert stored(learner) == before


def test_an_unreadable_answer_is_refused_and_kept(started, learner, learner_client):
    response = learner_client.post(QUESTION, answer_form(started.current, "2+"))

    assert response.status_code == 422
    assert dom.form_values(response)[f"answer_{started.current.pk}"] == "2+"
    assert [p.text for p in dom.select(response, "p.field-error")] == [
        'The answer ends with "+": something is missing after it'
    ]
    assert not Attempt.objects.exists() and run_of(learner).current == started.current


def test_the_answer_limit_refuses_with_a_readable_message(started, bank, learner, learner_client):
    AttemptFactory.create_batch(ANSWER_LIMIT, learner=learner, problem=bank.problems["sums"][0])
    before = stored(learner)

    response = learner_client.post(QUESTION, answer_form(started.current, right(started.current)), **HTMX)

    assert response.status_code == 429
    assert "You have answered 45 problems in the last 10 minutes" in dom.text(response)
    assert stored(learner) == before


def test_the_last_answer_goes_to_the_result(started, learner, learner_client):
    for _ in range(20):
        run = run_of(learner)
        if run.current is None:
            break
        last = learner_client.post(QUESTION, answer_form(run.current, right(run.current)))
    assert last.status_code == 302 and last["Location"] == RESULT
    assert run_of(learner).is_finished
    assert learner_client.get(QUESTION)["Location"] == RESULT


def test_the_last_answer_from_htmx_redirects_the_page(started, learner, learner_client):
    for _ in range(20):
        run = run_of(learner)
        if run.current is None:
            break
        last = learner_client.post(QUESTION, answer_form(run.current, right(run.current)), **HTMX)
    assert last.status_code == 200 and last["HX-Redirect"] == RESULT


def test_a_new_session_resumes_the_same_run(started, learner, learner_client):
    learner_client.post(QUESTION, answer_form(started.current, wrong(started.current)))
    shown = shown_problem(learner_client.get(QUESTION))
    elsewhere = Client()  # another browser, days later
    elsewhere.force_login(learner)

    assert shown_problem(elsewhere.get(QUESTION)) == shown
    elsewhere.post(QUESTION, answer_form(run_of(learner).current, wrong(run_of(learner).current)))
    assert Placement.objects.filter(learner=learner).count() == 1
    assert run_of(learner).attempts.count() == 2


def test_starting_over_begins_a_new_run(started, learner, learner_client):
    learner_client.post(QUESTION, answer_form(started.current, wrong(started.current)))

    learner_client.post(INTRO)

    assert Placement.objects.filter(learner=learner).count() == 2
    assert run_of(learner).attempts.count() == 0
    assert "Problem 1 " in dom.text(learner_client.get(QUESTION))


def test_a_deleted_problem_on_screen_is_replaced_by_the_next_one(started, learner, learner_client):
    deleted = started.current.pk
    started.current.delete()  # never answered, so a curator may delete it

    response = learner_client.get(QUESTION)

    assert response.status_code == 200
    assert shown_problem(response) == run_of(learner).current.pk != deleted


def test_without_a_run_the_pages_send_to_the_intro(bank, learner_client):
    assert learner_client.get(QUESTION)["Location"] == INTRO
    assert learner_client.get(RESULT)["Location"] == INTRO
    assert learner_client.post(STOP)["Location"] == RESULT  # and from there to the intro


def test_the_result_of_a_run_under_way_sends_back_to_its_problem(started, learner_client):
    assert learner_client.get(RESULT)["Location"] == QUESTION


# -- stopping, the result, accepting -------------------------------------------------


def test_stopping_shows_the_result_of_every_topic(started, bank, learner, learner_client):
    learner_client.post(QUESTION, answer_form(started.current, wrong(started.current)))

    response = learner_client.post(STOP)

    assert response.status_code == 302 and response["Location"] == RESULT
    page = learner_client.get(RESULT)
    assert page.status_code == 200
    rows = dom.select(page, "li.placement-item")
    assert [row.select_one("a").text for row in rows] == ["Counting", "Signs", "Sums", "Products"]
    for row in rows:
        assert row.select_one(".badge").text in {"known", "gap to study"}
        assert "answered Sums wrong" in row.text  # the one answer, behind every verdict
    assert "From 1 answer:" in dom.text(page)


def test_the_result_ticks_what_would_change_and_nothing_changes_yet(bank, learner, learner_client):
    MasteredProgressFactory(learner=learner, topic=bank["sums"])
    learner_client.post(INTRO)
    drive(run_of(learner), wrong)
    before = stored(learner)

    page = learner_client.get(RESULT)

    assert dom.checked(page, "topic") == [str(bank["sums"].pk)]  # the one gap marked covered
    assert "1 topic would change" in dom.text(page)
    # Each label names its checkbox; rows without one (no change) have no `for` pointing nowhere.
    assert [label["for"] for label in dom.select(page, "label[for]")] == [f"pt-{bank['sums'].pk}"]
    assert stored(learner) == before


def test_accepting_changes_only_the_ticked_topics(bank, learner, learner_client):
    ProgressFactory(learner=learner, topic=bank["sums"], status=Status.LEARNING)
    ProgressFactory(learner=learner, topic=bank["signs"], status=Status.PRACTISED)
    learner_client.post(INTRO)
    drive(run_of(learner), right)

    response = learner_client.post(RESULT, {"topic": [bank["sums"].pk, bank["counting"].pk]})

    assert response.status_code == 302 and response["Location"] == "/dashboard/"
    statuses = dict(Progress.objects.filter(learner=learner).values_list("topic__slug", "status"))
    assert statuses == {"sums": Status.SKIPPED, "counting": Status.SKIPPED, "signs": Status.PRACTISED}
    assert run_of(learner).applied_at is not None
    follow = learner_client.get("/dashboard/")
    assert "Placement taken: 2 topics updated." in follow.content.decode()


@pytest.mark.parametrize("junk", ["abc", "", "-1", "9" * 40, "\x00"])
def test_junk_topic_ids_are_ignored(bank, learner, learner_client, junk):
    learner_client.post(INTRO)
    drive(run_of(learner), right)

    response = learner_client.post(RESULT, {"topic": junk})

    assert response.status_code == 302
    assert not Progress.objects.filter(learner=learner).exists()


# -- who may see what -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"), [("get", INTRO), ("post", INTRO), ("get", QUESTION), ("post", QUESTION),
                         ("post", STOP), ("get", RESULT), ("post", RESULT)]
)  # fmt: skip
def test_signing_in_is_required(bank, client, method, path):
    response = getattr(client, method)(path)

    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert not Placement.objects.exists()


def test_stopping_takes_a_post(started, learner_client):
    assert learner_client.get(STOP).status_code == 405
    assert not run_of(started.learner).is_finished


def test_nobody_sees_or_answers_another_learners_run(started, learner):
    mallory = Client()
    mallory.force_login(UserFactory(username="mallory"))
    before = stored(learner)

    assert mallory.get(QUESTION)["Location"] == INTRO
    assert mallory.post(QUESTION, answer_form(started.current, right(started.current)))["Location"] == INTRO
    assert mallory.post(STOP)["Location"] == RESULT
    assert mallory.get(RESULT)["Location"] == INTRO
    assert mallory.post(RESULT, {"topic": [started.current.topic_id]})["Location"] == INTRO
    assert stored(learner) == before


# -- what it costs --------------------------------------------------------------------

# The question page: session, user, roadmap, the run with its problem and the problem's
# topic, the run's answer count (once, for the title and the panel).
QUESTION_QUERIES = 5
# Answering it: session, user, roadmap, the run, its answer count; the rate limit's count;
# a savepoint, claiming the problem on screen (UPDATE), the attempt's INSERT, the run's
# answers (with problems and topics) for the rule, the run's UPDATE, release. The next
# problem comes from the process's bank, with its topic.
ANSWER_QUERIES = 12
# The result after 15 answers: session, user, roadmap, the run, its answers (with problems
# and topics, read once for the verdicts and the count), the learner's statuses; the
# sections come with the graph.
RESULT_QUERIES = 6


def test_the_placement_pages_cost_a_fixed_number_of_queries(seeded_roadmap, django_assert_max_num_queries):
    learner = UserFactory()
    ProfileFactory(user=learner)
    client = Client()
    client.force_login(learner)
    client.post(INTRO)
    roadmap = Roadmap.objects.current()
    loading.load_graph(roadmap)
    for _ in range(14):
        run = run_of(learner)
        diagnostic.answer(
            run, roadmap, right(run.current) if run.attempts.count() % 2 else wrong(run.current)
        )
    run = run_of(learner)
    assert not run.is_finished, "the run should still be under way after 14 answers"

    with django_assert_max_num_queries(QUESTION_QUERIES):
        assert client.get(QUESTION).status_code == 200
    with django_assert_max_num_queries(ANSWER_QUERIES):
        assert client.post(QUESTION, answer_form(run.current, right(run.current)), **HTMX).status_code == 200
    client.post(STOP)
    assert run_of(learner).attempts.count() == 15
    with django_assert_max_num_queries(RESULT_QUERIES):
        assert client.get(RESULT).status_code == 200


def test_the_seeded_roadmap_never_asks_more_than_thirty_through_the_pages(seeded_roadmap):
    learner = UserFactory()
    client = Client()
    client.force_login(learner)
    client.post(INTRO)

    for _ in range(MAX_QUESTIONS + 5):
        run = run_of(learner)
        if run.current is None:
            break
        response = client.post(QUESTION, answer_form(run.current, right(run.current)))
        assert response.status_code == 302
    assert run_of(learner).is_finished
    assert 0 < run_of(learner).attempts.count() <= MAX_QUESTIONS
    assert client.get(RESULT).status_code == 200
