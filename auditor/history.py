"""Run history in an embedded SQLite store (default ``.auditor/history.db``, ``--history PATH``).

Every audit run is recorded: the run, each site's verdict and each finding's status. Before a run is recorded,
each site is compared with its previous recorded run, and the difference (new failures, fixed rules, every
status change) goes into that site's ``report.json`` as ``changes`` — so the HTML, Markdown and portfolio reports
show it while still rendering from ``report.json`` alone.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from auditor.findings import SiteChanges, SiteReport, Status, StatusChange

DEFAULT_HISTORY = Path(".auditor") / "history.db"
# Written into .auditor/ when the auditor creates it, as pytest and ruff do for their caches: a run's history is
# this machine's (or the CI cache's), not something to commit.
_IGNORE_ALL = "# Created by auditor: the run history is not for version control.\n*\n"
SCHEMA_VERSION = 1
_SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY,
    recorded_at TEXT NOT NULL,
    tool_version TEXT NOT NULL,
    out_dir TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS site_runs (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs(id),
    site_id TEXT NOT NULL,
    url TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT NOT NULL,
    audit_date TEXT NOT NULL,
    status TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS site_runs_by_site ON site_runs(site_id, id);
CREATE TABLE IF NOT EXISTS findings (
    site_run_id INTEGER NOT NULL REFERENCES site_runs(id),
    rule TEXT NOT NULL,
    status TEXT NOT NULL,
    severity TEXT NOT NULL,
    message TEXT NOT NULL,
    PRIMARY KEY (site_run_id, rule)
);
"""


class HistoryError(RuntimeError):
    """The history store cannot be opened or written; one line for the user."""


@dataclass
class PreviousRun:
    """A site's most recent recorded run."""

    finished_at: dt.datetime
    status: Status
    statuses: dict[str, Status]


def compare(previous: PreviousRun | None, report: SiteReport) -> SiteChanges | None:
    """What changed between a site's previous run and this report; None for a first run (pure)."""
    if previous is None:
        return None
    now = {f.rule: f.status for f in report.findings}
    changed = [
        StatusChange(rule=rule, before=previous.statuses.get(rule), after=status)
        for rule, status in now.items()
        if previous.statuses.get(rule) != status
    ]
    return SiteChanges(
        previous_run_at=previous.finished_at,
        previous_status=previous.status,
        new_failures=[c.rule for c in changed if c.after == Status.FAIL],
        fixed=[c.rule for c in changed if c.before == Status.FAIL and c.after in (Status.PASS, Status.NOT_APPLICABLE)],
        changed=changed,
    )


def _make_folder(folder: Path) -> None:
    """Create the history's folder; a new ``.auditor`` folder gets a ``.gitignore`` that ignores all of it."""
    if folder.is_dir():
        return
    folder.mkdir(parents=True, exist_ok=True)
    if folder.name == DEFAULT_HISTORY.parent.name:
        (folder / ".gitignore").write_text(_IGNORE_ALL, encoding="utf-8")


class HistoryStore:
    """The SQLite store. Safe for several processes: SQLite locks, and writers wait up to 30 s."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            _make_folder(path.parent)
            self._db = sqlite3.connect(str(path), timeout=30)
            self._db.executescript(_SCHEMA)
            self._db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            self._db.commit()
        except (OSError, sqlite3.Error) as error:
            raise HistoryError(f"history store {path}: {error}") from None

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> HistoryStore:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def previous(self, site_id: str) -> PreviousRun | None:
        """The site's most recent recorded run, or None."""
        row = self._db.execute(
            "SELECT id, finished_at, status FROM site_runs WHERE site_id = ? ORDER BY id DESC LIMIT 1", (site_id,)
        ).fetchone()
        if row is None:
            return None
        statuses = {
            rule: Status(status)
            for rule, status in self._db.execute(
                "SELECT rule, status FROM findings WHERE site_run_id = ?", (row[0],)
            ).fetchall()
        }
        return PreviousRun(dt.datetime.fromisoformat(row[1]), Status(row[2]), statuses)

    def record(self, reports: list[SiteReport], out_dir: Path) -> int:
        """Record one run of ``reports``; return the run's id."""
        try:
            with self._db:
                version = reports[0].tool.version if reports else ""
                cursor = self._db.execute(
                    "INSERT INTO runs (recorded_at, tool_version, out_dir) VALUES (?, ?, ?)",
                    (dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), version, str(out_dir.resolve())),
                )
                run_id = int(cursor.lastrowid or 0)
                for report in reports:
                    site_cursor = self._db.execute(
                        "INSERT INTO site_runs (run_id, site_id, url, started_at, finished_at, audit_date, status) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?)",
                        (
                            run_id,
                            report.site.site_id or report.site.host,
                            report.site.url,
                            report.started_at.isoformat(),
                            report.finished_at.isoformat(),
                            report.audit_date,
                            report.summary.status.value,
                        ),
                    )
                    self._db.executemany(
                        "INSERT OR REPLACE INTO findings (site_run_id, rule, status, severity, message) "
                        "VALUES (?, ?, ?, ?, ?)",
                        [
                            (site_cursor.lastrowid, f.rule, f.status.value, f.severity.value, f.message)
                            for f in report.findings
                        ],
                    )
        except sqlite3.Error as error:
            raise HistoryError(f"history store {self.path}: {error}") from None
        return run_id


def apply_history(store: HistoryStore, reports: list[SiteReport], out_dir: Path) -> list[SiteReport]:
    """Set each report's ``changes`` from its previous run, then record this run; return the reports."""
    updated = [
        r.model_copy(update={"changes": compare(store.previous(r.site.site_id or r.site.host), r)}) for r in reports
    ]
    store.record(updated, out_dir)
    return updated
