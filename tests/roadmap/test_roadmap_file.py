"""The roadmap file: parse, apply (import), export, and the two management commands."""

import re
from decimal import Decimal
from io import StringIO
from itertools import pairwise
from textwrap import dedent, indent

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
    Role,
    Section,
    Status,
    Topic,
    TopicResource,
)
from tests.factories import ProgressFactory, UserFactory

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


def line_of(text: str, marker: str) -> int:
    """The 1-based line of the one line of text containing marker."""
    lines = [number for number, line in enumerate(text.splitlines(), start=1) if marker in line]
    assert len(lines) == 1, f"{marker!r} is on lines {lines}"
    return lines[0]


def refusal(text: str) -> list[str]:
    with pytest.raises(roadmap_file.RoadmapFileError) as excinfo:
        roadmap_file.parse(text)
    return excinfo.value.errors


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


# -- Rejections ---------------------------------------------------------------------------

BOOK = dedent("""\
    - slug: book
      title: A Book
      url: https://example.com/book
      kind: textbook
      access: free
    """)

TOPICS = dedent("""\
    - slug: first
      title: First
      summary: The first topic.
      hours: 2
    - slug: second
      title: Second
      summary: The second topic.
      hours: 3
      requires:
      - first
      resources:
      - resource: book
        role: primary
    """)


def file_with(*, resources: str = BOOK, topics: str = TOPICS) -> str:
    """A one-section roadmap file around the given resources and topics blocks."""
    head = "roadmap:\n  slug: demo\n  title: Demo\nresources:\n"
    section = "sections:\n- slug: basics\n  title: Basics\n  topics:\n"
    return head + resources + section + indent(topics, "  ")


def test_the_rejection_template_itself_is_valid():
    assert [t.slug for t in roadmap_file.parse(file_with()).topics()] == ["first", "second"]


def topic_with(extra: str, *, hours: str = "1") -> str:
    """TOPICS plus a third topic, `third`, whose last lines are `extra`."""
    return (
        TOPICS
        + f"- slug: third\n  title: Third\n  summary: The third.\n  hours: {hours}\n"
        + indent(extra, "  ")
    )


def resource_with(**fields: str) -> str:
    values = {
        "slug": "other",
        "title": "Other",
        "url": "https://example.com/other",
        "kind": "course",
        "access": "free",
    }
    values.update(fields)
    lines = [f"{key}: {value}" for key, value in values.items() if value is not None]
    return BOOK + "- " + "\n  ".join(lines) + "\n"


@pytest.mark.parametrize(
    ("text", "marker", "message"),
    [
        pytest.param(
            file_with(topics=topic_with("requires:\n- topic: ghost\n  reason: boo\n")),
            "topic: ghost",
            "topic 'third' requires unknown topic 'ghost'.",
            id="unknown-topic-in-requires",
        ),
        pytest.param(
            file_with(topics=topic_with("requires:\n- first\n- ghost\n")),
            "- ghost",
            "topic 'third' requires unknown topic 'ghost'.",
            id="unknown-topic-in-requires-shorthand",
        ),
        pytest.param(
            file_with(topics=topic_with("requires:\n- first\n- third\n")),
            "- third",
            "topic 'third' cannot require itself.",
            id="self-require",
        ),
        pytest.param(
            file_with(topics=topic_with("requires:\n- first\n- first # again\n")),
            "- first # again",
            "topic 'third' requires 'first' twice.",
            id="duplicate-require",
        ),
        pytest.param(
            file_with(topics=topic_with("resources:\n- resource: no-such-book\n  role: primary\n")),
            "resource: no-such-book",
            "topic 'third' links unknown resource 'no-such-book'.",
            id="unknown-resource",
        ),
        pytest.param(
            file_with(topics=topic_with("resources:\n- resource: book\n  role: main\n")),
            "role: main",
            f"'role' 'main' is not one of: {', '.join(Role.values)}.",
            id="bad-role",
        ),
        pytest.param(
            file_with(resources=resource_with(url="ftp://x")),
            "url: ftp://x",
            "'ftp://x' is not a valid http(s) URL.",
            id="url-ftp",
        ),
        pytest.param(
            file_with(resources=resource_with(url="not a url")),
            "url: not a url",
            "'not a url' is not a valid http(s) URL.",
            id="url-not-a-url",
        ),
        pytest.param(
            file_with(resources=resource_with(kind="podcast")),
            "kind: podcast",
            f"'kind' 'podcast' is not one of: {', '.join(Resource.Kind.values)}.",
            id="bad-kind",
        ),
        pytest.param(
            file_with(resources=resource_with(access="cheap")),
            "access: cheap",
            f"'access' 'cheap' is not one of: {', '.join(Resource.Access.values)}.",
            id="bad-access",
        ),
        pytest.param(
            file_with(resources=resource_with(curated_by="me")),
            "curated_by: me",
            f"'curated_by' 'me' is not one of: {', '.join(Resource.CuratedBy.values)}.",
            id="bad-curated-by",
        ),
        pytest.param(
            file_with(resources=resource_with(pairs_with="ghost-book")),
            "slug: other",
            "resource 'other' pairs with unknown resource 'ghost-book'.",
            id="unknown-pairs-with",
        ),
        pytest.param(
            # A YAML comment makes the second definition's line unique for line_of().
            file_with(resources=resource_with(slug="book # again")),
            "slug: book # again",
            "resource 'book' is defined twice (first on line 5).",
            id="duplicate-resource",
        ),
        pytest.param(
            file_with(topics=topic_with("colour: blue\n")),
            "colour: blue",
            "unknown key 'colour' in a topic (allowed: goal, hours, needs, replaces, requires, resources, slug, summary, title, was).",
            id="unknown-key",
        ),
        pytest.param(
            file_with(topics=TOPICS + "- slug: third\n  title: Third\n  hours: 1\n"),
            "slug: third",
            "a topic is missing 'summary'.",
            id="missing-key",
        ),
        pytest.param(
            file_with(topics=topic_with("", hours="0")),
            "hours: 0",
            "'hours' must be more than 0 and at most 9999.9, not 0.",
            id="hours-zero",
        ),
        pytest.param(
            file_with(topics=topic_with("", hours="-2")),
            "hours: -2",
            "'hours' must be more than 0 and at most 9999.9, not -2.",
            id="hours-negative",
        ),
        pytest.param(
            file_with(topics=topic_with("", hours="abc")),
            "hours: abc",
            "'hours' 'abc' is not a number.",
            id="hours-not-a-number",
        ),
        pytest.param(
            file_with(topics=topic_with("", hours="[1]")),
            "hours: [1]",
            "'hours' must be a number of hours, such as 4 or 2.5.",
            id="hours-a-list",
        ),
        pytest.param(
            file_with(
                topics=TOPICS + "- slug: first # again\n  title: First\n  summary: Again.\n  hours: 1\n"
            ),
            "slug: first # again",
            "topic 'first' is defined twice (first on line 14).",
            id="duplicate-topic",
        ),
        pytest.param(
            file_with(topics=topic_with("", hours="2").replace("slug: third", "slug: Third Topic")),
            "slug: Third Topic",
            "'slug' 'Third Topic' is not a slug (lowercase letters, digits and single hyphens).",
            id="bad-slug",
        ),
        pytest.param(
            # Found by the fuzz test: an empty section was imported but never exported,
            # so re-importing an export deleted it.
            file_with(topics="").replace("  topics:\n", "  topics: []\n"),
            "topics: []",
            "section 'basics' has no topics: list at least one, or remove the section.",
            id="section-without-topics",
        ),
    ],
)
def test_parse_refuses_a_bad_file_naming_the_line(text, marker, message):
    errors = refusal(text)

    assert errors == [f"line {line_of(text, marker)}: {message}"]


def test_parse_refuses_a_cycle_naming_it_with_arrows():
    topics = dedent("""\
        - slug: alpha
          title: Alpha
          summary: A.
          hours: 1
          requires:
          - gamma
        - slug: beta
          title: Beta
          summary: B.
          hours: 1
          requires:
          - alpha
        - slug: gamma
          title: Gamma
          summary: C.
          hours: 1
          requires:
          - beta
        """)
    text = file_with(topics=topics)

    [error] = refusal(text)

    named = re.search(r"prerequisites form a cycle: (.*)\. Each arrow reads 'needs'", error).group(1)
    steps = named.split(" → ")
    assert steps[0] == steps[-1]
    assert set(steps) == {"alpha (Alpha)", "beta (Beta)", "gamma (Gamma)"}
    needs = {("alpha", "gamma"), ("beta", "alpha"), ("gamma", "beta")}
    slugs = [step.split(" ")[0] for step in steps]
    assert all(edge in needs for edge in pairwise(slugs))
    # The line of the cycle's first edge, where the curator can break it.
    assert error.startswith(f"line {line_of(text, '- ' + slugs[1])}: ")


def test_parse_refuses_invalid_yaml_with_its_line():
    text = "roadmap:\n  slug: demo\n  title: [unclosed\nsections: []\n"

    [error] = refusal(text)

    assert re.match(r"line \d+: not valid YAML: ", error)


def test_parse_refuses_a_duplicate_key_as_invalid_yaml():
    text = file_with().replace("  title: Demo\n", "  title: Demo\n  title: Again\n")

    assert refusal(text) == ["line 4: not valid YAML: duplicate key 'title'."]


def test_parse_refuses_a_file_that_is_not_a_mapping():
    assert refusal("- just\n- a list\n") == ["line 1: the file must be a mapping of keys to values."]


def test_parse_reports_every_error_at_once():
    text = file_with(
        resources=resource_with(url="ftp://x", access="cheap"),
        topics=topic_with("requires:\n- ghost\nresources:\n- resource: nope\n  role: primary\n", hours="0"),
    )

    errors = refusal(text)

    assert errors == [
        f"line {line_of(text, 'url: ftp://x')}: 'ftp://x' is not a valid http(s) URL.",
        f"line {line_of(text, 'access: cheap')}: 'access' 'cheap' is not one of: {', '.join(Resource.Access.values)}.",
        f"line {line_of(text, 'hours: 0')}: 'hours' must be more than 0 and at most 9999.9, not 0.",
        f"line {line_of(text, 'resource: nope')}: topic 'third' links unknown resource 'nope'.",
        f"line {line_of(text, '- ghost')}: topic 'third' requires unknown topic 'ghost'.",
    ]


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
