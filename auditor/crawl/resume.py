"""Resume: a site is complete when its ``report.json`` is whole and every requested format was written."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from auditor.errors import UserError
from auditor.findings import SiteReport

FORMAT_FILES = {"json": "report.json", "html": "report.html", "md": "report.md"}


def load_complete_report(site_dir: Path, formats: list[str]) -> SiteReport | None:
    """The site's report when its audit finished (report.json parses, requested formats exist), else None.

    ``report.json`` is written first and the other formats after it, so a run stopped between the two
    leaves a site that is redone, never one that is skipped half-written.
    """
    try:
        report = _read_report(site_dir)
    except (OSError, ValueError, ValidationError):
        return None
    for fmt in formats:
        name = FORMAT_FILES.get(fmt)
        if name and not (site_dir / name).is_file():
            return None
    if not (site_dir / "evidence" / "manifest.json").is_file():
        return None
    return report


def read_written_report(site_dir: Path) -> SiteReport:
    """The report this run wrote for the site (``report.json``); a clear ``ReportLost`` when it can no longer be read
    (removed or damaged while the run went on): the end-of-run gate must not quietly leave the site out."""
    path = site_dir / "report.json"
    try:
        return _read_report(site_dir)
    except (OSError, ValueError, ValidationError) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else "not a report"
        raise ReportLost(
            f"{path}: written during the run, but cannot be read back ({reason}); run again with --resume"
        ) from None


def _read_report(site_dir: Path) -> SiteReport:
    return SiteReport.model_validate_json((site_dir / "report.json").read_text(encoding="utf-8"))


class ReportLost(UserError):
    """A report written during the run could not be read back at its end."""


def forget_report(site_dir: Path) -> None:
    """Remove a previous run's report.json before a site is audited again, so a stop mid-site never leaves
    an old report that ``--resume`` would take for this run's."""
    (site_dir / "report.json").unlink(missing_ok=True)
