"""The curated roadmap as a readable, diffable YAML file keyed by slugs.

- reader.py: YAML with line numbers, and the value checks every key shares;
- parse.py: `parse()` validates a whole file and reports every problem with its line;
- apply.py: `apply()` upserts a parsed file by slug inside one transaction;
- existing.py: what the database holds of the roadmap, read once per import (one query per model);
- inheritance.py: a new topic that `replaces:` others gets copies of their learners' progress;
- export.py: `export()` writes the same format back, so export → import is a no-op.
- bank.py: the check-problem bank, a sibling file keyed by topic slug
  (`math-for-ml.problems.yaml`): `parse_bank()`, `apply_bank()`, `export_bank()`.

Learner data stays attached: topics missing from a file are archived, not
deleted, a `was:` rename keeps the row, and the one write to progress is the
copy inheritance.py makes (under the learner's lock).

Callers use this package's names (`roadmap_file.parse(...)`), not the modules:
each function below shadows the module it is named after.
"""

from pathlib import Path

from django.db import transaction

from roadmap.curriculum.roadmap_file.apply import ImportReport, apply
from roadmap.curriculum.roadmap_file.bank import BankReport, ProblemData, apply_bank, export_bank, parse_bank
from roadmap.curriculum.roadmap_file.export import export
from roadmap.curriculum.roadmap_file.parse import RoadmapData, RoadmapFileError, parse

# tests/property/test_form_fuzz.py reads the edge model as `roadmap_file.Prerequisite`.
from roadmap.models import Prerequisite, Roadmap
from roadmap.signals import one_graph_change


def bank_path(roadmap_path: Path) -> Path:
    """Where a roadmap file's problem bank lives: `x.yaml` → `x.problems.yaml` beside it."""
    return roadmap_path.with_name(f"{roadmap_path.stem}.problems.yaml")


def apply_all(
    data: RoadmapData, bank: dict[str, list[ProblemData]] | None, *, reason: str
) -> tuple[ImportReport, BankReport | None]:
    """The roadmap and its bank in one transaction: a learner never sees one without the other."""
    with transaction.atomic(), one_graph_change():
        report = apply(data, reason=reason)
        if bank is None:
            return report, None
        return report, apply_bank(Roadmap.objects.get(slug=data.slug), bank, reason=reason)


__all__ = [
    "BankReport",
    "ImportReport",
    "Prerequisite",
    "ProblemData",
    "RoadmapData",
    "RoadmapFileError",
    "apply",
    "apply_all",
    "apply_bank",
    "bank_path",
    "export",
    "export_bank",
    "parse",
    "parse_bank",
]
