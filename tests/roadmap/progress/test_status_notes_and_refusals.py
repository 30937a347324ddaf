"""A status change with a note, and the ones refused: each says why, and changes nothing."""

from datetime import timedelta

from django.utils import timezone

from roadmap.models import Progress, Status
from tests.factories import ProgressFactory, RoadmapFactory, SectionFactory, TopicFactory
from tests.roadmap.progress.test_status_change import HTMX, PROGRESS, rows

# -- notes --------------------------------------------------------------------


def test_a_note_is_saved_with_the_status(learner_client, learner, topics):
    learner_client.post(PROGRESS, {"topic": "limits", "status": "practised", "note": "Stewart 2.2 ex. 1–40"})

    assert rows(learner) == [("limits", "practised", "Stewart 2.2 ex. 1–40")]


def test_a_status_change_without_a_note_field_keeps_the_note(learner_client, learner, topics):
    ProgressFactory(learner=learner, topic=topics["limits"], status=Status.PRACTISED, note="Stewart 2.2")

    learner_client.post(PROGRESS, {"topic": "limits", "status": "mastered"})

    assert rows(learner) == [("limits", "mastered", "Stewart 2.2")]


def test_a_sent_note_replaces_the_old_one_and_an_empty_one_clears_it(learner_client, learner, topics):
    ProgressFactory(learner=learner, topic=topics["limits"], status=Status.PRACTISED, note="Stewart 2.2")

    learner_client.post(PROGRESS, {"topic": "limits", "status": "practised", "note": "Stewart 2.2–2.5"})
    assert rows(learner) == [("limits", "practised", "Stewart 2.2–2.5")]

    learner_client.post(PROGRESS, {"topic": "limits", "status": "practised", "note": ""})
    assert rows(learner) == [("limits", "practised", "")]


def test_changing_only_the_note_keeps_status_changed_at(learner_client, learner, topics):
    long_ago = timezone.now() - timedelta(days=10)
    ProgressFactory(
        learner=learner, topic=topics["limits"], status=Status.PRACTISED, status_changed_at=long_ago
    )

    learner_client.post(PROGRESS, {"topic": "limits", "status": "practised", "note": "More exercises"})

    assert Progress.objects.get(learner=learner).status_changed_at == long_ago


def test_an_over_long_note_is_refused_and_nothing_changes(learner_client, learner, topics):
    ProgressFactory(learner=learner, topic=topics["limits"], status=Status.LEARNING, note="Khan")

    response = learner_client.post(PROGRESS, {"topic": "limits", "status": "mastered", "note": "x" * 201})

    assert response.status_code == 400
    assert "An evidence note can be at most 200 characters; this one has 201." in response.content.decode()
    assert rows(learner) == [("limits", "learning", "Khan")]


def test_a_note_of_exactly_200_characters_is_fine(learner_client, learner, topics):
    response = learner_client.post(PROGRESS, {"topic": "limits", "status": "learning", "note": "x" * 200})

    assert response.status_code == 302
    assert rows(learner) == [("limits", "learning", "x" * 200)]


# -- bad input ----------------------------------------------------------------


def test_an_unknown_status_is_refused_with_a_readable_message(learner_client, learner, topics):
    ProgressFactory(learner=learner, topic=topics["limits"], status=Status.LEARNING)

    response = learner_client.post(PROGRESS, {"topic": "limits", "status": "done"})

    assert response.status_code == 400
    html = response.content.decode()
    assert "“done” is not a status." in html
    assert "Choose one of: Not started, Learning, Practised, Mastered, Known." in html
    assert "Nothing was changed for Limits." in html
    assert rows(learner) == [("limits", "learning", "")]


def test_a_status_value_is_escaped_in_the_error(learner_client, learner, topics):
    response = learner_client.post(PROGRESS, {"topic": "limits", "status": "<b>x</b>"})

    assert response.status_code == 400
    assert "<b>x</b>" not in response.content.decode()
    assert "&lt;b&gt;x&lt;/b&gt;" in response.content.decode()


def test_a_missing_status_is_refused(learner_client, learner, topics):
    response = learner_client.post(PROGRESS, {"topic": "limits"})

    assert response.status_code == 400
    assert rows(learner) == []


def test_an_unknown_topic_is_refused(learner_client, learner, topics):
    response = learner_client.post(PROGRESS, {"topic": "no-such-topic", "status": "learning"})

    assert response.status_code == 400
    assert "That topic is no longer on the roadmap — reload the page." in response.content.decode()
    assert "no-such-topic" not in response.content.decode()
    assert rows(learner) == []


def test_a_topic_of_another_roadmap_is_refused(learner_client, learner, topics):
    other = TopicFactory(
        section=SectionFactory(roadmap=RoadmapFactory(slug="stats", title="Statistics")), slug="bootstrap"
    )

    response = learner_client.post(PROGRESS, {"topic": "bootstrap", "status": "learning"})

    assert response.status_code == 400
    assert not Progress.objects.filter(topic=other).exists()


def test_an_archived_topic_is_refused_and_its_record_kept(learner_client, learner, topics):
    archived = TopicFactory(section=topics["limits"].section, slug="old-limits", is_archived=True)
    ProgressFactory(learner=learner, topic=archived, status=Status.MASTERED)

    response = learner_client.post(PROGRESS, {"topic": "old-limits", "status": "not_started"})

    assert response.status_code == 400
    assert rows(learner) == [("old-limits", "mastered", "")]


def test_htmx_errors_are_retargeted_to_the_flash_region(learner_client, learner, topics):
    response = learner_client.post(
        PROGRESS, {"topic": "limits", "status": "done", "next": "/dashboard/"}, **HTMX
    )

    assert response.status_code == 400
    assert response["HX-Retarget"] == "#flash"
    assert response["HX-Reswap"] == "innerHTML"
    html = response.content.decode()
    assert "<html" not in html
    assert "“done” is not a status." in html
    assert rows(learner) == []
