"""Every POST the app accepts, with a valid submission each, and what a forged one could change.

The CSRF tests send each of them without a token and compare `site_state` before and after.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass

from roadmap.models import PracticeTask, ResourceSuggestion, Topic
from tests.security.check_pages import check_endpoints
from tests.security.pages import RECALL_KEY, RECALL_PATH, World, learner_rows, recall_form

NEW_PASSWORD = "a brand new horse, still stapled"


@dataclass(frozen=True)
class Endpoint:
    name: str
    path: str
    data: dict  # a valid submission; files are made fresh per request by `form()`
    as_owner: bool = True
    setup: Callable[[World], None] | None = None  # what the POST needs first (a finished run)

    def prepare(self, world: World) -> None:
        """Put the world in the state this POST acts on; call it before taking `site_state`."""
        if self.setup is not None:
            self.setup(world)

    def form(self) -> dict:
        from django.core.files.uploadedfile import SimpleUploadedFile

        return {
            key: SimpleUploadedFile("export.json", value, "application/json")
            if isinstance(value, bytes)
            else value
            for key, value in self.data.items()
        }


def post_endpoints(world: World) -> list[Endpoint]:
    """One valid POST for every URL of the app (and allauth's) that changes state."""
    day = world.entry.date.isoformat()
    export = json.dumps({"format": "mathpath-export", "version": 1, "profile": {"display_name": "Restored"}})
    log = {"hours": "1", "extra_minutes": "0", "stage": "s", "satisfied": "yes", "note": ""}
    return [
        Endpoint(
            "change_status", "/progress/", {"topic": "gradient", "status": "learning", "next": "/dashboard/"}
        ),
        Endpoint("review_topic", "/review/", {"topic": "vectors", "rating": "3", "next": "/dashboard/"}),
        Endpoint(
            "topic_status", "/topics/gradient/status/", {"status": "learning", "next": "/topics/gradient/"}
        ),
        Endpoint("topic_review", "/topics/vectors/review/", {"rating": "3", "next": "/topics/vectors/"}),
        Endpoint("topic_recall", RECALL_PATH, recall_form(RECALL_KEY)),
        Endpoint("map_status", "/map/topic/gradient/status/", {"status": "learning", "next": "/map/"}),
        Endpoint("set_goal", "/dashboard/goal/", {"goal": str(world.topics["derivatives"].pk)}),
        Endpoint("set_pace", "/dashboard/pace/", {"pace_hours": "5", "pace_minutes": "0", "target": ""}),
        Endpoint(
            "practice_done",
            "/practice/",
            {"task": str(PracticeTask.objects.get(slug="slopes").pk), "done": "on", "next": "/dashboard/"},
        ),
        Endpoint(
            "suggest_resource",
            "/topics/derivatives/suggest/",
            {
                "title": "T",
                "url": "https://new.example.org/x",
                "kind": "article",
                "access": "free",
                "why": "W",
            },
        ),
        Endpoint("rate_resource", "/topics/derivatives/resources/book/rate/", {"rating": "5"}),
        Endpoint("log", "/log/", {**log, "date": "2025-03-05"}),
        Endpoint("log_entry_edit", f"/log/{day}/edit/", {**log, "date": day}),
        Endpoint("log_entry_delete", f"/log/{day}/delete/", {}),
        Endpoint(
            "account_settings",
            "/settings/",
            {"display_name": "X", "visibility": "private", "timezone": "UTC"},
        ),
        Endpoint("use_browser_timezone", "/settings/timezone/", {"timezone": "Asia/Tokyo"}),
        Endpoint("rotate_share_link", "/settings/share-link/rotate/", {}),
        Endpoint("import_json", "/settings/import/", {"file": export.encode()}),
        Endpoint(
            "delete_account",
            "/settings/delete/",
            {"password": "correct horse battery staple", "confirm": "on"},
        ),
        Endpoint("account_logout", "/accounts/logout/", {}),
        Endpoint(
            "account_change_password",
            "/accounts/password/change/",
            {
                "oldpassword": "correct horse battery staple",
                "password1": NEW_PASSWORD,
                "password2": NEW_PASSWORD,
            },
        ),
        Endpoint("account_email", "/accounts/email/", {"email": "ada2@example.com", "action_add": ""}),
        Endpoint(
            "account_login",
            "/accounts/login/",
            {"login": "ada@example.com", "password": "correct horse battery staple"},
            as_owner=False,
        ),
        Endpoint(
            "account_signup",
            "/accounts/signup/",
            {
                "email": "new@example.com",
                "username": "newbie",
                "password1": NEW_PASSWORD,
                "password2": NEW_PASSWORD,
            },
            as_owner=False,
        ),
        Endpoint(
            "account_reset_password",
            "/accounts/password/reset/",
            {"email": "ada@example.com"},
            as_owner=False,
        ),
        *check_endpoints(world, Endpoint),
    ]


def site_state(world: World) -> dict:
    """Everything a forged POST could change: the learner's data, accounts and the curation."""
    from django.contrib.auth import get_user_model

    from roadmap.models import Prerequisite, ResourceRating

    return {
        "owner": learner_rows(world.owner),
        "users": sorted(get_user_model().objects.values_list("username", "email", "password")),
        "emails": sorted(world.owner.emailaddress_set.values_list("email", flat=True)),
        "topics": sorted(Topic.objects.values_list("slug", "title", "is_archived")),
        "edges": Prerequisite.objects.count(),
        "ratings": sorted(ResourceRating.objects.values_list("learner_id", "resource_id", "rating")),
        "suggestions": ResourceSuggestion.objects.count(),
    }
