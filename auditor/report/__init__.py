"""Report writers. Every report renders from the findings (``report.json``) alone.

Per site (``OUT/<site-id>/``): ``report.json`` always, and on request ``report.html``, ``report.md``,
``report.sarif``, ``report.junit.xml``, ``report.codequality.json``, ``report.pdf``. Per run (``OUT/``):
``index.html`` and ``portfolio.csv`` when there is more than one site, and the run-wide ``report.sarif``,
``report.junit.xml``, ``report.codequality.json`` and ``summary.md`` for CI uploads when those formats are requested.

Every format shows the gate's decision on each finding as ``report.json`` records it (``finding.gate``).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from auditor.errors import UserError
from auditor.findings import SiteReport
from auditor.manifest import PackRecord, seal_site
from auditor.report.codequality import render_codequality
from auditor.report.html import render_site_html
from auditor.report.junit import render_junit
from auditor.report.markdown import render_markdown
from auditor.report.portfolio import CSV_NAME, render_portfolio_csv, render_portfolio_html
from auditor.report.sarif import render_sarif

SITE_FORMATS = {"json", "html", "md", "sarif", "junit", "codequality", "pdf"}
ALL_FORMATS = SITE_FORMATS
# The file each format writes in a site folder (report.json is always written).
FORMAT_FILES = {
    "json": "report.json",
    "html": "report.html",
    "md": "report.md",
    "sarif": "report.sarif",
    "junit": "report.junit.xml",
    "codequality": "report.codequality.json",
    "pdf": "report.pdf",
}
PdfJob = tuple[str, str, Path]


def ci_path(folder: Path) -> str:
    """``folder`` as a CI job names it: relative to the working directory when inside it, with forward slashes."""
    try:
        return folder.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return folder.resolve().as_posix()


def parse_formats(text: str) -> list[str]:
    """``--format html,JSON`` as a list of known format names; UserError naming the unknown ones."""
    wanted = [f.strip().lower() for f in text.split(",") if f.strip()]
    unknown = sorted(set(wanted) - ALL_FORMATS)
    if unknown or not wanted:
        raise UserError(
            f"--format: unknown format(s) {', '.join(unknown) or '(none)'}; "
            f"choose from {', '.join(sorted(ALL_FORMATS))}"
        )
    return wanted


def write_site_reports(
    report: SiteReport,
    site_dir: Path,
    formats: list[str],
    *,
    pdf_jobs: list[PdfJob],
    self_contained: bool = False,
    sarif_suppressed: bool = True,
    packs: list[PackRecord] | None = None,
) -> list[Path]:
    """Write the requested formats of one site's report into ``site_dir``; return the paths, and seal the site.

    ``pdf`` is queued on ``pdf_jobs`` for the caller to print (:func:`auditor.pdf.print_pdfs`, which seals the site
    again once the PDF exists): a whole run prints with one browser, and the writers never start one.
    ``sarif_suppressed=False`` leaves waived and known findings out of the SARIF file (GitHub code scanning opens
    alerts for suppressed results). ``packs`` are recorded in the site manifest as the packs the findings were
    judged with (default: the previous seal's, see :func:`auditor.manifest.seal_site`).
    """
    renderers: dict[str, Callable[[], str]] = {
        # report.json is always written: it is the source every other format (and `auditor report`) reads.
        "json": report.to_json,
        "html": lambda: render_site_html(report, site_dir, self_contained=self_contained),
        "md": lambda: render_markdown([report]),
        "sarif": lambda: render_sarif([report], include_suppressed=sarif_suppressed),
        "junit": lambda: render_junit([report]),
        "codequality": lambda: render_codequality([report], ci_path(site_dir.parent)),
    }
    written = []
    for name, render in renderers.items():
        if name == "json" or name in formats:
            path = site_dir / FORMAT_FILES[name]
            path.write_text(render(), encoding="utf-8")
            written.append(path)
    if "pdf" in formats:
        job = (
            render_site_html(report, site_dir, self_contained=True, expand_all=True),
            f"Privacy audit: {report.site.host} · {report.audit_date}",
            site_dir / "report.pdf",
        )
        pdf_jobs.append(job)
        written.append(job[2])
    # The site manifest covers what was just written (a queued PDF seals again once printed).
    seal_site(site_dir, packs=packs)
    return written


def write_run_reports(
    reports: list[SiteReport],
    out_dir: Path,
    formats: list[str],
    gate_lines: list[str] | None = None,
    sarif_suppressed: bool = True,
) -> list[Path]:
    """Write the run-wide outputs into ``out_dir``: portfolio page and CSV, combined SARIF, JUnit, Code Quality and
    Markdown."""
    written = []

    def put(name: str, text: str) -> None:
        path = out_dir / name
        path.write_text(text, encoding="utf-8")
        written.append(path)

    if len(reports) > 1:
        put("index.html", render_portfolio_html(reports))
        put(CSV_NAME, render_portfolio_csv(reports))
    if "sarif" in formats:
        put("report.sarif", render_sarif(reports, include_suppressed=sarif_suppressed))
    if "junit" in formats:
        put("report.junit.xml", render_junit(reports))
    if "codequality" in formats:
        put(FORMAT_FILES["codequality"], render_codequality(reports, ci_path(out_dir)))
    if "md" in formats or gate_lines:
        put("summary.md", render_markdown(reports, gate_lines))
    return written
