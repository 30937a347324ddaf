"""Practice tasks done travel with a learner's data: out, back in (idempotently), and away on deletion."""

import pytest

from roadmap.models import PracticeDone
from roadmap.portability import data as portability
from tests.factories import PracticeDoneFactory, PracticeTaskFactory, UserFactory


@pytest.fixture
def task(db):
    return PracticeTaskFactory(section__roadmap__slug="math-for-ml", section__slug="basics", slug="count")


def test_the_export_names_each_task_done_by_slugs(task):
    done = PracticeDoneFactory(task=task)

    exported = portability.export_data(done.learner)["practice_done"]

    assert exported == [
        {"roadmap": "math-for-ml", "section": "basics", "task": "count", "done_at": done.done_at.isoformat()}
    ]


def test_importing_an_export_twice_restores_each_task_once(task):
    exported = portability.export_data(PracticeDoneFactory(task=task).learner)
    learner = UserFactory()

    first = portability.import_data(learner, exported)
    portability.import_data(learner, exported)

    assert first["practice_done"] == 1
    assert PracticeDone.objects.filter(learner=learner, task=task).count() == 1


def test_an_unknown_task_refuses_the_whole_file(task):
    exported = portability.export_data(PracticeDoneFactory(task=task).learner)
    exported["practice_done"][0]["task"] = "ghost"
    learner = UserFactory()

    with pytest.raises(portability.ImportRefused) as excinfo:
        portability.import_data(learner, exported)

    assert "unknown practice task 'ghost' in section 'basics' of 'math-for-ml'" in str(excinfo.value)
    assert not PracticeDone.objects.filter(learner=learner).exists()


@pytest.mark.parametrize("value", ["yesterday", "1900-01-01T00:00:00+00:00", None])
def test_a_bad_done_at_refuses_the_file(task, value):
    exported = portability.export_data(PracticeDoneFactory(task=task).learner)
    exported["practice_done"][0]["done_at"] = value

    with pytest.raises(portability.ImportRefused):
        portability.import_data(UserFactory(), exported)


def test_deleting_the_account_deletes_what_it_did(task):
    done = PracticeDoneFactory(task=task)

    done.learner.delete()

    assert not PracticeDone.objects.exists()
    assert task.__class__.objects.filter(pk=task.pk).exists()
