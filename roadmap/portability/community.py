"""What the learner added to the community in an export: resource ratings and suggestions.

Resources are named by slug, suggestions by their topic and link; no id from
the file is ever looked up, so an import only ever writes rows of the
importing account. Each value passes the rating or suggestion form's rules.
A rating of a resource this site does not have is skipped, and said so.

A suggestion a curator decided is history: it comes back with its status,
the curator's reason and when it was sent and decided, but not who decided
(another account), and it is linked to the resource it became only when that
resource still has the suggestion's link — so a file cannot claim someone
else's resource. A suggestion still waiting is new work for this site's
curators: it enters the queue by the form's rules (a link neither on the
roadmap nor waiting already, at most SUGGESTIONS_PER_DAY a day), sent now;
those the rules leave out are skipped, and said so (importing the file again
another day adds the rest).
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone

from roadmap.community import suggestions
from roadmap.community.forms import RatingForm, SuggestionForm
from roadmap.models import Resource, ResourceRating, ResourceSuggestion, SuggestionStatus
from roadmap.portability.values import is_int, iso, key, text, time_field, topic_key

LISTS = ("ratings", "suggestions")
SUGGESTION_FIELDS = ("title", "url", "kind", "access", "why")
REASON_MAX = ResourceSuggestion._meta.get_field("rejection_reason").max_length


def export_community(user) -> dict[str, list]:
    ratings = (
        ResourceRating.objects.filter(learner=user).select_related("resource").order_by("resource__slug")
    )
    suggested = (
        ResourceSuggestion.objects.filter(suggester=user)
        .select_related("topic__roadmap", "resource")
        .order_by("topic__roadmap__slug", "topic__slug", "url", "created_at")
    )
    return {
        "ratings": [
            {"resource": row.resource.slug, "rating": row.rating, "rated_at": row.updated_at.isoformat()}
            for row in ratings
        ],
        "suggestions": [
            {
                **topic_key(row.topic),
                **{name: getattr(row, name) for name in SUGGESTION_FIELDS},
                "status": row.status,
                "rejection_reason": row.rejection_reason,
                "resource": row.resource.slug if row.resource else None,
                "created_at": row.created_at.isoformat(),
                "decided_at": iso(row.decided_at),
            }
            for row in suggested
        ],
    }


@dataclass
class Community:
    """The file's ratings and suggestions, validated and not yet saved; `skipped` says what is left out."""

    ratings: list[tuple[Resource, int | None, datetime | None]] = field(default_factory=list)
    suggestions: list[ResourceSuggestion] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def topic_keys(payload: dict) -> set[tuple[str, str]]:
    return {key(item) for item in payload.get("suggestions") or [] if isinstance(item, dict)}


def read_community(user, payload: dict, topics: dict, errors: list[str]) -> Community:
    community = Community()
    ratings, suggested = payload.get("ratings") or [], payload.get("suggestions") or []
    shapeless = [
        f"{name[:-1]} #{index}: expected an object."
        for name, items in (("ratings", ratings), ("suggestions", suggested))
        for index, item in enumerate(items, start=1)
        if not isinstance(item, dict)
    ]
    if shapeless:  # the rest reads fields of every item
        errors += shapeless
        return community
    named = {text(item.get("resource")) for item in [*ratings, *suggested]}
    resources = {r.slug: r for r in Resource.objects.filter(slug__in=named)}
    _read_ratings(ratings, resources, community, errors)
    _read_suggestions(user, suggested, topics, resources, community, errors)
    return community


def _read_ratings(items: list, resources: dict, community: Community, errors: list[str]) -> None:
    seen, missing = set(), 0
    for index, item in enumerate(items, start=1):
        where = f"rating #{index}"
        slug, rating = text(item.get("resource")), item.get("rating")
        if slug in seen:
            errors.append(f"{where}: a second rating of {slug!r}.")
            continue
        seen.add(slug)
        form = RatingForm({"rating": str(rating) if is_int(rating) else ""})
        if not (rating is None or is_int(rating)) or not form.is_valid():
            errors.append(f"{where}: {RatingForm.base_fields['rating'].error_messages['invalid_choice']}")
            continue
        rated_at = time_field(item, "rated_at", where, errors, required=False)
        if rated_at is False:
            continue
        if slug not in resources:
            missing += 1
            continue
        community.ratings.append((resources[slug], form.cleaned_data["rating"], rated_at))
    if missing:
        community.skipped.append(
            f"{missing} rating{'s' if missing != 1 else ''} of resources that are not on this site."
        )


def _read_suggestions(user, items, topics, resources, community: Community, errors: list[str]) -> None:
    have = {
        (topic_id, suggestions.normalise_url(url))
        for topic_id, url in ResourceSuggestion.objects.filter(suggester=user).values_list("topic_id", "url")
    }
    queued, queued_links = suggestions.suggestions_left_today(user), set()
    for index, item in enumerate(items, start=1):
        where = f"suggestion #{index}"
        row = _read_suggestion(user, item, where, topics, resources, errors)
        if row is None:
            continue
        same = (row.topic.pk, suggestions.normalise_url(row.url))
        if same in have:  # already on the account: an earlier import, or the same suggestion
            continue
        have.add(same)
        if row.status == SuggestionStatus.PENDING:
            link = suggestions.normalise_url(row.url)
            # The form checks the queue as it is; the file's own waiting links are not in it yet.
            why_not = (
                "the file suggests this link twice; it is sent once."
                if link in queued_links
                else _left_out_of_queue(user, item, row, queued)
            )
            if why_not:
                community.skipped.append(f"The suggestion “{row.title}” for {row.topic.title}: {why_not}")
                continue
            queued, queued_links = queued - 1, queued_links | {link}
            row.created_at = timezone.now()  # sent to this site's queue now (see the module docstring)
        community.suggestions.append(row)


def _read_suggestion(user, item: dict, where: str, topics, resources, errors) -> ResourceSuggestion | None:
    values = {name: item.get(name) for name in SUGGESTION_FIELDS}
    wrong = [name for name, value in values.items() if not isinstance(value, str)]
    if wrong:
        errors.append(f"{where}: {', '.join(wrong)} must be text.")
        return None
    form = SuggestionForm(values, learner=user, joins_queue=False)
    if not form.is_valid():
        errors += [
            f"{where}: {name}: {message}" for name, messages in form.errors.items() for message in messages
        ]
        return None
    status, reason = item.get("status"), item.get("rejection_reason") or ""
    if status not in SuggestionStatus.values:
        errors.append(f"{where}: unknown status {status!r}.")
        return None
    if not isinstance(reason, str) or len(reason) > REASON_MAX:
        errors.append(f"{where}: rejection_reason must be text of at most {REASON_MAX} characters.")
        return None
    if status == SuggestionStatus.REJECTED and not reason.strip():
        errors.append(f"{where}: a rejected suggestion needs the curator's reason.")
        return None
    created_at = time_field(item, "created_at", where, errors)
    decided_at = time_field(item, "decided_at", where, errors, required=False)
    topic = topics.get(key(item))  # an unknown topic is reported once, by values.topics_named
    if created_at is False or decided_at is False or topic is None:
        return None
    resource = resources.get(text(item.get("resource")))
    became = (
        status == SuggestionStatus.APPROVED
        and resource is not None
        and suggestions.normalise_url(resource.url) == suggestions.normalise_url(form.cleaned_data["url"])
    )
    return ResourceSuggestion(
        topic=topic,
        **form.cleaned_data,
        status=status,
        rejection_reason=reason,
        resource=resource if became else None,
        created_at=created_at,
        decided_at=decided_at,
    )


def _left_out_of_queue(user, item: dict, row: ResourceSuggestion, allowance: int) -> str | None:
    """Why a waiting suggestion does not enter the queue, by the form's rules; None when it does."""
    if allowance <= 0:
        return (
            f"you can suggest {suggestions.SUGGESTIONS_PER_DAY} resources a day; "
            "import the file again tomorrow to send it."
        )
    form = SuggestionForm({name: item[name] for name in SUGGESTION_FIELDS}, learner=user)
    if form.is_valid():
        return None
    return " ".join(message for messages in form.errors.values() for message in messages)


def restore_community(user, community: Community) -> None:
    """Save the ratings and the suggestions not on the account yet (inside the import's transaction)."""
    rated = []
    for resource, rating, rated_at in community.ratings:
        row, _ = ResourceRating.objects.update_or_create(
            learner=user, resource=resource, defaults={"rating": rating}
        )
        row.updated_at = rated_at or row.updated_at
        rated.append(row)
    for row in community.suggestions:
        row.suggester = user
    created_at = [row.created_at for row in community.suggestions]
    saved = ResourceSuggestion.objects.bulk_create(community.suggestions)
    # updated_at is auto_now and created_at auto_now_add: saving stamps them with now, so
    # put back the file's; bulk_update runs no pre_save, so it writes the values as set.
    for row, when in zip(saved, created_at, strict=True):
        row.created_at = when
    ResourceRating.objects.bulk_update(rated, ["updated_at"])
    ResourceSuggestion.objects.bulk_update(saved, ["created_at"])
