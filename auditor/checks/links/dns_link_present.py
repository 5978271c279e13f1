"""``dns_link_present``: a visible "Do Not Sell or Share" (or "Your Privacy Choices") link on the homepage."""

from __future__ import annotations

from auditor.checks.common import homepage, indicators_table, sale_sharing_indicators, sale_signs
from auditor.checks.links.matching import OptOutLinkParams, absent_from_cut_links, link_items
from auditor.checks.registry import CheckContext, Outcome, check
from auditor.evidence import SiteEvidence
from auditor.findings import Status


@check("dns_link_present", requires=["baseline.homepage.links", *sale_signs("baseline")])
def dns_link_present(evidence: SiteEvidence, params: OptOutLinkParams, context: CheckContext) -> Outcome:
    """A visible "Do Not Sell or Share" (or alternative "Your Privacy Choices") link on the homepage."""
    matches = params.all_matches(homepage(evidence).links)
    visible = [m for m in matches if m.link.visible]
    if visible:
        best = visible[0]
        where = "in the footer" if best.link.in_footer else "on the page"
        extra = " (inside a shadow root)" if best.link.in_shadow_root else ""
        return Outcome(
            Status.PASS,
            f'The homepage shows the link "{best.link.text or best.link.aria_label}" {where}{extra}.',
            link_items(visible, evidence, "Opt-out link"),
        )
    page = homepage(evidence)
    indicators = sale_sharing_indicators(page, context)
    if matches:
        return Outcome(
            Status.REVIEW,
            "A matching opt-out link is in the page but was not visible to the visitor "
            "(hidden, collapsed or zero-sized). A person must check whether a California visitor can see it.",
            link_items(matches, evidence, "Hidden opt-out link"),
        )
    if not indicators:
        return Outcome(
            Status.NOT_APPLICABLE,
            "No opt-out link was found, and the capture shows no evidence of sale or sharing "
            "(no advertising, marketing or social third parties, no US privacy signal). "
            "The link is required only of businesses that sell or share personal information.",
        )
    cut = absent_from_cut_links(page, 'No "Do Not Sell or Share" or "Your Privacy Choices" link was found')
    if cut is not None:
        return cut
    return Outcome(
        Status.FAIL,
        'The homepage has no "Do Not Sell or Share My Personal Information" or "Your Privacy Choices" link, '
        "but the site shows signs of selling or sharing personal information.",
        [indicators_table(indicators)],
    )
