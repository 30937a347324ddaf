"""XSS: what learners and curators type is shown as text on every page, never run.

Every free-text field (display name, log stage and note, evidence notes,
suggestions, and the curated titles, summaries, reasons and resource notes)
holds a payload; every page type is then rendered and parsed. A page passes
when the payload shows up escaped and the parsed HTML holds no script,
event handler or javascript: URL that came from it.
"""

import pytest
from django.test import Client
from django.utils.http import url_has_allowed_host_and_scheme

from roadmap.models import Attempt, Problem, Purpose, TopicCheck
from tests import dom
from tests.factories import ChoiceProblemFactory, ProblemFactory, TopicFactory, UserFactory
from tests.security import pages  # reviews that ask a problem: pages.RECALL_PATH, pages.recall_form
from tests.security.check_pages import HOSTILE_ANSWER, check_answers
from tests.security.pages import ENTRY_DAY, FAST_HASHERS, build_world, render_all, scan

# One worker runs the whole module under pytest-xdist, so its module-scoped pages
# are rendered once, not again on every worker that gets one of its tests.
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("test_xss")]

PAYLOADS = {
    "tags": '<script>alert(1)</script>"><img src=x onerror=alert(2)>',
    "breakouts": "'></textarea><svg/onload=alert(3)>{{7*7}}",
}
# What must never reach a page unescaped, whichever payload was used.
RAW = ["<script>alert", "<img src=x", "<svg/onload", "</textarea><svg"]
ESCAPED = {"tags": "&lt;script&gt;alert(1)&lt;/script&gt;", "breakouts": "&lt;/textarea&gt;&lt;svg/onload"}


@pytest.fixture(scope="module", params=PAYLOADS, ids=str)
def payload_pages(request, django_db_setup, django_db_blocker):
    return request.param, render_all(django_db_blocker, PAYLOADS[request.param])


def assert_inert(name: str, html: str) -> None:
    for raw in RAW:
        assert raw not in html, f"{name}: {raw!r} reached the page unescaped"
    found = scan(html)
    assert found.inline_scripts == [], name
    assert found.event_handlers == [], name
    assert found.javascript_urls == [], name


def test_payloads_in_every_text_field_are_inert_on_every_page(payload_pages):
    _, responses = payload_pages
    for page, response in responses.items():
        assert_inert(page, response.content.decode())


def test_payloads_are_shown_as_text_where_the_fields_appear(payload_pages):
    # Guards the test above against passing because nothing was rendered at all.
    kind, responses = payload_pages
    for page in (
        "home",
        "topic",
        "dashboard",
        "log",
        "settings",
        "public-profile",
        "public-log-entry",
        "map",
        "check-result",  # the abilities of the problems
        "placement-question",  # the topic of the problem on screen
        "placement-result",
    ):
        assert ESCAPED[kind] in responses[page].content.decode(), page


def test_the_template_language_is_not_evaluated_in_stored_text(payload_pages):
    kind, responses = payload_pages
    if kind == "breakouts":
        assert "{{7*7}}" in responses["home"].content.decode()


def test_the_badge_escapes_every_name(payload_pages):
    _, responses = payload_pages
    svg = responses["badge"].content.decode()

    assert_inert("badge", svg)
    assert "<script" not in svg


@pytest.fixture
def learner(db, settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS
    world = build_world()
    client = Client()
    client.force_login(world.owner)
    return world, client


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/", 200),
        ("/topics/derivatives/", 200),
        ("/dashboard/", 200),
        ("/map/", 200),
        ("/map/topic/gradient/", 200),
        ("/log/", 200),
        ("/settings/", 200),
        ("/u/ada/", 200),
        # allauth sends a signed-in learner on to `next`, kept on this site
        ("/accounts/login/", 302),
        ("/accounts/email/", 200),
    ],
)
def test_query_strings_are_not_reflected_unescaped(learner, path, status):
    _, client = learner
    probe = "?next=\"><script>alert(1)</script>&section=calculus&x='><img src=x onerror=alert(2)>"

    response = client.get(path + probe)

    assert response.status_code == status
    if status == 302:
        assert url_has_allowed_host_and_scheme(response["Location"], allowed_hosts={"testserver"})
    assert_inert(path, response.content.decode())


def test_the_login_page_escapes_a_hostile_next(client, db):
    response = client.get('/accounts/login/?next=/"><script>alert(1)</script>')

    assert response.status_code == 200
    assert_inert("login", response.content.decode())


@pytest.mark.parametrize(
    ("path", "data", "htmx"),
    [
        ("/progress/", {"topic": "<script>alert(1)</script>", "status": "learning"}, False),
        ("/progress/", {"topic": "<script>alert(1)</script>", "status": "learning"}, True),
        ("/progress/", {"topic": "limits", "status": '"><img src=x onerror=alert(2)>'}, True),
        ("/review/", {"topic": "<script>alert(1)</script>", "rating": "3"}, True),
        ("/dashboard/goal/", {"goal": "<script>alert(1)</script>"}, True),
        ("/topics/derivatives/resources/book/rate/", {"rating": "<script>alert(1)</script>"}, True),
        ("/log/", {"date": "<script>alert(1)</script>", "hours": "<img src=x onerror=alert(2)>"}, False),
        (
            "/settings/",
            {"timezone": "<script>alert(1)</script>", "visibility": "<svg/onload=alert(3)>"},
            False,
        ),
        ("/topics/derivatives/suggest/", {"url": "javascript:alert(1)//<script>alert(1)</script>"}, False),
    ],
)
def test_invalid_input_echoed_in_error_messages_is_escaped(learner, path, data, htmx):
    _, client = learner
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}

    response = client.post(path, data, **headers)

    assert response.status_code == 400
    assert_inert(path, response.content.decode())


def test_a_suggested_javascript_link_is_refused(learner):
    _, client = learner

    response = client.post(
        "/topics/derivatives/suggest/",
        {"title": "Nice", "url": "javascript:alert(1)", "kind": "article", "access": "free", "why": "It is"},
    )

    assert response.status_code == 400
    assert not learner[0].owner.resource_suggestions.filter(url__icontains="javascript").exists()


def test_markdown_notes_keep_no_script_links_or_handlers(learner):
    world, client = learner
    note = (
        "[click](javascript:alert(1)) <a href='javascript:alert(2)'>x</a> "
        '<img src=x onerror=alert(3)> <iframe src="https://evil.example"></iframe> '
        "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)"
    )
    world.entry.note = note
    world.entry.save()

    for path in ("/log/", f"/u/ada/log/{ENTRY_DAY.isoformat()}/", "/u/ada/"):
        html = client.get(path).content.decode()
        found = scan(html)
        assert found.javascript_urls == [] and found.event_handlers == [], path
        assert "<iframe" not in html and 'href="data:' not in html, path
        assert dom.select(html, "iframe") == [], path
        links = [element["href"] for element in dom.select(html, "[href]")]
        assert not any(link.strip().lower().startswith("data:") for link in links), path


def test_exports_are_downloads_not_pages(learner):
    world, client = learner
    world.entry.note = "<script>alert(1)</script>"
    world.entry.save()

    for path in ("/settings/export.json", "/settings/export-log.csv", "/settings/export-progress.csv"):
        response = client.get(path)
        assert response["Content-Disposition"].startswith("attachment;"), path
        assert not response["Content-Type"].startswith("text/html"), path
        assert response["X-Content-Type-Options"] == "nosniff"


def test_admin_pages_escape_learner_text(db, settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS
    build_world(PAYLOADS["tags"])
    client = Client()
    client.force_login(UserFactory(username="curator", is_staff=True, is_superuser=True))

    for path in (
        "/admin/roadmap/resourcesuggestion/",
        "/admin/roadmap/topic/",
        "/admin/roadmap/progress/",
        "/admin/accounts/profile/",
        "/admin/roadmap/logentry/",
    ):
        response = client.get(path)
        if response.status_code == 404:  # a model the admin does not register
            continue
        assert response.status_code == 200, path
        html = response.content.decode()
        for raw in RAW:
            assert raw not in html, f"{path}: {raw!r}"


# -- Reviews that ask a problem -------------------------------------------------------------------


def test_payloads_in_a_reviews_problem_are_shown_as_text(payload_pages):
    # The problem (title, ability) before the answer, and its result (key, solution) after.
    kind, responses = payload_pages
    for page in ("recall", "recall-panel", "recall-wrong", "recall-resent"):
        assert ESCAPED[kind] in responses[page].content.decode(), page
    assert "a right answer is" in responses["recall-wrong"].content.decode()


@pytest.mark.parametrize("htmx", [False, True])
def test_a_review_answer_echoed_back_is_escaped(learner, htmx):
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    _, client = learner

    for answer in (
        '"><script>alert(1)</script>',
        "'><img src=x onerror=alert(2)>",
        "</textarea><svg/onload=x>",
    ):
        response = client.post(pages.RECALL_PATH, pages.recall_form(answer), **headers)

        assert response.status_code == 422, answer
        assert_inert(pages.RECALL_PATH, response.content.decode())


# -- check problems: curated Markdown with math, and what learners type ----------------

HOSTILE_PROBLEM = {
    "statement": "Solve <script>alert(1)</script> $x^2$ <img src=x onerror=alert(2)> "
    "[click](javascript:alert(3)) <a href='javascript:alert(4)'>here</a> "
    "$\\text{<img src=x onerror=alert(5)>}$ $$\\text{<script>alert(6)</script>}$$",
    "solution": "<script>alert(7)</script> <svg onload=alert(8)></svg> <b onmouseover=alert(9)>b</b> "
    "[x](javascript:alert(10)) $\\text{<iframe src=javascript:alert(11)>}$",
}
HOSTILE_CHOICES = [
    "<img src=x onerror=alert(12)>",
    "[a](javascript:alert(13))",
    "$\\text{<script>alert(14)</script>}$",
    "<svg/onload=alert(15)>",
]


def assert_no_markup_from_problems(name: str, html: str, panel: str = "#check-panel") -> None:
    assert_inert(name, html)  # and <b onmouseover> keeps its <b>, without the handler
    for tag in ("script", "img", "svg", "iframe"):
        assert dom.select(html, f"{panel} {tag}") == [], f"{name}: <{tag}> from a problem"
    assert "javascript:" not in html, name


@pytest.fixture
def hostile(learner):
    """A topic whose three problems hold scripts, handlers and javascript: links everywhere."""
    world, client = learner
    topic = TopicFactory(section=world.topics["limits"].section, slug="hostile")
    numeric = ProblemFactory(topic=topic, key="n", answer="4", **HOSTILE_PROBLEM)
    choice = ChoiceProblemFactory(
        topic=topic, key="c", choices=HOSTILE_CHOICES, answer="B", **HOSTILE_PROBLEM
    )
    other = ProblemFactory(topic=topic, key="m", answer="1", **HOSTILE_PROBLEM)
    return client, [numeric, choice, other]


def test_problem_statements_and_choices_render_inert_before_answering(hostile):
    client, _ = hostile

    for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
        response = client.get("/topics/hostile/check/", **headers)
        assert response.status_code == 200
        html = response.content.decode()
        assert_no_markup_from_problems("check", html)
        assert dom.select(html, "#check-panel math")  # the formulas still render


def test_solutions_render_inert_on_the_result(hostile):
    client, problems = hostile
    client.get("/topics/hostile/check/")
    check = TopicCheck.objects.get(topic__slug="hostile")
    data = {"check": check.pk, **{f"answer_{p.pk}": p.answer for p in problems}}

    response = client.post("/topics/hostile/check/", data)

    assert response.status_code == 200 and dom.select(response, "details.solution")
    assert_no_markup_from_problems("check result", response.content.decode())


def test_a_problem_on_the_placement_page_renders_inert(learner):
    world, client = learner
    Problem.objects.filter(key="limits-1").update(**HOSTILE_PROBLEM)
    world.placement.current = Problem.objects.get(key="limits-1")
    world.placement.save()

    response = client.get("/placement/question/")

    assert response.status_code == 200
    assert_no_markup_from_problems("placement question", response.content.decode(), "#question-panel")


@pytest.mark.parametrize("htmx", [False, True])
def test_a_typed_answer_comes_back_as_text_on_the_form(learner, htmx):
    world, client = learner
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    slope = Problem.objects.get(key="slope")
    current = world.placement.current

    responses = [
        client.post(
            "/topics/derivatives/check/",
            {**check_answers(world), f"answer_{slope.pk}": HOSTILE_ANSWER},
            **headers,
        ),
        client.post(
            "/placement/question/",
            {"problem": current.pk, f"answer_{current.pk}": HOSTILE_ANSWER},
            **headers,
        ),
    ]

    for response, field in zip(responses, [slope, current], strict=True):
        assert response.status_code == 422
        assert_inert("answer", response.content.decode())
        assert dom.form_values(response)[f"answer_{field.pk}"] == HOSTILE_ANSWER  # kept, as text
    assert not Attempt.objects.filter(learner=world.owner, answer=HOSTILE_ANSWER).exists()


def test_stored_answers_are_escaped_on_the_result(learner):
    # A stored answer always parsed once; should one ever hold markup (an import, an old
    # grammar), the result page still shows it as text.
    world, client = learner
    check = world.check
    for pk in check.problem_ids:
        Attempt.objects.create(
            learner=world.owner,
            problem_id=pk,
            answer=HOSTILE_ANSWER,
            correct=False,
            purpose=Purpose.CHECK,
            topic_check=check,
        )
    TopicCheck.objects.filter(pk=check.pk).update(finished_at=world.entry.created_at, score=0, passed=False)

    response = client.post("/topics/derivatives/check/", check_answers(world))

    html = response.content.decode()
    assert response.status_code == 200 and "Not yet: 0/3" in html
    assert_inert("stored answers", html)
    assert html.count("&lt;script&gt;alert(1)&lt;/script&gt;") == 3
