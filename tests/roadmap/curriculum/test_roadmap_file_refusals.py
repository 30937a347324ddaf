"""The roadmap file's refusals: every bad file is refused whole, naming the line and the problem."""

import re
from itertools import pairwise
from textwrap import dedent, indent

import pytest

from roadmap.curriculum import roadmap_file
from roadmap.models import Resource, Role
from tests.roadmap.curriculum.roadmap_texts import line_of, refusal

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
