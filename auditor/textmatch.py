"""Text matching the way a person reads: case, whitespace and typographic variants do not matter.

Shared by capture (which must find the "Do Not Sell" link to follow it) and checks (which judge it), so
both read link text the same way. Pure functions; no browser.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from auditor.evidence import Link

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2010": "-", "\u2011": "-"})
_SPACE = re.compile(r"\s+")


# Cached: a page with thousands of links is matched against dozens of phrases by many rules; unnormalised text
# and uncompiled patterns made one such page cost half a minute of checks. Short texts (link texts, labels) share a
# large cache; long ones (a page's or a policy's whole text, up to megabytes) a small one, enough for one site's
# checks: in the one large cache every site's texts stayed for the rest of the run.
SHORT_TEXT = 500  # characters


def normalize(text: str) -> str:
    """Lower-case, NFKC, invisible characters dropped, quotes straightened, whitespace collapsed."""
    return _normalize_short(text) if len(text or "") <= SHORT_TEXT else _normalize_long(text)


def _normalized(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "").translate(_INVISIBLE).translate(_QUOTES)
    return _SPACE.sub(" ", text).strip().lower()


_normalize_short = lru_cache(maxsize=65536)(_normalized)
_normalize_long = lru_cache(maxsize=16)(_normalized)


@lru_cache(maxsize=4096)
def _phrase_pattern(phrase: str) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)" + re.escape(normalize(phrase)).replace(r"\ ", r"\s+") + r"(?!\w)")


def contains_phrase(text: str, phrase: str) -> bool:
    """True when ``phrase`` occurs in ``text`` on word boundaries, after normalising both."""
    return _phrase_pattern(phrase).search(normalize(text)) is not None


def first_phrase(text: str, phrases: Sequence[str]) -> str | None:
    """The first of ``phrases`` found in ``text``, or None."""
    return next((p for p in phrases if contains_phrase(text, p)), None)


@dataclass
class LinkMatch:
    link: Link
    phrase: str
    read_from: str  # "text", "aria-label" or "title"


def match_links(
    links: list[Link], phrases: Sequence[str], exclusions: Sequence[str], max_length: int = 150
) -> list[LinkMatch]:
    """Links whose text (or aria-label, or title) contains one of ``phrases`` and none of ``exclusions``.

    Matching ignores case, whitespace and typographic variants; exclusions keep headlines and settings
    links that merely mention the phrase from counting (the HTTP Archive ``ccpa-link`` method).
    """
    matches: list[LinkMatch] = []
    for link in links:
        for source, text in (("text", link.text), ("aria-label", link.aria_label), ("title", link.title)):
            if not text or len(normalize(text)) > max_length:
                continue
            phrase = first_phrase(text, phrases)
            if phrase and not any(contains_phrase(text, word) for word in exclusions):
                matches.append(LinkMatch(link, phrase, source))
                break
    return matches


@dataclass(frozen=True)
class LinkVocabulary:
    """The words that make a link count as a given link (say, "Do Not Sell or Share"): data, read from a rule."""

    phrases: tuple[str, ...]
    exclusions: tuple[str, ...] = ()
    max_length: int = 150

    def match(self, links: list[Link]) -> list[LinkMatch]:
        """The links this vocabulary counts (see :func:`match_links`)."""
        return match_links(links, self.phrases, self.exclusions, self.max_length)


# A form field that asks for identity documents or identifying data: what an opt-out must never demand.
_IDENTITY_FIELD = re.compile(
    r"driver'?s?.?licen[cs]e|passport|social.?security|\bssn\b|government.?id|id.?(card|number|upload)|"
    r"date.?of.?birth|birth.?date|\bdob\b|photo",
    re.IGNORECASE,
)


def asks_for_identity(label: str, name: str, field_type: str) -> bool:
    """True when a form field asks for identity documents or data (a file upload, a licence, a date of birth)."""
    return field_type == "file" or bool(_IDENTITY_FIELD.search(f"{label} {name}"))
