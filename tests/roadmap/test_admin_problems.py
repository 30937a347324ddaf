"""Curating check problems in the admin: the preview, the refusals field by field, history."""

import pytest
from django.urls import reverse

from roadmap.models import Problem
from tests import dom
from tests.factories import ChoiceProblemFactory, ProblemFactory, TopicFactory, UserFactory
from tests.roadmap.admin_forms import admin_form

ADD = reverse("admin:roadmap_problem_add")


def change_url(problem: Problem) -> str:
    return reverse("admin:roadmap_problem_change", args=[problem.pk])


def errors_of(response, field: str) -> list[str]:
    return [li.text for li in dom.select(response, f".field-{field} .errorlist li")]


@pytest.fixture
def topic(db):
    return TopicFactory(slug="sums", title="Sums")


def new_problem(client, topic, **values) -> dict:
    data = admin_form(client, ADD)
    data.update(
        topic=str(topic.pk),
        key="two-and-three",
        ability="add",
        ability_text="add two numbers",
        difficulty="1",
        kind="numeric",
        statement="Compute $2 + 3$.",
        answer="5",
        solution="$2 + 3 = 5$.",
        choices="[]",
        variables="[]",
        domain="{}",
        choice_values="[]",
    )
    data.update(values)
    return data


def test_the_change_page_previews_the_problem_with_mathml(admin_client, topic):
    problem = ChoiceProblemFactory(topic=topic, statement="Which is even, $x_1$ or $x_2$?")

    response = admin_client.get(change_url(problem))

    assert response.status_code == 200
    preview = dom.select_one(response, ".problem-preview")
    assert len(preview.select("math")) == 2 + 4 + 2  # the statement, the four choices, the solution
    assert "Key: B" in preview.text


def test_the_add_page_asks_to_save_before_previewing(admin_client, topic):
    response = admin_client.get(ADD)

    assert response.status_code == 200
    assert "Save the problem to see it rendered." in dom.text(response)


def test_a_curator_adds_a_problem_and_history_records_it(admin_client, topic):
    response = admin_client.post(ADD, new_problem(admin_client, topic))

    assert response.status_code == 302
    problem = Problem.objects.get(topic=topic, key="two-and-three")
    assert (problem.kind, problem.answer, problem.grade("10/2")) == ("numeric", "5", True)
    assert [h.history_type for h in problem.history.all()] == ["+"]


def test_a_curator_edits_a_problem_and_history_keeps_both_versions(admin_client, topic):
    problem = ProblemFactory(topic=topic, statement="Compute $2 + 2$.", answer="4")
    data = admin_form(admin_client, change_url(problem))
    data.update(statement="Compute $2 + 2 + 0$.")

    response = admin_client.post(change_url(problem), data)

    assert response.status_code == 302
    problem.refresh_from_db()
    assert problem.statement == "Compute $2 + 2 + 0$."
    assert [h.statement for h in problem.history.order_by("history_id")] == [
        "Compute $2 + 2$.",
        "Compute $2 + 2 + 0$.",
    ]
    assert dom.select(admin_client.get(change_url(problem)), ".problem-preview math")


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"answer": "2 +"}, "answer", "The key does not parse: "),
        ({"answer": "x"}, "answer", "The key does not parse: "),
        ({"statement": "Compute $2 + ^$."}, "statement", "The formula $2 + ^$ could not be read"),
        ({"solution": "   "}, "solution", "This field is required."),
        (
            {"kind": "choice", "choices": '["$1$", "$2$", "$3$"]', "answer": "D"},
            "answer",
            "letters among A, B, C",
        ),
        ({"kind": "choice", "choices": '["$1$"]', "answer": "A"}, "choices", "3 to 5 choices"),
        ({"kind": "expression", "answer": "2x", "variables": "[]"}, "variables", "lists its variables"),
        (
            {"kind": "expression", "answer": "2x", "variables": '["x"]', "domain": '{"x": ["low", 2]}'},
            "domain",
            "must be [low, high]",
        ),
    ],
    ids=[
        "key-incomplete",
        "key-variable",
        "formula",
        "empty-solution",
        "letter",
        "choices",
        "variables",
        "domain",
    ],
)
def test_a_bad_problem_is_refused_with_the_error_on_its_field(admin_client, topic, values, field, message):
    response = admin_client.post(ADD, new_problem(admin_client, topic, **values))

    assert response.status_code == 200
    assert any(message in error for error in errors_of(response, field)), errors_of(response, field)
    assert not Problem.objects.exists()


def test_a_bad_edit_leaves_the_problem_as_it_was(admin_client, topic):
    problem = ProblemFactory(topic=topic, answer="4")
    data = admin_form(admin_client, change_url(problem))
    data.update(answer="4 +")

    response = admin_client.post(change_url(problem), data)

    assert response.status_code == 200 and errors_of(response, "answer")
    problem.refresh_from_db()
    assert problem.answer == "4" and problem.history.count() == 1


def test_a_staff_member_without_permission_cannot_add_problems(client, topic):
    client.force_login(UserFactory(is_staff=True))

    assert client.get(ADD).status_code == 403
    assert client.post(ADD, {"topic": topic.pk, "key": "x"}).status_code == 403
    assert not Problem.objects.exists()
