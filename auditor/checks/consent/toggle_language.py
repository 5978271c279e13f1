"""``toggle_language``: opt-out controls use no double negatives and carry labels (CA-D4, 11 CCR 7004(a)(3))."""

from __future__ import annotations

import re

from auditor.checks.consent.parts import OPTOUT, optout_consent
from auditor.checks.registry import CheckContext, NoParams, Outcome, check
from auditor.evidence import SiteEvidence
from auditor.evidence.consent import Toggle
from auditor.findings import Status, TableEvidence

NEGATIVE_LABEL = re.compile(r"\b(do not|don't|opt[- ]?out|object)\b", re.IGNORECASE)

YES_NO = {"yes", "no", "on", "off", "true", "false"}


def _toggles(evidence: SiteEvidence) -> list[Toggle]:
    found: list[Toggle] = []
    consent, _ = optout_consent(evidence)
    center, target = consent.preference_center, consent.dns_target
    if center is not None:
        found += center.toggles
    if target is not None:
        found += target.controls + (target.dialog.toggles if target.dialog else [])
    unique: dict[tuple[str, str, str], Toggle] = {}
    for toggle in found:
        unique.setdefault((toggle.label, toggle.control_label, toggle.kind), toggle)
    return list(unique.values())


@check("toggle_language", requires=[f"{OPTOUT}.consent.preference_center", f"{OPTOUT}.consent.dns_target"])
def toggle_language(evidence: SiteEvidence, params: NoParams, context: CheckContext) -> Outcome:
    """Opt-out controls use no double negatives ("Do Not Sell": Yes/No) and each says what it controls."""
    toggles = _toggles(evidence)
    if not toggles:
        return Outcome(Status.NOT_APPLICABLE, "No preference center or opt-out controls were captured.")
    table = TableEvidence(
        label="Controls",
        columns=["label", "control label", "kind", "choices", "state"],
        rows=[[t.label, t.control_label, t.kind, " / ".join(t.options), t.state] for t in toggles],
    )
    double = [
        t
        for t in toggles
        if NEGATIVE_LABEL.search(f"{t.label} {t.control_label}")
        and (t.kind in ("button_pair", "radio") and {o.strip().lower() for o in t.options} & YES_NO)
    ]
    if double:
        return Outcome(
            Status.FAIL,
            f'The control "{double[0].label}" answers a negative ("do not ...") with yes/no choices: a double '
            "negative that confuses the consumer (§7004(a)(3)(A)).",
            [table],
        )
    bare = [t for t in toggles if not (t.label.strip() or t.control_label.strip()) and not t.always_active]
    if bare:
        return Outcome(
            Status.REVIEW,
            f"{len(bare)} control(s) carry no label saying what they switch. A person must judge whether the choice "
            "is clear (§7004(a)(3)(B)).",
            [table],
        )
    return Outcome(
        Status.PASS,
        f"All {len(toggles)} control(s) carry a label, and none answers a negative label with yes/no.",
        [table],
    )
