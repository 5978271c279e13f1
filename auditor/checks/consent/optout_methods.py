"""``optout_methods``: at least two opt-out methods, the opt-out preference signal among them (CA-O1)."""

from __future__ import annotations

from auditor.checks.common import homepage, indicators_table, sale_sharing_indicators, sale_signs
from auditor.checks.consent.parts import OPTOUT
from auditor.checks.links.matching import OptOutLinkParams, opt_out_links
from auditor.checks.policy.found import policy_contents
from auditor.checks.registry import CheckContext, Outcome, check
from auditor.evidence import SiteEvidence
from auditor.findings import Status, TableEvidence


# The methods seen are listed for a person; only the homepage decides the verdict, so the opt-out link's target and
# the policy are read when the capture has them.
@check(
    "optout_methods",
    requires=["baseline.homepage.links", *sale_signs("baseline")],
    optional=[f"{OPTOUT}.consent.dns_target", "baseline.policy"],
)
def optout_methods(evidence: SiteEvidence, params: OptOutLinkParams, context: CheckContext) -> Outcome:
    """At least two opt-out methods: the signal (judged by the GPC rule) plus a link/form or the policy."""
    links = opt_out_links(evidence, params)
    optout = evidence.profiles.get(OPTOUT)
    target = optout.consent.dns_target if optout is not None and optout.consent is not None else None
    policy = evidence.profiles["baseline"].policy
    signals_in_policy = None
    if policy is not None and policy.found:
        signals_in_policy = policy_contents(policy.text)["opt_out_preference_signals"].status
    rows = [
        ["opt-out link on the homepage", links[0].text if links else "none"],
        ["where the link leads", (target.outcome + " " + (target.url or "")).strip() if target else "not captured"],
        ["privacy policy describes opt-out preference signals", signals_in_policy or "policy not read"],
        ["opt-out preference signal honored", "judged by the GPC rule (ccpa.gpc-honored)"],
    ]
    table = TableEvidence(label="Opt-out methods seen", columns=["method", "observed"], rows=rows)
    indicators = sale_sharing_indicators(homepage(evidence), context)
    if not links and not indicators:
        return Outcome(
            Status.NOT_APPLICABLE,
            "No opt-out link and no sign of sale or sharing: the methods are required only of businesses that sell "
            "or share.",
            [table],
        )
    if not links and signals_in_policy == "missing":
        return Outcome(
            Status.FAIL,
            "The homepage has no opt-out link and the privacy policy does not describe opt-out preference signals: "
            "at most one method (the signal itself) can be on offer, and two are required.",
            [table, indicators_table(indicators)],
        )
    return Outcome(
        Status.REVIEW,
        "Two methods are required: honoring opt-out preference signals and one of an opt-out link with a form, "
        "the alternative link, or (when processing is frictionless) the privacy policy. The methods seen are listed; "
        "a person combines them with the GPC rule's finding.",
        [table],
    )
