"""``auditor enqueue``, ``auditor worker`` and ``auditor collect``: distributed runs over a Redis queue."""

from __future__ import annotations

import asyncio
from pathlib import Path

from rich.console import Console
from rich.markup import escape

from auditor.audit import SiteResult
from auditor.errors import UserError
from auditor.findings import SiteReport
from auditor.progress import RunProgress
from auditor.runner import RunRequest, build_options
from auditor.targets import TargetError, read_site_list, unique_targets


def _redis_error(url: str, error: Exception) -> UserError:
    return UserError(f"--redis {url}: cannot reach Redis ({error})")


def run_enqueue(redis_url: str, urls: list[str], sites_file: Path | None, console: Console) -> int:
    """Validate the sites and push them onto the shared queue."""
    from auditor.crawl.distributed import enqueue

    try:
        raw = list(urls) + (read_site_list(sites_file) if sites_file else [])
        if not raw:
            raise UserError("no sites given: pass URLs or --sites FILE")
        targets = unique_targets(raw)
    except TargetError as error:
        raise UserError(str(error)) from None
    try:
        count = enqueue(redis_url, targets)
    except Exception as error:  # redis raises ConnectionError, TimeoutError, ResponseError ...
        raise _redis_error(redis_url, error) from None
    console.print(f"Queued {count} site(s) on {redis_url}")
    return 0


def run_worker_command(request: RunRequest, redis_url: str, idle_exit: int, console: Console) -> int:
    """Audit sites from the queue into ``request.out_dir`` until the queue stays empty for ``idle_exit`` s."""
    from auditor.browser import BrowserNotFound, find_chromium
    from auditor.crawl.distributed import redis_client, run_worker

    options = build_options(request)
    try:
        options.launch.executable = find_chromium(request.executable).executable
    except BrowserNotFound as error:
        raise UserError(str(error)) from None
    try:
        redis_client(redis_url)
    except Exception as error:
        raise _redis_error(redis_url, error) from None
    request.out_dir.mkdir(parents=True, exist_ok=True)
    done: list[SiteResult] = []

    def on_result(result: SiteResult, skipped: bool) -> None:
        if not skipped:
            done.append(result)
            if not request.quiet and request.log_json is False:
                console.print(f"[dim]done[/] {escape(result.target.url)} → {result.report.summary.status}")

    progress = RunProgress(None, quiet=True, log_json=request.log_json)
    options.on_event = progress
    with progress:
        asyncio.run(run_worker(options, redis_url, idle_exit, on_result))
    if not request.quiet:
        console.print(f"Worker finished: {len(done)} site(s) audited into {request.out_dir}")
    return 0


def run_collect(out_dir: Path, formats: str, redis_url: str | None, console: Console, quiet: bool = False) -> int:
    """Build the portfolio and the gate from every complete site report in ``out_dir``."""
    from auditor.finish import finish_run, gate_settings, print_gate
    from auditor.report.terminal import print_summary

    sites: list[tuple[SiteReport, Path]] = []
    for path in sorted(out_dir.glob("*/report.json")):
        try:
            sites.append((SiteReport.model_validate_json(path.read_text(encoding="utf-8")), path.parent))
        except ValueError:
            console.print(f"[yellow]skipped[/] {escape(str(path))}: not a complete report")
    if not sites:
        raise UserError(f"no site reports under {out_dir}")
    rule_ids = {finding.rule for report, _ in sites for finding in report.findings}
    settings = gate_settings(config_path=None, rule_ids=rule_ids, no_history=True)
    wanted = [f.strip() for f in formats.split(",") if f.strip()]
    sites, gate = finish_run(sites, out_dir, wanted, settings)
    if redis_url:
        from auditor.crawl.distributed import enqueued_sites

        missing = sorted(enqueued_sites(redis_url) - {site_dir.name for _, site_dir in sites})
        for site in missing:
            console.print(f"[yellow]missing[/] {escape(site)}: enqueued but no complete report (re-enqueue it)")
    if not quiet:
        print_summary(console, sites, out_dir)
    print_gate(gate, out_dir, console, quiet)
    return gate.exit_code
