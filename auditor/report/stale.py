"""Which report files no longer follow from ``report.json``: each is rendered again in memory and compared.

``auditor verify`` uses this to check that every derived format (HTML, Markdown, SARIF, JUnit, Code Quality, the
run-wide summary and portfolio) is exactly what the saved findings render to. ``report.pdf`` is not compared: a
print is not byte-for-byte reproducible, and the manifest's hash covers it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from auditor.findings import SiteReport
from auditor.report import FORMAT_FILES
from auditor.report.codequality import render_codequality
from auditor.report.html import render_site_html
from auditor.report.junit import render_junit
from auditor.report.markdown import render_markdown
from auditor.report.portfolio import CSV_NAME, render_portfolio_csv, render_portfolio_html
from auditor.report.sarif import render_sarif

Renderings = dict[str, Callable[[str], list[str]]]  # file name -> (its text on disk) -> what it may be


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


def stale_run_formats(run_dir: Path, reports: list[SiteReport], gate_lines: list[str] | None) -> list[str]:
    """The run-wide files that are not what the sites' ``report.json`` files render to; ``gate_lines`` is the
    saved gate verdict at the top of ``summary.md`` (:func:`auditor.gate.markdown_lines` of ``gate.json``)."""
    ordered = sorted(reports, key=lambda r: r.site.site_id or r.site.host)
    site_ids = [r.site.site_id or r.site.host for r in ordered]
    expected: Renderings = {
        FORMAT_FILES["sarif"]: lambda _: [render_sarif(ordered, include_suppressed=k) for k in (True, False)],
        FORMAT_FILES["junit"]: lambda _: [render_junit(ordered)],
        FORMAT_FILES["codequality"]: lambda text: [render_codequality(ordered, _codequality_root(text, site_ids))],
        "summary.md": lambda _: [render_markdown(ordered, gate_lines)],
    }
    if len(ordered) > 1:
        expected["index.html"] = lambda _: [render_portfolio_html(ordered)]
        expected[CSV_NAME] = lambda _: [render_portfolio_csv(ordered)]
    return _stale(run_dir, expected)
