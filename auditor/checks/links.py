"""Checks on the homepage's links: the "Do Not Sell or Share" link, its wording, the privacy policy link."""

from __future__ import annotations

from typing import Any

from auditor.checks.common import (
    element_evidence,
    homepage,
    indicators_table,
    sale_sharing_indicators,
    unassessable,
)
from auditor.checks.registry import CheckContext, Outcome, check
from auditor.evidence import SiteEvidence
from auditor.findings import Status, TextEvidence
from auditor.textmatch import LinkMatch, first_phrase, match_links, normalize

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


@check("dns_link_present")
def dns_link_present(evidence: SiteEvidence, params: dict[str, Any], context: CheckContext) -> Outcome:
    """A visible "Do Not Sell or Share" (or alternative "Your Privacy Choices") link on the homepage."""
    blocked = unassessable(evidence)
    if blocked:
        return blocked
    matches = _dns_matches(evidence, params)
    visible = [m for m in matches if m.link.visible]
    if visible:
        best = visible[0]
        where = "in the footer" if best.link.in_footer else "on the page"
        extra = " (inside a shadow root)" if best.link.in_shadow_root else ""
        return Outcome(
            Status.PASS,
            f'The homepage shows the link "{best.link.text or best.link.aria_label}" {where}{extra}.',
            _link_items(visible, evidence, "Opt-out link"),
        )
    page = homepage(evidence)
    indicators = sale_sharing_indicators(page, context)
    if matches:
        return Outcome(
            Status.REVIEW,
            "A matching opt-out link is in the page but was not visible to the visitor "
            "(hidden, collapsed or zero-sized). A person must check whether a California visitor can see it.",
            _link_items(matches, evidence, "Hidden opt-out link"),
        )
    if not indicators:
        return Outcome(
            Status.NOT_APPLICABLE,
            "No opt-out link was found, and the capture shows no evidence of sale or sharing "
            "(no advertising, marketing or social third parties, no US privacy signal). "
            "The link is required only of businesses that sell or share personal information.",
        )
    return Outcome(
        Status.FAIL,
        'The homepage has no "Do Not Sell or Share My Personal Information" or "Your Privacy Choices" link, '
        "but the site shows signs of selling or sharing personal information.",
        [indicators_table(indicators)],
    )


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


@check("privacy_policy_link")
def privacy_policy_link(evidence: SiteEvidence, params: dict[str, Any], context: CheckContext) -> Outcome:
    """The homepage links to the privacy policy with a link whose text contains "privacy"."""
    blocked = unassessable(evidence)
    if blocked:
        return blocked
    page = homepage(evidence)
    by_text = [m for m in match_links(page.links, params["phrases"], params.get("exclusions", [])) if m.link.visible]
    by_text.sort(key=lambda m: (not m.link.in_footer, not m.link.href))
    if by_text:
        best = by_text[0]
        return Outcome(
            Status.PASS,
            f'The homepage links to the privacy policy: "{best.link.text or best.link.aria_label}"'
            + (f" ({best.link.href})." if best.link.href else "."),
            [element_evidence(m.link, page, "baseline", "Privacy policy link") for m in by_text[:3]],
        )
    href_words = [normalize(w) for w in params.get("href_words", [])]
    by_href = [
        link for link in page.links if link.visible and link.href and any(w in normalize(link.href) for w in href_words)
    ]
    if by_href:
        return Outcome(
            Status.REVIEW,
            "A link leads to what looks like the privacy policy, but its text does not contain the word "
            '"privacy". A person must judge whether it is conspicuous enough.',
            [element_evidence(link, page, "baseline", "Possible privacy policy link") for link in by_href[:3]],
        )
    return Outcome(
        Status.FAIL,
        "No link to a privacy policy was found on the homepage.",
        [TextEvidence(label="Searched for", text=", ".join(params["phrases"]))],
    )
