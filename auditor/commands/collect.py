"""``auditor collect``: the portfolio report and the gate from the workers' output folder."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.markup import escape

from auditor.commands.shared import (
    console,
    err_console,
    quiet_option,
    request_default,
    sarif_suppressed_option,
    sign_key_option,
)
from auditor.errors import UserError
from auditor.extras import missing_extra
from auditor.findings import SiteReport
from auditor.finish import finish_run, gate_settings, print_gate
from auditor.report import parse_formats
from auditor.report.terminal import print_summary


@click.command("collect")
@click.argument("run_dir", required=False, type=click.Path(path_type=Path))
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path),
    help="Deprecated: the same as RUN_DIR (collect takes its folder as report, gate and verify do).",
)
@click.option("--format", "formats", default="html,json", show_default=True, help="Comma-separated report formats.")
@click.option("--redis", "redis_url", metavar="URL", help="Also name the enqueued sites that have no report.")
@sarif_suppressed_option
@sign_key_option
@quiet_option
def command(
    run_dir: Path | None,
    out_dir: Path | None,
    formats: str,
    redis_url: str | None,
    sarif_suppressed: bool,
    sign_key: Path | None,
    quiet: bool,
) -> None:
    """Build the portfolio report and the gate from the workers' output folder RUN_DIR (default audit-reports)."""
    if run_dir is not None and out_dir is not None and run_dir != out_dir:
        raise UserError(f"collect {run_dir} --out {out_dir}: two different folders; give only RUN_DIR")
    if out_dir is not None and not quiet:
        err_console.print(f"auditor: collect --out is deprecated: use auditor collect {out_dir}", markup=False)
    out_dir = run_dir or out_dir or request_default("out_dir")
    wanted = parse_formats(formats)
    if redis_url:
        try:  # only --redis needs the distributed extra: collecting a shared folder does not
            from auditor.crawl.distributed import enqueued_sites
        except ModuleNotFoundError as error:
            raise missing_extra(error, "auditor collect --redis") or error from None
    sites: list[tuple[SiteReport, Path]] = []
    for path in sorted(out_dir.glob("*/report.json")):
        try:
            sites.append((SiteReport.model_validate_json(path.read_text(encoding="utf-8")), path.parent))
        except ValueError:
            console.print(f"[yellow]skipped[/] {escape(str(path))}: not a complete report")
    if not sites:
        raise UserError(f"no site reports under {out_dir}")
    rule_ids = {finding.rule for report, _ in sites for finding in report.findings}
    settings = gate_settings(
        config_path=None,
        rule_ids=rule_ids,
        no_history=True,
        sarif_suppressed=sarif_suppressed,
        sign_key=sign_key,
    )
    sites, gate = finish_run(sites, out_dir, wanted, settings)
    if redis_url:
        missing = sorted(enqueued_sites(redis_url) - {site_dir.name for _, site_dir in sites})
        for site in missing:
            console.print(f"[yellow]missing[/] {escape(site)}: enqueued but no complete report (re-enqueue it)")
    if not quiet:
        print_summary(console, sites, out_dir)
    print_gate(gate, out_dir, console, quiet, sites)
    sys.exit(gate.exit_code)
