"""``auditor report RUN_DIR``: write every format again from the saved ``report.json`` files, no audit.

Reads ``RUN_DIR/<site>/report.json`` (or ``RUN_DIR/report.json`` for a single site folder), validates each
against the report model, and writes the requested formats beside it plus the run-wide outputs. The gate is not
decided again; the Markdown summary repeats the gate verdict saved in ``gate.json`` when there is one.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from rich.console import Console

from auditor.commands.shared import console, self_contained_option
from auditor.gate import GATE_FILE, GateItem, GateResult, markdown_lines
from auditor.pdf import print_pdfs
from auditor.report import PdfJob, parse_formats, write_run_reports, write_site_reports
from auditor.run_folder import load_run


def _saved_gate(run_dir: Path) -> list[str] | None:
    path = run_dir / GATE_FILE
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        for key in ("failing", "warnings", "known", "waived"):
            data[key] = [GateItem(**item) for item in data.get(key, [])]
        return markdown_lines(GateResult(**data))
    except (OSError, ValueError, TypeError):
        return None


def rerender_run(run_dir: Path, formats: str, self_contained: bool, executable: str | None, console: Console) -> int:
    """Re-render a run folder; return the exit code (0)."""
    wanted = parse_formats(formats)
    sites = load_run(run_dir)
    pdf_jobs: list[PdfJob] = []
    written: list[Path] = []
    for report, site_dir in sites:
        written += write_site_reports(report, site_dir, wanted, pdf_jobs=pdf_jobs, self_contained=self_contained)
    is_site_folder = len(sites) == 1 and sites[0][1] == run_dir
    if not is_site_folder:
        written += write_run_reports([r for r, _ in sites], run_dir, wanted, _saved_gate(run_dir))
    print_pdfs(pdf_jobs, executable)
    console.print(f"Re-rendered {len(sites)} site report(s): {len(written)} files under {run_dir}", highlight=False)
    return 0


@click.command("report")
@click.argument("run_dir", type=click.Path(path_type=Path))
@click.option(
    "--format",
    "formats",
    default="html,md,sarif,junit",
    show_default=True,
    help="Comma-separated: html, json, md, sarif, junit, pdf.",
)
@self_contained_option
@click.option("--browser", "executable", help="Chromium for --format pdf (default: found automatically).")
def command(run_dir: Path, formats: str, self_contained: bool, executable: str | None) -> None:
    """Re-render reports from the saved report.json files of a run folder, without a browser (except for pdf)."""
    sys.exit(rerender_run(run_dir, formats, self_contained, executable, console))
