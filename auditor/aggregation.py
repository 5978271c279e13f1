"""Combine several audits of the same site into one report (``--runs N``), for flaky consent flows.

Pure functions over :class:`SiteReport` lists, like Lighthouse CI's ``aggregationMethod``:

- ``pessimistic``: per rule, the worst status seen in any run (fail > review > not assessable > pass >
  not applicable). The default: one run that failed is enough to fail.
- ``median``: per rule, the middle status of the runs ordered from best to worst; with an even number of runs,
  the worse of the two middle ones. A single flaky run is outvoted, in either direction.

Each combined finding keeps the message and evidence of the first run that had the chosen status, and lists
every run's status in ``runs``, so the report shows how stable the result was.
"""

from __future__ import annotations

from typing import Any

from auditor.findings import Finding, RunAggregation, SiteReport, Status, summarize

# Worst first.
_WORST_FIRST = [Status.FAIL, Status.REVIEW, Status.NOT_ASSESSABLE, Status.PASS, Status.NOT_APPLICABLE]
_RANK = {status: rank for rank, status in enumerate(_WORST_FIRST)}


def combine_statuses(statuses: list[Status], method: str) -> Status:
    """The combined status of one rule over the runs."""
    if not statuses:
        raise ValueError("no statuses to combine")
    ordered = sorted(statuses, key=lambda s: _RANK[s])  # worst first
    if method == "pessimistic":
        return ordered[0]
    if method == "median":
        # ordered is worst first, so index (n-1)//2 is the middle one, or the worse of the two middle ones.
        return ordered[(len(ordered) - 1) // 2]
    raise ValueError(f"unknown aggregation method {method!r}")


def rebase_evidence(report: SiteReport, prefix: str) -> SiteReport:
    """The report with every evidence artifact path prefixed (a run kept in ``<site>/runs/<n>/``)."""

    def walk(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: (prefix + v if k == "path" and isinstance(v, str) else walk(v)) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v) for v in value]
        return value

    data = report.model_dump(mode="json", by_alias=True)
    for finding in data["findings"]:
        finding["evidence"] = walk(finding["evidence"])
    return SiteReport.model_validate(data)


def aggregate_runs(runs: list[SiteReport], method: str, run_dirs: list[str] | None = None) -> SiteReport:
    """One report for a site from its ``runs`` (same site, any number of runs, the first is the reference)."""
    if not runs:
        raise ValueError("no runs to aggregate")
    if len(runs) == 1:
        return runs[0]
    first = runs[0]
    rules: list[str] = []
    by_rule: dict[str, list[Finding]] = {}
    for report in runs:
        for finding in report.findings:
            if finding.rule not in by_rule:
                rules.append(finding.rule)
                by_rule[finding.rule] = []
            by_rule[finding.rule].append(finding)
    findings = []
    for rule in rules:
        seen = by_rule[rule]
        statuses = [f.status for f in seen]
        chosen = combine_statuses(statuses, method)
        representative = next(f for f in seen if f.status == chosen)
        note = ""
        if len(set(statuses)) > 1:
            tally = ", ".join(
                f"{sum(1 for s in statuses if s == status)} {status.value.replace('_', ' ')}"
                for status in _WORST_FIRST
                if status in statuses
            )
            note = f" [{method} of {len(statuses)} runs: {tally}]"
        findings.append(representative.model_copy(update={"runs": statuses, "message": representative.message + note}))
    return first.model_copy(
        update={
            "started_at": min(r.started_at for r in runs),
            "finished_at": max(r.finished_at for r in runs),
            "findings": findings,
            "summary": summarize(findings),
            "aggregation": RunAggregation(method=method, runs=len(runs), run_dirs=list(run_dirs or [])),
        }
    )
