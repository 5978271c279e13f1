"""``gpc_no_extra_info``: with GPC on, the site asks for no more information to process it (CA-G2)."""

from __future__ import annotations

from auditor.checks.gpc.visit_diff import ASKS_FOR_INFO, REQUIRES, gpc_only_lines, lines_table
from auditor.checks.registry import CheckContext, NoParams, Outcome, check
from auditor.evidence import SiteEvidence
from auditor.findings import Status


@check("gpc_no_extra_info", requires=REQUIRES)
def gpc_no_extra_info(evidence: SiteEvidence, params: NoParams, context: CheckContext) -> Outcome:
    """With GPC on, the site asks for no more information (e-mail, sign-in, identity) to process the signal."""
    new = gpc_only_lines(evidence)
    asking = [line for line in new if ASKS_FOR_INFO.search(line)]
    if asking:
        return Outcome(
            Status.REVIEW,
            "With GPC on, the homepage showed text the visit without GPC did not, and it asks for information "
            "(e-mail, sign-in or identity). A person must check whether processing the signal depends on it.",
            [lines_table(asking, "Shown only with GPC on, asking for information"), lines_table(new)],
        )
    if new:
        return Outcome(
            Status.PASS,
            f"With GPC on, the homepage showed {len(new)} line(s) of text the visit without GPC did not, none of "
            "which asks for information.",
            [lines_table(new)],
        )
    return Outcome(
        Status.PASS,
        "With GPC on, the homepage showed nothing the visit without GPC did not: no prompt, form or interstitial "
        "asked for more information.",
    )
