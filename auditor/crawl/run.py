"""Run the audit spider from ``auditor audit`` (and ``auditor worker``): results back in the caller's loop."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any

from auditor.crawl.resume import read_written_report
from auditor.crawl.runtime import CrawlHandle
from auditor.crawl.settings import browser_version, crawl_settings
from auditor.crawl.spider import AuditSpider
from auditor.judging import SiteResult
from auditor.options import AuditOptions
from auditor.targets import Target

STOP_GRACE_SECONDS = 20.0


async def run_spider(
    spider_cls: type[AuditSpider],
    options: AuditOptions,
    spider_kwargs: dict[str, Any],
    on_result: Callable[[SiteResult, bool], None],
    settings: dict[str, Any] | None = None,
) -> None:
    """Run ``spider_cls`` to the end in the crawl thread; ``on_result`` and events arrive in this loop.

    Cancelled (Ctrl-C): the crawl stops taking sites, finishes the pages in flight for up to
    ``STOP_GRACE_SECONDS`` (sites not finished by then write nothing, so ``--resume`` redoes them), then
    the cancellation goes on.
    """
    loop = asyncio.get_running_loop()
    caller_event = options.on_event

    def deliver(result: SiteResult, skipped: bool) -> None:
        loop.call_soon_threadsafe(on_result, result, skipped)

    crawl_options = _with_event_sink(options, loop, caller_event)
    all_settings = crawl_settings(crawl_options, AUDITOR_ON_RESULT=deliver, **(settings or {}))
    version = browser_version(options.launch.executable or "")
    handle = CrawlHandle(
        spider_cls, all_settings, {"options": crawl_options, "browser_version": version, **spider_kwargs}
    )
    try:
        await handle.wait()
    except asyncio.CancelledError:
        handle.request_stop()
        with contextlib.suppress(BaseException):
            await asyncio.wait_for(handle.wait(), STOP_GRACE_SECONDS)
        handle.cancel()
        raise
    await asyncio.sleep(0)  # let results posted just before the crawl ended be delivered first


def _with_event_sink(
    options: AuditOptions, loop: asyncio.AbstractEventLoop, sink: Callable[[dict], None] | None
) -> AuditOptions:
    """A copy of ``options`` whose events are posted to the caller's loop (the crawl runs in another thread)."""
    if sink is None:
        return options

    def post(event: dict) -> None:
        loop.call_soon_threadsafe(sink, event)

    return dataclasses.replace(options, on_event=post)


async def crawl_sites(
    targets: list[Target], options: AuditOptions, on_done: Callable[[SiteResult], None] | None = None
) -> list[SiteResult]:
    """Audit ``targets`` with the spider; results in target order (sites skipped by ``--resume`` included).

    While the browsers run, only where each finished site's report is written is kept: holding every report (its
    findings and their evidence tables) until the end of the run grew the process by about a quarter of a MiB a
    site. The reports are read back from ``report.json`` once the crawl has ended and the browser has exited.
    """
    written: dict[str, Path] = {}

    def collect(result: SiteResult, skipped: bool) -> None:
        written[result.target.site_id] = result.site_dir
        if on_done and not skipped:
            on_done(result)

    await run_spider(AuditSpider, options, {"targets": targets}, collect)
    return [
        SiteResult(t, read_written_report(written[t.site_id]), written[t.site_id])
        for t in targets
        if t.site_id in written
    ]
