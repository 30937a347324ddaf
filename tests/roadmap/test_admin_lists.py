"""The admin's lists, searches, filters and autocompletes, and editing a learner's progress there."""

import pytest
from django.core.paginator import UnorderedObjectListWarning
from django.urls import reverse

from accounts.models import Profile
from roadmap.models import Progress, Resource, Status, Topic
from tests import dom
from tests.factories import (
    PrerequisiteFactory,
    ProfileFactory,
    ProgressFactory,
    ResourceFactory,
    RoadmapFactory,
    SectionFactory,
    TopicFactory,
    TopicResourceFactory,
    UserFactory,
)
from tests.roadmap.admin_forms import admin_form

# -- Lists, search, filters, autocomplete -------------------------------------------------------


@pytest.fixture
def curated(db) -> dict:
    roadmap = RoadmapFactory()
    other_roadmap = RoadmapFactory(slug="stats-for-ml", title="Statistics for ML")
    calculus = SectionFactory(roadmap=roadmap, title="Calculus", slug="calculus")
    algebra = SectionFactory(roadmap=roadmap, title="Algebra", slug="algebra")
    SectionFactory(roadmap=other_roadmap, title="Calculus refresher", slug="calculus-refresher")
    limits = TopicFactory(section=calculus, title="Limits", slug="limits")
    derivatives = TopicFactory(section=calculus, title="Derivatives", slug="derivatives")
    TopicFactory(section=algebra, title="Linear equations", slug="linear-equations")
    TopicFactory(section=calculus, title="Limits of sequences", slug="limits-of-sequences", is_archived=True)
    PrerequisiteFactory(topic=derivatives, prerequisite=limits)
    larson = ResourceFactory(title="Calculus", author="Ron Larson", access=Resource.Access.PAID)
    ResourceFactory(title="Essence of Calculus", kind=Resource.Kind.VIDEO_SERIES)
    TopicResourceFactory(topic=limits, resource=larson)
    return {"roadmap": roadmap, "calculus": calculus, "algebra": algebra}


def changelist(admin_client, model: str, query: str) -> list[str]:
    response = admin_client.get(reverse(f"admin:roadmap_{model}_changelist") + "?" + query)
    assert response.status_code == 200
    assert dom.select(response, ".errornote") == []
    return sorted(str(obj) for obj in response.context["cl"].result_list)


def test_topic_changelist_searches_and_filters(admin_client, curated):
    assert changelist(admin_client, "topic", "q=limits") == ["Limits", "Limits of sequences"]
    assert changelist(admin_client, "topic", "q=limits&is_archived__exact=0") == ["Limits"]
    assert changelist(admin_client, "topic", f"section__id__exact={curated['algebra'].pk}") == [
        "Linear equations"
    ]
    assert len(changelist(admin_client, "topic", f"roadmap__id__exact={curated['roadmap'].pk}")) == 4


def test_topic_changelist_counts_learners_in_one_query(admin_client, curated, django_assert_max_num_queries):
    for topic in Topic.objects.all():
        ProgressFactory(topic=topic)

    # session, user, the filter sidebar's roadmaps and sections, the total count, the
    # filtered count, and one page of topics (section joined, learners counted): not one per row.
    with django_assert_max_num_queries(7):
        response = admin_client.get(reverse("admin:roadmap_topic_changelist"))

    assert [topic.learner_count for topic in response.context["cl"].result_list] == [1, 1, 1, 1]


def test_resource_changelist_searches_and_filters(admin_client, curated):
    assert changelist(admin_client, "resource", "q=larson") == ["Calculus"]
    assert changelist(admin_client, "resource", "access__exact=paid") == ["Calculus"]
    assert changelist(admin_client, "resource", "kind__exact=video_series&curated_by__exact=seed") == [
        "Essence of Calculus"
    ]


def test_prerequisite_changelist_searches_and_filters(admin_client, curated):
    assert changelist(admin_client, "prerequisite", "q=limits") == ["Derivatives needs Limits"]
    assert (
        changelist(admin_client, "prerequisite", f"topic__section__id__exact={curated['algebra'].pk}") == []
    )
    assert changelist(
        admin_client, "prerequisite", f"topic__roadmap__id__exact={curated['roadmap'].pk}&q=derivatives"
    ) == ["Derivatives needs Limits"]


def test_section_changelist_searches_and_filters(admin_client, curated):
    assert changelist(admin_client, "section", "q=calculus") == ["Calculus", "Calculus refresher"]
    assert changelist(admin_client, "section", f"q=calculus&roadmap__id__exact={curated['roadmap'].pk}") == [
        "Calculus"
    ]


def test_section_changelist_counts_only_active_topics(admin_client, curated):
    response = admin_client.get(reverse("admin:roadmap_section_changelist") + "?q=calculus")

    counts = {section.title: section.active_topics for section in response.context["cl"].result_list}
    assert counts == {"Calculus": 2, "Calculus refresher": 0}


def test_roadmap_changelist_searches(admin_client, curated):
    assert changelist(admin_client, "roadmap", "q=statistics") == ["Statistics for ML"]
    assert changelist(admin_client, "roadmap", "") == [
        "Mathematics for Machine Learning",
        "Statistics for ML",
    ]


@pytest.mark.parametrize(
    "model", ["topic", "resource", "prerequisite", "section", "roadmap", "topicresource"]
)
def test_add_forms_load(admin_client, curated, model):
    assert admin_client.get(reverse(f"admin:roadmap_{model}_add")).status_code == 200


def test_autocomplete_finds_topics_for_the_prerequisite_field(admin_client, curated):
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "roadmap", "model_name": "prerequisite", "field_name": "prerequisite", "term": "lim"},
    )

    assert response.status_code == 200
    texts = sorted(result["text"] for result in response.json()["results"])
    assert texts == ["Limits", "Limits of sequences"]


def test_autocomplete_pages_through_every_topic_once_in_roadmap_order(admin_client, recwarn):
    # More topics than one autocomplete page (20): paging must neither skip nor repeat.
    topics = TopicFactory.create_batch(25, section=SectionFactory())
    seen = []
    for page in (1, 2):
        response = admin_client.get(
            reverse("admin:autocomplete"),
            {
                "app_label": "roadmap",
                "model_name": "prerequisite",
                "field_name": "prerequisite",
                "page": page,
            },
        )
        seen += [result["text"] for result in response.json()["results"]]

    assert seen == [topic.title for topic in topics]
    assert not [w for w in recwarn if issubclass(w.category, UnorderedObjectListWarning)]


def test_autocomplete_finds_sections_for_the_topic_form(admin_client, curated, recwarn):
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "roadmap", "model_name": "topic", "field_name": "section", "term": "calc"},
    )

    assert [result["text"] for result in response.json()["results"]] == ["Calculus", "Calculus refresher"]
    assert not [w for w in recwarn if issubclass(w.category, UnorderedObjectListWarning)]


def test_autocomplete_finds_resources_for_the_topic_inline(admin_client, curated):
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "roadmap", "model_name": "topicresource", "field_name": "resource", "term": "essence"},
    )

    assert [result["text"] for result in response.json()["results"]] == ["Essence of Calculus"]


def test_admin_is_refused_to_learners(client, curated):
    client.force_login(UserFactory())

    response = client.get(reverse("admin:roadmap_topic_changelist"))

    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


# -- Editing a learner's progress ------------------------------------------------------------


def test_editing_and_deleting_progress_in_the_admin_marks_the_learners_pages_stale(admin_client):
    progress = ProgressFactory(status=Status.LEARNING)
    profile = ProfileFactory(user=progress.learner)
    url = reverse("admin:roadmap_progress_change", args=[progress.pk])
    data = admin_form(admin_client, url) | {"status": Status.PRACTISED}

    assert admin_client.post(url, data).status_code == 302
    progress.refresh_from_db()
    assert progress.status == Status.PRACTISED
    edited = Profile.objects.get(pk=profile.pk).state_token
    assert edited != profile.state_token

    delete = reverse("admin:roadmap_progress_delete", args=[progress.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 302
    assert not Progress.objects.filter(pk=progress.pk).exists()
    assert Profile.objects.get(pk=profile.pk).state_token != edited
