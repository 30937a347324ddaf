"""Drawing problems: three distinct ones for a check, spread over abilities, not last time's."""

import random
from dataclasses import dataclass

import pytest

from roadmap.checking.drawing import CHECK_SIZE, draw_check, draw_one


@dataclass(frozen=True)
class Drawn:
    id: int
    ability: str
    difficulty: int


def bank(*abilities: str, difficulty: int = 1) -> list[Drawn]:
    return [Drawn(i, ability, difficulty) for i, ability in enumerate(abilities, start=1)]


SEEDS = range(200)


@pytest.mark.parametrize("seed", SEEDS[:50])
def test_a_check_is_three_distinct_problems_easiest_first(seed):
    problems = [Drawn(i, f"a{i % 4}", 1 + i % 3) for i in range(1, 13)]

    drawn = draw_check(problems, set(), random.Random(seed))

    assert len(drawn) == CHECK_SIZE
    assert len({p.id for p in drawn}) == CHECK_SIZE
    assert [p.difficulty for p in drawn] == sorted(p.difficulty for p in drawn)


def test_a_check_spreads_over_the_abilities_when_the_bank_has_them():
    # Six problems on one ability, one each on two others: every draw tests all three.
    problems = bank(*["compute"] * 6, "explain", "apply")

    for seed in SEEDS:
        drawn = draw_check(problems, set(), random.Random(seed))
        assert {p.ability for p in drawn} == {"compute", "explain", "apply"}, seed


def test_a_check_spreads_over_difficulties_within_the_abilities():
    problems = [Drawn(i, f"a{i}", d) for i, d in enumerate([1, 1, 1, 1, 2, 3], start=1)]

    for seed in SEEDS:
        drawn = draw_check(problems, set(), random.Random(seed))
        assert [p.difficulty for p in drawn] == [1, 2, 3], seed


def test_a_check_avoids_the_last_checks_problems_when_the_bank_allows():
    problems = bank(*"abcdefg")
    last = {1, 2, 3}

    for seed in SEEDS:
        drawn = draw_check(problems, last, random.Random(seed))
        assert not {p.id for p in drawn} & last, seed


def test_a_small_bank_takes_every_fresh_problem_before_repeating_one():
    # Two fresh problems on one ability, three seen last time on three others: the check
    # repeats one problem, never two, however much the seen ones would spread the abilities.
    problems = [Drawn(1, "same", 1), Drawn(2, "same", 1)]
    problems += [Drawn(3, "b", 2), Drawn(4, "c", 3), Drawn(5, "d", 1)]

    for seed in SEEDS:
        drawn = {p.id for p in draw_check(problems, {3, 4, 5}, random.Random(seed))}
        assert {1, 2} <= drawn, seed
        assert len(drawn) == CHECK_SIZE


def test_a_bank_of_exactly_the_last_check_asks_it_again():
    problems = bank("a", "b", "c")

    drawn = draw_check(problems, {1, 2, 3}, random.Random(0))

    assert {p.id for p in drawn} == {1, 2, 3}


def test_a_bank_smaller_than_a_check_asks_what_it_has():
    assert [p.id for p in draw_check(bank("a", "b"), set(), random.Random(0))] == [1, 2]
    assert draw_check([], set(), random.Random(0)) == []


def test_the_same_seed_draws_the_same_check():
    problems = bank(*"abcdefgh")

    assert draw_check(problems, set(), random.Random(7)) == draw_check(problems, set(), random.Random(7))


def test_draw_one_avoids_what_was_just_seen():
    problems = bank("a", "b", "c")

    for seed in SEEDS:
        assert draw_one(problems, {1, 3}, random.Random(seed)).id == 2


def test_draw_one_repeats_only_when_everything_was_seen():
    problems = bank("a", "b")

    drawn = {draw_one(problems, {1, 2}, random.Random(seed)).id for seed in SEEDS}

    assert drawn == {1, 2}
    assert draw_one([], set(), random.Random(0)) is None
