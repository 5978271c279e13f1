"""Finding the rule's links among the homepage's links (shared by the link checks)."""

from __future__ import annotations

from typing import Any

from auditor.checks.common import (
    element_evidence,
    homepage,
)
from auditor.evidence import Link, SiteEvidence
from auditor.textmatch import LinkMatch, match_links

MAX_EVIDENCE_LINKS = 5


def _visible_first(matches: list[LinkMatch]) -> list[LinkMatch]:
    return sorted(matches, key=lambda m: (not m.link.visible, not m.link.in_footer))


def _dns_matches(evidence: SiteEvidence, params: dict[str, Any]) -> list[LinkMatch]:
    page = homepage(evidence)
    phrases = list(params["phrases"]) + list(params.get("alternative_phrases", []))
    return _visible_first(match_links(page.links, phrases, params.get("exclusions", []), params.get("max_length", 150)))


def _link_items(matches: list[LinkMatch], evidence: SiteEvidence, label: str) -> list:
    page = homepage(evidence)
    return [element_evidence(m.link, page, "baseline", label) for m in matches[:MAX_EVIDENCE_LINKS]]


def opt_out_links(evidence: SiteEvidence, params: dict[str, Any], *, alternative_only: bool = False) -> list[Link]:
    """Visible homepage links matching the rule's opt-out phrases, footer links first."""
    page = homepage(evidence)
    phrases = list(params.get("alternative_phrases", []))
    if not alternative_only:
        phrases = list(params.get("phrases", [])) + phrases
    matches = match_links(page.links, phrases, params.get("exclusions", []), params.get("max_length", 150))
    return [m.link for m in sorted(matches, key=lambda m: not m.link.in_footer) if m.link.visible]


def _visible_matches(evidence: SiteEvidence, phrases: list[str], exclusions: list[str]) -> list[LinkMatch]:
    return [m for m in match_links(homepage(evidence).links, phrases, exclusions) if m.link.visible]
