"""Where Scrapy runs: one Twisted asyncio reactor in a background thread, started once per process.

``auditor audit`` is an ``asyncio.run`` program, and ``--runs N`` or a test may audit several times in
one process, but a Twisted reactor can be installed only once and never restarted. So the reactor (and
its own asyncio loop, where scrapy-playwright drives the browser) lives in one daemon thread for the
whole process, and each crawl is a coroutine submitted to it. Signals stay with the main thread, which
asks the crawl to stop (see :class:`CrawlHandle`).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import os
import threading
import warnings
from typing import Any

from scrapy.crawler import AsyncCrawlerRunner
from scrapy.exceptions import ScrapyDeprecationWarning
from twisted.internet.asyncioreactor import AsyncioSelectorReactor
from twisted.internet.main import installReactor

_lock = threading.Lock()
_loop: asyncio.AbstractEventLoop | None = None
REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"


def crawl_loop() -> asyncio.AbstractEventLoop:
    """The reactor thread's event loop, starting the thread on first use."""
    global _loop
    with _lock:
        if _loop is None:
            ready = threading.Event()
            holder: dict[str, Any] = {}

            def serve() -> None:
                loop = asyncio.new_event_loop()
                asyncio.set_event_loop(loop)
                # What twisted.internet.asyncioreactor.install() does, keeping the reactor at hand (importing
                # twisted.internet.reactor before installing one would install the default reactor instead).
                reactor = AsyncioSelectorReactor(loop)
                installReactor(reactor)
                holder["loop"] = loop
                ready.set()
                reactor.run(installSignalHandlers=False)

            threading.Thread(target=serve, name="auditor-crawl-reactor", daemon=True).start()
            ready.wait()
            _loop = holder["loop"]
            _quiet_scrapy_logs()
    return _loop


def _quiet_scrapy_logs() -> None:
    """Scrapy and scrapy-playwright log to the root logger; the auditor's own progress is the output."""
    level = os.environ.get("AUDITOR_CRAWL_LOG", "").upper()
    if not level:  # stderr carries the progress bar or --log-json events; library deprecation notes would garble it
        warnings.filterwarnings("ignore", category=ScrapyDeprecationWarning)
    for name in ("scrapy", "scrapy_playwright", "scrapy_redis", "twisted", "py.warnings", "protego"):
        logger = logging.getLogger(name)
        if level:
            logger.setLevel(level)
            continue
        logger.propagate = False
        logger.addHandler(logging.NullHandler())


class CrawlHandle:
    """One crawl running in the reactor thread: await it, or ask it to stop cleanly."""

    def __init__(self, spider_cls: type, settings: dict[str, Any], spider_kwargs: dict[str, Any]) -> None:
        self.loop = crawl_loop()
        self._runner: AsyncCrawlerRunner | None = None
        self.future: concurrent.futures.Future = asyncio.run_coroutine_threadsafe(
            self._crawl(spider_cls, settings, spider_kwargs), self.loop
        )

    async def _crawl(self, spider_cls: type, settings: dict[str, Any], spider_kwargs: dict[str, Any]) -> None:
        self._runner = AsyncCrawlerRunner(settings)
        await self._runner.crawl(spider_cls, **spider_kwargs)

    def request_stop(self) -> None:
        """Stop taking new sites; the engine closes once the requests in flight are done."""

        async def stop() -> None:
            if self._runner is not None:
                await self._runner.stop()

        asyncio.run_coroutine_threadsafe(stop(), self.loop)

    def cancel(self) -> None:
        """Abandon the crawl at once (the second Ctrl-C, or a stop that took too long)."""
        self.future.cancel()

    async def wait(self) -> None:
        """Await the crawl from another event loop; a cancelled waiter does not cancel the crawl."""
        await asyncio.shield(asyncio.wrap_future(self.future))
