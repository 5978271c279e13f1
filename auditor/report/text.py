"""Site text made safe for places that interpret characters: a terminal, a CI log, a workflow command."""

from __future__ import annotations

import re

# Control characters (ANSI escapes) and bidirectional overrides, which can reorder what a reader sees.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """``text`` with control characters (ANSI escapes, line breaks) and bidirectional overrides replaced by "?"."""
    return _UNPRINTABLE.sub("?", text)
