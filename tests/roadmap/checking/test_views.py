"""The "Check yourself" page: GET draws a check, POST grades it and shows the result."""

import pytest
from django.test import Client

from roadmap.checking.topic_check import ANSWER_LIMIT, check_problems
from roadmap.curriculum import loading
from roadmap.models import Attempt, Progress, Purpose, Status, TopicCheck
from tests import dom
from tests.factories import (
    AttemptFactory,
    ChoiceProblemFactory,
    ExpressionProblemFactory,
    MasteredProgressFactory,
    MultipleProblemFactory,
    ProblemFactory,
    ProfileFactory,
    ProgressFactory,
    TopicCheckFactory,
    TopicFactory,
)
from tests.roadmap.checking.answering import WRONG, check_form

CHECK = "/topics/products/check/"
HTMX = {"HTTP_HX_REQUEST": "true"}


def shown_check(learner) -> TopicCheck:
    return TopicCheck.objects.filter(learner=learner).first()


def stored(learner) -> tuple:
    """What a check POST could write: answers, checks, progress."""
    return (
        list(Attempt.objects.filter(learner=learner).values_list("pk", flat=True)),
        list(TopicCheck.objects.filter(learner=learner).values_list("pk", "finished_at", "score")),
        list(Progress.objects.filter(learner=learner).values_list("topic_id", "status", "checked_at")),
    )


def shown_problem_ids(html) -> list[int]:
    return [int(name.removeprefix("answer_")) for name in dom.form_values(html) if name.startswith("answer_")]


# -- GET: the check ------------------------------------------------------------------


def test_the_page_shows_three_problems_to_answer(bank, learner, learner_client):
    response = learner_client.get(CHECK)

    assert response.status_code == 200
    check = shown_check(learner)
    assert shown_problem_ids(response) == check.problem_ids
    assert len(dom.select(response, "fieldset.problem-fieldset")) == 3
    assert dom.form_values(response)["check"] == str(check.pk)
    assert dom.select(response, "math")  # the statements' formulas, as MathML


def test_a_reload_shows_the_same_check(bank, learner, learner_client):
    first = shown_problem_ids(learner_client.get(CHECK))

    assert shown_problem_ids(learner_client.get(CHECK)) == first
    assert TopicCheck.objects.filter(learner=learner).count() == 1


def test_keys_and_solutions_are_not_on_the_page_before_answering(bank, learner, learner_client):
    topic = TopicFactory(section=bank["products"].section, slug="ratios")
    problems = [
        ProblemFactory(topic=topic, answer=f"{7000 + i}/13", solution=f"Worked out: SOLUTION-MARK-{i}.")
        for i in range(2)
    ]
    problems.append(ChoiceProblemFactory(topic=topic, solution="Worked out: SOLUTION-MARK-choice."))

    html = learner_client.get("/topics/ratios/check/").content.decode()

    for problem in problems:
        assert problem.solution not in html and "SOLUTION-MARK" not in html
        if not problem.is_choice:
            assert problem.answer not in html
    hidden = dom.select(html, "input[type=hidden]")
    assert {element["name"] for element in hidden} == {"csrfmiddlewaretoken", "check"}
    assert dom.select(html, ".is-key, details.solution") == []
    assert "right answer" not in html


def test_htmx_gets_the_panel_and_a_plain_request_the_page(bank, learner_client):
    full = learner_client.get(CHECK)
    partial = learner_client.get(CHECK, **HTMX)

    assert b"<html" in full.content and dom.by_id(full, "check-panel")
    assert b"<html" not in partial.content
    assert dom.root_element(partial).id == "check-panel"


def test_a_topic_without_problems_says_so(bank, learner_client):
    TopicFactory(section=bank["products"].section, slug="empty")

    response = learner_client.get("/topics/empty/check/")

    assert response.status_code == 404
    assert "no check problems yet" in dom.text(response)


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_archived_or_unknown_topic_is_not_found(bank, learner, learner_client, method):
    bank["signs"].is_archived = True
    bank["signs"].save()

    for path in ("/topics/signs/check/", "/topics/no-such-topic/check/"):
        assert getattr(learner_client, method)(path).status_code == 404, path
    assert not TopicCheck.objects.exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_signing_in_is_required(bank, client, method):
    response = getattr(client, method)(CHECK)

    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert not TopicCheck.objects.exists()


def test_other_methods_are_not_allowed(bank, learner_client):
    assert learner_client.put(CHECK).status_code == 405
    assert learner_client.delete(CHECK).status_code == 405


# -- POST: the result ----------------------------------------------------------------


def test_all_right_passes_and_says_so(bank, learner, learner_client):
    learner_client.get(CHECK)
    check = shown_check(learner)

    response = learner_client.post(CHECK, check_form(check))

    assert response.status_code == 200
    assert dom.select_one(response, "#check-heading").text == "Passed: 3/3"
    assert "recorded as mastered" in dom.text(response)
    progress = Progress.objects.get(learner=learner, topic=bank["products"])
    assert (progress.status, progress.check_score) == (Status.MASTERED, "3/3")
    assert progress.checked_at is not None and progress.review_due is not None
    assert len(dom.select(response, "li.is-right")) == 3


def test_a_wrong_answer_shows_the_score_the_solution_and_the_likely_causes(bank, learner, learner_client):
    learner_client.get(CHECK)
    check = shown_check(learner)
    missed = check_problems(check)[1]

    response = learner_client.post(CHECK, check_form(check, wrong={1}))

    assert response.status_code == 200
    assert dom.select_one(response, "#check-heading").text == "Not yet: 2/3"
    assert "now practised" in dom.text(response)
    [wrong] = dom.select(response, "li.is-wrong")
    assert f"a right answer is {missed.answer}" in wrong.text
    assert wrong.select_one("details.solution").has("open")
    assert "Add them" in wrong.select_one("details.solution").text
    causes = [a["href"] for a in dom.select(response, ".likely-causes a")]
    # Direct prerequisites (sums, signs, in study order) before counting, which sums needs.
    assert causes[-2:] == ["/topics/counting/", "/topics/counting/check/"]
    assert set(causes[:4]) == {
        "/topics/sums/",
        "/topics/sums/check/",
        "/topics/signs/",
        "/topics/signs/check/",
    }
    assert Progress.objects.get(learner=learner, topic=bank["products"]).status == Status.PRACTISED


@pytest.mark.parametrize("status", [Status.MASTERED, Status.SKIPPED])
def test_a_failed_check_keeps_a_self_reported_status_and_says_it_disagrees(
    bank, learner, learner_client, status
):
    if status == Status.MASTERED:
        MasteredProgressFactory(learner=learner, topic=bank["products"])
    else:
        ProgressFactory(learner=learner, topic=bank["products"], status=status)
    learner_client.get(CHECK)

    response = learner_client.post(CHECK, check_form(shown_check(learner), wrong={0}))

    assert Progress.objects.get(learner=learner, topic=bank["products"]).status == status
    assert "that stays as you set it, but this check suggests working it again" in dom.text(response)


def test_every_answer_is_stored(bank, learner, learner_client):
    learner_client.get(CHECK)
    check = shown_check(learner)

    learner_client.post(CHECK, check_form(check, wrong={2}))

    rows = list(
        Attempt.objects.filter(learner=learner).values_list("problem_id", "answer", "correct", "purpose")
    )
    problems = check_problems(check)
    assert sorted(rows) == sorted(
        [(p.pk, p.answer, True, Purpose.CHECK) for p in problems[:2]]
        + [(problems[2].pk, WRONG, False, Purpose.CHECK)]
    )


def test_htmx_gets_the_result_panel_and_a_plain_post_the_page(bank, learner, learner_client):
    learner_client.get(CHECK)
    check = shown_check(learner)

    partial = learner_client.post(CHECK, check_form(check), **HTMX)
    full = learner_client.post(CHECK, check_form(check))  # the same form again: its result

    assert b"<html" not in partial.content and dom.root_element(partial).id == "check-panel"
    assert b"<html" in full.content
    assert dom.select_one(partial, "#check-heading").text == dom.select_one(full, "#check-heading").text


def test_a_resent_answered_check_shows_its_result_and_stores_nothing(bank, learner, learner_client):
    learner_client.get(CHECK)
    check = shown_check(learner)
    learner_client.post(CHECK, check_form(check, wrong={0}))
    before = stored(learner)

    response = learner_client.post(CHECK, check_form(check))  # now all right: too late

    assert response.status_code == 200
    assert dom.select_one(response, "#check-heading").text == "Not yet: 2/3"
    assert stored(learner) == before


def test_the_next_check_draws_new_problems(bank, learner, learner_client):
    first = shown_problem_ids(learner_client.get(CHECK))
    learner_client.post(CHECK, check_form(shown_check(learner)))

    following = shown_problem_ids(learner_client.get(CHECK))

    assert len(following) == 3 and not set(following) & set(first)


# -- POST: what is refused -----------------------------------------------------------


@pytest.fixture
def mixed(bank):
    """A topic whose check is a number, a formula and a choice, in that order."""
    topic = TopicFactory(section=bank["products"].section, slug="mixed")
    return [
        ProblemFactory(topic=topic, difficulty=1, ability="a"),
        ExpressionProblemFactory(topic=topic, difficulty=2, ability="b"),
        ChoiceProblemFactory(topic=topic, difficulty=3, ability="c"),
    ]


def test_an_unreadable_answer_is_refused_and_every_answer_kept(mixed, learner, learner_client):
    learner_client.get("/topics/mixed/check/")
    check = shown_check(learner)
    number, formula, choice = check_problems(check)
    data = {"check": check.pk, f"answer_{number.pk}": "7/3", f"answer_{formula.pk}": "2x+"}
    data[f"answer_{choice.pk}"] = "C"

    response = learner_client.post("/topics/mixed/check/", data)

    assert response.status_code == 422
    errors = [p.text for p in dom.select(response, "p.field-error")]
    assert errors == ['The answer ends with "+": something is missing after it']
    assert "could not be read" in dom.text(response) and "nothing was graded yet" in dom.text(response)
    error_field = dom.select_one(response, "fieldset.has-error")
    assert error_field.select_one("input")["name"] == f"answer_{formula.pk}"
    assert dom.form_values(response) | {"csrfmiddlewaretoken": ""} == {
        "csrfmiddlewaretoken": "",
        "check": str(check.pk),
        f"answer_{number.pk}": "7/3",
        f"answer_{formula.pk}": "2x+",
        f"answer_{choice.pk}": "C",
    }
    assert not Attempt.objects.exists()
    assert TopicCheck.objects.get(pk=check.pk).finished_at is None
    assert not Progress.objects.exists()


def test_a_missing_answer_is_refused_with_its_message(mixed, learner, learner_client):
    learner_client.get("/topics/mixed/check/")
    check = shown_check(learner)
    number, formula, _ = check_problems(check)

    response = learner_client.post(
        "/topics/mixed/check/", {"check": check.pk, f"answer_{number.pk}": "1", f"answer_{formula.pk}": "x"}
    )

    assert response.status_code == 422
    assert [p.text for p in dom.select(response, "p.field-error")] == ["Choose one answer."]
    assert not Attempt.objects.exists()


@pytest.mark.parametrize("posted", ["AB", "BC", "F"])
def test_a_choice_outside_the_letters_is_refused_and_no_radio_is_left_checked(
    mixed, learner, learner_client, posted
):
    learner_client.get("/topics/mixed/check/")
    check = shown_check(learner)
    number, formula, choice = check_problems(check)
    data = {"check": check.pk, f"answer_{number.pk}": "1", f"answer_{formula.pk}": "x"}

    response = learner_client.post("/topics/mixed/check/", {**data, f"answer_{choice.pk}": posted})

    assert response.status_code == 422
    assert dom.checked(response, f"answer_{choice.pk}") == []
    assert not Attempt.objects.exists()


def test_the_letters_ticked_on_a_select_all_problem_are_kept(bank, learner, learner_client):
    topic = TopicFactory(section=bank["products"].section, slug="evens")
    ticked = MultipleProblemFactory(topic=topic, difficulty=1, ability="a")
    typed = ExpressionProblemFactory(topic=topic, difficulty=2, ability="b")
    MultipleProblemFactory(topic=topic, difficulty=3, ability="c")
    learner_client.get("/topics/evens/check/")
    check = shown_check(learner)

    response = learner_client.post(
        "/topics/evens/check/",
        {"check": check.pk, f"answer_{ticked.pk}": ["A", "C"], f"answer_{typed.pk}": "x^"},
    )

    assert response.status_code == 422
    assert dom.checked(response, f"answer_{ticked.pk}") == ["A", "C"]


def test_an_unreadable_answer_from_htmx_replaces_the_panel(mixed, learner, learner_client):
    learner_client.get("/topics/mixed/check/")
    check = shown_check(learner)
    number, formula, choice = check_problems(check)
    data = {"check": check.pk, f"answer_{number.pk}": "1", f"answer_{formula.pk}": "2x+"}

    response = learner_client.post("/topics/mixed/check/", {**data, f"answer_{choice.pk}": "B"}, **HTMX)

    assert response.status_code == 422
    assert dom.root_element(response).id == "check-panel" and b"<html" not in response.content


def test_the_answer_limit_refuses_with_a_readable_message_and_stores_nothing(bank, learner, learner_client):
    learner_client.get(CHECK)
    check = shown_check(learner)
    AttemptFactory.create_batch(ANSWER_LIMIT - 2, learner=learner, problem=bank.problems["sums"][0])
    before = stored(learner)

    response = learner_client.post(CHECK, check_form(check))

    assert response.status_code == 429
    assert "You have answered 45 problems in the last 10 minutes" in dom.text(response)
    assert stored(learner) == before
    # The answers typed stay on the form, to send again later.
    assert shown_problem_ids(response) == check.problem_ids


def test_another_learners_check_is_not_found(bank, learner, learner_client):
    theirs = TopicCheckFactory(topic=bank["products"], problems=bank.problems["products"][:3])
    before = stored(theirs.learner), stored(learner)

    response = learner_client.post(CHECK, check_form(theirs))

    assert response.status_code == 404
    assert (stored(theirs.learner), stored(learner)) == before


def test_a_check_of_another_topic_is_not_found(bank, learner, learner_client):
    other = TopicCheckFactory(learner=learner, topic=bank["sums"], problems=bank.problems["sums"])

    response = learner_client.post(CHECK, check_form(other))

    assert response.status_code == 404
    assert not Attempt.objects.exists()


@pytest.mark.parametrize("value", ["", "abc", "-1", "1.5", "9" * 40, "\x00"])
def test_a_malformed_check_id_is_not_found(bank, learner_client, value):
    assert learner_client.post(CHECK, {"check": value}).status_code == 404
    assert not Attempt.objects.exists()


# -- what it costs -------------------------------------------------------------------

# GET: session, user, the roadmap, the topic with its section, the learner's progress,
# the latest check (the open one, shown again), its problems.
CHECK_PAGE_QUERIES = 7
# POST: session, user, roadmap, topic, progress, the check (with its learner and its topic's
# roadmap), its problems, the answer count of the rate limit; then a savepoint, the learner's
# lock (profile UPDATE), is the check finished already, the progress; set_status in its own
# savepoint (the lock again, the row FOR UPDATE, its INSERT, release); the attempts' bulk
# INSERT, the check's UPDATE, release; the likely causes' proven prerequisites.
CHECK_POST_QUERIES = 21


def test_the_check_page_costs_a_fixed_number_of_queries(
    bank, learner, learner_client, django_assert_max_num_queries
):
    learner_client.get(CHECK)

    with django_assert_max_num_queries(CHECK_PAGE_QUERIES):
        assert learner_client.get(CHECK).status_code == 200


def test_grading_a_check_costs_a_fixed_number_of_queries(
    bank, learner, learner_client, django_assert_max_num_queries
):
    learner_client.get(CHECK)
    data = check_form(shown_check(learner), wrong={0})
    ProfileFactory(user=learner)  # every learner has one after their first change
    loading.load_graph(bank["products"].roadmap)  # cached per process: every dashboard loads it

    with django_assert_max_num_queries(CHECK_POST_QUERIES):
        assert learner_client.post(CHECK, data).status_code == 200


def test_a_learner_of_another_session_sees_the_same_open_check(bank, learner, learner_client):
    first = shown_problem_ids(learner_client.get(CHECK))
    elsewhere = Client()
    elsewhere.force_login(learner)

    assert shown_problem_ids(elsewhere.get(CHECK)) == first
