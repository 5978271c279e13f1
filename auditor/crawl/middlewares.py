"""Retries with exponential backoff for network errors of browser navigations.

Scrapy's RetryMiddleware knows Twisted's network errors, not Playwright's; and it retries at once. This
one retries navigations that failed for a transient network reason (connection refused/reset/timed out,
a 502/504) after 1 s, 2 s, 4 s ... while the site's time budget allows, and hands each retry a fresh page
and capture (the failed attempt's page is closed). Permanent failures (unknown host, bad certificate)
and answers such as 403 or 503 (bot walls) are not retried: they are evidence.
"""

from __future__ import annotations

import asyncio
import contextlib
import time

from playwright.async_api import Error as PlaywrightError
from scrapy.downloadermiddlewares.retry import get_retry_request

from auditor.crawl.handover import META_KEY

TRANSIENT = (
    "ERR_CONNECTION_REFUSED",
    "ERR_CONNECTION_RESET",
    "ERR_CONNECTION_CLOSED",
    "ERR_CONNECTION_TIMED_OUT",
    "ERR_TIMED_OUT",
    "ERR_EMPTY_RESPONSE",
    "ERR_NETWORK_CHANGED",
    "ERR_ADDRESS_UNREACHABLE",
    "ERR_INTERNET_DISCONNECTED",
    "ERR_PROXY_CONNECTION_FAILED",
    "ERR_TUNNEL_CONNECTION_FAILED",
)
RETRY_STATUSES = (502, 504)


class BackoffRetryMiddleware:
    """Downloader middleware: retry transient navigation failures with exponential backoff."""

    def __init__(self, crawler, max_retries: int, base_delay: float, max_delay: float) -> None:
        self.crawler = crawler
        self.max_retries = max_retries
        self.base_delay = base_delay
        self.max_delay = max_delay

    @classmethod
    def from_crawler(cls, crawler) -> BackoffRetryMiddleware:
        settings = crawler.settings
        return cls(
            crawler,
            settings.getint("RETRY_TIMES", 2),
            settings.getfloat("AUDITOR_RETRY_BACKOFF_BASE", 1.0),
            settings.getfloat("AUDITOR_RETRY_BACKOFF_MAX", 8.0),
        )

    async def process_response(self, request, response, spider=None):
        if response.status in RETRY_STATUSES:
            retry = await self._retry(request, f"HTTP {response.status}")
            if retry is not None:
                return retry
        return response

    async def process_exception(self, request, exception, spider=None):
        if not isinstance(exception, PlaywrightError) or not any(code in str(exception) for code in TRANSIENT):
            return None
        return await self._retry(request, type(exception).__name__)

    async def _retry(self, request, reason: str):
        attempt = request.meta.get("retry_times", 0) + 1
        delay = min(self.base_delay * 2 ** (attempt - 1), self.max_delay)
        deadline = request.meta.get("auditor_deadline")  # the site's SiteRun.deadline
        if deadline is not None and time.monotonic() + delay + 1 >= deadline():
            return None  # no time left in the site's budget: the failure stands
        retry = get_retry_request(request, spider=self.crawler.spider, reason=reason, max_retry_times=self.max_retries)
        if retry is None:
            return None
        await _discard_attempt(request)
        handover = request.meta.get(META_KEY)
        if handover is not None:
            retry.meta[META_KEY] = handover.fresh()
        retry.meta.pop("playwright_page", None)
        await asyncio.sleep(delay)
        return retry


async def _discard_attempt(request) -> None:
    handover = request.meta.get(META_KEY)
    if handover is not None:
        await handover.abandon()
    page = request.meta.get("playwright_page")
    if page is not None:
        with contextlib.suppress(PlaywrightError):
            await page.close()
