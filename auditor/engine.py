"""Evaluate rules over evidence: the only place where rules meet checks.

Pure: the same evidence, rules and audit date always give the same findings.
"""

from __future__ import annotations

import datetime as dt

from auditor.checks import CHECKS, CheckContext, get_check
from auditor.checks.common import unassessable
from auditor.evidence import SiteEvidence
from auditor.findings import Finding, Status
from auditor.rulepacks import Rule


def evaluate_rule(rule: Rule, evidence: SiteEvidence, context: CheckContext) -> Finding:
    """The finding of one rule on one site's evidence."""
    base = {
        "rule": rule.id,
        "severity": rule.severity,
        "title": rule.title,
        "citations": [c.text for c in rule.citations],
        "citation_links": [c.url for c in rule.citations],
        "rationale": rule.rationale,
        "remediation": rule.remediation,
        "jurisdictions": rule.jurisdictions,
        "effective_from": rule.effective.from_,
    }
    if not rule.effective.in_force(context.audit_date):
        note = f" {rule.effective.note}" if rule.effective.note else ""
        return Finding(
            **base,
            status=Status.NOT_APPLICABLE,
            message=f"Not in force on the audit date {context.audit_date.isoformat()} "
            f"(in force {rule.effective.describe()}).{note}",
        )
    if rule.check not in CHECKS:
        blocked = unassessable(evidence)
        if blocked is not None:  # a homepage nobody saw cannot be judged by a check or by a person
            return Finding(**base, status=blocked.status, message=blocked.message)
        return Finding(
            **base,
            status=Status.REVIEW,
            message=f"This version of the auditor has no check {rule.check!r}, so the rule cannot be decided "
            "automatically; a person must assess it.",
        )
    try:
        outcome = get_check(rule.check)(evidence, rule.params, context)
    except Exception as error:  # a broken check must not lose the other findings or claim a pass
        blocked = unassessable(evidence)
        if blocked is not None:
            return Finding(**base, status=blocked.status, message=blocked.message)
        return Finding(
            **base,
            status=Status.REVIEW,
            message=f"The check {rule.check!r} could not run ({type(error).__name__}: {error}); "
            "a person must look at the evidence.",
        )
    return Finding(**base, status=outcome.status, message=outcome.message, evidence=outcome.evidence)


def evaluate(rules: list[Rule], evidence: SiteEvidence, context: CheckContext) -> list[Finding]:
    """Findings of every rule, in the order of the rules."""
    return [evaluate_rule(rule, evidence, context) for rule in rules]


def default_context(audit_date: dt.date | None = None, extra_tracker_lists: list | None = None) -> CheckContext:
    """A context with the built-in tracker list (plus user lists) for ``audit_date`` (default: today, UTC)."""
    from auditor.trackers import TrackerClassifier

    trackers = TrackerClassifier.from_lists(list(extra_tracker_lists or []))
    return CheckContext(audit_date=audit_date or dt.datetime.now(dt.UTC).date(), trackers=trackers)
