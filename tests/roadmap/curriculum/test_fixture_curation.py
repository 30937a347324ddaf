"""The curation rules of docs/curriculum-audit.md, checked on the shipped roadmap file itself.

These read fixtures/math-for-ml.yaml as plain YAML, so they hold whatever the importer keeps:
every edge says why it exists and how much a review credits, every dead end is a declared
goal, every `needs:` entry lies in the prerequisite closure, and every topic has something
free to practise with — which is what Math Academy's note promises.
"""

import re
from decimal import Decimal
from functools import cache

import yaml

from tests.seed import FIXTURE

FREE = {"free", "free_signup"}


@cache
def roadmap_file() -> dict:
    return yaml.safe_load(FIXTURE.read_text(encoding="utf-8"))


def topics() -> dict[str, dict]:
    return {t["slug"]: t for section in roadmap_file()["sections"] for t in section["topics"]}


def requires(topic: dict) -> list[str]:
    return [r if isinstance(r, str) else r["topic"] for r in topic.get("requires", [])]


def closure(slug: str) -> set[str]:
    by_slug, seen, stack = topics(), set(), [slug]
    while stack:
        for prerequisite in requires(by_slug[stack.pop()]):
            if prerequisite not in seen:
                seen.add(prerequisite)
                stack.append(prerequisite)
    return seen


def test_the_roadmap_has_the_shape_the_audit_describes():
    file = roadmap_file()
    all_topics = topics().values()
    tasks = [task for section in file["sections"] for task in section.get("practice", [])]

    # As docs/curriculum-audit.md and the README state them.
    assert len(file["sections"]) == 7
    assert len(all_topics) == 113
    assert sum(len(requires(t)) for t in all_topics) == 274
    assert len(file["resources"]) == 66
    assert sum(Decimal(str(t["hours"])) for t in all_topics) == 724
    assert len(tasks) == 28


def test_every_edge_has_a_reason_and_a_curated_credit():
    for topic in topics().values():
        for edge in topic.get("requires", []):
            assert isinstance(edge, dict), f"{topic['slug']} → {edge} has no reason"
            where = f"{topic['slug']} → {edge['topic']}"
            assert edge.get("reason"), f"{where} has no reason"
            # Written out even at 0.5, so a curated credit differs from one never looked at.
            assert "credit" in edge, f"{where} has no credit"
            # An edge worth less than 0.2 of a review should not be an edge.
            assert 0.2 <= edge["credit"] <= 1, f"{where} has credit {edge['credit']}"


def test_every_dead_end_is_a_declared_goal():
    by_slug = topics()
    used = {p for topic in by_slug.values() for p in requires(topic)}

    dead_ends = {slug for slug in by_slug if slug not in used}

    assert dead_ends
    assert {slug for slug in dead_ends if not by_slug[slug].get("goal")} == set()


def test_what_each_derivation_needs_lies_in_its_prerequisite_closure():
    by_slug = topics()
    declared = {slug: t["needs"] for slug, t in by_slug.items() if t.get("needs")}

    # The ML topics the audit names, at least.
    assert {"principal-component-analysis", "gaussian-mixture-models", "support-vector-machines"} <= set(
        declared
    )
    for slug, needs in declared.items():
        assert set(needs) <= set(by_slug), f"{slug} needs an unknown topic"
        assert set(needs) - closure(slug) == set(), f"{slug} can be reached without what it needs"


def test_every_topic_has_a_free_resource_and_something_free_to_practise_with():
    access = {r["slug"]: r["access"] for r in roadmap_file()["resources"]}

    for topic in topics().values():
        free = [link for link in topic["resources"] if access[link["resource"]] in FREE]
        assert free, f"{topic['slug']} has no free resource"
        assert any(link.get("practice") for link in free), (
            f"{topic['slug']} has nothing free to practise with"
        )


def test_no_resource_url_is_a_search_page_or_a_bare_profile():
    search = re.compile(r"google\.[a-z.]+/search|youtube\.com/results|bing\.com/search")
    profile = re.compile(r"youtube\.com/(@|c/|channel/|user/)[^/?]+/?$|(x|twitter)\.com/[^/]+/?$")

    for resource in roadmap_file()["resources"]:
        assert not search.search(resource["url"]), f"{resource['slug']} links a search page"
        assert not profile.search(resource["url"]), f"{resource['slug']} links a bare profile or channel"


def test_practice_tasks_name_real_topics_and_exercise_all_of_them():
    by_slug = topics()
    exercised = set()

    for section in roadmap_file()["sections"]:
        slugs = [task["slug"] for task in section.get("practice", [])]
        assert len(slugs) == len(set(slugs)), f"{section['slug']} repeats a task slug"
        for task in section.get("practice", []):
            assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", task["slug"])
            assert task["title"] and task["data"] and task["task"]
            assert set(task["exercises"]) <= set(by_slug), f"{task['slug']} names an unknown topic"
            exercised.update(task["exercises"])

    assert set(by_slug) - exercised == set()
