"""Text matching the way a person reads: case, whitespace and typographic variants do not matter."""

from __future__ import annotations

import re
import unicodedata

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2010": "-", "\u2011": "-"})
_SPACE = re.compile(r"\s+")


def normalize(text: str) -> str:
    """Lower-case, NFKC, invisible characters dropped, quotes straightened, whitespace collapsed."""
    text = unicodedata.normalize("NFKC", text or "").translate(_INVISIBLE).translate(_QUOTES)
    return _SPACE.sub(" ", text).strip().lower()


def contains_phrase(text: str, phrase: str) -> bool:
    """True when ``phrase`` occurs in ``text`` on word boundaries, after normalising both."""
    pattern = r"(?<!\w)" + re.escape(normalize(phrase)).replace(r"\ ", r"\s+") + r"(?!\w)"
    return re.search(pattern, normalize(text)) is not None


def first_phrase(text: str, phrases: list[str]) -> str | None:
    """The first of ``phrases`` found in ``text``, or None."""
    return next((p for p in phrases if contains_phrase(text, p)), None)
