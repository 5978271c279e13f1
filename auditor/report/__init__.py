"""Report writers. Every report renders from the findings (``report.json``) alone."""

from __future__ import annotations

from pathlib import Path

from auditor.findings import SiteReport
from auditor.report.html import render_site_html
from auditor.report.markdown import render_markdown

SITE_FORMATS = {"json", "html", "md"}
ALL_FORMATS = SITE_FORMATS


def write_site_reports(report: SiteReport, site_dir: Path, formats: list[str]) -> list[Path]:
    """Write the requested formats of one site's report into ``site_dir``; return the paths."""
    written = []
    # report.json is always written: it is the source every other format (and `auditor report`) reads.
    path = site_dir / "report.json"
    path.write_text(report.to_json(), encoding="utf-8")
    written.append(path)
    if "html" in formats:
        path = site_dir / "report.html"
        path.write_text(render_site_html(report), encoding="utf-8")
        written.append(path)
    if "md" in formats:
        path = site_dir / "report.md"
        path.write_text(render_markdown([report]), encoding="utf-8")
        written.append(path)
    return written
