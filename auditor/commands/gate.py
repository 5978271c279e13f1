"""``auditor gate RUN_DIR``: decide the gate again on a finished run's reports, like ``lhci assert``."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click
from rich.console import Console

from auditor.commands.shared import baseline_option, config_option, console, date_option, fail_on_option
from auditor.finish import gate_settings
from auditor.gate import decide, explain
from auditor.run_folder import load_run


def regate_run(
    run_dir: Path,
    console: Console,
    *,
    config_path: Path | None = None,
    fail_on: str | None = None,
    baseline: Path | None = None,
    audit_date: dt.date | None = None,
) -> int:
    """Decide the gate again on a finished run's reports; return its exit code."""
    sites = load_run(run_dir)
    reports = [report for report, _ in sites]
    settings = gate_settings(
        config_path=config_path,
        rule_ids={f.rule for r in reports for f in r.findings},
        fail_on=fail_on,
        baseline=baseline,
        audit_date=audit_date,
        no_history=True,
    )
    gate = decide(reports, settings.config, settings.baseline, settings.today)
    for line in explain(gate, run_dir, reports):
        console.print(line, markup=False, highlight=False, soft_wrap=True)
    return gate.exit_code


@click.command("gate")
@click.argument("run_dir", type=click.Path(path_type=Path))
@config_option
@fail_on_option
@baseline_option
@date_option("--audit-date", "Judge waiver expiry as of this date.")
def command(
    run_dir: Path, config_path: Path | None, fail_on: str | None, baseline: Path | None, audit_date: dt.date | None
) -> None:
    """Decide the gate again on a finished run's reports, no browser (exit 0 pass, 1 fail, 3 unreachable)."""
    sys.exit(
        regate_run(run_dir, console, config_path=config_path, fail_on=fail_on, baseline=baseline, audit_date=audit_date)
    )
