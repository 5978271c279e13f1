"""JUnit XML (``report.junit.xml``) for CI test tabs: one test suite per site, one test case per site × rule.

Mapping, chosen so a test tab agrees with the report and never shows green for what was not seen:

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

from auditor.findings import SiteReport

# XML 1.0 cannot carry most control characters; site text may contain them.
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
SKIP_PREFIX = {"review": "needs review", "not_assessable": "not assessable", "not_applicable": "not applicable"}


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
            if finding.status == "fail":
                counts["failures"] += 1
                details = [finding.message]
                if finding.remediation:
                    details.append(f"How to fix: {finding.remediation}")
                if finding.citations:
                    details.append("Citations: " + "; ".join(finding.citations))
                details.append(f"Report: {site_id}/report.html#{finding.rule}")
                failure = ET.SubElement(case, "failure", message=_text(finding.message), type=finding.severity.value)
                failure.text = _text("\n".join(details))
            elif finding.status in SKIP_PREFIX:
                counts["skipped"] += 1
                ET.SubElement(case, "skipped", message=_text(f"{SKIP_PREFIX[finding.status]}: {finding.message}"))
            if finding.runs:
                out = ET.SubElement(case, "system-out")
                out.text = "runs: " + ", ".join(s.value for s in finding.runs)
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
