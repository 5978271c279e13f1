"""Progress of a run: a rich progress bar for people, one JSON object per event for machines.

Events are plain dicts with an ``event`` name (``run_started``, ``site_started``, ``site_done``,
``site_skipped``, ``run_finished``); :class:`RunProgress` is the sink ``AuditOptions.on_event`` calls.
``--log-json`` writes each event as one line of JSON on stderr; ``--quiet`` shows nothing.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import sys
import time
from typing import IO, Any

from rich.console import Console
from rich.progress import BarColumn, Progress, ProgressColumn, Task, TaskID, TextColumn
from rich.text import Text

log = logging.getLogger(__name__)


class _Throughput(ProgressColumn):
    """Sites per minute since the first site started (skipped sites excluded)."""

    def render(self, task: Task) -> Text:
        rate = task.fields.get("per_minute")
        return Text(f"{rate:5.1f} sites/min" if rate else "   -- sites/min", style="progress.data.speed")


class _Eta(ProgressColumn):
    """Time left at the rate sites have finished so far; nothing until one has (rich's own estimate counts the
    sites --resume skips in no time, and says "0:00:00" from nothing)."""

    def render(self, task: Task) -> Text:
        seconds = task.fields.get("eta")
        if seconds is None:
            return Text("")
        return Text(f"ETA {dt.timedelta(seconds=round(seconds))}", style="progress.remaining")


def _log_event(event: dict) -> None:
    """The event as a step of the run (``auditor -v``)."""
    kind, site = event.get("event"), event.get("site")
    if kind == "site_started":
        log.info("%s: auditing %s", site, event.get("url"))
    elif kind == "site_done" and event.get("failed"):
        log.info("%s: could not be audited after %s s: %s", site, event.get("seconds"), event.get("reason"))
    elif kind == "site_done":
        log.info("%s: %s after %s s", site, event.get("status"), event.get("seconds"))
    elif kind == "site_skipped":
        log.info("%s: skipped, its report is complete (--resume)", site)
    else:
        log.debug("%s", event)


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
                _Eta(),
                console=console,
                transient=False,
                disable=not console.is_terminal,
            )

    def __enter__(self) -> RunProgress:
        if self._bar is not None:
            self._bar.start()
            self._task = self._bar.add_task(
                "audit", total=self.total, ok=0, failed=0, remaining=self.total, per_minute=None, eta=None
            )
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

    def eta_seconds(self) -> float | None:
        """Seconds until the remaining sites are done at the rate so far; None until a site has finished."""
        rate = self.per_minute()
        if not rate or not self.remaining:
            return None
        return self.remaining / rate * 60

    def __call__(self, event: dict) -> None:
        """Record one event (called in the caller's thread by the crawl)."""
        kind = event.get("event")
        _log_event(event)
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
        rate, eta = self.per_minute(), self.eta_seconds()
        if rate:
            record["sites_per_minute"] = round(rate, 2)
        if eta is not None:
            record["eta_s"] = round(eta, 1)
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
            eta=self.eta_seconds(),
        )
