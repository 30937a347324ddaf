"""Random input into every form and parser that takes user text: never a crash, never bad data stored.

For each form: is_valid() never raises; an invalid form names its errors;
and a valid form's data is saved for real (then rolled back), so whatever a
form accepts the database accepts too, on SQLite and PostgreSQL alike (NUL
bytes, over-long text and out-of-range numbers are where they differ).
The roadmap YAML parser gets the same treatment: it either refuses the input
with readable errors or produces data that applies; the JSON import's is in
test_import_fuzz.py.
"""

from datetime import date, timedelta

import pytest
import yaml
from django.db import transaction
from django.http import QueryDict
from hypothesis import example, given
from hypothesis import strategies as st

from accounts.forms import ProfileForm
from accounts.models import Profile
from roadmap.community.forms import RatingForm, SuggestionForm
from roadmap.curriculum import roadmap_file
from roadmap.journal.forms import LogEntryForm
from roadmap.models import LogEntry, Resource, Roadmap, Section, Topic
from roadmap.progress.forms import GoalForm, ReviewForm, StatusForm
from roadmap.progress.status import set_status
from tests.faults.roadmaps import V1

pytestmark = pytest.mark.django_db

TODAY = date(2025, 6, 15)

# Any text, with the characters that break things over-represented.
nasty_text = st.one_of(
    st.text(max_size=40),
    st.text(st.sampled_from("\x00\n\r\t <>\"'&;%\\/😀\u202e\ufeff"), max_size=10),
    st.text(max_size=6000),
    st.integers().map(str),
    st.sampled_from(["", " ", "NaN", "inf", "-0", "1e9", "9" * 40, "0x10", "None", "null", "[]", "{}"]),
)


def values(*good: str):
    """A field's value: usually junk, sometimes one a real page would send."""
    return st.one_of(nasty_text, st.sampled_from(good)) if good else nasty_text


def form_data(**fields) -> st.SearchStrategy[QueryDict]:
    """A POST body with each field present or missing, single or repeated."""

    @st.composite
    def build(draw):
        data = QueryDict(mutable=True)
        for name, strategy in fields.items():
            count = draw(st.sampled_from([0, 1, 1, 1, 2]))
            data.setlist(name, [draw(strategy) for _ in range(count)])
        return data

    return build()


def rolled_back(check):
    """Run check() in a transaction that is always rolled back, so examples never see each other."""
    with transaction.atomic():
        check()
        transaction.set_rollback(True)


def assert_refused_or_saved(form, save) -> None:
    if form.is_valid():
        rolled_back(save)
    else:
        assert form.errors
        assert all(messages for messages in form.errors.values())


@given(
    data=form_data(
        topic=values("limits", "derivatives", "old", "nope"),
        status=values("learning", "mastered", "not_started"),
        note=values("Larson 2.4"),
    )
)
def test_status_form(world, data):
    roadmap, learner = world
    form = StatusForm(data, roadmap=roadmap)

    def save():
        assert not form.cleaned_data["topic"].is_archived
        set_status(
            learner=learner,
            topic=form.cleaned_data["topic"],
            status=form.cleaned_data["status"],
            note=form.cleaned_data["note"],
        )

    assert_refused_or_saved(form, save)


@given(data=form_data(topic=values("limits", "derivatives"), rating=values("1", "2", "3", "4")))
def test_review_form(world, data):
    roadmap, _ = world

    form = ReviewForm(data, roadmap=roadmap)

    if form.is_valid():
        assert form.cleaned_data["rating"] in {1, 2, 3, 4}
    else:
        assert form.errors


@given(data=st.data())
def test_goal_form(world, data):
    roadmap, learner = world
    ids = [str(pk) for pk in Topic.objects.values_list("pk", flat=True)]
    form = GoalForm(
        data.draw(form_data(goal=values(*ids), free_only=values("on", "true", "false"))), roadmap=roadmap
    )

    def save():
        profile = Profile.objects.for_user(learner)
        profile.goal = form.cleaned_data["goal"]
        profile.plan_free_only = form.cleaned_data["free_only"]
        assert profile.goal is None or not profile.goal.is_archived
        profile.save()

    assert_refused_or_saved(form, save)


@given(data=st.data())
def test_log_entry_form(world, data):
    roadmap, learner = world
    ids = [str(pk) for pk in Topic.objects.values_list("pk", flat=True)]
    body = data.draw(
        form_data(
            date=values("2025-06-15", "2025-06-16", "2025-02-29", "2024-02-29"),
            hours=values("0", "1", "24", "25"),
            extra_minutes=values("0", "30", "59", "60"),
            stage=values("grind"),
            topics=values(*ids),
            satisfied=values("yes", "somewhat", "not_really"),
            note=values("**bold**"),
        )
    )
    form = LogEntryForm(body, learner=learner, today=TODAY, roadmap=roadmap)

    def save():
        entry = form.save()
        entry.refresh_from_db()
        assert 0 < entry.minutes <= 24 * 60
        assert entry.date <= TODAY
        assert not entry.topics.filter(is_archived=True).exists()
        assert LogEntry.objects.filter(learner=learner, date=entry.date).count() == 1

    assert_refused_or_saved(form, save)


@given(
    data=form_data(
        display_name=values("Ada"),
        visibility=values("private", "unlisted", "public"),
        share_log_notes=values("on"),
        timezone=values("UTC", "Europe/Berlin", "Pacific/Kiritimati", "Etc/GMT+12"),
        journey_start=values("2025-01-01", (TODAY + timedelta(days=400)).isoformat()),
    )
)
def test_profile_form(world, data):
    _, learner = world
    profile = Profile.objects.for_user(learner)
    form = ProfileForm(data, instance=profile)

    def save():
        saved = form.save()
        saved.refresh_from_db()
        assert saved.visibility in {"private", "unlisted", "public"}
        saved.today()  # the time zone is one zoneinfo knows

    assert_refused_or_saved(form, save)


@given(
    data=form_data(
        title=values("Great video"),
        url=values(
            "https://example.org/video", "http://example.org/x", "javascript:alert(1)", "https://[::1"
        ),
        kind=values("video_series", "textbook"),
        access=values("free", "paid"),
        why=values("It clicked."),
    )
)
def test_suggestion_form(world, data):
    _, learner = world
    form = SuggestionForm(data, learner=learner)

    def save():
        suggestion = form.save(commit=False)
        suggestion.suggester = learner
        suggestion.topic = Topic.objects.get(slug="limits")
        suggestion.save()
        assert suggestion.url.lower().startswith(("http://", "https://"))

    assert_refused_or_saved(form, save)


@given(data=form_data(rating=values("", "1", "5", "6")))
def test_rating_form(data):
    form = RatingForm(data)

    if form.is_valid():
        assert form.cleaned_data["rating"] in {None, 1, 2, 3, 4, 5}
    else:
        assert form.errors


# -- the roadmap file ------------------------------------------------------------------------


@given(st.text(max_size=2000))
def test_any_text_is_parsed_or_refused_with_line_numbered_errors(text):
    try:
        roadmap_file.parse(text)
    except roadmap_file.RoadmapFileError as refused:
        assert refused.errors
        assert all(error.startswith("line ") for error in refused.errors)


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**20), 10**20),
    st.floats(),
    nasty_text,
    st.dates(),
)
yaml_values = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(nasty_text, children, max_size=4),
    max_leaves=20,
)


def mutate(document, path: list, value):
    """document with the value at `path` (indices into dict items / list elements) replaced."""
    if not path or not isinstance(document, dict | list) or not document:
        return value
    index = path[0] % len(document)
    if isinstance(document, dict):
        key = list(document)[index]
        return {**document, key: mutate(document[key], path[1:], value)}
    return [*document[:index], mutate(document[index], path[1:], value), *document[index + 1 :]]


slugs = st.one_of(
    st.sampled_from(["limits", "derivatives", "vectors", "book", "course", "calculus"]),
    st.from_regex(r"[a-z0-9]{1,5}(-[a-z0-9]{1,5}){0,3}", fullmatch=True),
    st.text(max_size=90),
)


@given(st.lists(st.integers(0, 50), max_size=6), st.one_of(yaml_values, slugs))
@example([0, 0], None)  # found by this test: `slug:` left empty was accepted as ""
@example([20, 0, 20], None)  # found by this test: a section with `topics:` empty did not round-trip
def test_a_real_file_with_any_value_swapped_is_parsed_and_applied_or_refused(world, path, value):
    document = mutate(yaml.safe_load(V1), path, value)
    try:
        text = yaml.safe_dump(document, allow_unicode=True, sort_keys=False)
    except yaml.YAMLError:
        return
    assert_parsed_file_applies(text)


# Every text field of the file, by where it sits; slugs only where nothing refers to them.
TEXT_FIELDS = [
    ("roadmap", "title"),
    ("roadmap", "description"),
    ("resources", 0, "title"),
    ("resources", 0, "url"),
    ("sections", 0, "slug"),
    ("sections", 0, "title"),
    ("sections", 0, "topics", 0, "title"),
    ("sections", 0, "topics", 0, "summary"),
    ("sections", 0, "topics", 2, "slug"),
    ("sections", 0, "topics", 1, "requires", 0),
]
long_slugs = st.integers(60, 200).map(lambda n: "-".join(["abcdefghi"] * (n // 10 + 1))[:n].strip("-"))


@given(st.sampled_from(TEXT_FIELDS), st.one_of(nasty_text, slugs, long_slugs))
@example(("sections", 0, "slug"), "a" * 81)  # found by this test: slugs longer than their column
@example(("sections", 0, "topics", 0, "title"), "Limits\x00")  # found by this test: YAML's "\0" escape
def test_any_text_in_any_field_of_a_real_file_is_applied_or_refused(world, field, value):
    document = yaml.safe_load(V1)
    *parents, last = field
    target = document
    for key in parents:
        target = target[key]
    target[last] = {"topic": "limits", "reason": value} if field[-2:] == ("requires", 0) else value
    assert_parsed_file_applies(yaml.safe_dump(document, allow_unicode=True, sort_keys=False))


@given(
    st.lists(
        st.tuples(
            slugs,
            nasty_text,
            st.lists(slugs, max_size=3),
            st.one_of(st.integers(-5, 20000), st.floats(), nasty_text),
        ),
        min_size=1,
        max_size=8,
    ),
    slugs,
)
def test_generated_roadmaps_are_parsed_and_applied_or_refused(world, topics, roadmap_slug):
    document = yaml.safe_load(V1)
    document["roadmap"]["slug"] = roadmap_slug
    document["sections"][0]["topics"] = [
        {"slug": slug, "title": title, "hours": hours, "summary": "s", "requires": requires}
        for slug, title, requires, hours in topics
    ]
    assert_parsed_file_applies(yaml.safe_dump(document, allow_unicode=True, sort_keys=False))


def fits_the_database(data: roadmap_file.RoadmapData) -> None:
    """Everything parse() accepted fits the columns it is written to (PostgreSQL enforces this)."""
    checks = [
        (Roadmap, "slug", data.slug),
        (Roadmap, "title", data.title),
        (Roadmap, "description", data.description),
    ]
    for resource in data.resource_defs:
        checks += [
            (Resource, name, getattr(resource, name))
            for name in ("slug", "title", "author", "url", "note", "recommended_by")
        ]
    for section in data.sections:
        checks += [
            (Section, "slug", section.slug),
            (Section, "title", section.title),
            (Section, "summary", section.summary),
        ]
        for topic in section.topics:
            checks += [
                (Topic, "slug", topic.slug),
                (Topic, "title", topic.title),
                (Topic, "summary", topic.summary),
            ]
            checks += [
                (roadmap_file.Prerequisite, "reason", requirement.reason) for requirement in topic.requires
            ]
    for model, name, value in checks:
        limit = model._meta.get_field(name).max_length
        assert "\x00" not in value, (model.__name__, name)
        assert limit is None or len(value) <= limit, (model.__name__, name, len(value))


def assert_parsed_file_applies(text: str) -> None:
    try:
        data = roadmap_file.parse(text)
    except roadmap_file.RoadmapFileError as refused:
        assert refused.errors
        return
    fits_the_database(data)

    def apply_then_reimport_the_export():
        roadmap_file.apply(data)
        exported = roadmap_file.export(Roadmap.objects.get(slug=data.slug))
        assert not roadmap_file.apply(roadmap_file.parse(exported)).changed  # export → import is a no-op

    rolled_back(apply_then_reimport_the_export)
