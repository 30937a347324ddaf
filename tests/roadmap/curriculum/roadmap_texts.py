"""Reading the roadmap file's refusals, for the tests of parse() and the import command."""

import pytest

from roadmap.curriculum import roadmap_file


def line_of(text: str, marker: str) -> int:
    """The 1-based line of the one line of text containing marker."""
    lines = [number for number, line in enumerate(text.splitlines(), start=1) if marker in line]
    assert len(lines) == 1, f"{marker!r} is on lines {lines}"
    return lines[0]


def refusal(text: str) -> list[str]:
    with pytest.raises(roadmap_file.RoadmapFileError) as excinfo:
        roadmap_file.parse(text)
    return excinfo.value.errors
