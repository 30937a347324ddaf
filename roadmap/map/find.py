"""Finding a topic on the map by what a learner types (pure: the graph's titles, no queries).

A title picked from the suggestions matches exactly; anything else typed is
looked up word by word, ignoring case, accents and punctuation, so "eigen" and
"cauchy schwarz" find their topics too.
"""

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from roadmap.curriculum.graph import TopicNode


@dataclass(frozen=True)
class Search:
    """What was typed and found, when that was not one topic: for the map to say so."""

    text: str  # as typed, shown again in the box
    matches: list[TopicNode]  # in roadmap order

    SHOWN = 8  # a longer list is no help: the learner types more

    @property
    def listed(self) -> list[TopicNode]:
        return self.matches[: self.SHOWN]

    @property
    def more(self) -> int:
        return max(0, len(self.matches) - self.SHOWN)


def _words(text: str) -> list[str]:
    """The words of `text`: lower case, accents dropped, punctuation as spaces."""
    plain = unicodedata.normalize("NFKD", text.casefold())
    kept = "".join(char if char.isalnum() else " " for char in plain if not unicodedata.combining(char))
    return kept.split()


def find_topics(topics: Iterable[TopicNode], text: str) -> list[TopicNode]:
    """The topics `text` names, in roadmap order: the one whose title (or slug) it is, else every
    topic whose title has all its words, each the start of a word ("eigen") or, from four
    letters on, any part of one ("values" in "eigenvalues").
    """
    wanted = _words(text)
    if not wanted:
        return []
    topics = list(topics)
    slug = text.strip().lower()
    exact = [t for t in topics if _words(t.title) == wanted or t.slug == slug]
    if exact:
        return exact[:1]
    found = []
    for topic in topics:
        words = _words(topic.title)
        if all(any(_part_of(part, word) for word in words) for part in wanted):
            found.append(topic)
    return found


def _part_of(part: str, word: str) -> bool:
    # A few letters from inside words ("at", "ion") would match most titles.
    return word.startswith(part) or (len(part) >= 4 and part in word)
