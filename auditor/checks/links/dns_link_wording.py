"""``dns_link_wording``: the opt-out link uses the current (CPRA) wording."""

from __future__ import annotations

from typing import Any

from auditor.checks.common import (
    homepage,
    unassessable,
)
from auditor.checks.links.matching import _link_items
from auditor.checks.registry import CheckContext, Outcome, check
from auditor.evidence import SiteEvidence
from auditor.findings import Status
from auditor.textmatch import first_phrase, match_links


@check("dns_link_wording")
def dns_link_wording(evidence: SiteEvidence, params: dict[str, Any], context: CheckContext) -> Outcome:
    """The opt-out link uses current (CPRA) wording; the pre-2023 "Do Not Sell" wording fails."""
    blocked = unassessable(evidence)
    if blocked:
        return blocked
    page = homepage(evidence)
    current = list(params["current_phrases"])
    outdated = list(params["outdated_phrases"])
    exclusions = params.get("exclusions", [])
    matches = [m for m in match_links(page.links, current + outdated, exclusions) if m.link.visible]
    if not matches:
        return Outcome(Status.NOT_APPLICABLE, "No visible opt-out link to judge (see the opt-out link rule).")
    modern = [m for m in matches if first_phrase(m.link.text or m.link.aria_label or m.link.title, current)]
    if modern:
        return Outcome(
            Status.PASS,
            f'The link uses current wording: "{modern[0].link.text or modern[0].link.aria_label}".',
            _link_items(modern, evidence, "Opt-out link"),
        )
    old = matches[0]
    return Outcome(
        Status.FAIL,
        f'The opt-out link reads "{old.link.text or old.link.aria_label}", the pre-2023 wording. Since the CPRA '
        'the link must read "Do Not Sell or Share My Personal Information" (or use the alternative '
        '"Your Privacy Choices" link).',
        _link_items(matches, evidence, "Outdated opt-out link"),
    )
