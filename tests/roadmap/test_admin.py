"""Curating the roadmap in the admin: graph checks, protected progress, history, lists."""

import re
from html.parser import HTMLParser

import pytest
from django.core.paginator import UnorderedObjectListWarning
from django.db import IntegrityError, transaction
from django.urls import reverse

from accounts.models import Profile
from roadmap.models import Prerequisite, Progress, Resource, Status, Topic
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


class _FormFields(HTMLParser):
    """The (name, value) pairs a browser would submit for the form it is fed."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.fields: dict[str, str] = {}
        self._select: str | None = None
        self._options: list[tuple[str, bool]] = []
        self._textarea: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type", "text") not in {"submit", "button", "file"}:
            if attrs.get("type") not in {"checkbox", "radio"}:
                self.fields[name] = attrs.get("value") or ""
            elif "checked" in attrs:
                self.fields[name] = attrs.get("value") or "on"
        elif tag == "select" and name:
            self._select, self._options = name, []
        elif tag == "option" and self._select:
            self._options.append((attrs.get("value") or "", "selected" in attrs))
        elif tag == "textarea" and name:
            self._textarea = [name, ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "select" and self._select:
            chosen = [value for value, selected in self._options if selected] or [
                value for value, _ in self._options[:1]
            ]
            if chosen:
                self.fields[self._select] = chosen[0]
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            name, text = self._textarea
            self.fields[name] = text.removeprefix("\n")
            self._textarea = None


def admin_form(client, url: str) -> dict[str, str]:
    """GET an admin add/change page and return its form as the browser would post it.

    Reading the rendered form (management forms, inline rows, defaults) keeps these
    tests true to the page when fields are added to the models.
    """
    html = client.get(url).content.decode()
    start = re.search(r'<form[^>]* id="\w+_form"', html).start()
    parser = _FormFields()
    parser.feed(html[start : html.index("</form>", start)])
    return {name: value for name, value in parser.fields.items() if "__prefix__" not in name}


def add_inline_rows(data: dict, prefix: str, rows: list[dict]) -> dict:
    """Fill the inline's blank row, cloning it for further rows as "Add another" does."""
    blank = int(data[f"{prefix}-INITIAL_FORMS"])
    template = {
        name.removeprefix(f"{prefix}-{blank}-"): value
        for name, value in data.items()
        if name.startswith(f"{prefix}-{blank}-")
    }
    for offset, values in enumerate(rows):
        data.update(
            {f"{prefix}-{blank + offset}-{field}": value for field, value in {**template, **values}.items()}
        )
    data[f"{prefix}-TOTAL_FORMS"] = str(max(int(data[f"{prefix}-TOTAL_FORMS"]), blank + len(rows)))
    return data


def topic_form_data(client, topic: Topic, *, add_prerequisites=(), **changes) -> dict:
    """The topic change form as rendered, with prerequisites added in the inline and fields changed.

    The inline prefixes are the related names, `prerequisite_links` and `resource_links`.
    """
    data = admin_form(client, change_url(topic))
    assert "prerequisite_links-TOTAL_FORMS" in data
    assert "resource_links-TOTAL_FORMS" in data
    add_inline_rows(data, "prerequisite_links", [{"prerequisite": str(p.pk)} for p in add_prerequisites])
    data.update(changes)
    return data


def prerequisite_form_data(client, **values) -> dict:
    data = admin_form(client, reverse("admin:roadmap_prerequisite_add"))
    data.update({name: str(value) for name, value in values.items()})
    return data


def change_url(topic: Topic) -> str:
    return reverse("admin:roadmap_topic_change", args=[topic.pk])


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
    assert 'name="prerequisite_links-TOTAL_FORMS"' in content
    assert 'name="resource_links-TOTAL_FORMS"' in content
    assert 'name="prerequisite_links-0-prerequisite"' in content


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
    assert "errornote" not in response.content.decode()
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
