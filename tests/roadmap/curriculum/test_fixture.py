"""The curated roadmap in fixtures/math-for-ml.yaml against its seed, the original post."""

from decimal import Decimal

from django.db import transaction
from django.db.models import F

from roadmap.curriculum import roadmap_file
from roadmap.curriculum.graph import find_cycle
from roadmap.models import (
    Prerequisite,
    Resource,
    RoadmapResource,
    Role,
    Topic,
    TopicResource,
)
from tests import seed
from tests.seed import FIXTURE

AUDIT = FIXTURE.parent.parent / "docs" / "curriculum-audit.md"


def resource(title_part: str) -> Resource:
    """The one resource whose title contains title_part."""
    return Resource.objects.get(title__icontains=title_part)


def needs(roadmap) -> dict[str, list[str]]:
    graph: dict[str, list[str]] = {}
    for topic, prerequisite in Prerequisite.objects.filter(topic__roadmap=roadmap).values_list(
        "topic__slug", "prerequisite__slug"
    ):
        graph.setdefault(topic, []).append(prerequisite)
    return graph


def test_fixture_loads_completely(seeded_roadmap):
    topics = Topic.objects.filter(roadmap=seeded_roadmap)

    assert seeded_roadmap.title == "Mathematics for Machine Learning"
    assert topics.count() >= 60
    assert not topics.filter(is_archived=True).exists()
    assert all(topic.estimated_hours > Decimal(0) for topic in topics)
    assert all(topic.summary for topic in topics)
    # Every topic but the very first ones builds on something.
    assert Prerequisite.objects.filter(topic__roadmap=seeded_roadmap).count() > topics.count()
    assert not topics.filter(resource_links__isnull=True).exists()


def test_fixture_sections_follow_the_seed_order(seeded_roadmap):
    titles = list(seeded_roadmap.sections.order_by("order").values_list("title", flat=True))

    assert titles[:6] == [
        "Pre-Algebra, Algebra & Pre-Calculus",
        "Linear Algebra",
        "Calculus",
        "Multivariable & Vector Calculus",
        "Probability & Statistics",
        "Machine Learning Foundations: Perceptron to Adaline",
    ]
    # Anything after the seed's sections applies what came before it.
    assert titles[6:] == ["Applying the Math"]


# What the seed post says of each resource it names, as lookups on the resource.
SEED_RESOURCES = {
    "Linear Algebra and Its Applications": {"author__contains": "David C. Lay", "access": "paid"},
    "Calculus (12th edition)": {"author__contains": "Ron Larson", "kind": "textbook"},
    "Calculus: Early Transcendentals": {"author": "James Stewart", "kind": "textbook"},
    "Professor Leonard": {"pairs_with__slug": "larson-calculus", "kind": "video_series"},
    "Gilbert Strang": {"author": "Gilbert Strang"},
    "Essence of Calculus": {"author__contains": "3Blue1Brown"},
    "Khan Academy: Statistics and Probability": {"access": "free"},
    "Khan Academy: Pre-algebra": {"access": "free"},
    "Khan Academy: Precalculus": {"access": "free"},
    "MIT 6.041": {"recommended_by": "Siddhant"},
    "Math Academy": {"access": "paid", "kind": "platform"},
    "Mathematics for Machine Learning": {"url": "https://mml-book.github.io/"},
    # "From Highschool to Cutting-Edge ML/AI by Justin": the post's own title, and the seed's in its note.
    "cutting-edge ML/AI": {
        "author__startswith": "Justin",
        "note__contains": "From Highschool to Cutting-Edge ML/AI",
    },
    "LLM Course": {},
    "Complete Mathematics of Neural Networks": {"author": "Adam Dhalla"},
    "The Mathematics of Machine Learning": {"author": "Wale Akinfaderin"},
    "Cambridge Math Notes": {"author": "Dexter Chua", "recommended_by": "@MathmoThe on X"},
    "Machine Learning with PyTorch and Scikit-Learn": {"author__contains": "Sebastian Raschka"},
    # The seed post itself.
    "Math For Machine Learning [Resources]": {"url": "https://lelouch.dev/blog/math-for-machine-learning/"},
}

# Named by the seed, but its plain-text copy lost their links and the stand-ins were a YouTube
# search, a Google search and a bare X profile: they stay out until a curator copies the real links.
SEED_RESOURCES_AWAITING_LINKS = {
    "all-of-calculus-in-3-minutes": "All of Calculus in under 3 minutes",
    "arpit-ml-resources-stash": "The ML Resources Stash",
    "wateriscoding-ml-resources": "ML Resources by @wateriscoding",
}


def test_fixture_has_every_resource_the_seed_names(seeded_roadmap, subtests):
    # Subtests rather than parametrize: one import of the fixture for all of them.
    for title_part, expected in SEED_RESOURCES.items():
        with subtests.test(title_part):
            found = Resource.objects.filter(title__icontains=title_part)
            assert found.exists(), f"no resource titled like {title_part!r}"
            assert found.filter(**expected, curated_by=Resource.CuratedBy.SEED).exists()
            # Named by the seed and actually used somewhere in the plan.
            assert any(r.topic_links.exists() or r.roadmap_links.exists() for r in found)


def test_seed_resources_without_a_real_link_stay_out_until_one_is_found(seeded_roadmap):
    audit = AUDIT.read_text(encoding="utf-8")
    pending = " ".join(audit[audit.index("## Addresses that could not be confirmed") :].split())

    for slug, seed_name in SEED_RESOURCES_AWAITING_LINKS.items():
        assert not Resource.objects.filter(slug=slug).exists()
        # The audit keeps the seed's name for it, so a curator knows what to look for.
        assert f"`{slug}`" in pending and seed_name.split(" by ")[0] in pending


def test_seed_resources_the_post_judges_keep_their_role(seeded_roadmap):
    # "Worthy mention: … Prof. Gilbert Strang's lectures"
    assert set(resource("Gilbert Strang").topic_links.values_list("role", flat=True)) == {Role.WORTHY_MENTION}
    # "Supplemental material: 3Blue1Brown Essence of Calculus …"
    assert set(resource("Essence of Calculus").topic_links.values_list("role", flat=True)) == {
        Role.SUPPLEMENTAL
    }
    # The favourite-posts list and the Cambridge notes are for the whole plan.
    worthy = set(
        RoadmapResource.objects.filter(roadmap=seeded_roadmap, role=Role.WORTHY_MENTION).values_list(
            "resource__slug", flat=True
        )
    )
    assert {
        "cambridge-math-notes",
        "justin-highschool-to-ml",
        "llm-course",
        "adam-dhalla-nn-math",
        "wale-mathematics-of-ml",
    } <= worthy
    # The seed post itself sits beside the plan it became.
    assert RoadmapResource.objects.filter(
        roadmap=seeded_roadmap, resource__slug="lelouch-math-for-ml", role=Role.SUPPLEMENTAL
    ).exists()
    # "I highly recommend checking out this book" and the author's go-to platform.
    assert set(
        RoadmapResource.objects.filter(roadmap=seeded_roadmap, role=Role.PRIMARY).values_list(
            "resource__slug", flat=True
        )
    ) == {"math-academy", "mml-book"}


def test_larson_and_stewart_are_pick_one_alternatives_for_the_same_topics(seeded_roadmap):
    larson = resource("Calculus (12th edition)")
    stewart = resource("Early Transcendentals")

    larson_topics = set(TopicResource.objects.filter(resource=larson).values_list("topic__slug", "role"))
    stewart_topics = set(TopicResource.objects.filter(resource=stewart).values_list("topic__slug", "role"))

    assert larson_topics == stewart_topics
    assert {role for _, role in larson_topics} == {Role.PICK_ONE}
    assert ("derivatives", Role.PICK_ONE) in larson_topics
    # Prof. Leonard's lectures, which follow Larson, sit beside them: Calculus 1, 2 and 3 alike.
    leonard = Resource.objects.filter(title__startswith="Professor Leonard")
    assert set(leonard.values_list("slug", flat=True)) == {
        "prof-leonard",
        "prof-leonard-calculus-2",
        "prof-leonard-calculus-3",
    }
    assert {r.pairs_with for r in leonard} == {larson}
    assert TopicResource.objects.filter(resource__slug="prof-leonard", topic__slug="derivatives").exists()


def test_fixture_has_the_seed_chain_from_perceptron_to_functions(seeded_roadmap):
    # "Adaline uses … gradient descent … I needed to dive into Vector Calculus",
    # and vector calculus rests on the calculus beneath it.
    chain = [
        ("adaline", "perceptron"),
        ("adaline", "gradient-descent"),
        ("gradient-descent", "gradient"),
        ("gradient", "partial-derivatives"),
        ("partial-derivatives", "derivatives"),
        ("derivatives", "limits"),
        ("limits", "functions"),
    ]
    graph = needs(seeded_roadmap)

    for topic, prerequisite in chain:
        assert prerequisite in graph.get(topic, []), f"{topic} should need {prerequisite}"


def test_fixture_has_the_topics_the_seed_names(seeded_roadmap):
    titles = [
        "Eigenvalues and eigenvectors",
        "Chain rule",
        "Partial derivatives",
        "Gradient",
        "Bayes' theorem",
    ]

    found = Topic.objects.active().filter(roadmap=seeded_roadmap, title__in=titles)

    assert sorted(found.values_list("title", flat=True)) == sorted(titles)


def test_fixture_prerequisite_graph_is_acyclic(seeded_roadmap):
    assert find_cycle(needs(seeded_roadmap)) == []


def test_fixture_prerequisites_stay_within_or_before_their_section(seeded_roadmap):
    # The roadmap reads top to bottom: nothing needs a topic from a later section.
    late = Prerequisite.objects.filter(
        topic__roadmap=seeded_roadmap, prerequisite__section__order__gt=F("topic__section__order")
    )

    assert list(late.values_list("topic__slug", "prerequisite__slug")) == []


def test_fixture_is_canonical_so_export_reproduces_it(seeded_roadmap):
    assert roadmap_file.export(seeded_roadmap) == FIXTURE.read_text(encoding="utf-8")


def test_reimporting_the_fixture_is_a_no_op(seeded_roadmap, django_assert_max_num_queries):
    data = roadmap_file.parse(FIXTURE.read_text(encoding="utf-8"))
    history = sum(model.history.count() for model in seed.CURATED)

    # One SELECT per curated model (12 today, with the savepoint): what the
    # database holds is read once, and nothing is written.
    with django_assert_max_num_queries(len(seed.CURATED) + 2) as captured:
        report = roadmap_file.apply(data)

    assert (report.created, report.updated, report.deleted, report.archived) == (0, 0, 0, [])
    assert all(q["sql"].startswith(("SELECT", "SAVEPOINT", "RELEASE")) for q in captured.captured_queries)
    assert sum(model.history.count() for model in seed.CURATED) == history


def test_importing_the_fixture_into_an_empty_database_replaces_the_graph_token_once(
    db, django_assert_max_num_queries
):
    data = roadmap_file.parse(FIXTURE.read_text(encoding="utf-8"))
    topics = data.topics()
    tasks = [task for section in data.sections for task in section.practice]
    rows = (  # 1,249 today
        1
        + len(data.resource_defs)
        + len(data.sections)
        + len(topics)
        + sum(len(t.requires) for t in topics)
        + sum(len(t.resources) for t in topics)
        + len(data.resources)
        + sum(len(t.needs) for t in topics)
        + len(tasks)
        + sum(len(task.exercises) for task in tasks)
    )
    paired = sum(1 for r in data.resource_defs if r.pairs_with)
    replacing = sum(1 for t in topics if t.replaces)
    # About 2,510 queries today. What the database holds is read up front, one
    # query per model (only the roadmap and the resources, into an empty
    # database); then every row is new: an INSERT and the INSERT of its history
    # row each (2 × 1,249). A paired resource is saved again once its partner
    # exists (an UPDATE and a history row); a topic that replaces others looks
    # for their learners' progress; and one UPDATE gives every roadmap a new
    # graph token, inside the test's savepoint. Before the reads were made once,
    # the import made about 4,030 queries, a look-up per row; before the token
    # was replaced once per import, the 97-topic file alone made 2,590 queries,
    # 622 of them graph-token UPDATEs.
    with django_assert_max_num_queries(2 * rows + 2 * paired + replacing + 5) as captured:
        report = roadmap_file.apply(data)

    token_updates = [
        q["sql"]
        for q in captured.captured_queries
        if q["sql"].startswith("UPDATE") and "graph_token" in q["sql"]
    ]
    assert len(token_updates) == 1
    assert (report.created, report.updated, report.deleted, report.unchanged) == (rows, 0, 0, 0)
    assert sum(model.history.count() for model in seed.CURATED) == rows + paired


def _by_rank(models) -> dict:
    """Every row of these models, with ids replaced by their rank in the table, dates left out."""
    rank = {
        model: {pk: i for i, pk in enumerate(model.objects.order_by("pk").values_list("pk", flat=True))}
        for model in models
    }
    tables = {}
    for model in models:
        rows = []
        for row in model.objects.order_by("pk").values():
            for field in model._meta.concrete_fields:
                value = row[field.attname]
                if field.primary_key:
                    row[field.attname] = rank[model][value]
                elif field.is_relation and value is not None:
                    row[field.attname] = rank[field.related_model][value]
                elif field.attname == "id":  # a history row's original id
                    row[field.attname] = rank[model.instance_type][value]
                elif field.attname in {"history_date", "updated_at", "graph_token"}:
                    del row[field.attname]
            rows.append(row)
        tables[model.__name__] = rows
    return tables


def test_the_seed_tests_get_is_exactly_what_importing_the_fixture_writes(db, _seed_snapshot):
    with transaction.atomic():
        seed.lay(_seed_snapshot)
        laid = _by_rank([*seed.CURATED, *seed.HISTORY])
        transaction.set_rollback(True)

    seed.import_fixture()

    assert laid == _by_rank([*seed.CURATED, *seed.HISTORY])
