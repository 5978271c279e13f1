"""``privacy_policy_link``: the homepage links to the privacy policy with the word "privacy"."""

from __future__ import annotations

from pydantic import Field

from auditor.checks.common import homepage
from auditor.checks.links.matching import LinkPhrases, absent_from_cut_links, link_items
from auditor.checks.registry import CheckContext, Outcome, check
from auditor.evidence import SiteEvidence
from auditor.findings import Status, TextEvidence
from auditor.textmatch import normalize


class PolicyLinkParams(LinkPhrases):
    href_words: list[str] = Field(
        default_factory=list, description="words in a link's address that suggest the policy when its text does not"
    )


@check("privacy_policy_link", requires=["baseline.homepage.links"])
def privacy_policy_link(evidence: SiteEvidence, params: PolicyLinkParams, context: CheckContext) -> Outcome:
    """The homepage links to the privacy policy with a link whose text contains "privacy"."""
    page = homepage(evidence)
    by_text = [m for m in params.matches(page.links) if m.link.visible]
    by_text.sort(key=lambda m: (not m.link.in_footer, not m.link.href))
    if by_text:
        best = by_text[0]
        return Outcome(
            Status.PASS,
            f'The homepage links to the privacy policy: "{best.link.text or best.link.aria_label}"'
            + (f" ({best.link.href})." if best.link.href else "."),
            link_items(by_text, evidence, "Privacy policy link", limit=3),
        )
    href_words = [normalize(w) for w in params.href_words]
    by_href = [
        link for link in page.links if link.visible and link.href and any(w in normalize(link.href) for w in href_words)
    ]
    if by_href:
        return Outcome(
            Status.REVIEW,
            "A link leads to what looks like the privacy policy, but its text does not contain the word "
            '"privacy". A person must judge whether it is conspicuous enough.',
            link_items(by_href, evidence, "Possible privacy policy link", limit=3),
        )
    cut = absent_from_cut_links(page, "No link to a privacy policy was found on the homepage")
    if cut is not None:
        return cut
    return Outcome(
        Status.FAIL,
        "No link to a privacy policy was found on the homepage.",
        [TextEvidence(label="Searched for", text=", ".join(params.phrases))],
    )
