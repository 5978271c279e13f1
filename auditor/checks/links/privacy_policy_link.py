"""``privacy_policy_link``: the homepage links to the privacy policy with the word "privacy"."""

from __future__ import annotations

from typing import Any

from auditor.checks.common import (
    element_evidence,
    homepage,
    unassessable,
)
from auditor.checks.registry import CheckContext, Outcome, check
from auditor.evidence import SiteEvidence
from auditor.findings import Status, TextEvidence
from auditor.textmatch import match_links, normalize


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
