"""A roadmap's graph from the database, kept per graph token: the one place pages get it.

Parsing 1,000 topics and 3,000 edges costs more than the rest of a dashboard
request together, so each process keeps the graphs it built, keyed by the
roadmap's graph token, which every curation edit replaces (roadmap/signals.py).
The sections (model instances, shared read-only by this process's requests)
change the graph token too, so they are kept with it.
"""

from dataclasses import dataclass

from roadmap.curriculum.graph import RoadmapGraph, TopicNode
from roadmap.models import Prerequisite, Roadmap, Section, Topic
from roadmap.web.memory import ProcessMemory


@dataclass(frozen=True)
class LoadedGraph:
    graph: RoadmapGraph
    sections: list[Section]  # in roadmap order, also those without active topics


# A few roadmaps, each with the graph for its current token (and briefly the last one).
_graphs: ProcessMemory[LoadedGraph] = ProcessMemory(16)


def load_graph(roadmap: Roadmap) -> RoadmapGraph:
    """The roadmap's graph: no query when this process has it, four when it has changed."""
    return load(roadmap).graph


def load(roadmap: Roadmap) -> LoadedGraph:
    """The graph and the sections in roadmap order: no query when kept, four when changed.

    `roadmap` is the row as this request read it: its graph token names the
    graph it goes with. (Reading the token again would cost a query on every
    page, and pages are cached under the token the request read anyway.) A
    Roadmap object kept from before a curation edit gets the graph as it was
    then: scripts and tests that edit the graph read the roadmap again.
    """
    kept = _graphs.get((roadmap.pk, roadmap.graph_token))
    if kept is not None:
        return kept
    # Kept under the token read now, before the graph: an out-of-date `roadmap`
    # then never has a graph kept under its token that it did not have.
    token = Roadmap.objects.filter(pk=roadmap.pk).order_by().values_list("graph_token", flat=True).first()
    rows = (
        Topic.objects.active()
        .filter(roadmap=roadmap)
        .in_roadmap_order()
        .values_list("id", "slug", "title", "section_id", "estimated_hours")
    )
    topics = [
        TopicNode(id=pk, slug=slug, title=title, section_id=section_id, hours=hours, position=index)
        for index, (pk, slug, title, section_id, hours) in enumerate(rows)
    ]
    edges = Prerequisite.objects.filter(topic__roadmap=roadmap).values_list(
        "topic_id", "prerequisite_id", "review_credit"
    )
    loaded = LoadedGraph(
        RoadmapGraph.build(topics, edges),
        list(Section.objects.filter(roadmap=roadmap).order_by("order", "id")),
    )
    _graphs.set((roadmap.pk, token), loaded)
    return loaded
