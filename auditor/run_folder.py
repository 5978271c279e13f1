"""Reading a finished run's folder without a browser: its site folders, saved evidence and reports.

Shared by ``auditor check``, ``auditor report`` and ``auditor gate``. A run folder holds one folder per site
(``RUN_DIR/<site>/``); each command also accepts a single site's folder.
"""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from auditor.errors import UserError
from auditor.evidence import SiteEvidence
from auditor.findings import SiteReport

EVIDENCE_FILE = Path("evidence") / "evidence.json"
Model = TypeVar("Model", bound=BaseModel)


def load_model(path: Path, model: type[Model], what: str) -> Model:
    """``path`` read as ``model``; a one-line UserError naming the file and the first problem when it cannot be."""
    try:
        return model.model_validate_json(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise UserError(f"{path}: cannot read: {error}") from None
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise UserError(f"{path}: not {what} ({where}: {first['msg']})") from None


def site_folders(run_dir: Path) -> list[Path]:
    """The site folders of a run folder with saved evidence (or the folder itself when it is one site's)."""
    if (run_dir / EVIDENCE_FILE).is_file():
        return [run_dir]
    found = sorted(p.parent.parent for p in run_dir.glob(f"*/{EVIDENCE_FILE.as_posix()}"))
    if not found:
        raise UserError(f"no {EVIDENCE_FILE.as_posix()} under {run_dir} (is it an auditor output folder?)")
    return found


def load_evidence(site_dir: Path) -> SiteEvidence:
    """The saved evidence of one site; UserError naming the file when it cannot be read."""
    return load_model(site_dir / EVIDENCE_FILE, SiteEvidence, "valid auditor evidence")


def load_run(run_dir: Path) -> list[tuple[SiteReport, Path]]:
    """Every site report of a run folder with its site folder; UserError when there is none or one is invalid."""
    files = sorted(run_dir.glob("*/report.json")) or sorted(run_dir.glob("report.json"))
    if not files:
        raise UserError(f"no report.json under {run_dir}")
    return [(load_model(file, SiteReport, "a valid auditor report"), file.parent) for file in files]
