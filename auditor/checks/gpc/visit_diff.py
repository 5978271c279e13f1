"""What the visit with GPC on showed that the visit without it did not (shared by CA-G2, CA-G3, CA-G5).

The two cold visits load the same homepage; text that appears only with GPC on (a prompt, a form, a new
banner) is the site's reaction to the signal. Whether the signal is honored in the site's privacy strings
is ``gpc_honored``'s job; these checks judge what the visitor is shown.
"""

from __future__ import annotations

import re

from auditor.evidence import SiteEvidence
from auditor.findings import TableEvidence
from auditor.textmatch import normalize

MAX_LINES = 30
# What a line shown only with GPC on may be: a request for more information (CA-G2), a prompt about a conflicting
# setting or incentive (CA-G3).
ASKS_FOR_INFO = re.compile(
    r"\b(e-?mail|phone|telephone|verify|verification|identity|date of birth|sign in|log ?in|create an account|"
    r"zip code|postal code)\b",
    re.IGNORECASE,
)
CONFLICT_PROMPT = re.compile(
    r"\b(conflicts?|conflicting|financial incentive|loyalty|rewards?|previously (chose|selected|consented|opted)|"
    r"your (account|profile|privacy) settings?|do you want to|would you like to|confirm)\b",
    re.IGNORECASE,
)
# The text of both visits' homepages and banners: a banner shown only with GPC on is a reaction to it.
REQUIRES = [f"{visit}.{part}" for visit in ("baseline", "gpc") for part in ("homepage.visible_text", "consent.banner")]


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if len(line.strip()) >= 3]


def gpc_only_lines(evidence: SiteEvidence) -> list[str]:
    """Lines of text shown with GPC on and not without it (homepage text, consent banner), in page order."""
    base, gpc = evidence.profiles["baseline"], evidence.profiles["gpc"]
    before = {normalize(line) for line in _lines(base.homepage.visible_text)}
    after = _lines(gpc.homepage.visible_text)
    assert base.consent is not None and gpc.consent is not None  # required
    base_banner, gpc_banner = base.consent.banner, gpc.consent.banner
    if gpc_banner is not None and base_banner is None:
        after += _lines(gpc_banner.text)
    new: list[str] = []
    seen: set[str] = set()
    for line in after:
        key = normalize(line)
        if key not in before and key not in seen:
            seen.add(key)
            new.append(line)
    return new


def lines_table(lines: list[str], label: str = "Shown only with GPC on") -> TableEvidence:
    return TableEvidence(
        label=label,
        columns=["text"],
        rows=[[line[:300]] for line in lines[:MAX_LINES]],
        truncated=max(0, len(lines) - MAX_LINES),
    )
