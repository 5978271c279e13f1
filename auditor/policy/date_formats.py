"""Read one written date at a known position: the formats privacy policies print next to "Last updated".

This module only turns the characters right after a label into a calendar date; deciding which
labels count, and which date wins, is :mod:`auditor.policy.dates`' job. Keeping the two apart means
a date is never picked up from the body on its own: every pattern here is applied with ``match``
at the end of a label, never with ``search``.

Formats (case-insensitive, any whitespace between parts, optional weekday in front):

- ``January 5, 2026`` · ``Jan. 5, 2026`` · ``January 5th, 2026`` · ``Sept 5 2026``
- ``5 January 2026`` · ``5th of January, 2026`` · ``05-Jan-2026``
- ``January 2026`` · ``Jan. 2026`` · ``2026-01`` (month precision)
- ``2026-01-05``, ``2026/01/05``, ISO date-times (``2026-01-05T10:30:00Z``; the written calendar
  date is kept, no time-zone conversion: the policy author wrote that day)
- ``01/05/2026``, ``1/5/26``, ``01-05-2026``: US month-first. When the other reading is also a valid
  date it is flagged ``ambiguous`` and given as ``alternative``; ``25/12/2025`` is read day-first,
  as it cannot be month-first.
- ``01.05.2026``: day-first (the dotted form is the European convention, DIN 5008 and others), with
  the same ``ambiguous``/``alternative`` treatment. Dotted dates need a four-digit year, so version
  numbers such as ``1.2.3`` are never read as dates.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

Precision = Literal["day", "month"]

_MONTH_NUMBERS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip

_MONTH = (
    r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)(?![a-z])\.?"
)
_WEEKDAY = r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+)?"
_DAY = r"(?P<d>[0-3]?\d)(?:st|nd|rd|th)?(?!\d)"
_YEAR = r"(?P<y>(?:19|20)\d{2})(?!\d)"
_TIME = r"(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:\s?(?:Z|UTC|GMT|[+-]\d{2}:?\d{2}))?)?"

_ISO = re.compile(r"(?P<y>(?:19|20)\d{2})(?P<sep>[-/.])(?P<m>[01]?\d)(?P=sep)(?P<d>[0-3]?\d)(?!\d)" + _TIME)
_ISO_MONTH = re.compile(r"(?P<y>(?:19|20)\d{2})-(?P<m>[01]\d)(?![-/.]?\d)")
_NUMERIC = re.compile(r"(?P<a>[0-3]?\d)(?P<sep>[-/.])(?P<b>[0-3]?\d)(?P=sep)(?P<y>(?:19|20)\d{2}|\d{2})(?!\d)")
_MONTH_DAY_YEAR = re.compile(_WEEKDAY + _MONTH + r"\s*" + _DAY + r"\s*,?\s*" + _YEAR, re.IGNORECASE)
_DAY_MONTH_YEAR = re.compile(
    _WEEKDAY + r"(?:the\s+)?" + _DAY + r"(?:\s+of)?[\s-]*" + _MONTH + r"[\s,-]*" + _YEAR, re.IGNORECASE
)
_MONTH_YEAR = re.compile(_MONTH + r"[\s,]*" + _YEAR, re.IGNORECASE)


@dataclass(frozen=True)
class ParsedDate:
    """A date read at a position: ``end`` is where its text stops."""

    date: dt.date
    precision: Precision
    end: int
    ambiguous: bool = False
    alternative: dt.date | None = None


def parse_date_at(text: str, pos: int) -> ParsedDate | None:
    """Read a date starting exactly at ``text[pos]``, or return None when none starts there."""
    if m := _ISO.match(text, pos):
        day = _safe_date(int(m["y"]), int(m["m"]), int(m["d"]))
        if day:
            return ParsedDate(day, "day", m.end())
    if m := _NUMERIC.match(text, pos):
        parsed = _numeric(m)
        if parsed:
            return parsed
    if m := _MONTH_DAY_YEAR.match(text, pos):
        day = _safe_date(int(m["y"]), _month(m["mon"]), int(m["d"]))
        if day:
            return ParsedDate(day, "day", m.end())
    if m := _DAY_MONTH_YEAR.match(text, pos):
        day = _safe_date(int(m["y"]), _month(m["mon"]), int(m["d"]))
        if day:
            return ParsedDate(day, "day", m.end())
    if m := _MONTH_YEAR.match(text, pos):
        return ParsedDate(dt.date(int(m["y"]), _month(m["mon"]), 1), "month", m.end())
    if m := _ISO_MONTH.match(text, pos):
        month = int(m["m"])
        if 1 <= month <= 12:
            return ParsedDate(dt.date(int(m["y"]), month, 1), "month", m.end())
    return None


def _numeric(m: re.Match[str]) -> ParsedDate | None:
    """``a<sep>b<sep>year``: month-first for ``/`` and ``-``, day-first for ``.``."""
    year_text, sep = m["y"], m["sep"]
    if len(year_text) == 2 and sep == ".":
        return None
    year = int(year_text) + (2000 if len(year_text) == 2 else 0)
    a, b = int(m["a"]), int(m["b"])
    month_first, day_first = _safe_date(year, a, b), _safe_date(year, b, a)
    primary, other = (day_first, month_first) if sep == "." else (month_first, day_first)
    if primary is None:
        primary, other = other, None
    if primary is None:
        return None
    ambiguous = other is not None and other != primary
    return ParsedDate(primary, "day", m.end(), ambiguous, other if ambiguous else None)


def _month(name: str) -> int:
    return _MONTH_NUMBERS[name[:3].lower()]


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None
