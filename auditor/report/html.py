"""The per-site HTML report and the portfolio index, rendered from report JSON alone."""

from __future__ import annotations

from pathlib import Path

from auditor.findings import SiteReport
from auditor.report.templating import STATUS_ORDER, environment


def _grouped(findings: list[dict]) -> list[tuple[str, list[dict]]]:
    severity_rank = {"critical": 0, "high": 1, "medium": 2, "low": 3, "info": 4}
    groups = []
    for status in STATUS_ORDER:
        items = [f for f in findings if f["status"] == status]
        items.sort(key=lambda f: (severity_rank.get(f["severity"], 9), f["rule"]))
        if items:
            groups.append((status, items))
    return groups


def render_site_html(report: SiteReport, template_dir: Path | None = None) -> str:
    """The site report as one HTML page (images are relative paths into the site folder)."""
    data = report.model_dump(mode="json", by_alias=True)
    template = environment(template_dir).get_template("site.html.j2")
    return template.render(report=data, groups=_grouped(data["findings"]))


def render_portfolio_html(reports: list[SiteReport], template_dir: Path | None = None) -> str:
    """The portfolio page: one row per site, one column per rule."""
    data = [r.model_dump(mode="json", by_alias=True) for r in reports]
    rule_ids = sorted({f["rule"] for r in data for f in r["findings"]})
    matrix = [
        {"report": r, "cells": {f["rule"]: f["status"] for f in r["findings"]}}
        for r in sorted(data, key=lambda r: r["site"]["site_id"])
    ]
    template = environment(template_dir).get_template("portfolio.html.j2")
    return template.render(rows=matrix, rule_ids=rule_ids)
