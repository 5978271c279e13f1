"""Pages a gatherer leaves open for a later gatherer of the same visit, instead of loading them again.

The policy gatherer keeps the privacy policy page it loaded; the accessibility gatherer, which runs after it,
runs axe-core on that page and closes it. A page nobody takes is closed with the visit's browser context.
"""

from __future__ import annotations

import asyncio
import contextlib

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page

from auditor.capture.visit import Visit

KEPT_PAGES = "kept_pages"  # key in Visit.state: page key -> open Page


def keep_page(visit: Visit, key: str, page: Page) -> None:
    """Leave ``page`` open for a later gatherer of this visit (it is ``ProfileCapture.pages[key]``)."""
    visit.state.setdefault(KEPT_PAGES, {})[key] = page


def take_page(visit: Visit, key: str) -> Page | None:
    """The page an earlier gatherer kept under ``key``, still open; the taker closes it."""
    page = visit.state.get(KEPT_PAGES, {}).pop(key, None)
    return page if page is not None and not page.is_closed() else None


async def close_page(page: Page | None, timeout: float) -> None:
    """Close a taken page, bounded (a page stuck in a script loop must not hold the visit)."""
    if page is None:
        return
    with contextlib.suppress(PlaywrightError, TimeoutError):
        await asyncio.wait_for(page.close(run_before_unload=False), timeout)
