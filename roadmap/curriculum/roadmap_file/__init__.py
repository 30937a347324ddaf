"""The curated roadmap as a readable, diffable YAML file keyed by slugs.

- reader.py: YAML with line numbers, and the value checks every key shares;
- parse.py: `parse()` validates a whole file and reports every problem with its line;
- apply.py: `apply()` upserts a parsed file by slug inside one transaction;
- existing.py: what the database holds of the roadmap, read once per import (one query per model);
- inheritance.py: a new topic that `replaces:` others gets copies of their learners' progress;
- export.py: `export()` writes the same format back, so export → import is a no-op.

Learner data stays attached: topics missing from a file are archived, not
deleted, a `was:` rename keeps the row, and the one write to progress is the
copy inheritance.py makes (under the learner's lock).

Callers use this package's names (`roadmap_file.parse(...)`), not the modules:
each function below shadows the module it is named after.
"""

from roadmap.curriculum.roadmap_file.apply import ImportReport, apply
from roadmap.curriculum.roadmap_file.export import export
from roadmap.curriculum.roadmap_file.parse import RoadmapData, RoadmapFileError, parse

# tests/property/test_form_fuzz.py reads the edge model as `roadmap_file.Prerequisite`.
from roadmap.models import Prerequisite

__all__ = ["ImportReport", "Prerequisite", "RoadmapData", "RoadmapFileError", "apply", "export", "parse"]
