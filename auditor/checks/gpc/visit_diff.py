"""What the visit with GPC on showed that the visit without it did not (shared by CA-G2, CA-G3, CA-G5).

The two cold visits load the same homepage; text that appears only with GPC on (a prompt, a form, a new
banner) is the site's reaction to the signal. Whether the signal is honored in the site's privacy strings
is ``gpc_honored``'s job; these checks judge what the visitor is shown.
"""

from __future__ import annotations

from auditor.checks.common import unassessable
from auditor.checks.registry import Outcome
from auditor.evidence import SiteEvidence
from auditor.findings import TableEvidence
from auditor.textmatch import normalize

MAX_LINES = 30


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if len(line.strip()) >= 3]


def gpc_only_lines(evidence: SiteEvidence) -> list[str]:
    """Lines of text shown with GPC on and not without it (homepage text, consent banner), in page order."""
    base, gpc = evidence.profiles["baseline"], evidence.profiles["gpc"]
    before = {normalize(line) for line in _lines(base.homepage.visible_text)}
    after = _lines(gpc.homepage.visible_text)
    base_banner = base.consent.banner if base.consent else None
    gpc_banner = gpc.consent.banner if gpc.consent else None
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


def _blocked(evidence: SiteEvidence) -> Outcome | None:
    return unassessable(evidence) or unassessable(evidence, "gpc")


def _table(lines: list[str], label: str = "Shown only with GPC on") -> TableEvidence:
    return TableEvidence(
        label=label,
        columns=["text"],
        rows=[[line[:300]] for line in lines[:MAX_LINES]],
        truncated=max(0, len(lines) - MAX_LINES),
    )
