"""Roadmap files written in tests, and a snapshot of everything curation owns.

`roadmap_file(...)` writes the YAML the importer reads from plain Python
data, so a test can say "v2 renames, moves, drops and adds topics" in a few
lines. `curation_snapshot()` is every curated row (and its history), to
compare before and after an import that must change nothing.
"""

import yaml

from roadmap.models import Prerequisite, Resource, Roadmap, RoadmapResource, Section, Topic, TopicResource

SLUG = "math-for-ml"  # settings.MATHPATH_DEFAULT_ROADMAP, so the dashboard serves it


def roadmap_file(
    sections: dict, *, title: str = "Maths for ML", resources: tuple = ("book", "course")
) -> str:
    """sections: {section slug: [(topic slug, title, [required topic slugs]), …]} in order."""
    document = {
        "roadmap": {
            "slug": SLUG,
            "title": title,
            "resources": [{"resource": resources[0], "role": "primary"}],
        },
        "resources": [
            {
                "slug": slug,
                "title": f"{slug.title()} title",
                "url": f"https://example.com/{slug}",
                "kind": "textbook",
                "access": "free",
            }
            for slug in resources
        ],
        "sections": [
            {
                "slug": section,
                "title": section.replace("-", " ").title(),
                "topics": [
                    {
                        "slug": slug,
                        "title": topic_title,
                        "hours": 2,
                        "summary": f"Can do {topic_title}.",
                        **({"requires": list(requires)} if requires else {}),
                        "resources": [{"resource": resources[index % len(resources)], "role": "primary"}],
                    }
                    for index, (slug, topic_title, requires) in enumerate(topics)
                ],
            }
            for section, topics in sections.items()
        ],
    }
    return yaml.safe_dump(document, sort_keys=False)


V1 = roadmap_file(
    {
        "calculus": [
            ("limits", "Limits", []),
            ("derivatives", "Derivatives", ["limits"]),
            ("integrals", "Integrals", ["derivatives"]),
        ],
        "algebra": [
            ("vectors", "Vectors", []),
            ("matrices", "Matrices", ["vectors"]),
        ],
        "probability": [("counting", "Counting", [])],
    }
)
# Everything an import can do at once: rename (title), move between sections,
# drop a topic and a section, add topics, rewire edges, swap resources.
V2 = roadmap_file(
    {
        "algebra": [
            ("vectors", "Vectors and spaces", []),
            ("matrices", "Matrices", ["vectors"]),
            ("limits", "Limits", []),
            ("eigen", "Eigenvalues", ["matrices"]),
        ],
        "calculus": [
            ("derivatives", "Derivatives", ["limits", "vectors"]),
            ("gradient", "Gradient", ["derivatives", "eigen"]),
        ],
    },
    title="Maths for ML, second edition",
    resources=("course", "notes"),
)


def curation_snapshot() -> dict:
    """Every curated row, and how many history rows each model has."""
    models = [Roadmap, Section, Topic, Prerequisite, Resource, TopicResource, RoadmapResource]
    snapshot = {model.__name__: sorted(model.objects.values_list(), key=repr) for model in models}
    for model in models:
        snapshot[f"{model.__name__} history"] = model.history.count()
    return snapshot
