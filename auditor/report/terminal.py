"""The one-screen summary printed at the end of a run."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.table import Table

from auditor.findings import SiteReport

STYLE = {"pass": "green", "fail": "bold red", "review": "yellow", "not_applicable": "dim", "not_assessable": "magenta"}


def print_summary(console: Console, reports: list[tuple[SiteReport, Path]], out_dir: Path) -> None:
    """One row per site with its verdict and counts, then the failing and review findings, then where to look."""
    table = Table(title="Privacy compliance audit", title_justify="left", show_lines=False)
    table.add_column("Site", overflow="fold")
    table.add_column("Verdict")
    for status in ("fail", "review", "pass", "not_applicable", "not_assessable"):
        table.add_column(status.replace("_", " "), justify="right")
    for report, _ in reports:
        s = report.summary
        table.add_row(
            report.site.site_id or report.site.host,
            f"[{STYLE[s.status]}]{s.status.upper()}[/]",
            *(str(s.counts.get(k, 0)) for k in ("fail", "review", "pass", "not_applicable", "not_assessable")),
        )
    console.print(table)
    for report, _ in reports:
        flagged = [f for f in report.findings if f.status in ("fail", "review", "not_assessable")]
        if not flagged:
            continue
        console.print(f"[bold]{report.site.host}[/]")
        for f in flagged[:12]:
            console.print(f"  [{STYLE[f.status]}]{f.status:<14}[/] {f.rule:<28} {f.message}", highlight=False)
    for _report, site_dir in reports:
        console.print(f"Report: {site_dir / 'report.html'}", highlight=False)
    if len(reports) > 1:
        console.print(f"Portfolio: {out_dir / 'index.html'}", highlight=False)
