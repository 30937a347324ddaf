"""The check-problem bank file: parse_bank's refusals, apply_bank's upserts, export_bank, the commands."""

from io import StringIO
from textwrap import dedent

import pytest
from django.core.management import CommandError, call_command

from roadmap.checking import topic_check
from roadmap.curriculum import roadmap_file
from roadmap.models import Problem, Roadmap, TopicCheck
from tests.factories import UserFactory
from tests.roadmap.curriculum.roadmap_texts import line_of
from tests.roadmap.curriculum.test_roadmap_file import SMALL, import_text

# For SMALL's topics, written the way export_bank() writes, so export(import(BANK)) == BANK.
BANK = dedent("""\
    topics:
      counting:
        abilities:
          count: count a set
        problems:
        - key: five
          ability: count
          difficulty: 1
          kind: numeric
          statement: How many corners has a pentagon?
          answer: '5'
          solution: Count them, one per side.
      adding:
        abilities:
          add: add two numbers
          explain: say what a sum is
        problems:
        - key: sum
          ability: add
          difficulty: 1
          kind: numeric
          statement: Compute $2 + 3$.
          answer: '5'
          solution: $2 + 3 = 5$.
          compute: 2 + 3
        - key: pick
          ability: explain
          difficulty: 2
          kind: choice
          statement: Which is $2 + 2$?
          choices:
          - $3$
          - $4$
          - $5$
          answer: B
          solution: Two and two make $4$.
        - key: evens
          ability: explain
          difficulty: 2
          kind: multiple
          statement: Which sums are even?
          choices:
          - $1 + 1$
          - $1 + 2$
          - $2 + 2$
          answer:
          - A
          - C
          solution: $2$ and $4$ are even.
        - key: double
          ability: add
          difficulty: 3
          kind: expression
          statement: Write $x + x$ more simply.
          answer: 2x
          tolerance: 0.001
          variables:
          - x
          domain:
            x:
            - -2
            - 2
          solution: Two of them, $2x$.
    """)
SLUGS = {"counting", "adding", "multiplying"}


@pytest.fixture
def demo(db) -> Roadmap:
    import_text(SMALL)
    return Roadmap.objects.get(slug="demo")


def apply(roadmap: Roadmap, text: str = BANK, reason: str = "Imported from demo.problems.yaml"):
    return roadmap_file.apply_bank(roadmap, roadmap_file.parse_bank(text, SLUGS), reason=reason)


def bank_refusal(text: str) -> list[str]:
    with pytest.raises(roadmap_file.RoadmapFileError) as excinfo:
        roadmap_file.parse_bank(text, SLUGS)
    return excinfo.value.errors


def problems() -> list[tuple]:
    return list(
        Problem.objects.order_by("pk").values_list("topic__slug", "key", "order", "answer", "is_archived")
    )


# -- parse_bank: what it reads ------------------------------------------------------------


def test_the_bank_is_read_by_topic_with_every_field():
    bank = roadmap_file.parse_bank(BANK, SLUGS)

    assert list(bank) == ["counting", "adding"]
    assert [p.key for p in bank["adding"]] == ["sum", "pick", "evens", "double"]
    pick, evens, double = bank["adding"][1:]
    assert (pick.kind, pick.choices, pick.answer, pick.ability_text) == (
        "choice",
        ["$3$", "$4$", "$5$"],
        "B",
        "say what a sum is",
    )
    assert evens.answer == "A,C"  # a list of letters in the file
    assert (double.variables, double.domain, double.tolerance) == (["x"], {"x": [-2, 2]}, 0.001)
    assert bank["adding"][0].compute == "2 + 3"
    assert bank["adding"][0].line == line_of(BANK, "- key: sum")


# -- parse_bank: what it refuses, with the line --------------------------------------------


def test_an_unknown_topic_is_refused_with_its_line():
    bad = BANK.replace("  adding:\n", "  ghost:\n")

    assert bank_refusal(bad) == [
        f"line {line_of(bad, '  ghost:')}: 'ghost' is not a topic of the roadmap file."
    ]


def test_an_unknown_ability_is_refused_with_its_line():
    bad = BANK.replace(
        "      ability: explain\n      difficulty: 2\n      kind: choice",
        "      ability: guess\n      difficulty: 2\n      kind: choice",
    )

    assert bank_refusal(bad) == [
        f"line {line_of(bad, 'ability: guess')}: adding/pick: ability 'guess' is not among the topic's abilities."
    ]


def test_a_key_that_is_not_a_slug_is_refused():
    bad = BANK.replace("- key: five", "- key: Five Corners")

    [error] = bank_refusal(bad)
    assert error.startswith(f"line {line_of(bad, 'key: Five Corners')}: 'key' 'Five Corners' is not a slug")


def test_a_key_used_twice_in_a_topic_is_refused():
    bad = BANK.replace("- key: pick", "- key: sum")

    second = line_of(bad, "kind: choice") - 3  # the list item of the second "sum"
    assert bank_refusal(bad) == [f"line {second}: adding: key 'sum' is used twice."]


def test_an_answer_key_that_does_not_parse_is_refused():
    bad = BANK.replace("answer: 2x\n", "answer: 2x +\n")

    [error] = bank_refusal(bad)
    assert error.startswith(f"line {line_of(bad, 'answer: 2x +')}: adding/double: The key does not parse: ")


def test_a_numeric_key_that_is_not_a_finite_number_is_refused():
    bad = BANK.replace("answer: '5'\n      solution: Count", "answer: 1/0\n      solution: Count")

    [error] = bank_refusal(bad)
    assert error.startswith(f"line {line_of(bad, 'answer: 1/0')}: counting/five: ")


def test_a_formula_that_does_not_convert_is_refused():
    bad = BANK.replace("statement: Compute $2 + 3$.", "statement: Compute $2 + ^$.")

    [error] = bank_refusal(bad)
    assert error.startswith(
        f"line {line_of(bad, 'Compute $2 + ^$')}: adding/sum: The formula $2 + ^$ could not be read"
    )


def test_a_formula_in_a_choice_or_a_solution_is_checked_too():
    bad = BANK.replace("- $5$", "- $\\frac{$").replace("Two and two make $4$.", "Two and two make $x^$.")

    solution, choice = bank_refusal(bad)
    assert solution.startswith(f"line {line_of(bad, 'make $x^$')}: adding/pick: The formula $x^$")
    choices = line_of(bad, "kind: choice") + 2
    assert choice.startswith(
        f"line {choices}: adding/pick: Choice C: The formula $\\frac{{$ could not be read"
    )


@pytest.mark.parametrize(
    ("old", "new"),
    [("answer: B\n", "answer: D\n"), ("      - A\n      - C\n", "      - A\n      - F\n")],
    ids=["choice", "multiple"],
)
def test_a_letter_without_a_choice_is_refused(old, new):
    bad = BANK.replace(old, new)

    [error] = bank_refusal(bad)
    assert error.endswith("The answer must be letters among A, B, C.")


def test_every_error_is_reported_and_the_whole_file_refused(demo):
    bad = BANK.replace("  counting:\n", "  ghost:\n").replace("answer: 2x\n", "answer: 2x +\n")
    bad = bad.replace("difficulty: 3", "difficulty: 7")

    errors = bank_refusal(bad)

    assert len(errors) == 3
    assert [int(e.split(":")[0].removeprefix("line ")) for e in errors] == [
        line_of(bad, "ghost:"),
        line_of(bad, "difficulty: 7"),
        line_of(bad, "answer: 2x +"),
    ]
    assert not Problem.objects.exists()


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("      ability: add\n      difficulty: 1", "      ability: [add]\n      difficulty: 1", "ability"),
        ("        - -2\n        - 2\n", "        - low\n        - 2\n", "domain"),
        (
            "      difficulty: 1\n      kind: numeric\n      statement: How",
            "      difficulty: true\n      kind: numeric\n      statement: How",
            "difficulty",
        ),
        ("      domain:\n        x:", "      domain:\n        y:", "domain"),
        ("      tolerance: 0.001", "      tolerance: -1", "tolerance"),
        ("      kind: numeric\n      statement: How", "      kind: essay\n      statement: How", "Kind"),
        ("  count: count a set", "  count: ''", "ability"),
        ("    problems:\n    - key: five", "    problems: five\n    other:\n    - key: five", "must be"),
    ],
    ids=[
        "ability-list",
        "domain-text",
        "difficulty-bool",
        "domain-name",
        "tolerance",
        "kind",
        "phrase",
        "shape",
    ],
)
def test_malformed_values_are_refused_with_a_message_not_a_crash(old, new, message):
    assert old in BANK
    errors = bank_refusal(BANK.replace(old, new, 1))

    assert errors and all(error.startswith("line ") for error in errors)
    assert any(message in error for error in errors), errors


def test_a_file_that_is_not_yaml_is_refused_with_its_line():
    assert bank_refusal("topics:\n  adding: [\n")[0].startswith("line 3: not valid YAML")


def test_a_domain_that_is_not_a_mapping_is_refused():
    bad = BANK.replace("      domain:\n        x:\n        - -2\n        - 2\n", "      domain: [-2, 2]\n")

    [error] = bank_refusal(bad)
    assert (
        error
        == f"line {line_of(bad, 'domain: [-2, 2]')}: adding/double: the domain maps each variable to [low, high]."
    )


# -- apply_bank ------------------------------------------------------------------------------


def history_rows() -> list[tuple]:
    return list(
        Problem.history.order_by("history_id").values_list("key", "history_type", "history_change_reason")
    )


def test_applying_creates_the_problems_in_file_order_with_history(demo):
    report = apply(demo)

    assert str(report) == "check problems: 5 created, 0 updated, 0 unchanged, 0 archived"
    assert problems() == [
        ("counting", "five", 0, "5", False),
        ("adding", "sum", 0, "5", False),
        ("adding", "pick", 1, "B", False),
        ("adding", "evens", 2, "A,C", False),
        ("adding", "double", 3, "2x", False),
    ]
    assert history_rows() == [
        (key, "+", "Imported from demo.problems.yaml") for key in ("five", "sum", "pick", "evens", "double")
    ]
    double = Problem.objects.get(key="double")
    assert (double.variables, double.domain, double.tolerance) == (["x"], {"x": [-2, 2]}, 0.001)


def test_a_second_import_changes_nothing_and_writes_no_history(demo):
    apply(demo)
    rows, history = list(Problem.objects.order_by("pk").values()), history_rows()

    report = apply(demo, reason="Again")

    assert str(report) == "check problems: 0 created, 0 updated, 5 unchanged, 0 archived"
    assert list(Problem.objects.order_by("pk").values()) == rows
    assert history_rows() == history


def test_an_edited_problem_is_updated_in_place_with_a_history_row(demo):
    apply(demo)
    pick = Problem.objects.get(key="pick")
    learner = UserFactory()
    check = TopicCheck.objects.create(learner=learner, topic=pick.topic, problem_ids=[pick.pk])

    report = apply(demo, BANK.replace("Which is $2 + 2$?", "Which one is $2 + 2$?"), reason="Reworded")

    assert (report.created, report.updated, report.unchanged) == (0, 1, 4)
    pick.refresh_from_db()
    assert pick.statement == "Which one is $2 + 2$?"
    assert check_problems_of(check) == [pick]  # same row: answers and checks still point at it
    assert history_rows()[-1] == ("pick", "~", "Reworded")


def check_problems_of(check: TopicCheck) -> list[Problem]:
    return topic_check.check_problems(TopicCheck.objects.get(pk=check.pk))


def test_a_problem_left_out_is_archived_and_never_drawn_again(demo):
    apply(demo)
    without_sum = BANK.split("    - key: sum\n")[0] + "    - key: pick\n" + BANK.split("    - key: pick\n")[1]

    report = apply(demo, without_sum, reason="Dropped sum")

    assert (report.created, report.archived) == (0, 1)
    assert (report.updated, report.unchanged) == (3, 1)  # pick, evens and double move up one
    total = Problem.objects.get(key="sum")
    assert total.is_archived
    assert history_rows()[-1] == ("sum", "~", "Dropped sum")
    learner = UserFactory()
    for _ in range(10):
        check = topic_check.open_check(learner, total.topic)
        assert total.pk not in check.problem_ids
        check.delete()
    # And a second import without it archives nothing more.
    assert apply(demo, without_sum).archived == 0


def test_a_problem_back_in_the_file_is_restored(demo):
    apply(demo)
    Problem.objects.filter(key="sum").update(is_archived=True)

    report = apply(demo)

    assert report.updated == 1
    assert not Problem.objects.get(key="sum").is_archived


def test_moving_a_problem_within_its_topic_changes_only_the_order(demo):
    apply(demo)
    pick_block = BANK.split("    - key: pick\n")[1].split("    - key: evens\n")[0]
    moved = BANK.replace("    - key: pick\n" + pick_block, "").replace(
        "    - key: double\n", "    - key: pick\n" + pick_block + "    - key: double\n"
    )

    report = apply(demo, moved)

    adding = sorted((order, key) for slug, key, order, *_ in problems() if slug == "adding")
    assert [key for _, key in adding] == ["sum", "evens", "pick", "double"]
    assert (report.updated, report.unchanged) == (2, 3)  # pick and evens swapped places


# -- export_bank --------------------------------------------------------------------------------


def test_export_writes_the_file_it_was_imported_from(demo):
    apply(demo)

    assert roadmap_file.export_bank(demo) == BANK


def test_export_leaves_out_archived_problems(demo):
    apply(demo)
    Problem.objects.filter(key="five").update(is_archived=True)

    assert "key: five" not in roadmap_file.export_bank(demo)


def test_the_shipped_bank_round_trips_unchanged(seeded_roadmap):
    rows, history = list(Problem.objects.order_by("pk").values()), Problem.history.count()
    slugs = set(seeded_roadmap.topics.values_list("slug", flat=True))

    exported = roadmap_file.export_bank(seeded_roadmap)
    report = roadmap_file.apply_bank(
        seeded_roadmap, roadmap_file.parse_bank(exported, slugs), reason="Round trip"
    )

    assert (report.created, report.updated, report.archived) == (0, 0, 0)
    assert report.unchanged == len(rows) == 931
    assert list(Problem.objects.order_by("pk").values()) == rows
    assert Problem.history.count() == history


# -- the commands --------------------------------------------------------------------------------


def test_import_roadmap_picks_up_the_bank_beside_the_file_and_reports_it(db, tmp_path):
    (tmp_path / "demo.yaml").write_text(SMALL, encoding="utf-8")
    (tmp_path / "demo.problems.yaml").write_text(BANK, encoding="utf-8")
    out = StringIO()

    call_command("import_roadmap", str(tmp_path / "demo.yaml"), stdout=out)

    assert "check problems: 5 created, 0 updated, 0 unchanged, 0 archived" in out.getvalue()
    assert f"(from {tmp_path / 'demo.problems.yaml'})" in out.getvalue()
    assert Problem.objects.count() == 5
    assert Problem.history.first().history_change_reason == "Imported from demo.yaml"

    out = StringIO()
    call_command("import_roadmap", str(tmp_path / "demo.yaml"), stdout=out)

    assert "check problems: 0 created, 0 updated, 5 unchanged, 0 archived" in out.getvalue()


def test_import_roadmap_without_a_bank_leaves_the_problems_alone(demo, tmp_path):
    apply(demo)
    (tmp_path / "demo.yaml").write_text(SMALL, encoding="utf-8")
    out = StringIO()

    call_command("import_roadmap", str(tmp_path / "demo.yaml"), stdout=out)

    assert "check problems" not in out.getvalue()
    assert Problem.objects.filter(is_archived=False).count() == 5


def test_import_roadmap_takes_a_bank_named_on_the_command_line(db, tmp_path):
    (tmp_path / "demo.yaml").write_text(SMALL, encoding="utf-8")
    (tmp_path / "elsewhere.yaml").write_text(BANK, encoding="utf-8")

    call_command(
        "import_roadmap",
        str(tmp_path / "demo.yaml"),
        "--problems",
        str(tmp_path / "elsewhere.yaml"),
        stdout=StringIO(),
    )

    assert Problem.objects.count() == 5


def test_import_roadmap_refuses_a_bad_bank_and_changes_nothing(db, tmp_path):
    (tmp_path / "demo.yaml").write_text(SMALL, encoding="utf-8")
    bad = BANK.replace("answer: B\n", "answer: Z\n")
    (tmp_path / "demo.problems.yaml").write_text(bad, encoding="utf-8")

    with pytest.raises(CommandError) as excinfo:
        call_command("import_roadmap", str(tmp_path / "demo.yaml"), stdout=StringIO())

    message = str(excinfo.value)
    path = tmp_path / "demo.problems.yaml"
    assert f"{path} was refused (1 problem(s)); nothing was changed." in message
    assert (
        f"{path}:{line_of(bad, 'answer: Z')}: adding/pick: The answer must be letters among A, B, C."
        in message
    )
    assert not Roadmap.objects.filter(slug="demo").exists()  # the roadmap file was not applied either
    assert not Problem.objects.exists()


def test_export_roadmap_writes_the_bank_to_a_file_that_imports_back_unchanged(demo, tmp_path):
    apply(demo)
    roadmap_path, bank_path = tmp_path / "out.yaml", tmp_path / "out.problems.yaml"
    err = StringIO()

    call_command(
        "export_roadmap",
        "--roadmap",
        "demo",
        "--output",
        str(roadmap_path),
        "--problems",
        str(bank_path),
        stderr=err,
    )

    assert bank_path.read_text(encoding="utf-8") == BANK
    assert f"Wrote {bank_path}." in err.getvalue()
    out = StringIO()
    call_command("import_roadmap", str(roadmap_path), stdout=out)
    assert "0 created, 0 updated, 5 unchanged, 0 archived" in out.getvalue()
