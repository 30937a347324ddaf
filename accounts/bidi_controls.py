"""Bidirectional control characters, stripped from short text that one learner writes and others read.

An invisible U+202E (right-to-left override) or U+2066 (isolate) reverses how
the rest of a name or a line reads, so "ecilA" can show as "Alice", or a stage can
push the text after it around. Forms that take the display name, a log entry's
stage and a suggestion's title and reason strip them in their clean methods.
Right-to-left scripts themselves are untouched: browsers lay them out unaided.
"""

# Unicode's Bidi_Control characters: the Arabic letter mark, the left-to-right and
# right-to-left marks, the embeddings and overrides with their pop, and the isolates.
BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_REMOVE = dict.fromkeys(map(ord, BIDI_CONTROLS))


def strip_bidi_controls(text: str) -> str:
    """The text without bidi controls, and without the spaces they may have hidden at either end."""
    return text.translate(_REMOVE).strip()
