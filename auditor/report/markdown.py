"""A Markdown summary of one or more sites, for a pull-request comment."""

from __future__ import annotations

from auditor.findings import SiteReport

_ICON = {"pass": "✅", "fail": "❌", "review": "👀", "not_applicable": "➖", "not_assessable": "⚠️"}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ").replace("<", "&lt;")


def render_markdown(reports: list[SiteReport]) -> str:
    """A heading per site with its verdict, then a table of findings (fail and review first)."""
    order = {"fail": 0, "review": 1, "not_assessable": 2, "pass": 3, "not_applicable": 4}
    lines = ["# Privacy compliance audit", ""]
    for report in reports:
        counts = ", ".join(f"{k}: {v}" for k, v in report.summary.counts.items() if v)
        lines += [
            f"## {_ICON[report.summary.status]} {_cell(report.site.url)} — {report.summary.status.upper()}",
            "",
            f"{counts}  ",
            f"Audited {report.finished_at:%Y-%m-%d %H:%M} UTC with auditor {report.tool.version}, "
            f"Chromium {report.browser.version}.",
            "",
            "| Status | Rule | Severity | Finding |",
            "|---|---|---|---|",
        ]
        for f in sorted(report.findings, key=lambda f: (order[f.status], f.rule)):
            lines.append(f"| {_ICON[f.status]} {f.status} | `{f.rule}` | {f.severity} | {_cell(f.message)} |")
        lines.append("")
    return "\n".join(lines)
