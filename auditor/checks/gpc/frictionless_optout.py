"""``frictionless_optout``: without opt-out links, GPC is processed without friction and the policy says so (CA-G5)."""

from __future__ import annotations

from auditor.checks.common import homepage, indicators_table, sale_sharing_indicators, sale_signs
from auditor.checks.gpc.visit_diff import REQUIRES, gpc_only_lines, lines_table
from auditor.checks.links.matching import OptOutLinkParams, opt_out_links
from auditor.checks.policy.found import policy_contents
from auditor.checks.registry import CheckContext, Outcome, check
from auditor.evidence import SiteEvidence
from auditor.findings import Status


# Without a readable policy the check says review, so the policy is read when the capture has it.
@check(
    "frictionless_optout",
    requires=[*REQUIRES, "baseline.homepage.links", *sale_signs("baseline")],
    optional=["baseline.policy"],
)
def frictionless_optout(evidence: SiteEvidence, params: OptOutLinkParams, context: CheckContext) -> Outcome:
    """Without an opt-out link: GPC brings no pop-up or change, and the policy describes the signal."""
    links = opt_out_links(evidence, params)
    if links:
        return Outcome(
            Status.NOT_APPLICABLE,
            f'The homepage posts the opt-out link "{links[0].text}", so frictionless processing is not required '
            "(the signal must still be honored; see the GPC rule).",
        )
    indicators = sale_sharing_indicators(homepage(evidence), context)
    if not indicators:
        return Outcome(
            Status.NOT_APPLICABLE,
            "No opt-out link and no sign of sale or sharing: frictionless processing is judged only for businesses "
            "that sell or share without posting the link.",
        )
    new = gpc_only_lines(evidence)
    if new:
        return Outcome(
            Status.REVIEW,
            "The site posts no opt-out link, and with GPC on the homepage showed content the visit without GPC did "
            "not. Frictionless processing allows no pop-up, notification or interstitial in response to the signal; "
            "a person must judge what was shown.",
            [lines_table(new), indicators_table(indicators)],
        )
    policy = evidence.profiles["baseline"].policy
    if policy is None or not policy.found:
        return Outcome(
            Status.REVIEW,
            "The site posts no opt-out link and GPC changed nothing visible, but the privacy policy could not be read "
            "to check that it describes how the signal is processed.",
        )
    status = policy_contents(policy.text)["opt_out_preference_signals"].status
    if status == "missing":
        return Outcome(
            Status.FAIL,
            "The site posts no opt-out link, so it must process opt-out preference signals frictionlessly and say so "
            "in its privacy policy; the policy does not mention them.",
            [indicators_table(indicators)],
        )
    if status == "ambiguous":
        return Outcome(
            Status.REVIEW,
            "The site posts no opt-out link and GPC changed nothing visible; the privacy policy only hints at "
            "browser signals. A person must read it.",
        )
    return Outcome(
        Status.PASS,
        "The site posts no opt-out link; with GPC on it showed no pop-up, notification or change, and its privacy "
        "policy describes opt-out preference signals. (Whether the signal is honored is judged by the GPC rule.)",
    )
