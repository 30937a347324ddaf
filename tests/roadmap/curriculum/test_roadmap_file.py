"""The roadmap file: apply (import), export, and the two management commands."""

from decimal import Decimal
from io import StringIO
from textwrap import dedent

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from roadmap.curriculum import roadmap_file
from roadmap.models import (
    Prerequisite,
    Progress,
    Resource,
    Roadmap,
    RoadmapResource,
    Section,
    Status,
    Topic,
    TopicResource,
)
from tests.factories import ProgressFactory, UserFactory
from tests.roadmap.curriculum.roadmap_texts import line_of

# Written the way export() writes, so export(import(SMALL)) == SMALL.
SMALL = dedent("""\
    roadmap:
      slug: demo
      title: Demo roadmap
      description: A small plan for tests.
      resources:
      - resource: big-book
        role: primary
    resources:
    - slug: big-book
      title: The Big Book
      author: A. Author
      url: https://example.com/big-book
      kind: textbook
      access: paid
      curated_by: seed
      note: Read it all, slowly.
    - slug: lectures
      title: Lectures
      url: https://example.com/lectures
      kind: video_series
      access: free
      curated_by: project
      recommended_by: A friend
      pairs_with: big-book
    sections:
    - slug: basics
      title: Basics
      summary: Where it starts.
      topics:
      - slug: counting
        title: Counting
        hours: 2
        summary: Counts things.
        resources:
        - resource: lectures
          role: primary
      - slug: adding
        title: Adding
        hours: 1.5
        summary: Adds things.
        requires:
        - topic: counting
          reason: you add counts
          credit: 0.5
        resources:
        - resource: big-book
          role: pick_one
        - resource: lectures
          role: supplemental
    - slug: more
      title: More
      topics:
      - slug: multiplying
        title: Multiplying
        hours: 3
        summary: Repeated adding.
        requires:
        - topic: adding
          credit: 0.5
        - topic: counting
          credit: 0.4
    """)

HISTORIES = [Roadmap, Section, Topic, Prerequisite, Resource, TopicResource, RoadmapResource]


def import_text(text: str) -> roadmap_file.ImportReport:
    return roadmap_file.apply(roadmap_file.parse(text))


def history_rows() -> int:
    return sum(model.history.count() for model in HISTORIES)


def snapshot() -> dict:
    """Every curated row and every history row, to show that nothing changed."""
    rows = {model.__name__: list(model.objects.order_by("pk").values()) for model in HISTORIES}
    rows["history"] = history_rows()
    return rows


def edges(roadmap_slug: str = "demo") -> set[tuple[str, str]]:
    return set(
        Prerequisite.objects.filter(topic__roadmap__slug=roadmap_slug).values_list(
            "topic__slug", "prerequisite__slug"
        )
    )


# -- Import -----------------------------------------------------------------------------


def test_import_creates_the_roadmap_from_a_file(db):
    report = import_text(SMALL)

    roadmap = Roadmap.objects.get(slug="demo")
    assert roadmap.title == "Demo roadmap"
    assert roadmap.description == "A small plan for tests."
    assert list(roadmap.sections.values_list("slug", "order")) == [("basics", 0), ("more", 1)]
    assert list(Topic.objects.filter(roadmap=roadmap).in_roadmap_order().values_list("slug", flat=True)) == [
        "counting",
        "adding",
        "multiplying",
    ]
    adding = Topic.objects.get(slug="adding")
    assert adding.estimated_hours == Decimal("1.5")
    assert adding.section.slug == "basics"
    assert edges() == {
        ("adding", "counting"),
        ("multiplying", "adding"),
        ("multiplying", "counting"),
    }
    assert Prerequisite.objects.get(topic=adding).reason == "you add counts"
    assert list(adding.resource_links.values_list("resource__slug", "role", "order")) == [
        ("big-book", "pick_one", 0),
        ("lectures", "supplemental", 1),
    ]
    lectures = Resource.objects.get(slug="lectures")
    assert lectures.pairs_with.slug == "big-book"
    assert lectures.curated_by == Resource.CuratedBy.PROJECT
    assert lectures.recommended_by == "A friend"
    assert Resource.objects.get(slug="big-book").curated_by == Resource.CuratedBy.SEED
    assert list(roadmap.resource_links.values_list("resource__slug", "role")) == [("big-book", "primary")]
    # roadmap + 2 resources + 2 sections + 3 topics + 3 edges + 3 topic links + 1 roadmap link
    assert report.created == 15
    assert report.updated == report.deleted == 0


def test_reimporting_the_same_file_changes_nothing_and_writes_no_history(db):
    import_text(SMALL)
    before = snapshot()

    report = import_text(SMALL)

    assert (report.created, report.updated, report.deleted, report.archived) == (0, 0, 0, [])
    assert not report.changed
    assert report.unchanged == 15
    assert snapshot() == before


def test_import_updates_changed_rows_and_records_why(db):
    import_text(SMALL)
    topic = Topic.objects.get(slug="adding")
    history_before = topic.history.count()

    report = roadmap_file.apply(
        roadmap_file.parse(
            SMALL.replace("title: Adding", "title: Addition").replace("hours: 1.5", "hours: 2.5")
        ),
        reason="Imported from edited.yaml",
    )

    assert (report.created, report.updated, report.deleted) == (0, 1, 0)
    topic.refresh_from_db()
    assert topic.title == "Addition"
    assert topic.estimated_hours == Decimal("2.5")
    assert topic.history.count() == history_before + 1
    assert topic.history.first().history_change_reason == "Imported from edited.yaml"


def test_export_of_an_imported_file_equals_the_file(db):
    import_text(SMALL)

    assert roadmap_file.export(Roadmap.objects.get(slug="demo")) == SMALL


def test_export_then_import_is_a_no_op(db):
    import_text(SMALL)
    # Curators edit in the admin; the export must carry those edits back unchanged.
    Topic.objects.filter(slug="counting").update(title="Counting, carefully", summary="Two lines.\nOf text.")
    exported = roadmap_file.export(Roadmap.objects.get(slug="demo"))
    before = snapshot()

    report = import_text(exported)

    assert not report.changed
    assert snapshot() == before
    assert roadmap_file.export(Roadmap.objects.get(slug="demo")) == exported


def test_topic_removed_from_the_file_is_archived_and_its_progress_survives(db):
    import_text(SMALL)
    multiplying = Topic.objects.get(slug="multiplying")
    progress = ProgressFactory(topic=multiplying, status=Status.MASTERED)
    without_multiplying = SMALL.split("- slug: more")[0]

    report = import_text(without_multiplying)

    assert report.archived == ["multiplying"]
    multiplying.refresh_from_db()
    assert multiplying.is_archived
    assert Progress.objects.get(pk=progress.pk).status == Status.MASTERED
    # Its edges left the file with it; its section stays, as the archived topic still uses it.
    assert edges() == {("adding", "counting")}
    assert Section.objects.filter(slug="more").exists()
    assert "multiplying" not in roadmap_file.export(Roadmap.objects.get(slug="demo"))


def test_archived_topic_returns_when_it_is_back_in_the_file(db):
    import_text(SMALL)
    import_text(SMALL.split("- slug: more")[0])

    import_text(SMALL)

    assert not Topic.objects.get(slug="multiplying").is_archived
    assert ("multiplying", "adding") in edges()


def test_edges_and_resource_links_removed_from_the_file_are_removed(db):
    import_text(SMALL)
    edited = SMALL.replace(
        "      credit: 0.5\n    - topic: counting\n      credit: 0.4\n", "      credit: 0.5\n"
    ).replace("    - resource: lectures\n      role: supplemental\n", "")

    report = import_text(edited)

    assert report.deleted == 2
    assert edges() == {("adding", "counting"), ("multiplying", "adding")}
    assert list(
        TopicResource.objects.filter(topic__slug="adding").values_list("resource__slug", flat=True)
    ) == ["big-book"]
    # The resource itself stays: another topic still links it.
    assert Resource.objects.filter(slug="lectures").exists()


def test_import_never_reads_or_writes_progress(db):
    import_text(SMALL)
    learner = UserFactory()
    for slug in ["counting", "adding", "multiplying"]:
        ProgressFactory(learner=learner, topic=Topic.objects.get(slug=slug), note=f"did {slug}")
    before = list(Progress.objects.order_by("pk").values())
    edited = SMALL.split("- slug: more")[0].replace("title: Counting", "title: Counting again")

    with CaptureQueriesContext(connection) as queries:
        import_text(edited)

    assert list(Progress.objects.order_by("pk").values()) == before
    assert not [q["sql"] for q in queries.captured_queries if "roadmap_progress" in q["sql"]]


# -- Management commands ------------------------------------------------------------------


def test_import_roadmap_command_imports_a_file_and_reports_counts(db, tmp_path):
    path = tmp_path / "demo.yaml"
    path.write_text(SMALL, encoding="utf-8")
    out = StringIO()

    call_command("import_roadmap", str(path), stdout=out)

    assert "Imported 'Demo roadmap'" in out.getvalue()
    assert "15 created, 0 updated, 0 removed, 0 unchanged" in out.getvalue()
    assert Topic.objects.filter(roadmap__slug="demo").count() == 3
    assert Topic.history.filter(slug="counting").first().history_change_reason == "Imported from demo.yaml"

    out = StringIO()
    call_command("import_roadmap", str(path), stdout=out)

    assert "0 created, 0 updated, 0 removed, 15 unchanged" in out.getvalue()


def test_import_roadmap_command_refuses_a_bad_file_and_changes_nothing(db, tmp_path):
    import_text(SMALL)
    before = snapshot()
    bad = SMALL.replace("title: Adding", "title: Addition").replace("- topic: adding\n", "- topic: ghost\n")
    bad = bad.replace("url: https://example.com/lectures", "url: not a url")
    path = tmp_path / "bad.yaml"
    path.write_text(bad, encoding="utf-8")

    with pytest.raises(CommandError) as excinfo:
        call_command("import_roadmap", str(path), stdout=StringIO())

    message = str(excinfo.value)
    assert f"{path} was refused (2 problem(s)); nothing was changed." in message
    assert f"{path}:{line_of(bad, 'url: not a url')}: 'not a url' is not a valid http(s) URL." in message
    assert (
        f"{path}:{line_of(bad, '- topic: ghost')}: topic 'multiplying' requires unknown topic 'ghost'."
        in message
    )
    # The valid edit (the title) was not applied either: the file is all or nothing.
    assert snapshot() == before


def test_import_roadmap_command_refuses_a_missing_file(db, tmp_path):
    with pytest.raises(CommandError, match=r"Cannot read .*missing\.yaml"):
        call_command("import_roadmap", str(tmp_path / "missing.yaml"))


def test_export_roadmap_command_writes_the_file_to_stdout(db):
    import_text(SMALL)
    out = StringIO()

    call_command("export_roadmap", "--roadmap", "demo", stdout=out)

    assert out.getvalue() == SMALL


def test_export_roadmap_command_writes_to_a_file_that_imports_back_unchanged(db, tmp_path):
    import_text(SMALL)
    path = tmp_path / "out.yaml"

    call_command("export_roadmap", "--roadmap", "demo", "--output", str(path), stderr=StringIO())
    before = snapshot()
    call_command("import_roadmap", str(path), stdout=StringIO())

    assert path.read_text(encoding="utf-8") == SMALL
    assert snapshot() == before


def test_export_roadmap_command_refuses_an_unknown_roadmap(db):
    with pytest.raises(CommandError, match="No roadmap with slug 'nope'"):
        call_command("export_roadmap", "--roadmap", "nope")
