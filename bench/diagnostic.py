"""How well the placement diagnostic places simulated learners on the shipped roadmap.

    make bench-diagnostic                        # 1,000 learners, seed 1
    .venv/bin/python bench/diagnostic.py --learners 200 --seed 7
    .venv/bin/python bench/diagnostic.py --choices 4   # as if every question were 4-choice

Reads the roadmap (and the problems file or drafts, for what can be guessed) with the
project's parser, no database; bench/simulated_learners.py says how learners are drawn and
how they answer. Prints the share of topics classified correctly and the problems it took,
as a distribution over the learners and by learner level. Seeded: the same arguments print
the same figures.
"""

import argparse
import statistics
import sys
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import bench.setup_django  # noqa: F401 - django.setup(): the roadmap file's parser uses the models
from bench.simulated_learners import (
    LEVELS,
    Run,
    load_guesses,
    load_needs,
    percentiles,
    problem_files,
    simulate,
)


def table(runs: Sequence[Run]) -> list[str]:
    share = percentiles([r.share for r in runs])
    asked = percentiles([r.asked for r in runs])
    lines = [
        "| over all learners | min | p10 | p25 | median | p75 | p90 |",
        "|---|---|---|---|---|---|---|",
        "| topics classified correctly | " + " | ".join(f"{share[k]:.1%}" for k in share) + " |",
        "| problems asked | " + " | ".join(f"{asked[k]:g}" for k in asked) + " |",
        "",
        "| level (share of topics known) | learners | median correct | mean correct | p10 correct "
        "| median problems | unknown topics proposed known (mean) |",
        "|---|---|---|---|---|---|---|",
    ]
    for index, level in enumerate(LEVELS):
        group = [r for r in runs if r.level == level]
        if not group:
            continue
        low, high = index * 100 // len(LEVELS), (index + 1) * 100 // len(LEVELS)
        lines.append(
            f"| {level} ({low}–{high}%) | {len(group)} | {statistics.median(r.share for r in group):.1%} "
            f"| {statistics.mean(r.share for r in group):.1%} | {percentiles([r.share for r in group])['p10']:.1%} "
            f"| {statistics.median(r.asked for r in group):g} "
            f"| {statistics.mean(r.false_known / r.topics for r in group):.1%} |"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--choices", type=int, default=0, help="treat every topic as a k-choice question")
    args = parser.parse_args()

    needs = load_needs()
    files = problem_files()
    guesses = load_guesses(list(needs), files)
    if args.choices:
        guesses = dict.fromkeys(needs, 1 / args.choices)
        source = f"every question {args.choices}-choice (--choices)"
    else:
        source = ", ".join(str(f) for f in files) if files else "no problems file: every question numeric"
    runs = simulate(needs, guesses, learners=args.learners, seed=args.seed)
    edges = sum(len(v) for v in needs.values())
    print(f"{len(needs)} topics, {edges} edges; {args.learners} learners, seed {args.seed}; {source}")
    print(f"mean share classified correctly: {statistics.mean(r.share for r in runs):.1%}\n")
    print("\n".join(table(runs)))


if __name__ == "__main__":
    main()
