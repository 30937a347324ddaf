"""Section and overall progress on hand-built graphs: counts, finishing, bar segments, checks."""

from decimal import Decimal

import pytest

from roadmap.curriculum.graph import RoadmapGraph
from roadmap.progress.analysis import SectionProgress, overall_progress, section_progress
from tests.roadmap.progress.test_gaps import LEARNING, MASTERED, PRACTISED, SKIPPED, node

# -- section_progress ---------------------------------------------------------


def sections_graph() -> RoadmapGraph:
    """Section 1 has topics 1–6 (hours 1..6), section 2 has topics 7–8."""
    return RoadmapGraph.build(
        [*(node(pk, section=1, hours=str(pk)) for pk in range(1, 7)), node(7, section=2), node(8, section=2)],
        [],
    )


def test_section_progress_counts_each_status_separately():
    progress = section_progress(
        sections_graph(), {1: MASTERED, 2: SKIPPED, 3: SKIPPED, 4: PRACTISED, 5: LEARNING, 7: MASTERED}
    )

    first = progress[1]
    assert first.total == 6
    assert first.counts == {"learning": 1, "practised": 1, "mastered": 1, "skipped": 2}
    assert first.covered == 3
    assert first.not_started == 1
    assert first.percent == 50
    assert first.hours_total == Decimal(21)
    assert not first.is_finished
    assert (progress[2].total, progress[2].covered, progress[2].not_started) == (2, 1, 1)


def test_a_section_is_finished_only_when_every_topic_is_covered():
    graph = sections_graph()

    assert section_progress(graph, {7: MASTERED, 8: SKIPPED})[2].is_finished
    assert not section_progress(graph, {7: MASTERED, 8: PRACTISED})[2].is_finished
    assert not section_progress(graph, {7: MASTERED})[2].is_finished


def test_an_empty_section_is_never_finished():
    empty = SectionProgress(section_id=3)

    assert not empty.is_finished
    assert (empty.percent, empty.segments) == (0, [])


def test_segments_stack_covered_first_and_fill_the_covered_and_in_progress_share():
    progress = section_progress(
        sections_graph(), {1: MASTERED, 2: SKIPPED, 3: SKIPPED, 4: PRACTISED, 5: LEARNING}
    )[1]

    segments = progress.segments

    assert [status for status, _, _ in segments] == ["mastered", "skipped", "practised", "learning"]
    assert [width for _, _, width in segments] == pytest.approx([100 / 6, 200 / 6, 100 / 6, 100 / 6])
    starts = [start for _, start, _ in segments]
    assert starts == pytest.approx([0, 100 / 6, 300 / 6, 400 / 6])
    assert sum(width for _, _, width in segments) == pytest.approx(100 * 5 / 6)


def test_segments_leave_out_statuses_nobody_has():
    progress = section_progress(sections_graph(), {7: LEARNING})[2]

    assert progress.segments == [("learning", 0.0, 50.0)]


def test_overall_progress_adds_up_the_sections():
    per_section = section_progress(sections_graph(), {1: MASTERED, 2: SKIPPED, 7: LEARNING})

    overall = overall_progress(per_section.values())

    assert overall.total == 8
    assert overall.counts == {"learning": 1, "practised": 0, "mastered": 1, "skipped": 1}
    assert overall.covered == 2
    assert overall.hours_total == Decimal(23)


def test_checked_counts_only_covered_topics_of_the_roadmap():
    # 4 is practised (its check dropped when it fell below covered, but a caller may still pass it),
    # 99 is not in the roadmap any more.
    statuses = {1: MASTERED, 2: SKIPPED, 3: SKIPPED, 4: PRACTISED, 7: MASTERED}

    per_section = section_progress(sections_graph(), statuses, checked=[1, 2, 4, 7, 99])

    assert (per_section[1].checked, per_section[1].self_reported) == (2, 1)
    assert (per_section[2].checked, per_section[2].self_reported) == (1, 0)
    overall = overall_progress(per_section.values())
    assert (overall.covered, overall.checked, overall.self_reported) == (4, 3, 1)


def test_without_checks_every_covered_topic_is_self_reported():
    progress = section_progress(sections_graph(), {1: MASTERED, 2: SKIPPED})[1]

    assert (progress.checked, progress.self_reported) == (0, 2)


def test_no_progress_anywhere():
    progress = section_progress(sections_graph(), {})

    assert [p.covered for p in progress.values()] == [0, 0]
    assert [p.not_started for p in progress.values()] == [6, 2]
