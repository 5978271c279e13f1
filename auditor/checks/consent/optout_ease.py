"""``optout_ease``: the opt-out has no broken link and can be carried out (CA-D5, 11 CCR 7004(a)(5))."""

from __future__ import annotations

from auditor.checks.consent.parts import OPTOUT, optout_consent
from auditor.checks.links.matching import OptOutLinkParams, opt_out_links
from auditor.checks.registry import CheckContext, Outcome, check
from auditor.evidence import SiteEvidence
from auditor.findings import Status, TableEvidence


@check("optout_ease", requires=["baseline.homepage.links", f"{OPTOUT}.consent.dns_target", f"{OPTOUT}.consent.flow"])
def optout_ease(evidence: SiteEvidence, params: OptOutLinkParams, context: CheckContext) -> Outcome:
    """The opt-out has no broken link and the auditor could carry it out step by step (§7004(a)(5))."""
    consent, flow = optout_consent(evidence)
    target = consent.dns_target
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
    if flow.entry == "none":
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
    if flow.entry == "autoconsent":
        # autoconsent's rule knows the consent manager's markup; a visitor has only what the page says.
        return Outcome(
            Status.REVIEW,
            f"The auditor opted out only through {flow.saved_with or 'autoconsent'}, a rule that knows the consent "
            "manager's markup: no opt-out link, settings or refusal a visitor could recognise by its words was "
            "found. A person must check that a visitor can find and use the opt-out.",
            [steps],
        )
    user_steps = sum(1 for s in flow.steps if s.user_step)
    seconds = (flow.steps[-1].t_ms / 1000) if flow.steps else 0
    return Outcome(
        Status.PASS,
        f"The opt-out completed in {user_steps} visitor step(s) and {seconds:.1f} s, with no broken link.",
        [steps],
    )
