"""The privacy policy's "last updated" date (CA-P2: Civ. 1798.130(a)(5), updated at least every 12 months).

Only labelled dates count. A label is "Last updated", "Effective date", "Revised", "Date of last
revision", ... and the date must follow it directly (``:``, "on", "as of", "of this Privacy Policy
is" may sit between). A date in the body with no label ("in 2018 we acquired ...") is never read:
picking the wrong date would turn a missing date (a FAIL the site can fix) into a made-up age.

Multi-word labels ("Last updated", "Effective date") are trusted anywhere. A bare word ("Updated",
"Effective", "Revised") is common in prose ("the CCPA became effective on January 1, 2020"), so it
counts only where policies print their date: at the start of a line (with nothing but the date on
it), in a heading, in parentheses ("Privacy Policy (updated March 3, 2025)"), after a separator
("Acme | Updated ..."), right before a colon, or right after the policy's own name ("This Privacy
Notice is effective as of ...").
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import Literal

from pydantic import BaseModel, ConfigDict

from auditor.policy.date_formats import Precision, parse_date_at

DateLabel = Literal["updated", "revised", "modified", "effective", "reviewed"]
DateContext = Literal["heading", "parenthetical", "line_start", "separator", "colon", "policy_sentence", "in_sentence"]

# Which label wins when several dates are printed: "updated" beats "effective" beats "reviewed".
_LABEL_RANK: dict[str, int] = {"updated": 0, "revised": 0, "modified": 0, "effective": 1, "reviewed": 2}

_LABEL = re.compile(
    r"""\b(?P<label>
        date\s+of\s+(?:the\s+)?(?:last|latest|most\s+recent)\s+(?:revision|update|modification|amendment|review)
      | date\s+(?:last\s+)?(?:updated|revised|modified|amended|reviewed)
      | (?:last|latest|most\s+recently)\s+(?:updated|revised|modified|amended|reviewed|changed)(?:\s+date)?
      | (?:last|latest)\s+(?:update|revision|modification|amendment|review)(?:\s+date)?
      | (?:revision|update|updated|revised|modification|modified|amendment)\s+date
      | effective\s+date
      | updated|revised|modified|amended|effective|reviewed
    )\b""",
    re.IGNORECASE | re.VERBOSE,
)
# What may sit between the label and the date.
_CONNECTOR = re.compile(
    r"""(?P<policy>\s+(?:(?:of|for|to)\s+)?(?:this|our|the)\s+(?:[\w-]+\s+){0,3}?
            (?:policy|notice|statement|document|page|terms)\b)?
        \s*(?:(?:is|was|will\s+be)\b\s*)?
        (?P<punct>[:|–—-])?\s*(?:[*_]{1,3}\s*)?
        (?:(?:on|as\s+of|from|in|at|since)\b\s*:?\s*)?
        (?:the\s+)?""",
    re.IGNORECASE | re.VERBOSE,
)
_LINE_PREFIX = re.compile(r"[\s*•·|#>_\[(–—-]*")
_POLICY_NOUN = re.compile(r"\b(?:policy|notice|statement|terms)\b", re.IGNORECASE)
_POLICY_SUBJECT = re.compile(
    r"""\b(?:policy|notice|statement|terms)\s*[,:–—-]?\s*
        (?:(?:is|was|were|has\s+been|have\s+been|became|becomes|will\s+be|shall\s+be)\s+)?
        (?:(?:most\s+recently|first)\s+)?$""",
    re.IGNORECASE | re.VERBOSE,
)


class PolicyDate(BaseModel):
    """A labelled date found in a privacy policy, with where it was found."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    date: dt.date
    precision: Precision = "day"
    label: DateLabel
    matched_text: str
    start: int
    end: int
    ambiguous: bool = False
    alternative_date: dt.date | None = None
    context: DateContext = "line_start"
    source: Literal["text", "heading"] = "text"
    heading_index: int | None = None

    @property
    def latest_possible_date(self) -> dt.date:
        """The last day the written date can mean: the date itself, or the month's last day."""
        if self.precision == "month":
            return self.date.replace(day=calendar.monthrange(self.date.year, self.date.month)[1])
        return self.date


def find_policy_dates(text: str, headings: list[str] | None = None) -> list[PolicyDate]:
    """Every labelled date in the policy text and headings, in document order.

    ``start``/``end`` index ``text``. A heading that cannot be located in ``text`` yields dates with
    ``source="heading"``, ``heading_index`` set and offsets into that heading instead.
    """
    heading_keys = {_collapse(h).casefold() for h in headings or [] if h.strip()}
    by_start = {found.start: found for found in _scan(text, heading_keys)}
    unplaced: list[PolicyDate] = []
    for index, heading in enumerate(headings or []):
        span = _locate(heading, text)
        if span is None:
            for found in _scan(heading, set(), in_heading=True):
                unplaced.append(found.model_copy(update={"source": "heading", "heading_index": index}))
            continue
        # Rescan the heading where it sits in the text, so offsets and matched_text index ``text``.
        offset, stop = span
        for found in _scan(text[offset:stop], set(), in_heading=True):
            start, end = found.start + offset, found.end + offset
            by_start[start] = found.model_copy(update={"start": start, "end": end})
    return [by_start[k] for k in sorted(by_start)] + unplaced


def find_policy_date(text: str, headings: list[str] | None = None) -> PolicyDate | None:
    """The policy's "last updated" date, or None when the policy prints no labelled date.

    Dates printed where a policy prints its date (line start, heading, parentheses, after a
    separator or a colon, after the policy's name) win over ones inside a sentence. Among those,
    "updated / revised / modified" beats "effective", which beats "reviewed"; within a label group
    the most recent wins.
    """
    candidates = find_policy_dates(text, headings)
    if not candidates:
        return None
    prominent = [c for c in candidates if c.context != "in_sentence"]
    pool = prominent or candidates
    best_rank = min(_LABEL_RANK[c.label] for c in pool)
    ranked = [c for c in pool if _LABEL_RANK[c.label] == best_rank]
    # max() keeps the first of equals, so a tie goes to the earlier date in the document.
    return max(ranked, key=lambda c: c.latest_possible_date)


def policy_age_days(policy_date: PolicyDate | dt.date, audit_date: dt.date) -> int:
    """Days from the policy date to the audit date.

    A month-precision date ("Effective as of January 2026") counts from the LAST day of that month,
    the reading most favourable to the site: the policy says no more than that. An ``ambiguous``
    numeric date counts by its primary reading (``date``); ``alternative_date`` holds the other one
    for a caller that wants both to agree. A date after the audit date gives a negative number; the
    caller should treat it as ``review``, not as fresh.
    """
    return (_as_date(audit_date) - _latest(policy_date)).days


def within_months(policy_date: PolicyDate | dt.date, audit_date: dt.date, months: int = 12) -> bool:
    """True when the policy date is at most ``months`` calendar months before the audit date.

    Calendar months, not 365 days: 2025-01-05 is within 12 months of 2026-01-05, 2025-01-04 is not,
    and 2023-03-01 is within 12 months of 2024-03-01 although 366 days lie between. A date at the end
    of a longer month maps to the last day of the shorter one (2024-02-29 + 12 months = 2025-02-28).
    Month precision uses the month's last day, as in :func:`policy_age_days`. A future date counts as
    within; check ``policy_age_days(...) < 0`` to catch it.
    """
    return _add_months(_latest(policy_date), months) >= _as_date(audit_date)


def _scan(text: str, heading_keys: set[str], *, in_heading: bool = False) -> list[PolicyDate]:
    found: list[PolicyDate] = []
    for label in _LABEL.finditer(text):
        connector = _CONNECTOR.match(text, label.end())
        assert connector is not None  # every part of the connector is optional
        parsed = parse_date_at(text, connector.end())
        if parsed is None:
            continue
        context = _context(text, label.start(), parsed.end, connector, heading_keys, in_heading)
        if _is_bare(label["label"]) and not _bare_label_counts(context, text, parsed.end):
            continue
        found.append(
            PolicyDate(
                date=parsed.date,
                precision=parsed.precision,
                label=_label_kind(label["label"]),
                matched_text=text[label.start() : parsed.end],
                start=label.start(),
                end=parsed.end,
                ambiguous=parsed.ambiguous,
                alternative_date=parsed.alternative,
                context=context,
            )
        )
    return found


def _context(
    text: str, start: int, end: int, connector: re.Match[str], heading_keys: set[str], in_heading: bool
) -> DateContext:
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line = text[line_start : line_end if line_end >= 0 else len(text)]
    before = text[line_start:start]
    if in_heading or _collapse(line).casefold() in heading_keys:
        return "heading"
    # "Privacy Policy (updated March 3, 2025)", but not "the CPRA (effective January 1, 2023) gives you".
    if before.rstrip().endswith(("(", "[")) and (len(line) <= 100 or _POLICY_NOUN.search(before)):
        return "parenthetical"
    if _LINE_PREFIX.fullmatch(before):
        return "line_start"
    # "Acme Privacy Policy | Updated Jan 5, 2026", "Version 4 – Last revised 02/03/2025"
    if before.rstrip().endswith(("|", " -", "–", "—", "·", "•")):
        return "separator"
    if connector["punct"] == ":":
        return "colon"
    if connector["policy"] or _POLICY_SUBJECT.search(before[-80:]):
        return "policy_sentence"
    return "in_sentence"


def _is_bare(label: str) -> bool:
    return not any(c.isspace() for c in label)


def _bare_label_counts(context: DateContext, text: str, end: int) -> bool:
    """A one-word label counts outside prose; at a line start only with nothing else on the line."""
    if context == "in_sentence":
        return False
    return context != "line_start" or _ends_line(text, end)


def _ends_line(text: str, end: int) -> bool:
    """Nothing but closing punctuation follows the date on its line ("Effective 1/5/2026, ..." fails)."""
    rest = text[end:].split("\n", 1)[0].strip()
    return not rest or rest[0] in ".;)]|–—-(*•"


def _label_kind(label: str) -> DateLabel:
    lowered = label.lower()
    if "effective" in lowered:
        return "effective"
    if "revis" in lowered or "amend" in lowered:
        return "revised"
    if "modif" in lowered:
        return "modified"
    if "review" in lowered:
        return "reviewed"
    return "updated"


def _locate(heading: str, text: str) -> tuple[int, int] | None:
    """Where the heading's words stand in the text, whatever the whitespace between them."""
    words = heading.split()
    if not words:
        return None
    match = re.search(r"\s+".join(re.escape(w) for w in words), text)
    return match.span() if match else None


def _collapse(value: str) -> str:
    return " ".join(value.split())


def _latest(value: PolicyDate | dt.date) -> dt.date:
    return value.latest_possible_date if isinstance(value, PolicyDate) else _as_date(value)


def _as_date(value: dt.date) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def _add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.year * 12 + day.month - 1 + months
    year, month = divmod(month_index, 12)
    last_day = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last_day))
