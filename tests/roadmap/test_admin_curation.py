"""Curation in the admin: goal, needs, practice links and tasks under history; findings on the index."""

from pathlib import Path

from roadmap.curriculum import roadmap_file
from roadmap.models import PracticeTask, Topic
from tests.factories import PracticeTaskFactory, TopicFactory, TopicNeedFactory, TopicResourceFactory

CLEAN = (Path(__file__).parent / "curriculum" / "roadmap_files" / "clean.yaml").read_text(encoding="utf-8")
CLEAN_BANK = (Path(__file__).parent / "curriculum" / "roadmap_files" / "clean.problems.yaml").read_text(
    encoding="utf-8"
)


def test_the_topic_page_edits_goal_needs_and_practice(admin_client, db):
    need = TopicNeedFactory()
    TopicResourceFactory(topic=need.topic, practice="chapter 4 exercises")

    html = admin_client.get(f"/admin/roadmap/topic/{need.topic.pk}/change/").content.decode()

    assert 'name="goal"' in html
    assert 'name="need_links-0-needed"' in html and "admin-autocomplete" in html
    assert 'value="chapter 4 exercises"' in html


def test_the_section_page_lists_its_practice_tasks(admin_client, db):
    task = PracticeTaskFactory(title="Fit a line")

    html = admin_client.get(f"/admin/roadmap/section/{task.section.pk}/change/").content.decode()

    assert 'name="practice_tasks-0-title"' in html and "Fit a line" in html


def test_a_practice_task_edited_in_the_admin_keeps_history(admin_client, db):
    topic = TopicFactory()
    task = PracticeTaskFactory(section=topic.section, exercises=[topic])
    data = {
        "section": task.section.pk,
        "slug": task.slug,
        "title": "Renamed",
        "data": "",
        "task": task.task,
        "order": 0,
        "exercise_links-TOTAL_FORMS": "1",
        "exercise_links-INITIAL_FORMS": "1",
        "exercise_links-0-id": task.exercise_links.get().pk,
        "exercise_links-0-task": task.pk,
        "exercise_links-0-topic": topic.pk,
        "exercise_links-0-order": "0",
    }

    response = admin_client.post(f"/admin/roadmap/practicetask/{task.pk}/change/", data)

    assert response.status_code == 302
    assert PracticeTask.objects.get(pk=task.pk).title == "Renamed"
    assert task.history.count() == 2
    assert admin_client.get(f"/admin/roadmap/practicetask/{task.pk}/history/").status_code == 200


def test_the_admin_index_lists_the_findings_each_linking_its_object(admin_client, db, settings):
    settings.MATHPATH_DEFAULT_ROADMAP = "checked"
    roadmap_file.apply(roadmap_file.parse(CLEAN.replace("    hours: 2\n", "    hours: 90\n")))
    counting = Topic.objects.get(slug="counting")

    html = admin_client.get("/admin/").content.decode()

    assert 'id="roadmap-findings"' in html
    assert "1 error," in html
    assert f'<a href="/admin/roadmap/topic/{counting.pk}/change/">topic counting has 90.0 hours' in html


def test_a_clean_roadmap_says_so_on_the_admin_index(
    admin_client, db, settings, django_assert_max_num_queries
):
    settings.MATHPATH_DEFAULT_ROADMAP = "checked"
    data = roadmap_file.parse(CLEAN)
    bank = roadmap_file.parse_bank(CLEAN_BANK, {topic.slug for topic in data.topics()})
    roadmap_file.apply_all(data, bank, reason="test")

    with django_assert_max_num_queries(20):
        html = admin_client.get("/admin/").content.decode()

    assert "No findings: the roadmap passes every check." in html
