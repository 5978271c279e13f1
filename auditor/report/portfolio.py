"""The portfolio of a multi-site run: ``OUT/index.html`` (sites × rules matrix) and ``OUT/portfolio.csv``.

The page sorts and filters with a small script of our own, allowed by the Content-Security-Policy through its
SHA-256 only; without script the matrix is still complete, ordered worst site first.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from pathlib import Path
from typing import Any

from auditor.findings import SiteReport
from auditor.report.templating import STATUS_ORDER, csp_hash, environment, static_text

CSV_NAME = "portfolio.csv"
_STATUS_RANK = {status: rank for rank, status in enumerate(STATUS_ORDER)}


def _rule_columns(reports: list[SiteReport]) -> list[dict]:
    """Every rule seen, in rule-pack order (the order of the first report that has it), with its title."""
    columns: dict[str, dict] = {}
    for report in reports:
        for finding in report.findings:
            if finding.rule not in columns:
                columns[finding.rule] = {"id": finding.rule, "title": finding.title, "severity": finding.severity.value}
    failing = Counter(f.rule for r in reports for f in r.findings if f.status == "fail")
    review = Counter(f.rule for r in reports for f in r.findings if f.status in ("review", "not_assessable"))
    for rule_id, column in columns.items():
        column["failing_sites"] = failing.get(rule_id, 0)
        column["unresolved_sites"] = review.get(rule_id, 0)
    return list(columns.values())


def portfolio_rows(reports: list[SiteReport]) -> list[dict[str, Any]]:
    """One row per site, worst verdict first, then most failures, then site id."""
    rows: list[dict[str, Any]] = []
    for report in reports:
        counts = report.summary.counts
        changes = report.changes
        rows.append(
            {
                "site_id": report.site.site_id or report.site.host,
                "url": report.site.url,
                "final_url": report.site.final_url,
                "status": report.summary.status.value,
                "counts": {s: counts.get(s, 0) for s in STATUS_ORDER},
                "cells": {f.rule: f.status.value for f in report.findings},
                "new_failures": list(changes.new_failures) if changes else [],
                "fixed": list(changes.fixed) if changes else [],
                "has_history": changes is not None,
                "audited_at": report.finished_at.isoformat(timespec="seconds"),
            }
        )
    rows.sort(key=lambda r: (_STATUS_RANK[r["status"]], -r["counts"]["fail"], -r["counts"]["review"], r["site_id"]))
    return rows


def portfolio_summary(reports: list[SiteReport], rules: list[dict]) -> dict:
    """Counts for the page's header: sites by verdict, findings by status, the rules failing most often."""
    by_verdict = Counter(r.summary.status.value for r in reports)
    by_status = Counter(f.status.value for r in reports for f in r.findings)
    top = sorted((c for c in rules if c["failing_sites"]), key=lambda c: (-c["failing_sites"], c["id"]))[:5]
    return {
        "sites": len(reports),
        "by_verdict": {s: by_verdict.get(s, 0) for s in STATUS_ORDER},
        "by_status": {s: by_status.get(s, 0) for s in STATUS_ORDER},
        "top_failing": top,
        "new_failures": sum(len(r.changes.new_failures) for r in reports if r.changes),
        "fixed": sum(len(r.changes.fixed) for r in reports if r.changes),
        "first": min((r.started_at for r in reports), default=None),
        "last": max((r.finished_at for r in reports), default=None),
    }


def render_portfolio_html(reports: list[SiteReport], template_dir: Path | None = None) -> str:
    """The portfolio page: summary counts, then one row per site and one column per rule."""
    env = environment(template_dir)
    rules = _rule_columns(reports)
    css = static_text(env, "style.css")
    script = static_text(env, "portfolio.js")
    csp = (
        f"default-src 'none'; script-src {csp_hash(script)}; style-src {csp_hash(css)}; img-src 'none'; "
        "base-uri 'none'; form-action 'none'; frame-src 'none'; object-src 'none'"
    )
    return env.get_template("portfolio.html.j2").render(
        rows=portfolio_rows(reports),
        rules=rules,
        summary=portfolio_summary(reports, rules),
        css=css,
        script=script,
        csp=csp,
        csv_name=CSV_NAME,
    )


def _csv_safe(value: str) -> str:
    """Keep spreadsheet programs from reading a cell as a formula (CSV injection)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def render_portfolio_csv(reports: list[SiteReport]) -> str:
    """The portfolio matrix as CSV: one row per site, its counts and changes, then one column per rule."""
    rules = [c["id"] for c in _rule_columns(reports)]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(
        ["site_id", "url", "final_url", "verdict", *STATUS_ORDER, "new_failures", "fixed", "audited_at", "report"]
        + rules
    )
    for row in portfolio_rows(reports):
        values = [
            row["site_id"],
            row["url"],
            row["final_url"],
            row["status"],
            *(str(row["counts"][s]) for s in STATUS_ORDER),
            " ".join(row["new_failures"]),
            " ".join(row["fixed"]),
            row["audited_at"],
            f"{row['site_id']}/report.html",
        ] + [row["cells"].get(rule, "") for rule in rules]
        writer.writerow([_csv_safe(v) for v in values])
    return buffer.getvalue()
