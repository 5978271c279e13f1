"""``gpc_conflict_prompt``: a prompt about a conflicting setting shown with GPC on goes to review (CA-G3)."""

from __future__ import annotations

import re
from typing import Any

from auditor.checks.gpc.visit_diff import _blocked, _table, gpc_only_lines
from auditor.checks.registry import CheckContext, Outcome, check
from auditor.evidence import SiteEvidence
from auditor.findings import Status

CONFLICT_PROMPT = re.compile(
    r"\b(conflicts?|conflicting|financial incentive|loyalty|rewards?|previously (chose|selected|consented|opted)|"
    r"your (account|profile|privacy) settings?|do you want to|would you like to|confirm)\b",
    re.IGNORECASE,
)


@check("gpc_conflict_prompt")
def gpc_conflict_prompt(evidence: SiteEvidence, params: dict[str, Any], context: CheckContext) -> Outcome:
    """A prompt about a conflicting setting shown with GPC on is recorded for a person to review."""
    blocked = _blocked(evidence)
    if blocked:
        return blocked
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
        [_table(prompts)],
    )
