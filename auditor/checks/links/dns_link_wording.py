"""``dns_link_wording``: the opt-out link uses the current (CPRA) wording."""

from __future__ import annotations

from pydantic import Field

from auditor.checks.links.matching import link_items, visible_matches
from auditor.checks.registry import CheckContext, CheckParams, Outcome, check
from auditor.evidence import SiteEvidence
from auditor.findings import Status
from auditor.textmatch import first_phrase


class WordingParams(CheckParams):
    current_phrases: list[str] = Field(min_length=1, description="opt-out link texts in force today")
    outdated_phrases: list[str] = Field(default_factory=list, description="texts that were once allowed")
    exclusions: list[str] = Field(default_factory=list, description="words that disqualify a link")


@check("dns_link_wording", requires=["baseline.homepage.links"])
def dns_link_wording(evidence: SiteEvidence, params: WordingParams, context: CheckContext) -> Outcome:
    """The opt-out link uses current (CPRA) wording; the pre-2023 "Do Not Sell" wording fails."""
    current = params.current_phrases
    matches = visible_matches(evidence, [*current, *params.outdated_phrases], params.exclusions)
    if not matches:
        return Outcome(Status.NOT_APPLICABLE, "No visible opt-out link to judge (see the opt-out link rule).")
    modern = [m for m in matches if first_phrase(m.link.text or m.link.aria_label or m.link.title, current)]
    if modern:
        return Outcome(
            Status.PASS,
            f'The link uses current wording: "{modern[0].link.text or modern[0].link.aria_label}".',
            link_items(modern, evidence, "Opt-out link"),
        )
    old = matches[0]
    return Outcome(
        Status.FAIL,
        f'The opt-out link reads "{old.link.text or old.link.aria_label}", the pre-2023 wording. Since the CPRA '
        'the link must read "Do Not Sell or Share My Personal Information" (or use the alternative '
        '"Your Privacy Choices" link).',
        link_items(matches, evidence, "Outdated opt-out link"),
    )
