"""Curating the roadmap in the admin: the graph stays acyclic, progress is never orphaned, history."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from roadmap.models import Prerequisite, Progress, Topic
from tests import dom
from tests.factories import (
    PrerequisiteFactory,
    ProgressFactory,
    RoadmapFactory,
    SectionFactory,
    TopicFactory,
)
from tests.roadmap.admin_forms import change_url, prerequisite_form_data, topic_form_data


@pytest.fixture
def calculus_chain(db) -> dict[str, Topic]:
    """Functions ← Limits ← Derivatives: each needs the one before."""
    section = SectionFactory(title="Calculus")
    functions = TopicFactory(section=section, title="Functions", slug="functions")
    limits = TopicFactory(section=section, title="Limits", slug="limits")
    derivatives = TopicFactory(section=section, title="Derivatives", slug="derivatives")
    PrerequisiteFactory(topic=limits, prerequisite=functions)
    PrerequisiteFactory(topic=derivatives, prerequisite=limits)
    return {"functions": functions, "limits": limits, "derivatives": derivatives}


# -- The prerequisite graph stays acyclic ---------------------------------------------------


def test_topic_change_form_shows_the_inline_prefixes_these_tests_post(admin_client, calculus_chain):
    response = admin_client.get(change_url(calculus_chain["limits"]))

    assert response.status_code == 200
    content = response.content.decode()
    for name in [
        "prerequisite_links-TOTAL_FORMS",
        "resource_links-TOTAL_FORMS",
        "prerequisite_links-0-prerequisite",
    ]:
        assert dom.select(content, f'form [name="{name}"]'), name


def test_topic_inline_adds_a_prerequisite(admin_client, calculus_chain):
    derivatives = calculus_chain["derivatives"]

    response = admin_client.post(
        change_url(derivatives),
        topic_form_data(admin_client, derivatives, add_prerequisites=[calculus_chain["functions"]]),
    )

    assert response.status_code == 302
    assert set(derivatives.prerequisite_links.values_list("prerequisite__slug", flat=True)) == {
        "limits",
        "functions",
    }


def test_topic_inline_refuses_an_edge_that_closes_a_cycle(admin_client, calculus_chain):
    functions = calculus_chain["functions"]
    edges_before = set(Prerequisite.objects.values_list("topic_id", "prerequisite_id"))

    # Functions needs Derivatives, which needs Limits, which needs Functions.
    response = admin_client.post(
        change_url(functions),
        topic_form_data(admin_client, functions, add_prerequisites=[calculus_chain["derivatives"]]),
    )

    assert response.status_code == 200
    assert "would create a cycle: Functions → Derivatives → Limits → Functions." in response.content.decode()
    assert set(Prerequisite.objects.values_list("topic_id", "prerequisite_id")) == edges_before


def test_topic_inline_refuses_a_self_loop_in_plain_words(admin_client, calculus_chain):
    limits = calculus_chain["limits"]

    response = admin_client.post(
        change_url(limits), topic_form_data(admin_client, limits, add_prerequisites=[limits])
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert "A topic cannot be its own prerequisite." in content
    assert "Constraint" not in content
    assert not Prerequisite.objects.filter(topic=limits, prerequisite=limits).exists()


def test_topic_inline_refuses_two_new_edges_together_when_one_closes_a_cycle(admin_client, calculus_chain):
    # Every cycle through a topic leaves it by exactly one of its own edges, so the
    # inline's edges can only close a cycle one at a time; the save is still all or nothing.
    functions = calculus_chain["functions"]
    other = TopicFactory(section=functions.section, title="Sets")
    edges_before = Prerequisite.objects.count()

    response = admin_client.post(
        change_url(functions),
        topic_form_data(
            admin_client,
            functions,
            add_prerequisites=[other, calculus_chain["derivatives"]],
            title="Functions (renamed)",
        ),
    )

    assert response.status_code == 200
    assert "would create a cycle: Functions → Derivatives → Limits → Functions." in response.content.decode()
    assert Prerequisite.objects.count() == edges_before
    functions.refresh_from_db()
    assert functions.title == "Functions"


def test_topic_inline_allows_reversing_an_edge_in_one_save(admin_client, calculus_chain):
    # Replacing Limits → Functions by Functions → Limits is fine once the old edge goes:
    # the check must look at the graph as it will be, not as it was.
    limits, functions = calculus_chain["limits"], calculus_chain["functions"]
    data = topic_form_data(admin_client, limits)
    data["prerequisite_links-0-DELETE"] = "on"
    assert admin_client.post(change_url(limits), data).status_code == 302

    response = admin_client.post(
        change_url(functions), topic_form_data(admin_client, functions, add_prerequisites=[limits])
    )

    assert response.status_code == 302
    assert Prerequisite.objects.filter(topic=functions, prerequisite=limits).exists()
    assert not Prerequisite.objects.filter(topic=limits, prerequisite=functions).exists()


def test_prerequisite_admin_refuses_a_cycle(admin_client, calculus_chain):
    response = admin_client.post(
        reverse("admin:roadmap_prerequisite_add"),
        prerequisite_form_data(
            admin_client, topic=calculus_chain["functions"].pk, prerequisite=calculus_chain["derivatives"].pk
        ),
    )

    assert response.status_code == 200
    assert (
        "This prerequisite would create a cycle: Functions → Derivatives → Limits → Functions."
        in response.content.decode()
    )
    assert not Prerequisite.objects.filter(topic=calculus_chain["functions"]).exists()


def test_prerequisite_admin_refuses_a_self_loop(admin_client, calculus_chain):
    limits = calculus_chain["limits"]

    response = admin_client.post(
        reverse("admin:roadmap_prerequisite_add"),
        prerequisite_form_data(admin_client, topic=limits.pk, prerequisite=limits.pk),
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert "A topic cannot be its own prerequisite." in content
    assert "Constraint" not in content
    assert not Prerequisite.objects.filter(topic=limits, prerequisite=limits).exists()


def test_prerequisite_admin_refuses_an_edge_to_another_roadmap(admin_client, calculus_chain):
    elsewhere = TopicFactory(section=SectionFactory(roadmap=RoadmapFactory(slug="other", title="Other")))

    response = admin_client.post(
        reverse("admin:roadmap_prerequisite_add"),
        prerequisite_form_data(admin_client, topic=calculus_chain["limits"].pk, prerequisite=elsewhere.pk),
    )

    assert response.status_code == 200
    assert "The prerequisite must be in the same roadmap." in response.content.decode()


def test_prerequisite_admin_adds_a_safe_edge(admin_client, calculus_chain):
    response = admin_client.post(
        reverse("admin:roadmap_prerequisite_add"),
        prerequisite_form_data(
            admin_client,
            topic=calculus_chain["derivatives"].pk,
            prerequisite=calculus_chain["functions"].pk,
            reason="derivatives of functions",
        ),
    )

    assert response.status_code == 302
    edge = Prerequisite.objects.get(
        topic=calculus_chain["derivatives"], prerequisite=calculus_chain["functions"]
    )
    assert edge.reason == "derivatives of functions"


def test_database_refuses_a_self_loop_edge(db):
    topic = TopicFactory()

    with pytest.raises(IntegrityError, match="prerequisite_no_self_loop"), transaction.atomic():
        Prerequisite.objects.create(topic=topic, prerequisite=topic)


def test_database_refuses_a_duplicate_edge(db):
    edge = PrerequisiteFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        Prerequisite.objects.create(topic=edge.topic, prerequisite=edge.prerequisite)

    assert Prerequisite.objects.filter(topic=edge.topic).count() == 1


def test_graph_constraints_are_named():
    names = {constraint.name for constraint in Prerequisite._meta.constraints}

    assert {"prerequisite_no_self_loop", "prerequisite_unique_edge"} <= names


# -- Topics with learners' progress are archived, never deleted -------------------------------


def test_deleting_a_topic_with_progress_is_refused_and_says_to_archive(admin_client):
    progress = ProgressFactory(topic__title="Limits")
    url = reverse("admin:roadmap_topic_delete", args=[progress.topic_id])

    page = admin_client.get(url)
    response = admin_client.post(url, {"post": "yes"})

    for result in (page, response):
        assert result.status_code == 200
        content = result.content.decode()
        assert "protected from deletion" in content
        assert "Archive it instead" in content
    assert Topic.objects.filter(pk=progress.topic_id).exists()
    assert Progress.objects.get(pk=progress.pk).status == progress.status


def test_deleting_a_topic_without_progress_works(admin_client):
    topic = TopicFactory()
    url = reverse("admin:roadmap_topic_delete", args=[topic.pk])

    assert "Archive it instead" not in admin_client.get(url).content.decode()
    response = admin_client.post(url, {"post": "yes"})

    assert response.status_code == 302
    assert not Topic.objects.filter(pk=topic.pk).exists()


def test_archive_action_archives_a_topic_and_keeps_progress(admin_client, admin_user):
    progress = ProgressFactory()
    other = TopicFactory(section=progress.topic.section)

    response = admin_client.post(
        reverse("admin:roadmap_topic_changelist"),
        {"action": "archive_topics", "_selected_action": [progress.topic_id]},
        follow=True,
    )

    assert "Archived 1 topic(s). Learners&#x27; records on them are kept." in response.content.decode()
    topic = Topic.objects.get(pk=progress.topic_id)
    assert topic.is_archived
    assert not Topic.objects.get(pk=other.pk).is_archived
    assert Progress.objects.filter(pk=progress.pk).exists()
    assert topic.history.first().history_user == admin_user


def test_restore_action_brings_an_archived_topic_back(admin_client):
    topic = TopicFactory(is_archived=True)

    response = admin_client.post(
        reverse("admin:roadmap_topic_changelist"),
        {"action": "restore_topics", "_selected_action": [topic.pk]},
        follow=True,
    )

    assert "Restored 1 topic(s)." in response.content.decode()
    topic.refresh_from_db()
    assert not topic.is_archived


# -- History ------------------------------------------------------------------------------------


def test_history_records_the_admin_who_changed_a_topic(admin_client, admin_user, calculus_chain):
    limits = calculus_chain["limits"]

    response = admin_client.post(
        change_url(limits),
        topic_form_data(admin_client, limits, add_prerequisites=[], title="Limits and continuity"),
    )

    assert response.status_code == 302
    latest = limits.history.first()
    assert latest.title == "Limits and continuity"
    assert latest.history_user == admin_user
    assert latest.prev_record.title == "Limits"


def test_history_records_the_admin_who_added_an_edge(admin_client, admin_user, calculus_chain):
    derivatives = calculus_chain["derivatives"]

    admin_client.post(
        change_url(derivatives),
        topic_form_data(admin_client, derivatives, add_prerequisites=[calculus_chain["functions"]]),
    )

    edge = Prerequisite.objects.get(topic=derivatives, prerequisite=calculus_chain["functions"])
    assert edge.history.get().history_user == admin_user


def test_topic_history_page_loads(admin_client, calculus_chain):
    response = admin_client.get(reverse("admin:roadmap_topic_history", args=[calculus_chain["limits"].pk]))

    assert response.status_code == 200
