"""The roadmap file's curation keys: was, replaces, goal, needs, practice links and tasks, new kinds."""

from textwrap import dedent

import pytest

from roadmap.curriculum import roadmap_file
from roadmap.models import (
    PracticeExercise,
    PracticeTask,
    Prerequisite,
    Progress,
    Resource,
    Roadmap,
    Section,
    Status,
    Topic,
    TopicNeed,
    TopicResource,
)
from tests.factories import MasteredProgressFactory, ProgressFactory

# Written the way export() writes, so export(import(FULL)) == FULL.
FULL = dedent("""\
    roadmap:
      slug: keys
      title: Keys roadmap
    resources:
    - slug: clip
      title: One clip
      url: https://example.com/watch/1
      kind: video
      access: free
      curated_by: project
    - slug: drills
      title: Drills
      url: https://example.com/drills
      kind: exercises
      access: free_signup
      curated_by: project
    - slug: notebook
      title: Notebook
      url: https://example.com/notebook
      kind: code
      access: free
      curated_by: project
    sections:
    - slug: basics
      title: Basics
      topics:
      - slug: counting
        title: Counting
        hours: 2
        summary: Counts things.
        resources:
        - resource: clip
          role: primary
        - resource: drills
          role: supplemental
          practice: sheet 1, all of it
      - slug: adding
        title: Adding
        hours: 1.5
        summary: Adds things.
        goal: Adding is worth knowing for its own sake.
        was:
        - summing
        replaces:
        - old-adding
        requires:
        - topic: counting
          reason: you add counts
          credit: 0.5
        resources:
        - resource: notebook
          role: primary
          practice: cells 3 to 9
        needs:
        - counting
      practice:
      - slug: count-the-iris
        title: Count the iris
        data: iris (sklearn.datasets.load_iris)
        task: Count each species, then add the counts.
        exercises:
        - counting
        - adding
    """)

NO_TASKS = FULL.split("  practice:\n")[0]

CURATED = [
    Roadmap,
    Section,
    Topic,
    Prerequisite,
    Resource,
    TopicResource,
    TopicNeed,
    PracticeTask,
    PracticeExercise,
]


def import_text(text: str) -> roadmap_file.ImportReport:
    return roadmap_file.apply(roadmap_file.parse(text))


def history_rows() -> int:
    return sum(model.history.count() for model in CURATED)


def refused(text: str) -> list[str]:
    with pytest.raises(roadmap_file.RoadmapFileError) as excinfo:
        roadmap_file.parse(text)
    return excinfo.value.errors


def test_every_new_key_is_applied(db):
    import_text(FULL)

    adding = Topic.objects.get(slug="adding")
    assert adding.goal == "Adding is worth knowing for its own sake."
    assert list(adding.needs.values_list("slug", flat=True)) == ["counting"]
    assert TopicResource.objects.get(topic=adding, resource__slug="notebook").practice == "cells 3 to 9"
    task = PracticeTask.objects.get(slug="count-the-iris")
    assert (task.section.slug, task.data) == ("basics", "iris (sklearn.datasets.load_iris)")
    assert list(task.exercise_links.values_list("topic__slug", flat=True)) == ["counting", "adding"]
    assert set(Resource.objects.values_list("kind", flat=True)) == {"video", "exercises", "code"}


def test_export_writes_every_new_key_back(db):
    import_text(FULL)

    assert roadmap_file.export(Roadmap.objects.get(slug="keys")) == FULL


def test_importing_the_same_file_twice_changes_nothing_and_writes_no_history(db):
    import_text(FULL)
    before = history_rows()

    report = import_text(FULL)

    assert not report.changed
    assert history_rows() == before


def test_export_writes_the_default_credit_too(db):
    import_text(FULL.replace("      credit: 0.5\n", ""))

    assert "credit: 0.5" in roadmap_file.export(Roadmap.objects.get(slug="keys"))


def test_was_renames_the_topic_in_place_so_progress_stays_attached(db):
    import_text(NO_TASKS.replace("slug: adding", "slug: summing").replace("    was:\n    - summing\n", ""))
    old = Topic.objects.get(slug="summing")
    record = ProgressFactory(topic=old, status=Status.PRACTISED)

    report = import_text(FULL)

    record.refresh_from_db()
    assert record.topic_id == old.pk
    assert Topic.objects.get(pk=old.pk).slug == "adding"
    assert report.renamed == ["summing → adding"]
    assert not Topic.objects.filter(slug="summing").exists()


def test_was_is_refused_while_the_old_slug_is_still_a_topic(db):
    text = FULL.replace("was:\n    - summing\n", "was:\n    - counting\n")

    assert any("'adding' was 'counting', but 'counting' is still a topic" in e for e in refused(text))


def test_was_is_refused_when_two_topics_claim_the_same_old_slug(db):
    text = FULL.replace(
        "    resources:\n    - resource: clip",
        "    was:\n    - summing\n    resources:\n    - resource: clip",
    )

    assert any("'summing' is claimed by two topics" in e for e in refused(text))


def test_needs_and_practice_tasks_must_name_topics_of_the_file(db):
    text = FULL.replace("needs:\n    - counting", "needs:\n    - ghost").replace(
        "    - adding\n", "    - phantom\n"
    )

    errors = refused(text)

    assert any("topic 'adding' needs unknown topic 'ghost'" in e for e in errors)
    assert any("practice task 'count-the-iris' exercises unknown topic 'phantom'" in e for e in errors)
    assert all(e.startswith("line ") for e in errors)


def test_practice_on_a_roadmap_link_is_refused(db):
    text = FULL.replace(
        "  title: Keys roadmap\n",
        "  title: Keys roadmap\n  resources:\n  - resource: clip\n    role: primary\n    practice: all\n",
    )

    assert any("unknown key 'practice' in a resource link of the roadmap" in e for e in refused(text))


def test_a_new_topic_that_replaces_another_inherits_its_learners_progress_due_now(db):
    import_text(
        NO_TASKS.replace("slug: adding", "slug: old-adding")
        .replace("    was:\n    - summing\n", "")
        .replace("    replaces:\n    - old-adding\n", "")
    )
    old = Topic.objects.get(slug="old-adding")
    mastered = MasteredProgressFactory(topic=old, note="ex. 1-40")
    learning = ProgressFactory(topic=old, status=Status.LEARNING)

    report = import_text(FULL)

    new = Topic.objects.get(slug="adding")
    assert new.pk != old.pk
    assert report.inherited == 2
    copy = Progress.objects.get(learner=mastered.learner, topic=new)
    assert (copy.status, copy.note, copy.status_changed_at) == (
        Status.MASTERED,
        "ex. 1-40",
        mastered.status_changed_at,
    )
    assert copy.review_due is not None and copy.review_due <= copy.created_at
    assert copy.review_card["due"] == copy.review_due.isoformat()
    assert Progress.objects.get(learner=learning.learner, topic=new).review_due is None
    # The old records stay where they were.
    assert Progress.objects.filter(topic=old).count() == 2


def test_inheritance_runs_once_per_learner_and_topic(db):
    import_text(
        NO_TASKS.replace("slug: adding", "slug: old-adding")
        .replace("    was:\n    - summing\n", "")
        .replace("    replaces:\n    - old-adding\n", "")
    )
    ProgressFactory(topic=Topic.objects.get(slug="old-adding"))
    import_text(FULL)
    Progress.objects.filter(topic__slug="adding").delete()  # the learner clears the inherited status

    report = import_text(FULL)

    assert report.inherited == 0
    assert not Progress.objects.filter(topic__slug="adding").exists()


def test_a_practice_task_dropped_from_the_file_is_removed(db):
    import_text(FULL)

    import_text(NO_TASKS)

    assert not PracticeTask.objects.exists()


def test_importing_practice_tasks_replaces_the_graph_token(db):
    import_text(NO_TASKS)
    token = Roadmap.objects.get(slug="keys").graph_token

    import_text(FULL)

    assert Roadmap.objects.get(slug="keys").graph_token != token
