"""An import that fails half-way leaves the previous roadmap exactly as it was.

`apply()` runs in one transaction. These tests break it at every single write
it makes (a model save, a delete, a bulk update, the history rows), through
the management command, at the top level of a real transaction, and (on
PostgreSQL) by killing the importing process outright while it holds its
transaction open; every time, every curated row and every history row is
unchanged, and the learner's progress is untouched.
"""

import itertools
import os
import signal
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.db.models import Model, QuerySet

from roadmap.curriculum import roadmap_file
from roadmap.models import Progress, Status, Topic
from tests.factories import ProgressFactory, UserFactory
from tests.faults.roadmaps import V1, V2, curation_snapshot

ROOT = Path(__file__).resolve().parents[2]


class Disk(DatabaseError):
    """What the test makes the database say: "could not extend file: No space left on device"."""


@contextmanager
def failing_at(write: int):
    """Make the n-th write of any kind (save, delete, queryset update) fail."""
    counter = itertools.count(1)
    real_save, real_delete, real_update = Model.save, Model.delete, QuerySet.update

    def check():
        if next(counter) == write:
            raise Disk("could not extend file: No space left on device")

    def save(self, *args, **kwargs):
        check()
        return real_save(self, *args, **kwargs)

    def delete(self, *args, **kwargs):
        check()
        return real_delete(self, *args, **kwargs)

    def update(self, *args, **kwargs):
        check()
        return real_update(self, *args, **kwargs)

    with (
        mock.patch.object(Model, "save", save),
        mock.patch.object(Model, "delete", delete),
        mock.patch.object(QuerySet, "update", update),
    ):
        yield


def writes_made_by(text: str) -> int:
    """How many writes a successful import of `text` makes (measured, then rolled back)."""
    counter = itertools.count()
    real_save, real_delete, real_update = Model.save, Model.delete, QuerySet.update

    def counted(real):
        def wrapper(self, *args, **kwargs):
            next(counter)
            return real(self, *args, **kwargs)

        return wrapper

    with (
        mock.patch.object(Model, "save", counted(real_save)),
        mock.patch.object(Model, "delete", counted(real_delete)),
        mock.patch.object(QuerySet, "update", counted(real_update)),
        transaction.atomic(),
    ):
        roadmap_file.apply(roadmap_file.parse(text))
        transaction.set_rollback(True)
    return next(counter)


def learner_progress() -> list:
    return sorted(Progress.objects.values_list("learner__username", "topic__slug", "status", "note"))


@pytest.fixture
def v1(db):
    roadmap_file.apply(roadmap_file.parse(V1))
    learner = UserFactory(username="ada")
    for slug, status in [
        ("limits", Status.MASTERED),
        ("derivatives", Status.LEARNING),
        ("counting", Status.SKIPPED),
    ]:
        ProgressFactory(learner=learner, topic=Topic.objects.get(slug=slug), status=status, note=f"on {slug}")
    return curation_snapshot()


def test_v2_really_changes_every_kind_of_row(v1):
    # So the tests below prove something: a complete v2 import touches every curated table.
    roadmap_file.apply(roadmap_file.parse(V2))

    after = curation_snapshot()
    changed = {table for table in v1 if v1[table] != after[table]}
    assert changed >= {"Roadmap", "Section", "Topic", "Prerequisite", "Resource", "TopicResource"}


def test_an_import_failing_at_any_write_leaves_the_previous_roadmap_exactly_intact(v1):
    progress = learner_progress()
    total = writes_made_by(V2)
    assert total > 30

    for write in range(1, total + 1):
        with failing_at(write), pytest.raises(Disk):
            roadmap_file.apply(roadmap_file.parse(V2))

        assert curation_snapshot() == v1, f"failed at write {write} of {total}"
    assert learner_progress() == progress


def test_the_import_command_failing_half_way_changes_nothing_and_a_retry_works(v1, tmp_path):
    path = tmp_path / "v2.yaml"
    path.write_text(V2, encoding="utf-8")
    progress = learner_progress()

    with failing_at(writes_made_by(V2) // 2), pytest.raises(Disk):
        call_command("import_roadmap", str(path), stdout=open(os.devnull, "w"))  # noqa: SIM115

    assert curation_snapshot() == v1
    call_command("import_roadmap", str(path), stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert Topic.objects.get(slug="vectors").title == "Vectors and spaces"
    assert learner_progress() == progress


@pytest.mark.django_db(transaction=True)
def test_a_top_level_import_transaction_rolls_back_whole(tmp_path):
    # The tests above run inside the test's own transaction (so apply() gets a
    # savepoint); here apply() owns a real transaction, as under manage.py.
    roadmap_file.apply(roadmap_file.parse(V1))
    before = curation_snapshot()
    total = writes_made_by(V2)

    for write in (1, total // 3, total - 1, total):
        assert not connection.in_atomic_block
        with failing_at(write), pytest.raises(Disk):
            roadmap_file.apply(roadmap_file.parse(V2))
        assert curation_snapshot() == before, write


KILLED_IMPORT = """
import sys, time
import django
django.setup()
from django.db.models import Model
from roadmap.curriculum import roadmap_file

calls = 0
real_save = Model.save

def save(self, *args, **kwargs):
    global calls
    calls += 1
    if calls == int(sys.argv[2]):
        print("half-way", flush=True)  # the transaction is open, with half of v2 written
        time.sleep(120)
    return real_save(self, *args, **kwargs)

Model.save = save
roadmap_file.apply(roadmap_file.parse(open(sys.argv[1], encoding="utf-8").read()))
"""


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_killing_the_importer_mid_transaction_leaves_the_previous_roadmap(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: a second process holding an open import transaction")
    roadmap_file.apply(roadmap_file.parse(V1))
    before = curation_snapshot()
    path = tmp_path / "v2.yaml"
    path.write_text(V2, encoding="utf-8")
    db = connection.settings_dict
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DEBUG": "true",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
    }
    importer = subprocess.Popen(
        [sys.executable, "-c", KILLED_IMPORT, str(path), "25"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert importer.stdout.readline().strip() == "half-way", importer.stderr.read()
        # Meanwhile, everyone else still reads the previous roadmap whole.
        assert curation_snapshot() == before
        importer.send_signal(signal.SIGKILL)
        importer.wait(timeout=10)
    finally:
        if importer.poll() is None:
            importer.kill()
            importer.wait()
        importer.stdout.close()
        importer.stderr.close()

    assert curation_snapshot() == before
    # No lock was left behind: the next import goes through at once.
    with connection.cursor() as cursor:
        cursor.execute("SET lock_timeout = '5s'")
    try:
        roadmap_file.apply(roadmap_file.parse(V2))
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET lock_timeout")
    assert Topic.objects.get(slug="vectors").title == "Vectors and spaces"
