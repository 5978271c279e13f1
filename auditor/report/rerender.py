"""``auditor report RUN_DIR``: write every format again from the saved ``report.json`` files, no audit.

Reads ``RUN_DIR/<site>/report.json`` (or ``RUN_DIR/report.json`` for a single site folder), validates each
against the report model, and writes the requested formats beside it plus the run-wide outputs. The gate is not
decided again: each finding keeps the decision saved in its ``report.json``, and the Markdown summary repeats the
gate verdict saved in ``gate.json`` when there is one. The manifests are written again to cover the new files (a
signature of the old run manifest no longer covers them: it is removed unless ``--sign-key`` signs again).

:func:`stale_site_formats` and :func:`stale_run_formats` render the same files in memory and name those on disk
that differ: ``auditor verify`` uses them to check that every format follows from ``report.json``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from pydantic import ValidationError
from rich.console import Console

from auditor.errors import UserError
from auditor.findings import SiteReport
from auditor.gate import GATE_FILE, GateItem, GateResult, markdown_lines
from auditor.manifest import is_site_folder, verify_manifest
from auditor.report import ALL_FORMATS, FORMAT_FILES, write_run_reports, write_site_reports
from auditor.report.codequality import render_codequality
from auditor.report.html import render_site_html
from auditor.report.junit import render_junit
from auditor.report.markdown import render_markdown
from auditor.report.portfolio import CSV_NAME, render_portfolio_csv, render_portfolio_html
from auditor.report.sarif import render_sarif
from auditor.sealing import seal_run


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

    wanted = [f.strip().lower() for f in formats.split(",") if f.strip()]
    unknown = sorted(set(wanted) - ALL_FORMATS)
    if unknown or not wanted:
        raise UserError(
            f"--format: unknown format(s) {', '.join(unknown) or '(none)'}; "
            f"choose from {', '.join(sorted(ALL_FORMATS))}"
        )
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
    pdf_jobs: list = []
    written: list[Path] = []
    for report, site_dir in sites:
        written += write_site_reports(
            report,
            site_dir,
            wanted,
            self_contained=self_contained,
            pdf_jobs=pdf_jobs,
            sarif_suppressed=sarif_suppressed,
        )
    single_site = len(sites) == 1 and sites[0][1] == run_dir
    if not single_site:
        written += write_run_reports([r for r, _ in sites], run_dir, wanted, _saved_gate(run_dir), sarif_suppressed)
    if pdf_jobs:
        from auditor.report.pdf import print_pdfs

        print_pdfs(pdf_jobs, executable)
    notes = seal_run(run_dir, [site_dir for _, site_dir in sites], None, sign_key)
    console.print(f"Re-rendered {len(sites)} site report(s): {len(written)} files under {run_dir}", highlight=False)
    for note in notes:
        console.print(note, markup=False, highlight=False, soft_wrap=True)
    return 0


def _codequality_root(text: str, site_ids: list[str]) -> str:
    """The output folder a Code Quality file names in its paths (``audit-reports`` in ``audit-reports/<site>/…``)."""
    try:
        issues = json.loads(text)
        path = issues[0]["location"]["path"]
    except (ValueError, LookupError, TypeError):
        return ""
    for site_id in site_ids:
        suffix = f"{site_id}/report.html"
        if path.endswith(suffix):
            return path[: -len(suffix)].rstrip("/")
    return ""


Renderings = dict[str, Callable[[str], list[str]]]  # file name -> (its text on disk) -> what it may be


def _stale(folder: Path, expected: Renderings) -> list[str]:
    """Files of ``folder`` whose text is none of the renderings ``expected[name]()`` gives (present files only)."""
    stale = []
    for name, render in expected.items():
        path = folder / name
        if not path.is_file():
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            stale.append(name)
            continue
        if text not in render(text):
            stale.append(name)
    return stale


def stale_site_formats(report: SiteReport, site_dir: Path) -> list[str]:
    """The site's report files that are not what ``report.json`` renders to (``report.pdf`` is not compared).

    Options that change a rendering and are not recorded are tried both ways: ``--self-contained`` and
    ``--sarif-suppressed``; the Code Quality paths use the output folder the file itself names.
    """
    site_id = report.site.site_id or report.site.host
    expected: Renderings = {
        FORMAT_FILES["html"]: lambda _: [render_site_html(report, site_dir, inline) for inline in (False, True)],
        FORMAT_FILES["md"]: lambda _: [render_markdown([report])],
        FORMAT_FILES["sarif"]: lambda _: [render_sarif([report], include_suppressed=k) for k in (True, False)],
        FORMAT_FILES["junit"]: lambda _: [render_junit([report])],
        FORMAT_FILES["codequality"]: lambda text: [render_codequality([report], _codequality_root(text, [site_id]))],
    }
    return _stale(site_dir, expected)


def stale_run_formats(run_dir: Path, reports: list[SiteReport]) -> list[str]:
    """The run-wide files that are not what the sites' ``report.json`` files (and ``gate.json``) render to."""
    ordered = sorted(reports, key=lambda r: r.site.site_id or r.site.host)
    site_ids = [r.site.site_id or r.site.host for r in ordered]
    expected: Renderings = {
        FORMAT_FILES["sarif"]: lambda _: [render_sarif(ordered, include_suppressed=k) for k in (True, False)],
        FORMAT_FILES["junit"]: lambda _: [render_junit(ordered)],
        FORMAT_FILES["codequality"]: lambda text: [render_codequality(ordered, _codequality_root(text, site_ids))],
        "summary.md": lambda _: [render_markdown(ordered, _saved_gate(run_dir))],
    }
    if len(ordered) > 1:
        expected["index.html"] = lambda _: [render_portfolio_html(ordered)]
        expected[CSV_NAME] = lambda _: [render_portfolio_csv(ordered)]
    return _stale(run_dir, expected)
