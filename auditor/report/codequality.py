"""GitLab Code Quality (``report.codequality.json``): the findings the gate looked at, for the merge request widget.

GitLab reads a JSON array of Code Climate issues (``description``, ``check_name``, ``fingerprint``, ``severity``,
``location.path`` with ``location.lines.begin``). The mapping follows the gate's decision on each finding
(``finding.gate``), so the widget agrees with the job's verdict:

- ``blocking`` → severity ``blocker`` (it blocks the pipeline); ``warning`` → ``minor``;
- waived, known (baseline) and ungated findings are left out: Code Quality has no notion of an accepted issue, and
  listing them would show the merge request problems the gate was told to accept;
- a report without gate decisions (an old ``report.json``) lists its ``fail`` findings by severity.

``location.path`` is the site's HTML report (``<out>/<site-id>/report.html``), not the audited URL: GitLab makes
the path a link into the repository and expects a relative file path, so a URL would become a broken link, while
the report path names the file to open in the job's artifacts. The URL and the rule's anchor in the report are in
the description. ``lines.begin`` is 1 (a web finding has no line). The fingerprint is the SARIF one (site and rule),
so the widget tracks a finding across pipelines.
"""

from __future__ import annotations

import json

from auditor.findings import Finding, GateOutcome, SiteReport
from auditor.report.sarif import finding_fingerprint

SEVERITY_BY_OUTCOME = {GateOutcome.BLOCKING: "blocker", GateOutcome.WARNING: "minor"}
SEVERITY_WITHOUT_GATE = {"critical": "critical", "high": "major", "medium": "minor", "low": "info", "info": "info"}
STATUS_WORDS = {"review": "needs review", "not_assessable": "not assessable"}


def _severity(finding: Finding) -> str | None:
    """The Code Quality severity, or None when the finding is not listed."""
    if finding.gate is None:
        return SEVERITY_WITHOUT_GATE[finding.severity] if finding.status == "fail" else None
    return SEVERITY_BY_OUTCOME.get(finding.gate.outcome)


def codequality_issues(reports: list[SiteReport], report_root: str = "") -> list[dict]:
    """The issues of every site; ``report_root`` is the output folder as the CI job names it (``audit-reports``)."""
    issues = []
    for report in reports:
        site_id = report.site.site_id or report.site.host
        path = "/".join(part for part in (report_root.rstrip("/"), site_id, "report.html") if part)
        for finding in report.findings:
            severity = _severity(finding)
            if severity is None:
                continue
            status = STATUS_WORDS.get(finding.status, "")
            what = f"{status}: {finding.message}" if status else finding.message
            issues.append(
                {
                    "description": f"{site_id}: {finding.title}: {what} ({report.site.url}; see {path}#{finding.rule})",
                    "check_name": finding.rule,
                    "fingerprint": finding_fingerprint(site_id, finding.rule),
                    "severity": severity,
                    "location": {"path": path, "lines": {"begin": 1}},
                }
            )
    return issues


def render_codequality(reports: list[SiteReport], report_root: str = "") -> str:
    """The Code Quality report as JSON text."""
    return json.dumps(codequality_issues(reports, report_root), indent=2, ensure_ascii=False) + "\n"
