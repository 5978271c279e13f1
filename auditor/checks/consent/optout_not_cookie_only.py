"""``optout_not_cookie_only``: the opt-out speaks of selling or sharing, not only of cookies (CA-L6, 7026(a)(4))."""

from __future__ import annotations

import re

from auditor.checks.common import homepage, indicators_table, sale_sharing_indicators, sale_signs
from auditor.checks.consent.parts import OPTOUT, broken, first_banner, optout_consent, quote, target_text
from auditor.checks.links.matching import OptOutLinkParams, opt_out_links
from auditor.checks.registry import CheckContext, Outcome, check
from auditor.evidence import SiteEvidence
from auditor.findings import Status, TextEvidence

SALE_WORDS = re.compile(
    r"\b(sell|sells|sale|sales|selling|sold|share|sharing|targeted advertising|cross-context behaviou?ral"
    r"|do not sell)\b",
    re.IGNORECASE,
)

COOKIE_WORDS = re.compile(r"\bcookies?\b", re.IGNORECASE)


@check(
    "optout_not_cookie_only",
    requires=[
        "baseline.homepage.links",
        *sale_signs("baseline"),
        "baseline.consent.banner",
        f"{OPTOUT}.consent.banner",
        f"{OPTOUT}.consent.dns_target",
        f"{OPTOUT}.consent.preference_center",
    ],
)
def optout_not_cookie_only(evidence: SiteEvidence, params: OptOutLinkParams, context: CheckContext) -> Outcome:
    """The opt-out path speaks of selling or sharing, not only of cookies (§7026(a)(4))."""
    consent, _ = optout_consent(evidence)
    target = consent.dns_target
    if target is not None:
        why = broken(target)
        if why:
            return Outcome(
                Status.REVIEW,
                f'The "{target.link_text}" link could not be followed to an opt-out ({why}); see the link-target '
                "rule. A person must check what the opt-out offers.",
            )
        text = target_text(target)
        sale = SALE_WORDS.search(text)
        if sale:
            return Outcome(
                Status.PASS,
                f'The opt-out reached through "{target.link_text}" speaks of selling or sharing personal information.',
                [TextEvidence(label="Opt-out page says", text=quote(text, sale))],
            )
        cookie = COOKIE_WORDS.search(text)
        if cookie:
            return Outcome(
                Status.FAIL,
                f'The "{target.link_text}" link leads only to cookie settings that never mention selling or sharing. '
                "A cookie banner or cookie controls alone are not an acceptable opt-out of sale or sharing.",
                [TextEvidence(label="Opt-out page says", text=quote(text, cookie))],
            )
        return Outcome(
            Status.REVIEW,
            f'The page reached through "{target.link_text}" mentions neither selling/sharing nor cookies. A person '
            "must read it.",
            [TextEvidence(label="Opt-out page text", text=text[:600])],
        )
    if opt_out_links(evidence, params):
        return Outcome(
            Status.REVIEW,
            "The homepage has an opt-out link, but where it leads was not captured. A person must check that it "
            "offers more than cookie settings.",
        )
    banner = first_banner(evidence)
    center = consent.preference_center
    if banner is None and center is None:
        return Outcome(
            Status.NOT_APPLICABLE, "The homepage shows no opt-out link and no cookie banner or preference center."
        )
    text = "\n".join(x.text for x in (banner, center) if x is not None)
    sale = SALE_WORDS.search(text)
    if sale:
        return Outcome(
            Status.REVIEW,
            "The homepage has no opt-out link; the consent banner speaks of selling or sharing. A person must check "
            "whether it offers a real opt-out of sale and sharing.",
            [TextEvidence(label="Banner says", text=quote(text, sale))],
        )
    indicators = sale_sharing_indicators(homepage(evidence), context)
    if not indicators:
        return Outcome(
            Status.NOT_APPLICABLE,
            "No opt-out link, and the capture shows no sign of sale or sharing; the cookie banner is not judged here.",
        )
    return Outcome(
        Status.FAIL,
        "The only opt-out on offer is a cookie banner that never mentions selling or sharing, while the site shows "
        "signs of selling or sharing personal information.",
        [TextEvidence(label="Banner says", text=text[:600]), indicators_table(indicators)],
    )
