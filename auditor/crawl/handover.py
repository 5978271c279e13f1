"""Hand a page from scrapy-playwright's download to the capture code, without a second navigation.

scrapy-playwright creates the page, calls ``playwright_page_init_callback`` and then navigates. The capture
code must attach its listeners (network log, console, dialogs) *before* that navigation, and then settle,
read and screenshot the page *after* it. So the init callback starts the capture as a task whose
``navigate`` step waits for the download to finish; the spider's callback then releases it with the
navigation's response (or its error) and awaits the capture's result.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable
from typing import Any

from playwright.async_api import BrowserContext, Page, Response, Route
from playwright.async_api import Error as PlaywrightError

from auditor.browser import prepare_visit_context
from auditor.capture.page import Navigate

StartCapture = Callable[[Page, Navigate], Awaitable[Any]]
META_KEY = "auditor_handover"


async def prepare_once(context: BrowserContext, *, gpc: bool) -> None:
    """Prepare a visit's context (:func:`auditor.browser.prepare_visit_context`) unless it was already: a retried
    page, or a spare context opened ahead (:mod:`auditor.crawl.spares`), reuses its context."""
    if not getattr(context, "_auditor_prepared", False):
        await asyncio.wait_for(prepare_visit_context(context, gpc=gpc), 30)
        context._auditor_prepared = True  # type: ignore[attr-defined]


class NavigationFailed(PlaywrightError):
    """The crawler's navigation failed; carries the crawler's error message to the capture code."""


class PageHandover:
    """One attempt at one page: created with the request, armed by the init callback, released by the spider."""

    def __init__(self, start_capture: StartCapture, *, gpc: bool) -> None:
        self.start_capture = start_capture
        self.gpc = gpc
        self.task: asyncio.Task | None = None
        self._armed = asyncio.Event()
        self._navigated: asyncio.Future | None = None
        self._last_document: Response | None = None
        self.failure: str | None = None
        self.watchdog: asyncio.Task | None = None

    def fresh(self) -> PageHandover:
        """A new handover for a retry of the same page."""
        return PageHandover(self.start_capture, gpc=self.gpc)

    def prime(self) -> None:
        """A fresh navigation to wait for (the guard waits on it from before the context is prepared)."""
        if self.task is not None and not self.task.done():
            self.task.cancel()  # scrapy-playwright reopened the page (its browser crashed): that capture is void
        self._navigated = asyncio.get_running_loop().create_future()

    async def arm(self, page: Page) -> None:
        """Before navigation: prepare the context once, then start the capture up to its navigation step."""
        await prepare_once(page.context, gpc=self.gpc)
        page.on("response", self._on_response)
        if self._navigated is None or self._navigated.done():
            self.prime()
        self.task = asyncio.ensure_future(self.start_capture(page, self._navigate))
        await asyncio.wait_for(self._armed.wait(), 30)

    def _on_response(self, response: Response) -> None:
        # The last main-frame document response is the navigation's final response (after redirects).
        with contextlib.suppress(PlaywrightError):
            if response.request.is_navigation_request() and response.frame.parent_frame is None:
                self._last_document = response

    async def _navigate(self, page: Page) -> Response | None:
        self._armed.set()
        assert self._navigated is not None
        return await self._navigated

    def navigated(self) -> None:
        """The crawler's navigation succeeded: let the capture go on."""
        if self._navigated is not None and not self._navigated.done():
            self._navigated.set_result(self._last_document)

    def failed(self, reason: str) -> None:
        """The crawler's navigation failed: the capture records ``reason`` as the page's error."""
        self.failure = reason
        if self._navigated is not None and not self._navigated.done():
            self._navigated.set_exception(NavigationFailed(reason))

    async def result(self) -> Any:
        """What ``start_capture`` returned; raises NavigationFailed when the page never reached the capture."""
        if self.task is None:
            raise NavigationFailed(self.failure or "the browser did not open the page")
        return await self.task

    async def guard(self, page: Page, seconds: float) -> None:
        """Close the page when the crawler has not handed it back within ``seconds``.

        After navigating, scrapy-playwright reads the page (``page.content()``) with no deadline, so a page whose
        script never yields would hold the download, the site's budget and the crawl for ever. Closing the page
        makes that read fail; the capture records why.
        """
        assert self._navigated is not None
        try:
            await asyncio.wait_for(asyncio.shield(self._navigated), seconds)
            return
        except TimeoutError:
            pass
        except BaseException:  # the navigation failed or was abandoned: nothing to guard
            return
        self.failed(
            f"the page stopped responding: the crawler could not read it within {seconds:.0f} s of starting to "
            "load it (a script that never yields, or a hung renderer)"
        )
        with contextlib.suppress(PlaywrightError, TimeoutError):
            await asyncio.wait_for(page.close(run_before_unload=False), 10)

    async def abandon(self) -> None:
        """Cancel the capture of a failed attempt (before a retry)."""
        self.failed("abandoned for a retry")
        if self.task is not None:
            self.task.cancel()
            with contextlib.suppress(BaseException):
                await self.task


async def init_page(page: Page, request) -> None:
    """scrapy-playwright's ``playwright_page_init_callback``: arm the request's handover and its watchdog."""
    handover: PageHandover | None = request.meta.get(META_KEY)
    if handover is not None:
        if handover.failure:
            # A page the guard gave up on, opened again by scrapy-playwright (it retries a closed target three
            # times). Closing this one too made it retry again, each retry a new page: a site past its budget took
            # 15-20 s more to end under load. Its navigation is refused instead, which ends the download at once
            # (ERR_BLOCKED_BY_CLIENT: neither a closed target nor a transient error, so nothing retries it).
            with contextlib.suppress(PlaywrightError):
                await page.route("**/*", _refuse)
            return
        begin = request.meta.get("auditor_begin")  # the site's SiteRun.begin: its budget runs from its first page
        if begin is not None:
            begin()
        navigation = request.meta.get("playwright_page_goto_kwargs", {}).get("timeout", 30_000) / 1000
        seconds = navigation + max(navigation, 10.0)  # the navigation, then as long again to read the page
        deadline = request.meta.get("auditor_deadline")  # the site's SiteRun.deadline
        if deadline is not None:
            # Within the site's budget, but never before the navigation's own timeout: a page closed during
            # page.goto makes scrapy-playwright wait for a download that never comes.
            seconds = max(min(seconds, deadline() - time.monotonic()), navigation + 1.0)
        handover.prime()
        # Started before the context is prepared: a call that never returns there is cut off by the guard too.
        handover.watchdog = asyncio.ensure_future(handover.guard(page, seconds))
        await handover.arm(page)


async def _refuse(route: Route) -> None:
    with contextlib.suppress(PlaywrightError):
        await route.abort("blockedbyclient")
