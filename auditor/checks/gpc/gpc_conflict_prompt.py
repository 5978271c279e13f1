"""``gpc_conflict_prompt``: a prompt about a conflicting setting shown with GPC on goes to review (CA-G3)."""

from __future__ import annotations

from auditor.checks.gpc.visit_diff import CONFLICT_PROMPT, REQUIRES, gpc_only_lines, lines_table
from auditor.checks.registry import CheckContext, NoParams, Outcome, check
from auditor.evidence import SiteEvidence
from auditor.findings import Status


@check("gpc_conflict_prompt", requires=REQUIRES)
def gpc_conflict_prompt(evidence: SiteEvidence, params: NoParams, context: CheckContext) -> Outcome:
    """A prompt about a conflicting setting shown with GPC on is recorded for a person to review."""
    prompts = [line for line in gpc_only_lines(evidence) if CONFLICT_PROMPT.search(line)]
    if not prompts:
        return Outcome(
            Status.NOT_APPLICABLE,
            "With GPC on, the site showed no prompt about a conflicting privacy setting or financial incentive. "
            "Whether the signal itself is processed is judged by the GPC rule.",
        )
    return Outcome(
        Status.REVIEW,
        "With GPC on, the site asked the visitor about a conflicting setting or incentive. That is allowed, but the "
        "signal must still be processed; a person must check the prompt and the GPC rule's finding.",
        [lines_table(prompts)],
    )
