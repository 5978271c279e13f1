"""The CI gate: from findings to an exit code, with a baseline of known failures.

Exit codes (DESIGN.md): 0 gate passed; 1 gate failed; 2 usage or configuration error;
3 no site could be audited at all.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from auditor.findings import Severity, SiteReport, Status, severity_at_least

EXIT_OK, EXIT_GATE_FAILED, EXIT_USAGE, EXIT_UNREACHABLE = 0, 1, 2, 3
FAIL_ON_CHOICES = ["critical", "high", "medium", "low", "info", "never"]


class BaselineError(ValueError):
    """The baseline file is unusable; one line for the user."""


def load_baseline(path: Path) -> set[tuple[str, str]]:
    """(site id, rule) pairs that failed in a previous report.json (one site) or a list of them."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BaselineError(f"cannot read baseline {path}: {error}") from None
    reports = data if isinstance(data, list) else [data]
    known = set()
    for report in reports:
        if not isinstance(report, dict) or report.get("schema") != "auditor.report/1":
            raise BaselineError(f"baseline {path} is not an auditor report.json (schema auditor.report/1)")
        site = report.get("site", {})
        site_id = site.get("site_id") or site.get("host", "")
        for finding in report.get("findings", []):
            if finding.get("status") == "fail":
                known.add((site_id, finding.get("rule", "")))
    return known


@dataclass
class GateResult:
    exit_code: int
    failing: list[tuple[str, str, str]] = field(default_factory=list)  # site, rule, message
    known: list[tuple[str, str]] = field(default_factory=list)
    reason: str = ""


def decide(reports: list[SiteReport], fail_on: str = "low", baseline: set[tuple[str, str]] | None = None) -> GateResult:
    """The gate's verdict over a run's reports."""
    if reports and all(r.summary.status == Status.NOT_ASSESSABLE for r in reports):
        return GateResult(EXIT_UNREACHABLE, reason="no site could be audited")
    failing, known = [], []
    for report in reports:
        for finding in report.findings:
            if finding.status != Status.FAIL or fail_on == "never":
                continue
            if not severity_at_least(finding.severity, Severity(fail_on)):
                continue
            key = (report.site.site_id, finding.rule)
            if baseline is not None and key in baseline:
                known.append(key)
                continue
            failing.append((report.site.site_id, finding.rule, finding.message))
    if failing:
        return GateResult(EXIT_GATE_FAILED, failing, known, f"{len(failing)} failing finding(s) at or above {fail_on}")
    return GateResult(EXIT_OK, failing, known, "no failing findings at or above " + fail_on)
