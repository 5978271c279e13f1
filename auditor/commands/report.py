"""``auditor report RUN_DIR``: write every format again from the saved ``report.json`` files, no audit.

Reads ``RUN_DIR/<site>/report.json`` (or ``RUN_DIR/report.json`` for a single site folder), validates each
against the report model, and writes the requested formats beside it plus the run-wide outputs. The gate is not
decided again: each finding keeps the decision saved in its ``report.json``, and the Markdown summary repeats the
gate verdict saved in ``gate.json`` when there is one. The manifests are written again to cover the new files (a
signature of the old run manifest no longer covers them: it is removed unless ``--sign-key`` signs again).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.console import Console

from auditor.commands.shared import console, sarif_suppressed_option, self_contained_option, sign_key_option
from auditor.gate import markdown_lines, saved_gate
from auditor.manifest import is_site_folder, verify_manifest
from auditor.pdf import print_pdfs
from auditor.report import PdfJob, parse_formats, write_run_reports, write_site_reports
from auditor.run_folder import load_run
from auditor.sealing import seal_run
from auditor.signing import check_signing_key


def rerender_run(
    run_dir: Path,
    formats: str,
    self_contained: bool,
    executable: str | None,
    console: Console,
    sign_key: Path | None = None,
    sarif_suppressed: bool = True,
) -> int:
    """Re-render a run folder, seal it again (and sign it with ``sign_key``); return the exit code (0)."""
    wanted = parse_formats(formats)
    if sign_key is not None:  # a key that cannot sign must fail before anything is rewritten
        check_signing_key(sign_key)
    sites = load_run(run_dir)
    for _, site_dir in sites:
        # Sealing again covers whatever is in the folder now: say so when that is not what was sealed before.
        if is_site_folder(site_dir) and not verify_manifest(site_dir / "evidence").ok:
            console.print(
                f"warning: {site_dir.name}: the folder does not match its manifest (see `auditor verify {run_dir}`); "
                "the new manifest covers the files as they are now.",
                markup=False,
                highlight=False,
                soft_wrap=True,
            )
    pdf_jobs: list[PdfJob] = []
    written: list[Path] = []
    for report, site_dir in sites:
        written += write_site_reports(
            report,
            site_dir,
            wanted,
            pdf_jobs=pdf_jobs,
            self_contained=self_contained,
            sarif_suppressed=sarif_suppressed,
        )
    single_site = len(sites) == 1 and sites[0][1] == run_dir
    if not single_site:
        gate = saved_gate(run_dir)
        gate_lines = markdown_lines(gate) if gate is not None else None
        written += write_run_reports([r for r, _ in sites], run_dir, wanted, gate_lines, sarif_suppressed)
    print_pdfs(pdf_jobs, executable)
    notes = seal_run(run_dir, [site_dir for _, site_dir in sites], None, sign_key)
    console.print(f"Re-rendered {len(sites)} site report(s): {len(written)} files under {run_dir}", highlight=False)
    for note in notes:
        console.print(note, markup=False, highlight=False, soft_wrap=True)
    return 0


@click.command("report")
@click.argument("run_dir", type=click.Path(path_type=Path))
@click.option(
    "--format",
    "formats",
    default="html,md,sarif,junit",
    show_default=True,
    help="Comma-separated: html, json, md, sarif, junit, codequality, pdf.",
)
@self_contained_option
@click.option("--browser", "executable", help="Chromium for --format pdf (default: found automatically).")
@sarif_suppressed_option
@sign_key_option
def command(
    run_dir: Path,
    formats: str,
    self_contained: bool,
    executable: str | None,
    sarif_suppressed: bool,
    sign_key: Path | None,
) -> None:
    """Re-render reports from the saved report.json files of a run folder, without a browser (except for pdf).

    The manifests are written again to cover the new files; a signature is removed unless --sign-key signs again.
    """
    sys.exit(rerender_run(run_dir, formats, self_contained, executable, console, sign_key, sarif_suppressed))
