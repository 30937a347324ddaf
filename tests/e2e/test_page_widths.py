"""Every page fits the screen: no sideways scroll at a phone's 360 px nor at 1280 px.

Wide things (the map, the year heatmap, code in a note) scroll inside boxes of
their own; the page itself never does. The learner here has what makes pages
wide in real use: a username with no place to break it, weeks of log entries
with a pasted URL and code in the notes, statuses, a goal, and a public page.
"""

from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from accounts.models import Profile, Visibility
from roadmap.models import Status, Topic
from tests.factories import LogEntryFactory, ProgressFactory, UserFactory

WIDTHS = [360, 1280]
NOTE = (
    "Worked through https://www.example.com/courses/mathematics-for-machine-learning/"
    "linear-algebra/lecture-notes/eigenvalues-and-eigenvectors-chapter-7.pdf today.\n\n"
    "```\nA = np.array([[2, 1], [1, 3]]); w, v = np.linalg.eig(A)  # eigenvalues, eigenvectors\n```"
)

USERNAME = "maximilian_featherstonehaugh"
# (name, path, who is signed in). {today} is the learner's newest log entry.
PAGES = [
    ("home", "/", "learner"),
    ("topic", "/topics/gradient-descent/", "learner"),
    ("map", "/map/", "learner"),
    ("dashboard", "/dashboard/", "learner"),
    ("log", "/log/", "learner"),
    ("settings", "/settings/", "learner"),
    ("public page", "/u/{username}/", None),
    ("log day page", "/u/{username}/log/{today}/", None),
    ("sign-up", "/accounts/signup/", None),
    ("log-in", "/accounts/login/", None),
    ("admin index", "/admin/", "staff"),
]
# Failures outside the log, the public page, the charts and the forms, left to
# whoever owns that page: {case id: the cause}.
KNOWN_WIDE: dict[str, str] = {}

# The page's width, and the innermost elements that reach past the viewport outside
# any box of their own that scrolls (text too long to wrap counts through its block),
# so that a failure says what to fix.
LAYOUT_JS = """() => {
  const width = window.innerWidth;
  const reach = (el) => {
    const box = el.getBoundingClientRect();
    const scrolls = getComputedStyle(el).overflowX !== "visible";
    return scrolls ? box.right : Math.max(box.right, box.left + el.scrollWidth);
  };
  const inScroller = (el) => {
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      if (getComputedStyle(up).overflowX !== "visible") return true;
    }
    return false;
  };
  const tooWide = (el) => reach(el) > width + 0.5 && !inScroller(el);
  const name = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
    + (typeof el.className === "string" && el.className.trim() ? "." + el.className.trim().split(/\\s+/).join(".") : "");
  const culprits = [...document.body.querySelectorAll("*")]
    .filter((el) => tooWide(el) && ![...el.children].some(tooWide));
  return {
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: width,
    culprits: culprits.slice(0, 8).map((el) => name(el) + " to " + Math.round(reach(el)) + "px"),
  };
}"""


def _cases():
    for name, path, who in PAGES:
        for width in WIDTHS:
            case = f"{name}-{width}"
            marks = [pytest.mark.xfail(reason=KNOWN_WIDE[case], strict=False)] if case in KNOWN_WIDE else []
            yield pytest.param(path, who, width, id=case, marks=marks)


@pytest.fixture
def learner():
    return UserFactory(username=USERNAME, email="max@example.com")


@pytest.fixture
def today(learner):
    """A learner with weeks of notes, some statuses, a goal and a public page; their last log day."""
    topics = list(Topic.objects.active().in_roadmap_order())
    profile = Profile.objects.for_user(learner)
    profile.visibility = Visibility.PUBLIC
    profile.share_log_notes = True
    profile.goal = Topic.objects.get(slug="gradient-descent")
    profile.save()
    for topic, status in zip(
        topics[:40:4], [Status.MASTERED, Status.PRACTISED, Status.LEARNING] * 4, strict=False
    ):
        ProgressFactory(learner=learner, topic=topic, status=status)
    last = profile.today()
    for days_ago in range(0, 70, 5):
        LogEntryFactory(
            learner=learner,
            date=last - timedelta(days=days_ago),
            minutes=45 + days_ago * 4,
            stage="Linear algebra: eigenvalues, eigenvectors and diagonalisation",
            note=NOTE,
            topics=topics[days_ago : days_ago + 4],
        )
    Profile.objects.learner_changed(learner.pk)
    return last


def open_as(new_context, log_in, learner, who: str, width: int) -> Page:
    """A new page at this width, signed in as `who`: "learner", "staff" or anyone else (signed out)."""
    page: Page = new_context(viewport={"width": width, "height": 900}).new_page()
    if who == "learner":
        log_in(page, learner)
    elif who == "staff":
        log_in(
            page, UserFactory(username="grace", email="grace@example.com", is_staff=True, is_superuser=True)
        )
    return page


@pytest.mark.parametrize(("path", "who", "width"), list(_cases()))
def test_the_page_is_no_wider_than_the_screen(new_context, learner, log_in, today, path, who, width):
    page = open_as(new_context, log_in, learner, who, width)
    path = path.format(username=USERNAME, today=today.isoformat())

    response = page.goto(path)

    assert response is not None and response.status == 200, f"{path} answered {response and response.status}"
    expect(page.locator("h1").first).to_be_visible()
    layout = page.evaluate(LAYOUT_JS)
    assert layout["scrollWidth"] <= layout["innerWidth"], f"{path} at {width}px scrolls sideways: {layout}"
