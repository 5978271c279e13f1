"""A visit's browser context holds the pages the audit opened and nothing else: headless Chromium's hidden omnibox
pop-up pages (two renderers per context, a third of an audit's CPU) are switched off."""

from __future__ import annotations

import asyncio

import pytest
from playwright.async_api import async_playwright

from auditor.browser import LaunchSettings, launch, new_visit_context

pytestmark = pytest.mark.browser


async def _target_types_after_two_visits() -> list[tuple[str, str]]:
    async with async_playwright() as playwright:
        browser = await launch(playwright, LaunchSettings())
        try:
            contexts = [await new_visit_context(browser, gpc=False) for _ in range(2)]
            for context in contexts:
                page = await context.new_page()
                await page.goto("data:text/html,<title>visit</title>")
            session = await browser.new_browser_cdp_session()
            targets = (await session.send("Target.getTargets"))["targetInfos"]
            return [(t["type"], t["url"]) for t in targets]
        finally:
            await browser.close()


def test_visit_contexts_open_only_the_audits_pages() -> None:
    targets = asyncio.run(_target_types_after_two_visits())
    assert [t for t in targets if t[0] != "page"] == []
    assert sorted(targets) == [("page", "data:text/html,<title>visit</title>")] * 2
