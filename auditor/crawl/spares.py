"""Browser contexts opened ahead of the visits that will use them.

Between one visit's end and the next one's start in the same slot, ~0.35 s passed in opening the next visit's
context (30 ms), its first page with its window (110-150 ms), preparing it (its request route and init scripts,
~50 ms) and Scrapy's scheduling, with the slot idle. The spider asks for a spare when it knows another visit is
coming (the site's next visit, an open site's, or the first of the site waiting for a slot) while the current visit
is still running; the next visit's request then carries the spare's page (scrapy-playwright's ``playwright_page``),
already prepared for its GPC setting.

At most one spare of each kind (with GPC, without) waits at a time, so a crawl holds at most two contexts more than
its ``--concurrency``, each with an empty page. The spares nobody took are closed when the crawl ends.
"""

from __future__ import annotations

import asyncio
import contextlib

from playwright.async_api import Browser, Page
from playwright.async_api import Error as PlaywrightError

from auditor.browser import visit_context_options
from auditor.crawl.handover import prepare_once

SPARE = "_auditor_spare"  # set on a spare's context: scrapy-playwright does not know it, so its pages are ours to open
OPEN_TIMEOUT = 30.0  # seconds a spare gets to open; one that does not is dropped


class SpareContexts:
    """At most one prepared context with an empty page waiting, for visits with GPC and for visits without."""

    def __init__(self, browser_version: str, *, ignore_https_errors: bool = False) -> None:
        self.browser_version = browser_version
        self.ignore_https_errors = ignore_https_errors
        self._waiting: dict[bool, asyncio.Task[Page]] = {}

    def open_ahead(self, browser: Browser | None, gpc: bool) -> None:
        """Start opening a spare for a visit with (or without) GPC, unless one is waiting or opening already."""
        task = self._waiting.get(gpc)
        if browser is None or (task is not None and not (task.done() and _failed(task))):
            return
        task = asyncio.ensure_future(asyncio.wait_for(self._open(browser, gpc), OPEN_TIMEOUT))
        task.add_done_callback(_failed)  # a failure (the browser closed under it) is dropped, never logged as lost
        self._waiting[gpc] = task

    async def _open(self, browser: Browser, gpc: bool) -> Page:
        options = visit_context_options(self.browser_version, gpc=gpc, ignore_https_errors=self.ignore_https_errors)
        context = await browser.new_context(**options)
        try:
            await prepare_once(context, gpc=gpc)
            setattr(context, SPARE, True)
            return await context.new_page()
        except BaseException:
            with contextlib.suppress(PlaywrightError):
                await context.close()
            raise

    def take(self, gpc: bool) -> Page | None:
        """A ready spare's page for a visit with (or without) GPC, or None when none is ready."""
        task = self._waiting.get(gpc)
        if task is None or not task.done() or _failed(task):
            return None
        del self._waiting[gpc]
        page = task.result()
        if page.is_closed():  # its renderer crashed while it waited: the context goes, the visit opens its own
            asyncio.ensure_future(_close_quietly(page))
            return None
        return page

    async def close(self) -> None:
        """Close the spares nobody took (and stop those still opening): the crawl is over."""
        waiting, self._waiting = list(self._waiting.values()), {}
        for task in waiting:
            task.cancel()
            with contextlib.suppress(BaseException):
                await _close_quietly(await task)


def is_spare(context: object) -> bool:
    """Whether ``context`` was opened as a spare (scrapy-playwright does not know it)."""
    return bool(getattr(context, SPARE, False))


async def _close_quietly(page: Page) -> None:
    with contextlib.suppress(PlaywrightError, TimeoutError):
        await asyncio.wait_for(page.context.close(), OPEN_TIMEOUT)


def _failed(task: asyncio.Task) -> bool:
    return task.cancelled() or task.exception() is not None
