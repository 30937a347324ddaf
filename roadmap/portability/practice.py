"""Practice tasks done in an export, named by (roadmap, section, task) slugs, with when.

A task this site does not have refuses the file, as an unknown topic does.
"""

from datetime import datetime

from roadmap.models import PracticeDone, PracticeTask
from roadmap.portability.values import time_field


def export_practice(user) -> list[dict]:
    rows = (
        PracticeDone.objects.filter(learner=user)
        .select_related("task__section__roadmap")
        .order_by("task__section__roadmap__slug", "task__section__slug", "task__slug")
    )
    return [
        {
            "roadmap": row.task.section.roadmap.slug,
            "section": row.task.section.slug,
            "task": row.task.slug,
            "done_at": row.done_at.isoformat(),
        }
        for row in rows
    ]


def read_practice(items: list, errors: list[str]) -> list[tuple[PracticeTask, datetime]]:
    keys = [
        tuple(str(item.get(k)) for k in ("roadmap", "section", "task")) if isinstance(item, dict) else None
        for item in items
    ]
    found = {
        (t.section.roadmap.slug, t.section.slug, t.slug): t
        for t in PracticeTask.objects.select_related("section__roadmap").filter(
            slug__in={key[2] for key in keys if key}
        )
    }
    rows = []
    for index, (item, key) in enumerate(zip(items, keys, strict=True), start=1):
        where = f"practice done #{index}"
        if key is None:
            errors.append(f"{where}: expected an object.")
            continue
        if key not in found:
            errors.append(f"{where}: unknown practice task {key[2]!r} in section {key[1]!r} of {key[0]!r}.")
            continue
        done_at = time_field(item, "done_at", where, errors)
        if done_at is not False:
            rows.append((found[key], done_at))
    return rows


def restore_practice(user, rows: list[tuple[PracticeTask, datetime]]) -> None:
    for task, done_at in rows:
        PracticeDone.objects.get_or_create(learner=user, task=task, defaults={"done_at": done_at})
