"""``auditor report RUN_DIR``: write every format again from the saved ``report.json`` files, no audit.

Reads ``RUN_DIR/<site>/report.json`` (or ``RUN_DIR/report.json`` for a single site folder), validates each
against the report model, and writes the requested formats beside it plus the run-wide outputs. The gate is not
decided again; the Markdown summary repeats the gate verdict saved in ``gate.json`` when there is one.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import ValidationError
from rich.console import Console

from auditor.errors import UserError
from auditor.findings import SiteReport
from auditor.gate import GATE_FILE, GateItem, GateResult, markdown_lines
from auditor.report import ALL_FORMATS, write_run_reports, write_site_reports


def load_run(run_dir: Path) -> list[tuple[SiteReport, Path]]:
    """Every site report of a run folder with its site folder; UserError when there is none or one is invalid."""
    files = sorted(run_dir.glob("*/report.json")) or sorted(run_dir.glob("report.json"))
    if not files:
        raise UserError(f"no report.json under {run_dir}")
    sites = []
    for file in files:
        try:
            sites.append((SiteReport.model_validate_json(file.read_text(encoding="utf-8")), file.parent))
        except (OSError, UnicodeDecodeError) as error:
            raise UserError(f"{file}: cannot read: {error}") from None
        except ValidationError as error:
            first = error.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            raise UserError(f"{file}: not a valid auditor report ({where}: {first['msg']})") from None
    return sites


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
    wanted = [f.strip().lower() for f in formats.split(",") if f.strip()]
    unknown = sorted(set(wanted) - ALL_FORMATS)
    if unknown or not wanted:
        raise UserError(
            f"--format: unknown format(s) {', '.join(unknown) or '(none)'}; "
            f"choose from {', '.join(sorted(ALL_FORMATS))}"
        )
    sites = load_run(run_dir)
    pdf_jobs: list = []
    written: list[Path] = []
    for report, site_dir in sites:
        written += write_site_reports(report, site_dir, wanted, self_contained=self_contained, pdf_jobs=pdf_jobs)
    is_site_folder = len(sites) == 1 and sites[0][1] == run_dir
    if not is_site_folder:
        written += write_run_reports([r for r, _ in sites], run_dir, wanted, _saved_gate(run_dir))
    if pdf_jobs:
        from auditor.report.pdf import print_pdfs

        print_pdfs(pdf_jobs, executable)
    console.print(f"Re-rendered {len(sites)} site report(s): {len(written)} files under {run_dir}", highlight=False)
    return 0
