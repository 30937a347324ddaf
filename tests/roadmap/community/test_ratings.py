"""Learners mark resources as used and rate how much they helped; pages and plans show it."""

import pytest

from roadmap.models import Resource, ResourceRating, Role
from tests import dom
from tests.factories import (
    ProfileFactory,
    ResourceFactory,
    ResourceRatingFactory,
    SectionFactory,
    TopicFactory,
    TopicResourceFactory,
    UserFactory,
)

HTMX = {"HTTP_HX_REQUEST": "true"}
TOPIC = "/topics/limits/"


def rate_url(resource: Resource, topic_slug: str = "limits") -> str:
    return f"/topics/{topic_slug}/resources/{resource.slug}/rate/"


def rating_box(html: str, resource: Resource) -> dom.Element:
    return dom.by_id(html, f"rating-{resource.slug}")


def rating_label(box: dom.Element) -> str:
    """What a screen reader says for the average: "Rated 3.7 out of 5 by 3 learners"."""
    return box.select_one('[aria-label^="Rated "]')["aria-label"]


@pytest.fixture
def topic(db):
    return TopicFactory(section=SectionFactory(title="Calculus"), slug="limits", title="Limits")


@pytest.fixture
def book(topic):
    return TopicResourceFactory(topic=topic, resource=ResourceFactory(title="Calculus book")).resource


# -- Rating ---------------------------------------------------------------------------------------------


def test_marking_a_resource_used_without_a_rating(learner_client, learner, book):
    response = learner_client.post(rate_url(book), {"rating": ""})

    assert response.status_code == 302
    assert response["Location"] == f"{TOPIC}#resource-{book.slug}"
    assert ResourceRating.objects.get().rating is None
    box = rating_box(learner_client.get(TOPIC).content.decode(), book)
    assert "No ratings yet" in box.text
    assert "You used this." in box.text


@pytest.mark.parametrize("rating", [1, 2, 3, 4, 5])
def test_rating_a_resource_from_1_to_5(learner_client, learner, book, rating):
    learner_client.post(rate_url(book), {"rating": str(rating)})

    saved = ResourceRating.objects.get()
    assert (saved.learner, saved.resource, saved.rating) == (learner, book, rating)


def test_rating_again_updates_the_one_rating(learner_client, learner, book):
    learner_client.post(rate_url(book), {"rating": "2"})
    learner_client.post(rate_url(book), {"rating": "5"})
    learner_client.post(rate_url(book), {"rating": "5"})

    assert list(ResourceRating.objects.values_list("learner", "resource", "rating")) == [
        (learner.pk, book.pk, 5)
    ]


def test_rating_leaves_other_learners_ratings_alone(learner_client, book):
    theirs = ResourceRatingFactory(resource=book, rating=1)

    learner_client.post(rate_url(book), {"rating": "5"})

    theirs.refresh_from_db()
    assert theirs.rating == 1
    assert ResourceRating.objects.count() == 2


def test_rating_with_htmx_answers_with_the_updated_rating_box(learner_client, book):
    ResourceRatingFactory(resource=book, rating=2)

    response = learner_client.post(rate_url(book), {"rating": "4"}, **HTMX)

    html = response.content.decode()
    assert response.status_code == 200
    box = dom.root_element(html)
    assert box.matches(f"div.resource-rating-box#rating-{book.slug}")
    assert rating_label(box) == "Rated 3.0 out of 5 by 2 learners"
    assert "You used this and rated it 4." in box.text
    assert dom.selected_options(box, "rating") == ["4"]
    assert "<html" not in html


@pytest.mark.parametrize("rating", ["0", "6", "-1", "great"])
def test_a_rating_out_of_range_is_refused_and_changes_nothing(learner_client, learner, book, rating):
    ResourceRatingFactory(learner=learner, resource=book, rating=3)

    response = learner_client.post(rate_url(book), {"rating": rating})

    assert response.status_code == 400
    html = dom.text(response)
    assert "Nothing was changed for your rating of “Calculus book” on Limits." in html
    assert "Rate it from 1 to 5, or just mark it used." in html
    assert list(ResourceRating.objects.values_list("rating", flat=True)) == [3]


def test_a_refused_htmx_rating_shows_its_error_in_the_flash(learner_client, book):
    response = learner_client.post(rate_url(book), {"rating": "6"}, **HTMX)

    assert response.status_code == 400
    assert response["HX-Retarget"] == "#flash"
    assert not ResourceRating.objects.exists()


def test_rating_is_post_only(learner_client, book):
    response = learner_client.get(rate_url(book))

    assert response.status_code == 405
    assert not ResourceRating.objects.exists()


def test_anonymous_visitors_are_sent_to_login(client, book):
    response = client.post(rate_url(book), {"rating": "5"})

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not ResourceRating.objects.exists()


def test_a_resource_not_linked_to_the_topic_cannot_be_rated_there(learner_client, topic, book):
    elsewhere = TopicResourceFactory(topic=TopicFactory(section=topic.section, slug="derivatives")).resource

    assert learner_client.post(rate_url(elsewhere), {"rating": "5"}).status_code == 404
    assert learner_client.post(rate_url(book, "derivatives"), {"rating": "5"}).status_code == 404
    assert learner_client.post(rate_url(book, "no-such-topic"), {"rating": "5"}).status_code == 404
    assert not ResourceRating.objects.exists()


def test_a_resource_of_an_archived_topic_cannot_be_rated(learner_client, topic, book):
    topic.is_archived = True
    topic.save()

    assert learner_client.post(rate_url(book), {"rating": "5"}).status_code == 404
    assert not ResourceRating.objects.exists()


# -- What the topic page shows --------------------------------------------------------------------------


def test_the_topic_page_shows_the_average_and_count_of_ratings(client, book):
    for rating in [5, 4, 2]:
        ResourceRatingFactory(resource=book, rating=rating)
    ResourceRatingFactory(resource=book, rating=None)  # used, not rated: not in the average

    box = rating_box(client.get(TOPIC).content.decode(), book)

    assert rating_label(box) == "Rated 3.7 out of 5 by 3 learners"
    assert "★ 3.7" in box.text
    assert "(3)" in box.text
    assert box.select("form") == []  # visitors see ratings but cannot rate


def test_the_topic_page_shows_the_learners_own_rating_only_to_them(learner_client, learner, book):
    ResourceRatingFactory(resource=book, rating=1)
    ResourceRatingFactory(learner=learner, resource=book, rating=5)

    box = rating_box(learner_client.get(TOPIC).content.decode(), book)

    assert rating_label(box) == "Rated 3.0 out of 5 by 2 learners"
    assert "You used this and rated it 5." in box.text
    assert dom.selected_options(box, "rating") == ["5"]


def test_a_rating_counts_on_every_topic_that_links_the_resource(client, topic, book):
    other = TopicFactory(section=topic.section, slug="derivatives")
    TopicResourceFactory(topic=other, resource=book)
    ResourceRatingFactory(resource=book, rating=4)

    html = client.get("/topics/derivatives/").content.decode()

    assert rating_label(rating_box(html, book)) == "Rated 4.0 out of 5 by 1 learner"


# session, user, current roadmap, topic (+ section), what it needs (+ topic), what it unlocks
# (+ topic), resource links, their resources, the resources they pair with, the learner's
# progress on the topic, the rating summary (one GROUP BY for all resources) and the
# learner's own ratings.
TOPIC_PAGE_QUERIES = 12


@pytest.mark.parametrize("raters", [1, 50])
def test_rating_aggregation_does_not_grow_with_the_raters(
    client, topic, book, raters, django_assert_max_num_queries
):
    others = [TopicResourceFactory(topic=topic, resource__pairs_with=book).resource for _ in range(3)]
    # No password: hashing 50 of them would take most of the test's time.
    users = UserFactory.create_batch(raters, password=None)
    ResourceRating.objects.bulk_create(
        ResourceRating(learner=user, resource=resource, rating=1 + (index % 5))
        for index, user in enumerate(users)
        for resource in [book, *others]
    )
    client.force_login(users[0])

    with django_assert_max_num_queries(TOPIC_PAGE_QUERIES):
        response = client.get(TOPIC)

    assert "Pairs with" in response.content.decode()
    box = rating_box(response.content.decode(), book)
    average = sum(1 + (i % 5) for i in range(raters)) / raters
    learners = "learner" if raters == 1 else "learners"
    assert rating_label(box) == f"Rated {average:.1f} out of 5 by {raters} {learners}"
    assert "You used this and rated it 1." in box.text


# -- The plan prefers free, well-rated resources -------------------------------------------------------


def plan_resource_titles(html: str) -> list[list[str]]:
    """Each resource group of the plan, as its resource titles in order."""
    return [
        [title.text for title in group.select("a.resource-title")]
        for group in dom.select(html, ".plan-steps .resource-group")
    ]


def test_the_plan_lists_free_then_well_rated_resources_first_within_a_role(client, learner, topic):
    def link(title, access, order, role=Role.SUPPLEMENTAL, ratings=()):
        resource = ResourceFactory(title=title, access=access)
        TopicResourceFactory(topic=topic, resource=resource, role=role, order=order)
        for rating in ratings:
            ResourceRatingFactory(resource=resource, rating=rating)

    link("Paid favourite", Resource.Access.PAID, 0, ratings=[5, 5])
    link("Free unrated", Resource.Access.FREE, 1)
    link("Free so-so", Resource.Access.FREE_SIGNUP, 2, ratings=[3])
    link("Free favourite", Resource.Access.FREE, 3, ratings=[5, 4])
    link("Primary book", Resource.Access.PAID, 0, role=Role.PRIMARY)
    ProfileFactory(user=learner, goal=topic)
    client.force_login(learner)

    html = client.get("/dashboard/").content.decode()

    assert plan_resource_titles(html) == [
        ["Primary book"],
        ["Free favourite", "Free so-so", "Free unrated", "Paid favourite"],
    ]
    assert "★ 4.5" in dom.select_one(html, ".plan-steps").text
