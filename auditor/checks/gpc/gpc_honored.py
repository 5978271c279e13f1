"""``gpc_honored``: with GPC on, every opt-out signal the site implements shows an opt-out of sale/sharing.

Under GPC every signal the site implements must show an opt-out (US Privacy 3rd char ``Y``; GPP ``SaleOptOut`` /
``SharingOptOut`` / ``TargetedAdvertisingOptOut`` = 1; OneTrust's sale/targeting groups ``:0``; a recognised
CMP's stored consent with advertising off).
"""

from __future__ import annotations

from auditor.checks.common import indicators_table
from auditor.checks.gpc.comparison import OPTIONAL, REQUIRES, Comparison, GpcParams, compare, sale_sharing, untested
from auditor.checks.gpc.readings import FAILING, Reading
from auditor.checks.gpc.tables import gpc_evidence
from auditor.checks.registry import CheckContext, Outcome, check
from auditor.evidence import SiteEvidence
from auditor.findings import Status


@check("gpc_honored", requires=REQUIRES, optional=OPTIONAL)
def gpc_honored(evidence: SiteEvidence, params: GpcParams, context: CheckContext) -> Outcome:
    """With GPC on, every opt-out signal the site implements shows an opt-out of sale/sharing."""
    comparison = compare(evidence, params, context)
    blocked = untested(comparison)
    if blocked:
        return blocked
    items = gpc_evidence(comparison)
    judged = comparison.judged
    failing = [r for r in judged if r.verdict in FAILING]
    unclear = [r for r in judged if r.verdict == "unclear"]
    missing = _missing_under_gpc(comparison)
    ads = _ads_sentence(comparison)
    if failing:
        return Outcome(Status.FAIL, _fail_message(failing, len(judged)) + ads, items)
    if unclear or missing:
        reasons = [f"{r.signal} ({r.where}): {r.reason}" for r in unclear]
        reasons += [f"{r.signal} ({r.where}) was read without GPC but not with it" for r in missing]
        return Outcome(
            Status.REVIEW,
            "With GPC on, no signal says the visitor was not opted out, but not every signal could be read as an "
            "opt-out: " + "; ".join(reasons) + "." + ads,
            items,
        )
    if judged:
        names = sorted({r.signal for r in judged})
        return Outcome(
            Status.PASS,
            f"With GPC on, every privacy signal the site implements shows an opt-out of sale/sharing "
            f"({len(judged)} value(s): {', '.join(names)})." + ads,
            items,
        )
    indicators = sale_sharing(comparison, context)
    none = _no_signal_phrase(comparison)
    if comparison.ads_with_gpc:
        return Outcome(
            Status.REVIEW,
            f"{none}, and {comparison.ads_with_gpc} advertising request(s) still fired with GPC on. Whether the "
            "site honors GPC on its servers cannot be seen; a person must check what those requests carry.",
            items + ([indicators_table(indicators)] if indicators else []),
        )
    if comparison.ads_without_gpc:
        return Outcome(
            Status.PASS,
            f"{none}, and the advertising requests seen without GPC ({comparison.ads_without_gpc}) did not fire "
            "with GPC on: the site stops them when it receives the signal.",
            items,
        )
    if not indicators:
        return Outcome(
            Status.NOT_APPLICABLE,
            "No evidence of sale or sharing in either visit: no advertising, marketing or social third parties, "
            "no US privacy signal, no consent category for advertising. The GPC duty applies to businesses that "
            "sell or share personal information.",
            items,
        )
    return Outcome(
        Status.REVIEW,
        f"{none} and no advertising request was seen, but the capture shows other signs of sale or sharing; "
        "a person must check how GPC is processed.",
        items + [indicators_table(indicators)],
    )


def _no_signal_phrase(comparison: Comparison) -> str:
    present = sorted({f"{r.signal} ({r.reason})" for r in comparison.after if not r.judged})
    if present:
        return (
            "The site implements no privacy signal this rule reads (present but not read: " + "; ".join(present) + ")"
        )
    return "The site implements no privacy signal (no US Privacy string, GPP, OneTrust or recognised consent state)"


def _fail_message(failing: list[Reading], judged: int) -> str:
    parts = [f"{r.signal} ({r.where}): {r.reason}" for r in failing[:4]]
    more = f" and {len(failing) - 4} more" if len(failing) > 4 else ""
    contradictions = [r for r in failing if r.verdict == "contradiction"]
    lead = (
        "A signal contradicts itself with GPC on"
        if contradictions
        else "With GPC on, not every signal shows an opt-out"
    )
    return f"{lead} ({len(failing)} of {judged}): " + "; ".join(parts) + more + "."


def _missing_under_gpc(comparison: Comparison) -> list[Reading]:
    after = {r.key for r in comparison.after}
    # A request that stopped under GPC is the opposite of a problem; stored state and APIs should stay.
    return [r for r in comparison.before if r.judged and r.key not in after and not r.key.startswith("param|")]


def _ads_sentence(comparison: Comparison) -> str:
    if comparison.ads_with_gpc:
        return (
            f" {comparison.ads_with_gpc} advertising request(s) fired with GPC on "
            f"({comparison.ads_without_gpc} without); see the request diff."
        )
    if comparison.ads_without_gpc:
        return f" The {comparison.ads_without_gpc} advertising request(s) seen without GPC did not fire with it."
    return ""
