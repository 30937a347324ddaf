"""A small roadmap with two learners, and every kind of page the app renders.

The security tests share this catalogue so that a check ("no inline script",
"a CSP header", "the payload is escaped") runs over every page type, full
pages and htmx fragments alike, instead of over the few someone remembered.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from html.parser import HTMLParser

from django.db import connection, transaction
from django.test import Client, override_settings
from django.utils import timezone

from accounts.models import Profile, Visibility
from roadmap.models import (
    LogEntry,
    Placement,
    Progress,
    ResourceSuggestion,
    Roadmap,
    Status,
    Topic,
    TopicCheck,
)
from tests.factories import (
    LogEntryFactory,
    MasteredProgressFactory,
    PracticeDoneFactory,
    PracticeTaskFactory,
    PrerequisiteFactory,
    ProblemFactory,
    ProgressFactory,
    ResourceFactory,
    ResourceRatingFactory,
    ResourceSuggestionFactory,
    RoadmapFactory,
    RoadmapResourceFactory,
    SectionFactory,
    TopicFactory,
    TopicResourceFactory,
    UserFactory,
)
from tests.security.check_pages import add_checking, check_pages, checking_rows

ENTRY_DAY = date(2025, 3, 1)
# Factories hash a password per user; PBKDF2 would spend most of the suite on it.
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class World:
    roadmap: Roadmap
    topics: dict[str, Topic]
    owner: object  # a learner with every kind of data, sharing publicly
    other: object  # a second learner with data of their own, private
    entry: LogEntry  # the owner's
    token: str  # the owner's secret link
    texts: list[str] = field(default_factory=list)  # the free text written into every field
    check: TopicCheck | None = None  # the owner's open check of derivatives
    placement: Placement | None = None  # the owner's placement run, under way


def build_world(text: str = "") -> World:
    """A roadmap (limits → derivatives → gradient, and vectors), its problems, and two learners.

    `text`, when given, is written into every free-text field a curator or a
    learner can fill, so the XSS tests can look for it on every page.
    """

    def t(base: str) -> str:
        return f"{base} {text}" if text else base

    roadmap = RoadmapFactory(title=t("Maths for ML"), description=t("The plan."))
    calculus = SectionFactory(roadmap=roadmap, slug="calculus", title=t("Calculus"), summary=t("Change."))
    algebra = SectionFactory(roadmap=roadmap, slug="algebra", title=t("Algebra"))
    topics = {
        "limits": TopicFactory(section=calculus, slug="limits", title=t("Limits"), summary=t("Approach.")),
        "derivatives": TopicFactory(section=calculus, slug="derivatives", title=t("Derivatives")),
        "gradient": TopicFactory(section=calculus, slug="gradient", title=t("Gradient")),
        "vectors": TopicFactory(section=algebra, slug="vectors", title=t("Vectors")),
    }
    PrerequisiteFactory(topic=topics["derivatives"], prerequisite=topics["limits"], reason=t("a limit"))
    PrerequisiteFactory(topic=topics["gradient"], prerequisite=topics["derivatives"], reason=t("partials"))
    PrerequisiteFactory(topic=topics["gradient"], prerequisite=topics["vectors"])
    book = ResourceFactory(slug="book", title=t("Book"), author=t("Author"), note=t("Read it."))
    course = ResourceFactory(slug="course", title=t("Course"), pairs_with=book, recommended_by=t("Someone"))
    TopicResourceFactory(topic=topics["derivatives"], resource=book)
    TopicResourceFactory(topic=topics["derivatives"], resource=course, role="pick_one")
    RoadmapResourceFactory(roadmap=roadmap, resource=book)
    task = PracticeTaskFactory(
        section=calculus,
        slug="slopes",
        title=t("Slopes"),
        data=t("iris"),
        task=t("Fit a line."),
        exercises=[topics["derivatives"], topics["gradient"]],
    )

    owner = UserFactory(username="ada", email="ada@example.com")
    other = UserFactory(username="mallory", email="mallory@example.com")
    Profile.objects.filter(pk=Profile.objects.for_user(owner).pk).update(
        display_name=t("Ada L"),
        visibility=Visibility.PUBLIC,
        share_log_notes=True,
        goal=topics["gradient"],
        journey_start=ENTRY_DAY - timedelta(days=3),
    )
    ProgressFactory(learner=owner, topic=topics["limits"], status=Status.LEARNING, note=t("Ch. 1"))
    # Mastered a month ago, so a review is due and the review buttons show.
    MasteredProgressFactory(
        learner=owner,
        topic=topics["vectors"],
        mastered_at=timezone.now() - timedelta(days=30),
        note=t("Did the exercises"),
    )
    entry = LogEntryFactory(
        learner=owner,
        date=ENTRY_DAY,
        stage=t("grind"),
        note=t("**Bold** note"),
        topics=[topics["limits"]],
    )
    LogEntryFactory(learner=owner, date=ENTRY_DAY - timedelta(days=1))
    ResourceRatingFactory(learner=owner, resource=book, rating=4)
    ResourceSuggestionFactory(suggester=owner, topic=topics["derivatives"], title=t("Video"), why=t("Clear."))
    ResourceSuggestionFactory(
        suggester=owner,
        topic=topics["limits"],
        title=t("Old"),
        status="rejected",
        rejection_reason=t("Paywalled."),
    )
    PracticeDoneFactory(learner=owner, task=task)
    ProgressFactory(learner=other, topic=topics["derivatives"], status=Status.PRACTISED, note="Other's note")
    _add_recall(topics, algebra, owner, t)
    LogEntryFactory(learner=other, date=ENTRY_DAY, note="Other's log")
    Profile.objects.for_user(other)
    token = Profile.objects.get(user=owner).share_token
    world = World(roadmap, topics, owner, other, entry, token)
    add_checking(world, t)
    return world


# -- Reviews that ask a problem (topic_recall) ---------------------------------------
RECALL_PATH = "/topics/matrices/recall/"
RECALL_KEY = "12"


def _add_recall(topics: dict, algebra, owner, t) -> None:
    """Matrices, with a problem in its bank, mastered by the owner a month ago: its review asks it."""
    topics["matrices"] = TopicFactory(section=algebra, slug="matrices", title=t("Matrices"))
    ProblemFactory(
        topic=topics["matrices"],
        key="trace",
        ability_text=t("take a trace"),
        statement=t("What is the trace of the matrix with rows $(5, 1)$ and $(2, 7)$?"),
        answer=RECALL_KEY,
        solution=t("Add the diagonal: $5 + 7 = 12$."),
    )
    MasteredProgressFactory(
        learner=owner, topic=topics["matrices"], mastered_at=timezone.now() - timedelta(days=30)
    )


def recall_form(answer: str) -> dict:
    """The owner's review form for matrices, answered: the problem and the review it was shown for."""
    progress = Progress.objects.get(learner__username="ada", topic__slug="matrices")
    problem = progress.topic.problems.get()
    return {
        "problem": str(problem.pk),
        "review": progress.review_due.isoformat(),
        f"answer_{problem.pk}": answer,
    }


@dataclass(frozen=True)
class Page:
    id: str
    path: str
    as_owner: bool = False
    htmx: dict = field(default_factory=dict)  # HX-* headers, for fragments
    post: dict | None = None  # form data, for the responses of POSTs
    prepare: Callable[[World], None] | None = None  # what the page needs first (a finished run)

    def fetch(self, world: World, client: Client | None = None):
        if self.prepare is not None:
            self.prepare(world)
        client = client or Client()
        if self.as_owner:
            client.force_login(world.owner)
        headers = {f"HTTP_{name.upper().replace('-', '_')}": value for name, value in self.htmx.items()}
        if self.post is not None:
            return client.post(self.path, self.post, **headers)
        return client.get(self.path, **headers)


def _htmx(target: str = "", current: str = "") -> dict:
    headers = {"HX-Request": "true"}
    if target:
        headers["HX-Target"] = target
    if current:
        headers["HX-Current-URL"] = f"http://testserver{current}"
    return headers


def _status(next_url: str, status: str = Status.PRACTISED) -> dict:
    return {"topic": "derivatives", "status": status, "next": next_url}


def pages(world: World) -> list[Page]:
    """Every page type, as visitor and as learner, plus the htmx fragments and POST answers."""
    day = world.entry.date.isoformat()
    return [
        # Visitors.
        Page("home", "/"),
        Page("topic", "/topics/derivatives/"),
        Page("map", "/map/"),
        Page("map-section", "/map/?section=calculus"),
        Page("map-topic", "/map/topic/gradient/"),
        Page("map-panel", "/map/topic/gradient/", htmx=_htmx("map-panel")),
        Page("login", "/accounts/login/"),
        Page("signup", "/accounts/signup/"),
        Page("password-reset", "/accounts/password/reset/"),
        Page("public-profile", "/u/ada/"),
        Page("public-log-entry", f"/u/ada/log/{day}/"),
        Page("unlisted-profile", f"/s/{world.token}/"),
        Page("unlisted-log-entry", f"/s/{world.token}/log/{day}/"),
        Page("not-found", "/topics/no-such-topic/"),
        Page("dead-secret-link", "/s/no-such-token/"),
        Page("dead-secret-link-htmx", "/s/no-such-token/", htmx=_htmx()),
        # The learner.
        Page("home-learner", "/", as_owner=True),
        Page("topic-learner", "/topics/vectors/", as_owner=True),
        Page("topic-with-resources-learner", "/topics/derivatives/", as_owner=True),
        Page("dashboard", "/dashboard/", as_owner=True),
        Page("dashboard-all", "/dashboard/?all=1", as_owner=True),
        Page("dashboard-plan", "/dashboard/", as_owner=True, htmx=_htmx("plan-body")),
        Page("dashboard-gaps", "/dashboard/", as_owner=True, htmx=_htmx("gaps")),
        Page("dashboard-reviews", "/dashboard/", as_owner=True, htmx=_htmx("reviews")),
        Page("map-learner", "/map/", as_owner=True),
        Page("map-panel-learner", "/map/topic/gradient/", as_owner=True, htmx=_htmx("map-panel")),
        Page("log", "/log/", as_owner=True),
        Page("log-edit", f"/log/{day}/edit/", as_owner=True),
        Page("settings", "/settings/", as_owner=True),
        Page("rotate-confirm", "/settings/share-link/rotate/", as_owner=True),
        Page("rotate-confirm-htmx", "/settings/share-link/rotate/", as_owner=True, htmx=_htmx("rotate-link")),
        Page("suggest", "/topics/derivatives/suggest/", as_owner=True),
        Page("profile-preview", "/u/ada/", as_owner=True),
        Page("email", "/accounts/email/", as_owner=True),
        Page("password-change", "/accounts/password/change/", as_owner=True),
        Page("logout-confirm", "/accounts/logout/", as_owner=True),
        # What POSTs answer with: htmx fragments, and the pages shown on bad input.
        Page("status-dashboard", "/progress/", True, _htmx(current="/dashboard/"), _status("/dashboard/")),
        Page("status-topic", "/progress/", True, _htmx(), _status("/topics/derivatives/")),
        Page("status-map", "/progress/", True, _htmx(), _status("/map/topic/derivatives/?section=calculus")),
        Page("status-error", "/progress/", True, post=_status("/dashboard/", status="bogus")),
        Page("status-error-htmx", "/progress/", True, _htmx(), _status("/dashboard/", status="bogus")),
        Page("goal", "/dashboard/goal/", True, _htmx(), {"goal": world.topics["derivatives"].pk}),
        Page("review", "/review/", True, _htmx(), {"topic": "vectors", "rating": "3", "next": "/dashboard/"}),
        Page("rate", "/topics/derivatives/resources/book/rate/", True, _htmx(), {"rating": "5"}),
        Page("log-invalid", "/log/", True, post={"date": "", "hours": "-1"}),
        Page("settings-invalid", "/settings/", True, post={"visibility": "everyone"}),
        Page("suggest-invalid", "/topics/derivatives/suggest/", True, post={"url": "ftp://x"}),
        # Reviews that ask a problem: the problem, its panel, a bad answer (422), then a wrong one
        # (the result, with key and solution) and the same form again (the result shown again).
        Page("recall", RECALL_PATH, as_owner=True),
        Page("recall-panel", RECALL_PATH, as_owner=True, htmx=_htmx("recall-matrices")),
        Page("recall-topic", "/topics/matrices/", as_owner=True),
        Page("recall-invalid", RECALL_PATH, True, _htmx(), recall_form("5 +")),
        Page("recall-wrong", RECALL_PATH, True, post=recall_form("13")),
        Page("recall-resent", RECALL_PATH, True, _htmx(), recall_form("13")),
        *check_pages(world, Page, _htmx),
    ]


JAVASCRIPT_TYPES = {"", "module", "text/javascript", "application/javascript", "text/ecmascript"}


def render_all(django_db_blocker, text: str = "") -> dict:
    """{page id: response} for every page of a world built with `text`, all rolled back afterwards.

    For module-scoped fixtures in modules marked `django_db` (pytest-django
    only sets up the test database for those): the responses are rendered in
    memory, so the checks can read them long after the data is gone.
    """
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS), transaction.atomic():
        # Only a module with a django_db mark gets a test database; never write to the real one.
        name = str(connection.settings_dict["NAME"])
        assert name.startswith("test_") or "memory" in name, f"not a test database: {name}"
        world = build_world(text)
        responses = {page.id: page.fetch(world) for page in pages(world)}
        responses["badge"] = Client().get("/u/ada/badge.svg")
        transaction.set_rollback(True)
    return responses


class PageScan(HTMLParser):
    """What a page holds that a strict CSP or the htmx config would have to allow."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.inline_scripts: list[str] = []
        self.script_srcs: list[str] = []
        self.style_attributes: list[str] = []
        self.style_elements = 0
        self.event_handlers: list[str] = []
        self.javascript_urls: list[str] = []
        self.eval_htmx: list[str] = []  # hx-* attributes htmx could only honour with eval
        self.htmx_config: str | None = None
        self.body_hx_headers: str | None = None
        self.post_forms: list[dict] = []  # {"action": …, "has_token": bool}
        self._in_script = False
        self._in_form: dict | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        described = f"<{tag} {' '.join(f'{k}={v!r}' for k, v in attrs)}>"
        if tag == "script":
            self._in_script = True
            if attributes.get("src"):
                self.script_srcs.append(attributes["src"])
            elif (attributes.get("type") or "").lower() in JAVASCRIPT_TYPES:
                # A data block (type="application/json", as allauth's email page has) never runs.
                self.inline_scripts.append(described)
        if tag == "style":
            self.style_elements += 1
        if tag == "meta" and attributes.get("name") == "htmx-config":
            self.htmx_config = attributes.get("content")
        if tag == "body":
            self.body_hx_headers = attributes.get("hx-headers")
        if tag == "form" and (attributes.get("method") or "").lower() == "post":
            self._in_form = {"action": attributes.get("action"), "has_token": False}
            self.post_forms.append(self._in_form)
        if tag == "input" and attributes.get("name") == "csrfmiddlewaretoken" and self._in_form:
            self._in_form["has_token"] = True
        for name, value in attrs:
            value = value or ""
            if name == "style":
                self.style_attributes.append(described)
            if name.startswith("on"):
                self.event_handlers.append(described)
            if name in {
                "href",
                "src",
                "action",
                "formaction",
                "xlink:href",
            } and value.strip().lower().startswith("javascript:"):
                self.javascript_urls.append(described)
            if name.startswith(("hx-on", "data-hx-on")) or name in {"hx-vars", "data-hx-vars"}:
                self.eval_htmx.append(described)
            if name in {"hx-vals", "hx-headers"} and value.strip().startswith(("js:", "javascript:")):
                self.eval_htmx.append(described)
            if name == "hx-trigger" and "[" in value:  # trigger filters are evaluated as JavaScript
                self.eval_htmx.append(described)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag == "script":
            self._in_script = False

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False
        if tag == "form":
            self._in_form = None


def scan(html: str) -> PageScan:
    parser = PageScan()
    parser.feed(html)
    parser.close()
    return parser


def learner_rows(user) -> dict:
    """Everything a learner owns, to compare before and after an attack."""
    profile = Profile.objects.filter(user=user).values().first()
    return {
        "user": type(user)
        .objects.filter(pk=user.pk)
        .values("username", "email", "password", "is_active")
        .first(),
        "profile": profile,
        "progress": sorted(
            Progress.objects.filter(learner=user).values_list(
                "topic__slug", "status", "note", "status_changed_at", "review_due"
            )
        ),
        "log": sorted(
            (
                entry.date,
                entry.minutes,
                entry.stage,
                entry.note,
                entry.satisfied,
                tuple(t.slug for t in entry.topics.all()),
            )
            for entry in LogEntry.objects.filter(learner=user).prefetch_related("topics")
        ),
        "ratings": sorted(user.resource_ratings.values_list("resource__slug", "rating")),
        "suggestions": sorted(
            ResourceSuggestion.objects.filter(suggester=user).values_list("title", "url", "status", "why")
        ),
        **checking_rows(user),
    }
