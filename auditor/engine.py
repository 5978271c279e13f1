"""Evaluate rules over evidence: the only place where rules meet checks.

Before a check runs, the engine makes sure the evidence it requires is there, as Lighthouse's runner does with
an audit's ``requiredArtifacts``. A required path ``VISIT.FIELD[.FIELD...]`` is **present** when

1. the site was audited at all, and that visit was captured (it was requested and the run reached it);
2. the visit's homepage was usable: it loaded, on the site itself, with HTTP < 400, completely, and was no bot check;
3. the capture step that fills the path ran in that visit and recorded no failure
   (:data:`auditor.evidence.failures.CAPTURE_STEPS`);
4. every field above the last one is there.

The last field itself may be empty or null: ``optout.consent.dns_target`` is null when the homepage had no
opt-out link, which is data for the check, not missing evidence. When a path is not present the finding is
``not_assessable`` with the reason, and the check does not run.

Pure: the same evidence, rules and audit date always give the same findings.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from auditor.checks import CheckContext, get_check
from auditor.evidence import PageCapture, SiteEvidence
from auditor.evidence.failures import step_filling
from auditor.evidence.paths import EvidencePath, value_at
from auditor.findings import Finding, Status
from auditor.homepage import homepage_flaw
from auditor.rulepacks import Rule
from auditor.trackers import TrackerClassifier

FAILURE_WORDS = {
    "timeout": "it ran out of time",
    "browser_error": "the browser refused an action",
    "page_closed": "the page went away",
    "bug": "an error in the auditor",
}


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
    missing = missing_evidence(evidence, rule.required_evidence())
    if missing is not None:
        return Finding(**base, status=Status.NOT_ASSESSABLE, message=missing)
    try:
        outcome = get_check(rule.check)(evidence, rule.check_params(), context)
    except Exception as error:  # a broken check must not lose the other findings or claim a pass
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


def missing_evidence(evidence: SiteEvidence, required: Iterable[EvidencePath]) -> str | None:
    """Why the first of the ``required`` paths is not present in ``evidence`` (see the module), or None."""
    if evidence.failure:
        return f"The site could not be audited: {evidence.failure}"
    for path in required:
        capture = evidence.profile(path.profile)
        if capture is None:
            reason = f": {evidence.interrupted}" if evidence.interrupted else "."
            return f"The {path.profile} visit was not captured{reason}"
        unusable = unusable_homepage(capture.homepage, path.profile)
        if unusable is not None:
            return unusable
        step = step_filling(path.fields)
        if step is not None:
            failure = capture.failure_of(step.id)
            if failure is not None:
                how = FAILURE_WORDS.get(failure.kind, failure.kind)
                return f"In the {path.profile} visit, {step.title} did not finish ({how}): {failure.message}"
            if value_at(capture, tuple(step.fills[0].split(".")))[0] is None:
                return f"The {path.profile} visit has no record of {step.title} (it was captured without that step)."
        absent = value_at(capture, path.fields)[1]
        if absent is not None:
            return f"The {path.profile} visit recorded no {absent}, which this rule needs ({path})."
    return None


# Why a visit's homepage cannot be judged (PageCapture.homepage_flaw), as a finding's reason; saved runs re-judged
# read the same words.
UNUSABLE_HOMEPAGE = {
    "not_loaded": "The homepage could not be loaded ({profile} visit): {detail}",
    "bot_check": "The homepage showed a bot check instead of the site: {detail}",
    "other_site": "The homepage redirected to another site ({detail}); audit that site directly.",
    "http_error": "The homepage answered HTTP {detail} ({profile} visit).",
    "incomplete": "The homepage was not fully captured ({profile} visit): {detail}.",
}


def unusable_homepage(page: PageCapture, profile: str) -> str | None:
    """Why a visit's homepage cannot be judged (error, bot check, another site, HTTP error, half loaded), or None."""
    flaw = homepage_flaw(page)
    if flaw is None:
        return None
    kind, detail = flaw
    return UNUSABLE_HOMEPAGE[kind].format(profile=profile, detail=detail)


def default_context(audit_date: dt.date | None = None, extra_tracker_lists: list | None = None) -> CheckContext:
    """A context with the built-in tracker list (plus user lists) for ``audit_date`` (default: today, UTC)."""
    trackers = TrackerClassifier.from_lists(list(extra_tracker_lists or []))
    return CheckContext(audit_date=audit_date or dt.datetime.now(dt.UTC).date(), trackers=trackers)
