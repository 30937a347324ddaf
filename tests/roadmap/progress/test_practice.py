"""Practice tasks for learners: shown on the home page and the dashboard, marked done with or without htmx."""

import pytest

from accounts.models import Profile
from roadmap.models import PracticeDone
from tests.factories import (
    PracticeDoneFactory,
    PracticeTaskFactory,
    ProfileFactory,
    TopicFactory,
    UserFactory,
    bulk_roadmap,
)
from tests.roadmap.curriculum.test_public_pages import HOME_QUERIES_LOGGED_IN
from tests.roadmap.progress.test_dashboard import DASHBOARD_QUERIES, learner_with_progress_on

PRACTICE = "/practice/"


@pytest.fixture
def task(db):
    topic = TopicFactory(roadmap__slug="math-for-ml", slug="counting", title="Counting")
    return PracticeTaskFactory(section=topic.section, title="Count the iris", exercises=[topic])


@pytest.fixture
def learner(db):
    user = UserFactory()
    ProfileFactory(user=user)
    return user


def mark(client, task, *, done=True, htmx=True, next="/"):
    data = {"task": task.pk, "next": next, **({"done": "on"} if done else {})}
    return client.post(PRACTICE, data, **({"HTTP_HX_REQUEST": "true"} if htmx else {}))


def test_the_home_page_lists_each_sections_tasks_with_what_they_exercise(client, task):
    html = client.get("/").content.decode()

    assert f'id="practice-{task.pk}"' in html
    assert "Count the iris" in html and 'href="/topics/counting/"' in html
    assert "Mark done" not in html  # visitors see the tasks, learners mark them


def test_a_learner_sees_mark_done_on_the_home_page_and_the_dashboard(client, task, learner):
    client.force_login(learner)

    for page in ("/", "/dashboard/"):
        html = client.get(page).content.decode()
        assert f'id="practice-{task.pk}"' in html and "Mark done" in html


def test_mark_done_with_htmx_swaps_the_task_in_place(client, task, learner):
    client.force_login(learner)
    token = Profile.objects.get(user=learner).state_token

    response = mark(client, task)

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and f'id="practice-{task.pk}"' in html
    assert "Not done" in html and "Done</span>" in html
    assert PracticeDone.objects.filter(learner=learner, task=task).exists()
    assert Profile.objects.get(user=learner).state_token != token  # their cached pages are out of date


def test_marking_done_twice_keeps_one_record(client, task, learner):
    client.force_login(learner)

    mark(client, task)
    mark(client, task)

    assert PracticeDone.objects.filter(learner=learner, task=task).count() == 1


def test_not_done_removes_the_record(client, task, learner):
    PracticeDoneFactory(learner=learner, task=task)
    client.force_login(learner)

    html = mark(client, task, done=False).content.decode()

    assert "Mark done" in html
    assert not PracticeDone.objects.filter(learner=learner).exists()


def test_without_javascript_it_posts_and_comes_back_to_the_task(client, task, learner):
    client.force_login(learner)

    response = mark(client, task, htmx=False, next="/dashboard/")

    assert response.status_code == 302
    assert response["Location"] == f"/dashboard/#practice-{task.pk}"
    assert PracticeDone.objects.filter(learner=learner, task=task).exists()


def test_an_off_site_next_goes_to_the_dashboard(client, task, learner):
    client.force_login(learner)

    response = mark(client, task, htmx=False, next="https://evil.example/")

    assert response["Location"] == f"/dashboard/#practice-{task.pk}"


def test_only_the_requesters_record_is_written(client, task, learner):
    other = UserFactory()
    PracticeDoneFactory(learner=other, task=task)
    client.force_login(learner)

    mark(client, task, done=False)
    mark(client, task)

    assert set(PracticeDone.objects.values_list("learner_id", flat=True)) == {learner.pk, other.pk}
    mark(client, task, done=False)
    assert list(PracticeDone.objects.values_list("learner_id", flat=True)) == [other.pk]


@pytest.mark.parametrize("value", ["999999", "nope", ""])
def test_an_unknown_task_is_a_readable_fragment_not_a_page(client, task, learner, value):
    client.force_login(learner)

    response = client.post(PRACTICE, {"task": value, "done": "on"}, HTTP_HX_REQUEST="true")

    assert response.status_code == 400
    assert "<html" not in response.content.decode()
    assert response["HX-Retarget"] == "#flash"
    assert not PracticeDone.objects.exists()


def test_a_task_of_another_roadmap_is_refused(client, task, learner):
    elsewhere = PracticeTaskFactory(section__roadmap__slug="other-roadmap")
    client.force_login(learner)

    assert mark(client, elsewhere).status_code == 400


def test_practice_needs_a_login_and_a_post(client, task, learner):
    assert mark(client, task, htmx=False).status_code == 302  # to the login page
    assert not PracticeDone.objects.exists()
    client.force_login(learner)
    assert client.get(PRACTICE).status_code == 405


def _with_tasks(roadmap_topics, count=30):
    sections = {t.section_id: t.section for t in roadmap_topics}
    for index in range(count):
        topics = roadmap_topics[index * 3 : index * 3 + 3]
        PracticeTaskFactory(section=sections[topics[0].section_id], exercises=topics)


def test_the_home_page_with_tasks_stays_within_a_fixed_number_of_queries(
    client, db, django_assert_max_num_queries
):
    roadmap_topics = bulk_roadmap(topics=200, edges=400)
    _with_tasks(roadmap_topics)
    learner = learner_with_progress_on(roadmap_topics)
    PracticeDoneFactory(learner=learner, task=roadmap_topics[0].section.practice_tasks.first())
    client.force_login(learner)

    # the tasks' topics and the learner's done marks
    with django_assert_max_num_queries(HOME_QUERIES_LOGGED_IN + 2):
        response = client.get("/")

    assert response.content.decode().count('class="practice-task') == 30


def test_the_dashboard_with_tasks_stays_within_a_fixed_number_of_queries(
    client, db, django_assert_max_num_queries
):
    roadmap_topics = bulk_roadmap(topics=200, edges=400)
    _with_tasks(roadmap_topics)
    client.force_login(learner_with_progress_on(roadmap_topics))

    with django_assert_max_num_queries(DASHBOARD_QUERIES + 2):
        response = client.get("/dashboard/")

    assert response.content.decode().count('class="practice-task') == 30
