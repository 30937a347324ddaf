"""Which problems a learner gets: three for a topic check, one for a review or a diagnostic step.

Pure choice over what the bank offers (anything with `id`, `ability` and
`difficulty`), with the randomness passed in so tests can fix it.
"""

import random
from collections.abc import Collection, Sequence
from typing import Protocol, TypeVar

CHECK_SIZE = 3


class Drawable(Protocol):
    id: int
    ability: str
    difficulty: int


P = TypeVar("P", bound=Drawable)


def draw_check(
    bank: Sequence[P], last: Collection[int], rng: random.Random, size: int = CHECK_SIZE
) -> list[P]:
    """`size` problems, none from the learner's last check of the topic where the bank allows.

    Spread over the topic's abilities first (a check should test what the summary
    claims, not one skill three times), then over difficulties; shown easiest first.
    """
    fresh = [p for p in bank if p.id not in last]
    seen = [p for p in bank if p.id in last]
    chosen: list[P] = []
    abilities: set[str] = set()
    difficulties: set[int] = set()
    # Fresh problems first, all of them if need be; last time's only to top up a small bank
    # (rather than ask fewer). Spreading the abilities never brings a seen one in early.
    for pool in (fresh, seen):
        shuffled = list(pool)
        rng.shuffle(shuffled)
        # Three passes, each less picky: a new ability and difficulty, a new ability, anything.
        for wanted in (
            lambda p: p.ability not in abilities and p.difficulty not in difficulties,
            lambda p: p.ability not in abilities,
            lambda p: True,
        ):
            for problem in shuffled:
                if len(chosen) == size:
                    break
                if problem not in chosen and wanted(problem):
                    chosen.append(problem)
                    abilities.add(problem.ability)
                    difficulties.add(problem.difficulty)
    return sorted(chosen, key=lambda p: (p.difficulty, p.id))


def draw_one(bank: Sequence[P], avoid: Collection[int], rng: random.Random) -> P | None:
    """One problem for a review or a diagnostic step: not one just seen, where the bank allows."""
    if not bank:
        return None
    fresh = [p for p in bank if p.id not in avoid] or list(bank)
    return rng.choice(fresh)
