"""Does the privacy policy cover each CCPA topic? Matches the table in :mod:`auditor.policy.topics`.

Each topic comes back "found" (a strong pattern matched), "ambiguous" (only weak cues: a person
should read the passage) or "missing". The passage quoted is the sentence around the first match,
trimmed to about 300 characters, so a report can show the reader what was matched.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from auditor.policy.topics import TOPICS

ContentStatus = Literal["found", "ambiguous", "missing"]

PASSAGE_LIMIT = 300
_MAX_PHRASES = 10
_MIN_SENTENCE = 40  # shorter "sentences" are headings or labels, poor quotes
# One character in, one character out, so offsets survive folding.
_FOLD = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-",
})  # fmt: skip
_INVISIBLE = {"\u200b", "\u200c", "\u200d", "\u00ad", "\ufeff"}

_COMPILED: dict[str, tuple[list[re.Pattern[str]], list[re.Pattern[str]]]] = {
    topic: (
        [re.compile(p, re.IGNORECASE) for p in patterns.strong],
        [re.compile(p, re.IGNORECASE) for p in patterns.weak],
    )
    for topic, patterns in TOPICS.items()
}


class ContentMatch(BaseModel):
    """How one policy topic was (or was not) found. ``start``/``end`` index the original text."""

    model_config = ConfigDict(extra="forbid")

    topic: str
    status: ContentStatus
    passage: str | None = Field(None, description="the sentence quoted, whitespace collapsed, ~300 chars")
    start: int | None = None
    end: int | None = None
    matched_phrases: list[str] = Field(default_factory=list)


def find_required_contents(text: str) -> dict[str, ContentMatch]:
    """Status, quoted passage and matched phrases for every topic in ``TOPICS``, in table order."""
    normalised, index = normalise(text)
    results: dict[str, ContentMatch] = {}
    for topic, (strong, weak) in _COMPILED.items():
        matches = _all_matches(strong, normalised)
        status: ContentStatus = "found"
        if not matches:
            matches, status = _all_matches(weak, normalised), "ambiguous"
        if not matches:
            results[topic] = ContentMatch(topic=topic, status="missing")
            continue
        start, end = _best_quote(text, [(index[m.start()], index[m.end() - 1] + 1) for m in matches])
        passage, p_start, p_end = quote_passage(text, start, end)
        results[topic] = ContentMatch(
            topic=topic,
            status=status,
            passage=passage,
            start=p_start,
            end=p_end,
            matched_phrases=_distinct(m.group(0) for m in matches),
        )
    return results


def normalise(text: str) -> tuple[str, list[int]]:
    """Whitespace collapsed to one space, quotes and dashes folded; plus each character's original index."""
    chars: list[str] = []
    index: list[int] = []
    in_space = False
    for i, char in enumerate(text):
        if char in _INVISIBLE:
            continue
        if char.isspace():
            if in_space:
                continue
            char, in_space = " ", True
        else:
            in_space = False
        chars.append(char)
        index.append(i)
    return "".join(chars).translate(_FOLD), index


def quote_passage(text: str, start: int, end: int, limit: int = PASSAGE_LIMIT) -> tuple[str, int, int]:
    """The sentence around ``text[start:end]``, whitespace collapsed, cut to about ``limit`` characters.

    Returns the quote and its span in ``text``. A sentence ends at ``.``, ``!`` or ``?`` followed by a
    space, or at a line break that is not a soft wrap inside a sentence.
    """
    s, e = _sentence_start(text, start), _sentence_end(text, end)
    if e - s > limit:
        s = max(s, start - (limit - min(end - start, limit)) // 2)
        e = min(e, max(end, s + limit))
        s, e = _snap_to_words(text, s, e, start, end)
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return " ".join(text[s:e].split()), s, e


def _best_quote(text: str, spans: list[tuple[int, int]]) -> tuple[int, int]:
    """The match to quote: one in a real sentence (not a bare heading), in the sentence with most matches.

    "Right to Know." or "How to Submit a Request" match, but the sentence after them says what the
    reader needs to see. Ties go to the earliest match.
    """
    sentences = [(_sentence_start(text, s), _sentence_end(text, e)) for s, e in spans]

    def score(i: int) -> tuple[bool, int, int]:
        s, e = sentences[i]
        inside = sum(1 for ms, me in spans if s <= ms and me <= e)
        return (len(" ".join(text[s:e].split())) >= _MIN_SENTENCE, inside, -i)

    return spans[max(range(len(spans)), key=score)]


def _all_matches(patterns: list[re.Pattern[str]], normalised: str) -> list[re.Match[str]]:
    """Matches of all patterns in text order; one lying inside another is dropped."""
    matches = sorted(
        (m for p in patterns for m in p.finditer(normalised) if m.end() > m.start()),
        key=lambda m: (m.start(), -m.end()),
    )
    kept: list[re.Match[str]] = []
    reach = -1
    for match in matches:
        if match.end() > reach:
            kept.append(match)
            reach = match.end()
    return kept


def _distinct(phrases: Iterable[str]) -> list[str]:
    seen: dict[str, str] = {}
    for phrase in phrases:
        seen.setdefault(phrase.casefold(), phrase)
    return list(seen.values())[:_MAX_PHRASES]


def _sentence_start(text: str, pos: int) -> int:
    i = pos
    while i > 0:
        prev = text[i - 1]
        if prev in ".!?" and i < len(text) and text[i].isspace():
            return i
        if prev == "\n" and _hard_break(text, i - 1):
            return i
        i -= 1
    return 0


def _sentence_end(text: str, pos: int) -> int:
    i = pos
    while i < len(text):
        char = text[i]
        if char in ".!?" and (i + 1 == len(text) or text[i + 1].isspace()):
            return i + 1
        if char == "\n" and _hard_break(text, i):
            return i
        i += 1
    return len(text)


def _hard_break(text: str, newline: int) -> bool:
    """A line break ends a sentence unless it wraps one: a lowercase word follows and no ``.!?`` precedes."""
    i = newline - 1
    while i >= 0 and text[i].isspace():
        i -= 1
    j = newline + 1
    while j < len(text) and text[j].isspace():
        j += 1
    if i < 0 or j >= len(text):
        return True
    return text[i] in ".!?" or not text[j].islower()


def _snap_to_words(text: str, s: int, e: int, start: int, end: int) -> tuple[int, int]:
    """Move a cut inward to a space so no word is split, never past the match itself."""
    if s > 0 and not text[s - 1].isspace():
        space = text.find(" ", s, start)
        s = space + 1 if space >= 0 else s
    if e < len(text) and not text[e].isspace():
        space = text.rfind(" ", end, e)
        e = space if space >= 0 else e
    return s, e
