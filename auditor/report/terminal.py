"""The one-screen summary printed at the end of a run."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from rich.console import Console
from rich.table import Table

from auditor.findings import GateOutcome, SiteReport

MAX_REPORT_LINES = 10
STYLE = {"pass": "green", "fail": "bold red", "review": "yellow", "not_applicable": "dim", "not_assessable": "magenta"}


SHORT_OUTCOME = {GateOutcome.BLOCKING: "block", GateOutcome.WARNING: "warn", GateOutcome.WAIVED: "waived"}


def gate_tally(report: SiteReport) -> str:
    """The gate's decisions on a site's findings in a few words: "1 block, 2 warn, 1 waived, 1 known"."""
    tally = Counter(f.gate.outcome for f in report.findings if f.gate is not None)
    parts = [f"{tally[o]} {SHORT_OUTCOME.get(o, o.value)}" for o in GateOutcome if o != GateOutcome.OFF and tally[o]]
    if not parts:
        return "—" if not tally else "nothing gated"
    return ", ".join(parts)


def print_summary(console: Console, reports: list[tuple[SiteReport, Path]], out_dir: Path) -> None:
    """One row per site with its verdict and counts, then where the reports are."""
    table = Table(title="Privacy compliance audit", title_justify="left", show_lines=False)
    table.add_column("Site", overflow="fold")
    table.add_column("Verdict")
    for status in ("fail", "review", "pass", "not_applicable", "not_assessable"):
        table.add_column(status.replace("_", " "), justify="right")
    table.add_column("gate")
    for report, _ in reports:
        s = report.summary
        table.add_row(
            report.site.site_id or report.site.host,
            f"[{STYLE[s.status]}]{s.status.upper()}[/]",
            *(str(s.counts.get(k, 0)) for k in ("fail", "review", "pass", "not_applicable", "not_assessable")),
            gate_tally(report),
        )
    console.print(table)
    # The findings that matter to the gate are listed by the gate's explanation, printed next.
    if len(reports) <= MAX_REPORT_LINES:
        for _report, site_dir in reports:
            console.print(f"Report: {site_dir / 'report.html'}", markup=False, highlight=False, soft_wrap=True)
    if len(reports) > 1:
        console.print(f"Portfolio: {out_dir / 'index.html'}", markup=False, highlight=False, soft_wrap=True)
