"""Progress of a run: a rich progress bar for people, one JSON object per event for machines.

Events are plain dicts with an ``event`` name (``run_started``, ``site_started``, ``site_done``,
``site_skipped``, ``run_finished``); :class:`RunProgress` is the sink ``AuditOptions.on_event`` calls.
``--log-json`` writes each event as one line of JSON on stderr; ``--quiet`` shows nothing.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import time
from typing import IO, Any

from rich.console import Console
from rich.progress import BarColumn, Progress, ProgressColumn, Task, TaskID, TextColumn, TimeRemainingColumn
from rich.text import Text


class _Throughput(ProgressColumn):
    """Sites per minute since the first site started (skipped sites excluded)."""

    def render(self, task: Task) -> Text:
        rate = task.fields.get("per_minute")
        return Text(f"{rate:5.1f} sites/min" if rate else "   -- sites/min", style="progress.data.speed")


class RunProgress:
    """Counts sites done, failed and remaining; shows them as a bar, as JSON lines, or not at all."""

    def __init__(
        self, total: int | None, *, quiet: bool = False, log_json: bool = False, stream: IO[str] | None = None
    ) -> None:
        self.total = total or 0  # 0 when unknown (a worker does not know how many sites the queue holds)
        self.done = self.failed = self.skipped = self.running = 0
        self.quiet = quiet
        self.log_json = log_json
        self.stream = stream or sys.stderr
        self.started = time.monotonic()
        self._first_start: float | None = None
        self._bar: Progress | None = None
        self._task: TaskID | None = None
        if not quiet and not log_json and total:
            console = Console(file=self.stream, highlight=False)
            self._bar = Progress(
                TextColumn("[bold]Auditing[/]"),
                BarColumn(),
                TextColumn("{task.completed}/{task.total} sites"),
                TextColumn("[green]{task.fields[ok]} done[/] [red]{task.fields[failed]} failed[/]"),
                TextColumn("{task.fields[remaining]} left"),
                _Throughput(),
                TextColumn("ETA"),
                TimeRemainingColumn(),
                console=console,
                transient=False,
                disable=not console.is_terminal,
            )

    def __enter__(self) -> RunProgress:
        if self._bar is not None:
            self._bar.start()
            self._task = self._bar.add_task("audit", total=self.total, ok=0, failed=0, remaining=self.total)
        self({"event": "run_started", "total": self.total})
        return self

    def __exit__(self, *exc: Any) -> None:
        self({"event": "run_finished", "interrupted": exc[0] is not None})
        if self._bar is not None:
            self._bar.stop()

    @property
    def remaining(self) -> int:
        return max(self.total - self.done - self.failed - self.skipped, 0)

    def per_minute(self) -> float | None:
        finished = self.done + self.failed
        if not finished or self._first_start is None:
            return None
        return finished / max(time.monotonic() - self._first_start, 1e-6) * 60

    def __call__(self, event: dict) -> None:
        """Record one event (called in the caller's thread by the crawl)."""
        kind = event.get("event")
        if kind == "site_started":
            self.running += 1
            self._first_start = self._first_start or time.monotonic()
        elif kind == "site_done":
            self.running = max(self.running - 1, 0)
            if event.get("failed"):
                self.failed += 1
            else:
                self.done += 1
        elif kind == "site_skipped":
            self.skipped += 1
        if self.log_json:
            self._write_json(event)
        self._refresh()

    def _write_json(self, event: dict) -> None:
        record = {
            "ts": dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds"),
            **event,
            "sites_done": self.done,
            "sites_failed": self.failed,
            "sites_skipped": self.skipped,
            "sites_remaining": self.remaining,
            "elapsed_s": round(time.monotonic() - self.started, 2),
        }
        rate = self.per_minute()
        if rate:
            record["sites_per_minute"] = round(rate, 2)
            record["eta_s"] = round((self.remaining - 0) / rate * 60, 1)
        self.stream.write(json.dumps(record, default=str) + "\n")
        self.stream.flush()

    def _refresh(self) -> None:
        if self._bar is None or self._task is None:
            return
        self._bar.update(
            self._task,
            completed=self.done + self.failed + self.skipped,
            ok=self.done,
            failed=self.failed,
            remaining=self.remaining,
            per_minute=self.per_minute(),
        )
