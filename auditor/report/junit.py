"""JUnit XML (``report.junit.xml``) for CI test tabs: one test suite per site, one test case per site × rule.

A test tab must agree with the CI gate, so each case follows the gate's decision on its finding
(``finding.gate``, decided once by :mod:`auditor.gate`):

- ``blocking`` → ``<failure type="<severity>">`` with the message, the fix and the citations: exactly the findings
  that fail the gate, so ``failures`` is the gate's count "N findings at error level";
- ``warning`` → a passing case with a ``<system-out>`` note: the gate passes it, and says so;
- ``waived`` / ``known`` → ``<skipped message="waived until …: reason">`` / ``<skipped message="known: …">``;
- not gated (``off``): ``pass`` passes, anything else is ``<skipped>`` with the status and "not gated".

A report without gate decisions (an old ``report.json``) maps by status, chosen so a test tab never shows green
for what was not seen:

- ``pass`` → a passing test case;
- ``fail`` → ``<failure type="<severity>">`` with the message, the fix and the citations;
- ``review`` → ``<skipped message="needs review: …">``: the auditor decided nothing, a person must look;
- ``not_assessable`` → ``<skipped message="not assessable: …">``: the page could not be seen;
- ``not_applicable`` → ``<skipped message="not applicable: …">``.

``review`` and ``not_assessable`` are skipped rather than errors because JUnit's ``<error>`` means the test
itself crashed, and most CI tabs count errors as failures; whether they should stop a release is the gate's
decision (``review`` / ``not-assessable`` levels), not the test tab's. ``classname`` is the site id and ``name``
the rule id followed by its title.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from auditor.findings import Finding, GateOutcome, SiteReport

# XML 1.0 cannot carry most control characters; site text may contain them.
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
SKIP_PREFIX = {"review": "needs review", "not_assessable": "not assessable", "not_applicable": "not applicable"}
STATUS_WORDS = {**SKIP_PREFIX, "fail": "fail", "pass": "pass"}


def _failure(case: ET.Element, site_id: str, finding: Finding) -> None:
    details = [finding.message]
    if finding.remediation:
        details.append(f"How to fix: {finding.remediation}")
    if finding.citations:
        details.append("Citations: " + "; ".join(finding.citations))
    details.append(f"Report: {site_id}/report.html#{finding.rule}")
    failure = ET.SubElement(case, "failure", message=_text(finding.message), type=finding.severity.value)
    failure.text = _text("\n".join(details))


def _case_outcome(case: ET.Element, site_id: str, finding: Finding) -> tuple[str, str]:
    """Fill a test case from the finding; return the count it adds to ("failures", "skipped" or "" for passed)
    and the note for its ``<system-out>``."""
    decision = finding.gate
    status = STATUS_WORDS[finding.status]
    if decision is None:  # no gate decided (an old report.json): by status
        if finding.status == "fail":
            _failure(case, site_id, finding)
            return "failures", ""
        if finding.status in SKIP_PREFIX:
            ET.SubElement(case, "skipped", message=_text(f"{SKIP_PREFIX[finding.status]}: {finding.message}"))
            return "skipped", ""
        return "", ""
    if decision.outcome == GateOutcome.BLOCKING:
        _failure(case, site_id, finding)
        return "failures", ""
    if decision.outcome == GateOutcome.WARNING:
        return "", f"warning (does not fail the gate): {status}: {finding.message}"
    if decision.outcome in (GateOutcome.WAIVED, GateOutcome.KNOWN):
        ET.SubElement(case, "skipped", message=_text(f"{decision.note}: {status}: {finding.message}"))
        return "skipped", ""
    if finding.status == "pass":
        return "", ""
    prefix = SKIP_PREFIX.get(finding.status, status)
    gated = "" if finding.status == "not_applicable" else " (not gated: level off)"
    ET.SubElement(case, "skipped", message=_text(f"{prefix}{gated}: {finding.message}"))
    return "skipped", ""


def _text(value: str) -> str:
    return _INVALID_XML.sub("\ufffd", value)


def junit_tree(reports: list[SiteReport]) -> ET.Element:
    """The ``<testsuites>`` element for the run."""
    suites = ET.Element("testsuites", name="auditor privacy compliance")
    totals = {"tests": 0, "failures": 0, "skipped": 0}
    for report in reports:
        site_id = report.site.site_id or report.site.host
        elapsed = max(0.0, (report.finished_at - report.started_at).total_seconds())
        suite = ET.SubElement(
            suites,
            "testsuite",
            name=_text(site_id),
            timestamp=report.started_at.isoformat(timespec="seconds"),
            time=f"{elapsed:.3f}",
        )
        properties = ET.SubElement(suite, "properties")
        for name, value in (
            ("url", report.site.url),
            ("final_url", report.site.final_url),
            ("verdict", report.summary.status.value),
            ("audit_date", report.audit_date),
            ("report", f"{site_id}/report.html"),
        ):
            ET.SubElement(properties, "property", name=name, value=_text(value))
        counts = {"tests": 0, "failures": 0, "skipped": 0}
        for finding in report.findings:
            counts["tests"] += 1
            case = ET.SubElement(
                suite, "testcase", classname=_text(site_id), name=_text(f"{finding.rule}: {finding.title}"), time="0"
            )
            counted, note = _case_outcome(case, site_id, finding)
            if counted:
                counts[counted] += 1
            notes = [note] if note else []
            if finding.runs:
                notes.append("runs: " + ", ".join(s.value for s in finding.runs))
            if notes:
                ET.SubElement(case, "system-out").text = _text("\n".join(notes))
        suite.set("tests", str(counts["tests"]))
        suite.set("failures", str(counts["failures"]))
        suite.set("errors", "0")
        suite.set("skipped", str(counts["skipped"]))
        for key in totals:
            totals[key] += counts[key]
    suites.set("tests", str(totals["tests"]))
    suites.set("failures", str(totals["failures"]))
    suites.set("errors", "0")
    suites.set("skipped", str(totals["skipped"]))
    return suites


def render_junit(reports: list[SiteReport]) -> str:
    """The JUnit XML document as text."""
    tree = junit_tree(reports)
    ET.indent(tree)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(tree, encoding="unicode") + "\n"
