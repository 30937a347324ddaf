"""check_roadmap: a clean roadmap passes; each rule, broken alone, fails naming the problem."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from roadmap.curriculum import checks, roadmap_file
from roadmap.models import Roadmap, Topic
from tests.factories import PracticeExerciseFactory, PracticeTaskFactory, TopicFactory

CLEAN = (Path(__file__).parent / "roadmap_files" / "clean.yaml").read_text(encoding="utf-8")
# Its bank: three problems on each topic, so no topic waits for its checks.
CLEAN_BANK = (Path(__file__).parent / "roadmap_files" / "clean.problems.yaml").read_text(encoding="utf-8")


def import_text(text: str, bank: str | None = CLEAN_BANK) -> Roadmap:
    data = roadmap_file.parse(text)
    slugs = {topic.slug for topic in data.topics()}
    # Rules broken alone may drop a topic; its problems go with it.
    parsed = roadmap_file.parse_bank(bank, slugs | {"counting", "adding"}) if bank else None
    if parsed:
        parsed = {slug: problems for slug, problems in parsed.items() if slug in slugs}
    roadmap_file.apply_all(data, parsed, reason="test")
    return Roadmap.objects.get(slug="checked")


def run_check(*args) -> str:
    out = StringIO()
    call_command("check_roadmap", *args, stdout=out)
    return out.getvalue()


def failing(*args) -> str:
    out = StringIO()
    with pytest.raises(CommandError) as excinfo:
        call_command("check_roadmap", *args, stdout=out)
    return out.getvalue() + str(excinfo.value)


def test_a_clean_roadmap_passes(db):
    import_text(CLEAN)

    assert run_check("checked") == "checked: no errors, 0 warning(s).\n"


def test_the_default_roadmap_is_checked_without_an_argument(db, settings):
    settings.MATHPATH_DEFAULT_ROADMAP = "checked"
    import_text(CLEAN)

    assert "checked: no errors" in run_check()


def test_an_unknown_roadmap_fails(db):
    assert "No roadmap with slug 'ghost'" in failing("ghost")


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        pytest.param(
            "      reason: you add counts\n", "", "edge adding → counting has no reason.", id="no-reason"
        ),
        pytest.param(
            "  access: free\n- slug: clip",
            "  access: paid\n- slug: clip",
            "topic adding has no free resource.",
            id="no-free",
        ),
        pytest.param(
            "      practice: chapter 1 exercises\n",
            "",
            "topic counting has no free resource to practise with.",
            id="no-practice",
        ),
        pytest.param(
            "https://example.com/book",
            "https://www.google.com/search?q=counting",
            "a Google search page",
            id="google",
        ),
        pytest.param(
            "https://example.com/book",
            "https://www.youtube.com/results?search_query=x",
            "a YouTube search page",
            id="yt-search",
        ),
        pytest.param(
            "https://example.com/book",
            "https://www.youtube.com/@someone",
            "a bare YouTube channel",
            id="yt-channel",
        ),
        pytest.param(
            "https://example.com/book", "https://x.com/someone", "a bare X/Twitter profile", id="x-profile"
        ),
        pytest.param(
            "    goal: Adding is what everything after it is made of.\n",
            "",
            "topic adding is a dead end",
            id="dead-end",
        ),
        pytest.param(
            "    hours: 2\n",
            "    hours: 61\n",
            "topic counting has 61.0 hours, outside 0.5 to 60.",
            id="too-long",
        ),
        pytest.param("    hours: 2\n", "    hours: 0.2\n", "topic counting has 0.2 hours", id="too-short"),
    ],
)
def test_each_rule_broken_alone_fails_naming_the_problem(db, old, new, expected):
    assert old in CLEAN
    import_text(CLEAN.replace(old, new, 1))

    output = failing("checked")

    assert expected in output
    assert "checked: 1 error(s)" in output or expected.startswith("topic adding has no free resource.")


def test_a_need_outside_the_prerequisites_fails_naming_it(db):
    text = CLEAN.replace("    needs:\n    - counting\n", "").replace(
        "    summary: Counts things.\n", "    summary: Counts things.\n    needs:\n    - adding\n"
    )
    import_text(
        text.replace("    goal: Adding", "    goal: Adding").replace(
            "  - slug: counting\n", "  - slug: counting\n    goal: Counting.\n"
        )
    )

    assert "topic counting needs adding, outside its prerequisites." in failing("checked")


def test_a_practice_task_on_an_archived_topic_fails(db):
    roadmap = import_text(CLEAN)
    task = PracticeTaskFactory(section=roadmap.sections.get())
    PracticeExerciseFactory(
        task=task, topic=TopicFactory(section=task.section, is_archived=True, slug="gone")
    )

    assert f"practice task {task.slug} exercises archived topic gone." in failing("checked")


@pytest.mark.parametrize(
    ("kind", "url", "expected"),
    [
        ("video", "https://www.youtube.com/playlist?list=PL1", "kind video, but the URL is a playlist"),
        (
            "video_series",
            "https://www.youtube.com/watch?v=abc",
            "kind video_series, but the URL is a single video",
        ),
    ],
)
def test_a_kind_the_url_contradicts_is_a_warning_that_does_not_fail(db, kind, url, expected):
    import_text(
        CLEAN.replace("https://www.youtube.com/watch?v=abc123\n  kind: video", f"{url}\n  kind: {kind}")
    )

    output = run_check("checked")

    assert f"warning: resource clip: {expected}" in output
    assert "no errors, 1 warning(s)" in output


def test_a_topic_with_fewer_than_three_problems_is_a_warning(db):
    import_text(CLEAN, bank=None)

    output = run_check("checked")

    assert "warning: topic counting has 0 check problem(s); a check asks 3." in output
    assert "checked: no errors, 2 warning(s)" in output


def test_every_finding_names_an_object_with_an_admin_page(db, admin_user):
    roadmap = import_text(
        CLEAN.replace("      reason: you add counts\n", "").replace("    hours: 2\n", "    hours: 90\n")
    )

    findings = checks.check(roadmap)

    assert {type(f.obj).__name__ for f in findings} == {"Prerequisite", "Topic"}
    assert all(f.admin_url and f.admin_url.startswith("/admin/roadmap/") for f in findings)


def test_the_check_runs_in_a_fixed_number_of_queries(db, django_assert_max_num_queries):
    roadmap = import_text(CLEAN)
    for index in range(10):
        TopicFactory(section=roadmap.sections.get(), roadmap=roadmap, slug=f"extra-{index}")

    with django_assert_max_num_queries(12):
        checks.check(Roadmap.objects.get(pk=roadmap.pk))
    assert Topic.objects.filter(roadmap=roadmap).count() == 12
