"""The gate's decision on a finding in words, the same in every human-readable format (HTML, Markdown, terminal).

Writers never decide anything here: they read ``finding.gate`` (set once by :mod:`auditor.gate`). A finding
without a decision comes from a report written before the gate ran (or by an older auditor); it is shown by its
status alone.
"""

from __future__ import annotations

from auditor.findings import Finding, GateOutcome

OUTCOME_ORDER = [GateOutcome.BLOCKING, GateOutcome.WARNING, GateOutcome.WAIVED, GateOutcome.KNOWN, GateOutcome.OFF]
OUTCOME_LABEL = {
    GateOutcome.BLOCKING: "blocking",
    GateOutcome.WARNING: "warning",
    GateOutcome.WAIVED: "waived",
    GateOutcome.KNOWN: "known",
    GateOutcome.OFF: "not gated",
}
OUTCOME_MEANING = {
    GateOutcome.BLOCKING: "fails the gate",
    GateOutcome.WARNING: "shown, does not fail the gate",
    GateOutcome.WAIVED: "accepted by a waiver",
    GateOutcome.KNOWN: "in the baseline, not new",
    GateOutcome.OFF: "the gate ignores it",
}


def is_gated(finding: Finding) -> bool:
    """True when the gate looked at the finding (blocking, warning, waived or known); without a decision, a fail."""
    if finding.gate is None:
        return finding.status == "fail"
    return finding.gate.outcome != GateOutcome.OFF


def outcome_text(finding: Finding) -> str:
    """The decision in a few words: "blocking", "warning", "waived until 2026-12-31: reason", "known: …"."""
    decision = finding.gate
    if decision is None:
        return ""
    if decision.outcome in (GateOutcome.WAIVED, GateOutcome.KNOWN) and decision.note:
        return decision.note
    if decision.note:  # an expired waiver, say, on a finding that now warns or blocks
        return f"{OUTCOME_LABEL[decision.outcome]} ({decision.note})"
    return OUTCOME_LABEL[decision.outcome]


def gate_sort_key(finding: Finding) -> int:
    """Blocking first, then warnings, waived, known, not gated (findings without a decision last)."""
    return OUTCOME_ORDER.index(finding.gate.outcome) if finding.gate is not None else len(OUTCOME_ORDER)
