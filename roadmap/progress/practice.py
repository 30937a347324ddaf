"""Practice tasks for a learner: each section's tasks with what they exercise, and marking one done.

A task is done or not; marking it is idempotent (the form carries the wanted
state, not a toggle), and the writer says the learner's pages changed, as
every writer of what those pages show does.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from accounts.models import Profile
from roadmap.models import PracticeDone, PracticeTask, Roadmap


@dataclass(frozen=True)
class PracticeItem:
    task: PracticeTask
    done: bool


def practice_by_section(roadmap: Roadmap, learner=None) -> dict[int, list[PracticeItem]]:
    """{section id: [items in curated order]}: one query without tasks, three with (tasks, topics, done)."""
    tasks = list(PracticeTask.objects.for_roadmap(roadmap.pk))
    done: set[int] = set()
    if tasks and learner is not None and learner.is_authenticated:
        done = set(
            PracticeDone.objects.filter(learner=learner, task__in=tasks).values_list("task_id", flat=True)
        )
    sections: dict[int, list[PracticeItem]] = {}
    for task in tasks:
        sections.setdefault(task.section_id, []).append(PracticeItem(task, task.pk in done))
    return sections


def set_practice_done(*, learner, task: PracticeTask, done: bool) -> PracticeItem:
    """Mark the learner's task done (or not); asking twice for the same state changes nothing."""
    with transaction.atomic():
        if done:
            PracticeDone.objects.get_or_create(
                learner=learner, task=task, defaults={"done_at": timezone.now()}
            )
        else:
            PracticeDone.objects.filter(learner=learner, task=task).delete()
        Profile.objects.learner_changed(learner.pk)
    return PracticeItem(task, done)
