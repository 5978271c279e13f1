"""``homepage_link``: a homepage link with one of the rule's phrases (e.g. "Limit the Use", CA-L4)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from auditor.checks.common import element_evidence, homepage
from auditor.checks.links.matching import LinkPhrases, absent_from_cut_links, visible_matches
from auditor.checks.registry import CheckContext, Outcome, check
from auditor.evidence import SiteEvidence
from auditor.findings import Status, TextEvidence


class HomepageLinkParams(LinkPhrases):
    label: str = Field("Link", description="what the link is, for the report's evidence")
    alternative_phrases: list[str] = Field(
        default_factory=list, description="links that may stand in for it (the finding is then review)"
    )
    alternative_message: str = Field("", description="the finding's message when a stand-in link is found")
    missing_status: Literal["fail", "review", "not_applicable"] = Field(
        "review", description="the finding when the homepage has no such link"
    )
    missing_message: str = Field("The homepage has no such link.", description="the finding's message then")


@check("homepage_link", requires=["baseline.homepage.links"])
def homepage_link(evidence: SiteEvidence, params: HomepageLinkParams, context: CheckContext) -> Outcome:
    """A homepage link containing one of ``phrases``. Missing: ``missing_status`` (default review).

    When a link with one of ``alternative_phrases`` stands in for it (the alternative opt-out link may cover
    limiting sensitive information too), the outcome is ``review``.
    """
    page = homepage(evidence)
    matches = params.matches(page.links)
    visible = [m for m in matches if m.link.visible]
    if visible:
        best = sorted(visible, key=lambda m: not m.link.in_footer)[0].link
        return Outcome(
            Status.PASS,
            f'The homepage shows the link "{best.text or best.aria_label}".',
            [element_evidence(best, page, "baseline", params.label)],
        )
    if matches:
        return Outcome(
            Status.REVIEW,
            "A matching link is in the page but was not visible to the visitor. A person must check whether a "
            "California visitor can see it.",
            [element_evidence(m.link, page, "baseline", "Hidden link") for m in matches[:3]],
        )
    stand_in = visible_matches(evidence, params.alternative_phrases, params.exclusions)
    if stand_in:
        link = stand_in[0].link
        return Outcome(
            Status.REVIEW,
            params.alternative_message or f'The link "{link.text}" may stand in for this link.',
            [element_evidence(link, page, "baseline", "Alternative link")],
        )
    cut = absent_from_cut_links(page, "No such link was found") if params.missing_status == "fail" else None
    if cut is not None:
        return cut
    return Outcome(
        Status(params.missing_status),
        params.missing_message,
        [TextEvidence(label="Searched for", text=", ".join(params.phrases))],
    )
