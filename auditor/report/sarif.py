"""SARIF 2.1.0 (``report.sarif``) for code-scanning dashboards, from the same findings as every other format.

Mapping:

- every rule seen becomes a ``reportingDescriptor``: title, rationale, help text (rationale, fix, citations),
  ``helpUri`` (the first citation link), default level from the rule's severity;
- each finding the gate looked at becomes a ``result`` whose ``level`` is the gate's: ``error`` for a finding at
  error level, ``warning`` for one at warn level (``finding.gate``, decided once by :mod:`auditor.gate`). Such a
  result has ``kind: fail`` even when the auditor's status is ``review`` or ``not_assessable``, because SARIF
  allows a level other than ``none`` only on ``fail`` results and the level is what dashboards show; the auditor's
  own status is in ``properties.status`` and the message says "needs review" / "not assessable";
- a waived finding, or one known from the baseline, keeps its level and carries a ``suppressions`` entry (kind
  ``external``, status ``accepted``, the waiver's reason or the baseline as justification). GitHub code scanning
  does not honour SARIF suppressions (it opens alerts for suppressed results), so ``include_suppressed=False``
  (``--sarif-suppressed omit``) leaves them out of the file, for that upload;
- findings the gate ignores (level ``off``), passing and not-applicable ones are left out by default, because
  GitHub code scanning shows every result as an alert whatever its ``kind``. A report without gate decisions (an
  old ``report.json``) maps by status: ``fail`` → ``kind: fail`` at the severity's level, ``review`` → ``kind:
  review`` and ``not_assessable`` → ``kind: open``, both ``level: none``;
- where: the audited URL is the result's ``webRequest.target`` (SARIF's place for a web target) and the rule id
  its logical location. The physical ``artifactLocation.uri`` is the site written as a relative reference
  (``www.example.com/`` or ``www.example.com_8080/shop``), because GitHub rejects a whole upload whose artifact
  URIs are ``https:`` ("SARIF URI scheme did not match the checkout URI scheme"); the absolute URL is kept in
  the artifact's description and the result's properties;
- ``partialFingerprints`` are a hash of site id and rule: a finding is about a whole site, so the site is its locus,
  and nothing that changes from run to run (message, evidence, time) enters it; a dashboard tracks one alert per
  site and rule across runs. ``baselineState`` comes from the history comparison when the report has one.
"""

from __future__ import annotations

import hashlib
import json
from urllib.parse import quote, urlsplit

from auditor.findings import Finding, GateOutcome, SiteReport

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
LEVEL_BY_SEVERITY = {"critical": "error", "high": "error", "medium": "warning", "low": "note", "info": "note"}
PROBLEM_SEVERITY = {"error": "error", "warning": "warning", "note": "recommendation"}
KIND_BY_STATUS = {
    "fail": "fail",
    "review": "review",
    "not_assessable": "open",
    "pass": "pass",
    "not_applicable": "notApplicable",
}
LEVEL_BY_GATE = {"error": "error", "warn": "warning"}
STATUS_PREFIX = {"review": "Needs review: ", "not_assessable": "Not assessable: "}
SUPPRESSED = (GateOutcome.WAIVED, GateOutcome.KNOWN)


def site_artifact_uri(report: SiteReport) -> str:
    """The site as a relative URI reference: ``<site-id>/<path>`` (no scheme, no query)."""
    site_id = report.site.site_id or report.site.host
    path = urlsplit(report.site.url).path or "/"
    return quote(site_id, safe="._-") + quote(path, safe="/%-._~!$&'()*+,;=@")


def _rule_name(rule_id: str) -> str:
    return "".join(part.capitalize() for part in rule_id.replace(".", "-").split("-") if part)


def _help_text(finding: Finding) -> tuple[str, str]:
    citations = [
        (text, finding.citation_links[i] if i < len(finding.citation_links) else None)
        for i, text in enumerate(finding.citations)
    ]
    text = [finding.rationale or finding.title]
    markdown = [f"**{finding.title}**", "", finding.rationale or ""]
    if finding.remediation:
        text.append(f"How to fix: {finding.remediation}")
        markdown += ["", f"**How to fix:** {finding.remediation}"]
    if citations:
        text.append("Citations: " + "; ".join(c for c, _ in citations))
        markdown += ["", "**Citations:** " + "; ".join(f"[{c}]({u})" if u else c for c, u in citations)]
    return "\n\n".join(text), "\n".join(markdown).strip()


def _descriptor(finding: Finding) -> dict:
    level = LEVEL_BY_SEVERITY[finding.severity]
    text, markdown = _help_text(finding)
    descriptor: dict = {
        "id": finding.rule,
        "name": _rule_name(finding.rule),
        "shortDescription": {"text": finding.title},
        "fullDescription": {"text": finding.rationale or finding.title},
        "help": {"text": text, "markdown": markdown},
        "defaultConfiguration": {"level": level},
        "properties": {
            "tags": ["privacy", finding.rule.split(".")[0]],
            "precision": "high",
            "problem.severity": PROBLEM_SEVERITY[level],
            "severity": finding.severity.value,
            "citations": list(finding.citations),
        },
    }
    link = next((u for u in finding.citation_links if u and u.startswith(("http://", "https://"))), None)
    if link:
        descriptor["helpUri"] = link
    return descriptor


def finding_fingerprint(site_id: str, rule: str) -> str:
    """A stable id of a site's finding for a rule, for dashboards that track findings across runs."""
    return hashlib.sha256(f"{site_id}\0{rule}".encode()).hexdigest()[:32]


def _kind_and_level(finding: Finding) -> tuple[str, str]:
    decision = finding.gate
    if decision is not None and decision.outcome != GateOutcome.OFF:
        return "fail", LEVEL_BY_GATE[decision.level]
    kind = KIND_BY_STATUS[finding.status]
    return kind, LEVEL_BY_SEVERITY[finding.severity] if kind == "fail" and decision is None else "none"


def _result(report: SiteReport, finding: Finding, rule_index: int, artifact_index: int) -> dict:
    site_id = report.site.site_id or report.site.host
    kind, level = _kind_and_level(finding)
    uri = site_artifact_uri(report)
    message = STATUS_PREFIX.get(finding.status, "") + finding.message
    result: dict = {
        "ruleId": finding.rule,
        "ruleIndex": rule_index,
        "kind": kind,
        "level": level,
        "message": {"text": f"{message} (site: {report.site.url})"},
        "locations": [
            {
                "physicalLocation": {"artifactLocation": {"uri": uri, "index": artifact_index}},
                "logicalLocations": [
                    {"name": finding.rule, "fullyQualifiedName": f"{uri}#{finding.rule}", "kind": "member"}
                ],
            }
        ],
        "webRequest": {"target": report.site.url, "method": "GET"},
        "partialFingerprints": {"auditorFinding/v1": finding_fingerprint(site_id, finding.rule)},
        "properties": {
            "site": site_id,
            "url": report.site.url,
            "status": finding.status.value,
            "severity": finding.severity.value,
            "report": f"{site_id}/report.html#{finding.rule}",
        },
    }
    if finding.gate is not None:
        result["properties"]["gate"] = finding.gate.outcome.value
        if finding.gate.outcome in SUPPRESSED:
            result["suppressions"] = [
                {"kind": "external", "status": "accepted", "justification": finding.gate.note or finding.gate.outcome}
            ]
    if finding.runs:
        result["properties"]["runs"] = [s.value for s in finding.runs]
    if report.changes is not None:
        result["baselineState"] = "new" if finding.rule in report.changes.new_failures else "unchanged"
    return result


def _reported(finding: Finding, include_passing: bool, include_suppressed: bool) -> bool:
    """Whether a finding becomes a SARIF result (see the module's mapping)."""
    if finding.gate is not None and finding.gate.outcome in SUPPRESSED and not include_suppressed:
        return False
    if include_passing:
        return True
    if finding.gate is not None:
        return finding.gate.outcome != GateOutcome.OFF
    return finding.status not in ("pass", "not_applicable")


def sarif_log(reports: list[SiteReport], include_passing: bool = False, include_suppressed: bool = True) -> dict:
    """One SARIF run covering every site of the run."""
    rules: list[dict] = []
    rule_index: dict[str, int] = {}
    artifacts: list[dict] = []
    results: list[dict] = []
    for report in reports:
        artifact_index = len(artifacts)
        artifacts.append(
            {
                "location": {"uri": site_artifact_uri(report)},
                "description": {"text": f"The audited site {report.site.url}"},
                "properties": {"url": report.site.url, "final_url": report.site.final_url},
            }
        )
        for finding in report.findings:
            if finding.rule not in rule_index:
                rule_index[finding.rule] = len(rules)
                rules.append(_descriptor(finding))
            if not _reported(finding, include_passing, include_suppressed):
                continue
            results.append(_result(report, finding, rule_index[finding.rule], artifact_index))
    first = reports[0] if reports else None
    run: dict = {
        "tool": {
            "driver": {
                "name": "auditor",
                "version": first.tool.version if first else "",
                "semanticVersion": first.tool.version if first else "",
                "rules": rules,
            }
        },
        "columnKind": "unicodeCodePoints",
        "artifacts": artifacts,
        "results": results,
        "invocations": [
            {
                "executionSuccessful": True,
                **(
                    {
                        "startTimeUtc": min(r.started_at for r in reports).isoformat().replace("+00:00", "Z"),
                        "endTimeUtc": max(r.finished_at for r in reports).isoformat().replace("+00:00", "Z"),
                    }
                    if reports
                    else {}
                ),
            }
        ],
        "properties": {
            "rule_packs": first.rule_packs if first else {},
            "audit_date": first.audit_date if first else "",
        },
    }
    return {"$schema": SARIF_SCHEMA_URI, "version": SARIF_VERSION, "runs": [run]}


def render_sarif(reports: list[SiteReport], include_passing: bool = False, include_suppressed: bool = True) -> str:
    """The SARIF log as JSON text."""
    return json.dumps(sarif_log(reports, include_passing, include_suppressed), indent=2, ensure_ascii=False) + "\n"
