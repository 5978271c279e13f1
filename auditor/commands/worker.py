"""``auditor worker``: audit sites from the shared Redis queue (run any number, on any machine)."""

from __future__ import annotations

import asyncio
import sys
from typing import Any

import click
from rich.console import Console
from rich.markup import escape

from auditor.browser import BrowserNotFound, find_chromium
from auditor.commands.shared import console, run_options
from auditor.crawl.distributed import redis_client, redis_error, run_worker
from auditor.errors import UserError
from auditor.judging import SiteResult
from auditor.progress import RunProgress
from auditor.runner import RunRequest, build_options


def run_worker_command(request: RunRequest, redis_url: str, idle_exit: int, console: Console) -> int:
    """Audit sites from the queue into ``request.out_dir`` until the queue stays empty for ``idle_exit`` s."""
    options = build_options(request)
    try:
        options.launch.executable = find_chromium(request.executable).executable
    except BrowserNotFound as error:
        raise UserError(str(error)) from None
    try:
        redis_client(redis_url)
    except Exception as error:  # redis raises ConnectionError, TimeoutError, ResponseError ...
        raise redis_error(redis_url, error) from None
    request.out_dir.mkdir(parents=True, exist_ok=True)
    done = 0  # a count: a worker runs for hours, and keeping its sites' reports grew it by each one

    def on_result(result: SiteResult, skipped: bool) -> None:
        nonlocal done
        if not skipped:
            done += 1
            if not request.quiet and request.log_json is False:
                console.print(f"[dim]done[/] {escape(result.target.url)} → {result.report.summary.status}")

    progress = RunProgress(None, quiet=True, log_json=request.log_json)
    options.on_event = progress
    with progress:
        asyncio.run(run_worker(options, redis_url, idle_exit, on_result))
    if not request.quiet:
        console.print(f"Worker finished: {done} site(s) audited into {request.out_dir}")
    return 0


@click.command("worker")
@click.option("--redis", "redis_url", required=True, metavar="URL", help="Redis URL of the shared queue.")
@click.option(
    "--idle-exit",
    type=click.IntRange(0),
    default=30,
    show_default=True,
    help="Exit after the queue has been empty (and this worker idle) this many seconds; 0 runs until stopped.",
)
@run_options
def command(redis_url: str, idle_exit: int, **given: Any) -> None:
    """Audit sites from a shared Redis queue (run any number, on any machine); results go to --out."""
    sys.exit(run_worker_command(RunRequest(**given), redis_url, idle_exit, console))
