"""``banner_choice_labels``: the banner does not offer only "Yes" and "Ask me later" (CA-D3, 11 CCR 7004(a)(2)(B))."""

from __future__ import annotations

import re

from auditor.checks.registry import CheckContext, NoParams, Outcome, check
from auditor.evidence import SiteEvidence
from auditor.findings import Status, TableEvidence

LATER = re.compile(r"\b(later|not now|remind me|maybe|ask me)\b", re.IGNORECASE)


@check("banner_choice_labels", requires=["baseline.consent.banner"])
def banner_choice_labels(evidence: SiteEvidence, params: NoParams, context: CheckContext) -> Outcome:
    """The banner does not offer only "Yes" and "Ask me later" (no choice to say no)."""
    consent = evidence.profiles["baseline"].consent
    assert consent is not None  # required
    banner = consent.banner
    if banner is None:
        return Outcome(Status.NOT_APPLICABLE, "The homepage showed no consent banner.")
    buttons = [b for b in banner.buttons if b.visible]
    table = TableEvidence(
        label="Banner buttons", columns=["text", "kind"], rows=[[b.text or b.aria_label, b.kind] for b in buttons]
    )
    accept = [b for b in buttons if b.kind == "accept"]
    reject = [b for b in buttons if b.kind == "reject"]
    later = [b for b in buttons if LATER.search(b.text or b.aria_label)]
    if not accept:
        return Outcome(
            Status.NOT_APPLICABLE, "The banner has no button to agree, so it offers no yes/later choice.", [table]
        )
    if later and not reject:
        return Outcome(
            Status.FAIL,
            f'The banner offers "{accept[0].text}" and "{later[0].text}" but no way to decline: postponing is not '
            "a choice (§7004(a)(2)(B)).",
            [table],
        )
    return Outcome(
        Status.PASS,
        "The banner does not pair agreeing with only a way to postpone"
        + (
            f' ("{reject[0].text}" declines).'
            if reject
            else ". Whether it offers an equal reject is judged by the symmetry rule."
        ),
        [table],
    )
