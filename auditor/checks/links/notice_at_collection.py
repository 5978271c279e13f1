"""``notice_at_collection``: a notice at collection is linked from the homepage (CA-P4)."""

from __future__ import annotations

from pydantic import Field

from auditor.checks.common import element_evidence, homepage, indicators_table, sale_sharing_indicators, sale_signs
from auditor.checks.links.matching import absent_from_cut_links, visible_matches
from auditor.checks.registry import CheckContext, CheckParams, Outcome, check
from auditor.evidence import SiteEvidence
from auditor.findings import Status
from auditor.textmatch import first_phrase


class NoticeParams(CheckParams):
    phrases: list[str] = Field(min_length=1, description='the notice\'s link text, e.g. "notice at collection"')
    privacy_phrases: list[str] = Field(min_length=1, description="privacy policy link texts (a possible stand-in)")
    privacy_exclusions: list[str] = Field(default_factory=list, description="words that disqualify a policy link")


@check(
    "notice_at_collection",
    requires=["baseline.homepage.links", *sale_signs("baseline")],
    optional=["baseline.policy"],
)
def notice_at_collection(evidence: SiteEvidence, params: NoticeParams, context: CheckContext) -> Outcome:
    """A notice at collection is linked from the homepage (or at least the policy has one)."""
    page = homepage(evidence)
    nac = visible_matches(evidence, params.phrases, [])
    if nac:
        return Outcome(
            Status.PASS,
            f'The homepage links to the notice at collection: "{nac[0].link.text}".',
            [element_evidence(nac[0].link, page, "baseline", "Notice at collection link")],
        )
    policy = evidence.profiles["baseline"].policy
    in_policy = bool(policy and policy.found and first_phrase(policy.text, params.phrases))
    privacy = visible_matches(evidence, params.privacy_phrases, params.privacy_exclusions)
    items = [element_evidence(m.link, page, "baseline", "Privacy policy link") for m in privacy[:1]]
    if in_policy:
        return Outcome(
            Status.REVIEW,
            "The homepage has no link titled as the notice at collection, but the privacy policy contains one. A "
            "person must check that it is linked where personal information is collected (forms, sign-up).",
            items,
        )
    if privacy:
        return Outcome(
            Status.REVIEW,
            "The homepage has no notice-at-collection link; only the privacy policy link could serve as one. A "
            "person must check that the policy gives the notice and is linked where information is collected.",
            items,
        )
    indicators = sale_sharing_indicators(page, context)
    cut = absent_from_cut_links(page, "No notice-at-collection or privacy policy link was found")
    if indicators and cut is not None:
        return cut
    if indicators:
        return Outcome(
            Status.FAIL,
            "The site collects personal information through third-party trackers, but the homepage links neither "
            "to a notice at collection nor to a privacy policy.",
            [indicators_table(indicators)],
        )
    return Outcome(
        Status.REVIEW,
        "The homepage links neither to a notice at collection nor to a privacy policy. Whether the site collects "
        "personal information could not be told from the capture; a person must check.",
    )
