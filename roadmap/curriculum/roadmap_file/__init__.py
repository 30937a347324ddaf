"""The curated roadmap as a readable, diffable YAML file keyed by slugs.

- parse.py: `parse()` validates a whole file and reports every problem with its line;
- apply.py: `apply()` upserts a parsed file by slug inside one transaction;
- export.py: `export()` writes the same format back, so export → import is a no-op.

Learner data is never touched: topics missing from a file are archived, not
deleted, and progress rows are not read or written here.

Callers use this package's names (`roadmap_file.parse(...)`), not the modules:
each function below shadows the module it is named after.
"""

from roadmap.curriculum.roadmap_file.apply import ImportReport, apply
from roadmap.curriculum.roadmap_file.export import export
from roadmap.curriculum.roadmap_file.parse import RoadmapData, RoadmapFileError, parse

# tests/property/test_form_fuzz.py reads the edge model as `roadmap_file.Prerequisite`.
from roadmap.models import Prerequisite

__all__ = ["ImportReport", "Prerequisite", "RoadmapData", "RoadmapFileError", "apply", "export", "parse"]
