"""Dark-pattern checks on the consent evidence beyond symmetry: "Yes / Ask me later" banners (CA-D3),
confusing toggles (CA-D4) and an opt-out that is hard to carry out (CA-D5), §7004(a)(2)(B), (a)(3), (a)(5).

Symmetry of the paths and of the banner's accept/reject buttons (CA-D1, CA-D2) is ``choice_symmetry``'s.
"""

from __future__ import annotations

import re
from typing import Any

from auditor.checks.common import unassessable
from auditor.checks.notices import opt_out_links
from auditor.checks.optout_paths import consent_part
from auditor.checks.registry import CheckContext, Outcome, check
from auditor.evidence import SiteEvidence
from auditor.evidence.consent import DnsTarget, OptOutFlow, PreferenceCenter, Toggle
from auditor.findings import Status, TableEvidence

LATER = re.compile(r"\b(later|not now|remind me|maybe|ask me)\b", re.IGNORECASE)
NEGATIVE_LABEL = re.compile(r"\b(do not|don't|opt[- ]?out|object)\b", re.IGNORECASE)
YES_NO = {"yes", "no", "on", "off", "true", "false"}


@check("banner_choice_labels")
def banner_choice_labels(evidence: SiteEvidence, params: dict[str, Any], context: CheckContext) -> Outcome:
    """The banner does not offer only "Yes" and "Ask me later" (no choice to say no)."""
    blocked = unassessable(evidence)
    if blocked:
        return blocked
    capture = evidence.profiles["baseline"]
    banner = capture.consent.banner if capture.consent else None
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


def _toggles(evidence: SiteEvidence) -> list[Toggle]:
    found: list[Toggle] = []
    center: PreferenceCenter | None = consent_part(evidence, "preference_center")
    target: DnsTarget | None = consent_part(evidence, "dns_target")
    if center is not None:
        found += center.toggles
    if target is not None:
        found += target.controls + (target.dialog.toggles if target.dialog else [])
    unique: dict[tuple[str, str, str], Toggle] = {}
    for toggle in found:
        unique.setdefault((toggle.label, toggle.control_label, toggle.kind), toggle)
    return list(unique.values())


@check("toggle_language")
def toggle_language(evidence: SiteEvidence, params: dict[str, Any], context: CheckContext) -> Outcome:
    """Opt-out controls use no double negatives ("Do Not Sell": Yes/No) and each says what it controls."""
    blocked = unassessable(evidence)
    if blocked:
        return blocked
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


@check("optout_ease")
def optout_ease(evidence: SiteEvidence, params: dict[str, Any], context: CheckContext) -> Outcome:
    """The opt-out has no broken link and the auditor could carry it out step by step (§7004(a)(5))."""
    blocked = unassessable(evidence)
    if blocked:
        return blocked
    target: DnsTarget | None = consent_part(evidence, "dns_target")
    flow: OptOutFlow | None = consent_part(evidence, "flow")
    if target is not None:
        problem = None
        if target.outcome in ("nothing", "error"):
            problem = target.error or f"clicking it did {target.outcome}"
        elif target.soft_404 or (target.status is not None and target.status >= 400):
            problem = f"the page is missing ({target.soft_404 or f'HTTP {target.status}'})"
        if problem:
            return Outcome(
                Status.FAIL,
                f'The "{target.link_text}" opt-out link is broken: {problem}. Broken links in the opt-out path make it '
                "harder to execute (§7004(a)(5)(B)).",
            )
    if flow is None or flow.entry == "none":
        if target is None and not opt_out_links(evidence, params):
            return Outcome(Status.NOT_APPLICABLE, "No opt-out link or opt-out flow to judge.")
        return Outcome(Status.REVIEW, "The auditor found no opt-out path to carry out; a person must try it.")
    steps = TableEvidence(
        label="Opt-out steps",
        columns=["ms", "action", "target", "ok"],
        rows=[[round(s.t_ms), s.action, s.target[:120], "yes" if s.ok else "NO"] for s in flow.steps[:60]],
        truncated=max(0, len(flow.steps) - 60),
    )
    failed = [s for s in flow.steps if not s.ok]
    if not flow.completed or failed or flow.error:
        reason = flow.error or (failed[0].detail or failed[0].target if failed else "it did not complete")
        return Outcome(
            Status.REVIEW,
            f"The auditor could not carry out the opt-out without trouble ({reason}). A person must check whether a "
            "visitor can.",
            [steps],
        )
    user_steps = sum(1 for s in flow.steps if s.user_step)
    seconds = (flow.steps[-1].t_ms / 1000) if flow.steps else 0
    return Outcome(
        Status.PASS,
        f"The opt-out completed in {user_steps} visitor step(s) and {seconds:.1f} s, with no broken link.",
        [steps],
    )
