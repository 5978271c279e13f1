"""One scrapy-playwright download handler for both schemes of a crawl.

Scrapy builds a download handler for each scheme in ``DOWNLOAD_HANDLERS``, and each scrapy-playwright handler starts
its own Playwright driver when the engine starts and its own Chromium on its first request. An audit registers it
for ``http`` and ``https``, so every crawl started a driver it never used (a node process of ~130 MB and ~0.35 s of
CPU at start, beside the one that drives the browser), and a crawl of both http and https sites ran two browsers.
"""

from __future__ import annotations

from typing import Any

from scrapy_playwright.handler import ScrapyPlaywrightDownloadHandler

_SHARED = "_auditor_playwright_handler"  # where the crawler keeps its one handler


class SharedPlaywrightHandler(ScrapyPlaywrightDownloadHandler):
    """scrapy-playwright's handler, built once per crawler and closed once, whatever the number of schemes."""

    _closed: bool = False

    @classmethod
    def from_crawler(cls, crawler: Any) -> Any:
        shared = getattr(crawler, _SHARED, None)
        if shared is None:
            shared = super().from_crawler(crawler)
            setattr(crawler, _SHARED, shared)
        return shared

    async def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        await super().close()
