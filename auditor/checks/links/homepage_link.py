"""``homepage_link``: a homepage link with one of the rule's phrases (e.g. "Limit the Use", CA-L4)."""

from __future__ import annotations

from typing import Any

from auditor.checks.common import element_evidence, homepage, unassessable
from auditor.checks.links.matching import _visible_matches
from auditor.checks.registry import CheckContext, Outcome, check
from auditor.evidence import SiteEvidence
from auditor.findings import Status, TextEvidence
from auditor.textmatch import match_links


@check("homepage_link")
def homepage_link(evidence: SiteEvidence, params: dict[str, Any], context: CheckContext) -> Outcome:
    """A homepage link containing one of ``phrases``. Missing: ``missing_status`` (default review).

    When a link with one of ``alternative_phrases`` stands in for it (the alternative opt-out link may cover
    limiting sensitive information too), the outcome is ``review``.
    """
    blocked = unassessable(evidence)
    if blocked:
        return blocked
    page = homepage(evidence)
    exclusions = params.get("exclusions", [])
    matches = match_links(page.links, params["phrases"], exclusions)
    visible = [m for m in matches if m.link.visible]
    if visible:
        best = sorted(visible, key=lambda m: not m.link.in_footer)[0].link
        return Outcome(
            Status.PASS,
            f'The homepage shows the link "{best.text or best.aria_label}".',
            [element_evidence(best, page, "baseline", params.get("label", "Link"))],
        )
    if matches:
        return Outcome(
            Status.REVIEW,
            "A matching link is in the page but was not visible to the visitor. A person must check whether a "
            "California visitor can see it.",
            [element_evidence(m.link, page, "baseline", "Hidden link") for m in matches[:3]],
        )
    stand_in = _visible_matches(evidence, params.get("alternative_phrases", []), exclusions)
    if stand_in:
        link = stand_in[0].link
        return Outcome(
            Status.REVIEW,
            params.get("alternative_message", f'The link "{link.text}" may stand in for this link.'),
            [element_evidence(link, page, "baseline", "Alternative link")],
        )
    return Outcome(
        Status(params.get("missing_status", "review")),
        params.get("missing_message", "The homepage has no such link."),
        [TextEvidence(label="Searched for", text=", ".join(params["phrases"]))],
    )
