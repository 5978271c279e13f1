"""A visit's browser context holds the pages the audit opened and nothing else: headless Chromium's hidden omnibox
pop-up pages (two renderers per context, a third of an audit's CPU) are switched off, and a window a page opens in
answer to one of the audit's clicks loads nothing."""

from __future__ import annotations

import asyncio

import pytest
from playwright.async_api import async_playwright

from auditor.browser import LaunchSettings, launch, new_visit_context
from auditor.demo.server import HostFolderServer

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


OPENERS = {
    "#link": "a target=_blank link",
    "#open": "window.open in a click handler",
    "#noopener": "window.open with noopener",
    "#later": "window.open a second after the click",
    "#form button": "a form that submits to a new window",
    "#assign": "an empty window sent somewhere afterwards",
}
OPENER_PAGE = """<title>openers</title>
<a id=link href="/elsewhere/link" target=_blank>link</a>
<button id=open onclick="window.open('/elsewhere/open')">open</button>
<button id=noopener onclick="window.open('/elsewhere/noopener', '_blank', 'noopener')">noopener</button>
<button id=later onclick="setTimeout(() => window.open('/elsewhere/later'), 1000)">later</button>
<form id=form action="/elsewhere/form" target=_blank><button>form</button></form>
<button id=assign onclick="const w = window.open(); if (w) w.location = '/elsewhere/assign'">assign</button>"""


async def _click_every_opener(origin: str) -> dict:
    """Click every way of opening a window; the pages left in the context (the windows stay, empty: the capture
    closes them), and the URL of the audit's own second page, which must load."""
    async with async_playwright() as playwright:
        browser = await launch(playwright, LaunchSettings())
        try:
            context = await new_visit_context(browser, gpc=False)
            page = await context.new_page()
            await page.goto(f"{origin}/")
            for selector in OPENERS:
                await page.click(selector)
            await asyncio.sleep(2)  # the late window.open
            left = [p.url for p in context.pages]
            own = await context.new_page()  # not a window the site opened: it loads
            await own.goto(f"{origin}/own")
            return {"left": left, "own": own.url}
        finally:
            await browser.close()


def test_windows_a_page_opens_after_a_click_load_nothing(tmp_path):
    (tmp_path / "127.0.0.1").mkdir()
    (tmp_path / "127.0.0.1" / "index.html").write_text(OPENER_PAGE, encoding="utf-8")
    server = HostFolderServer(tmp_path).start()
    origin = f"http://127.0.0.1:{server.port}"
    try:
        seen = asyncio.run(_click_every_opener(origin))
    finally:
        server.stop()
    paths = [path for _, path, _ in server.log]
    assert [path for path in paths if path.startswith("/elsewhere")] == []
    assert seen["left"][0] == f"{origin}/"
    assert set(seen["left"][1:]) <= {"about:blank", "chrome-error://chromewebdata/"}
    assert len(seen["left"]) == 1 + len(OPENERS)  # every way did open a window (else the test proves nothing)
    assert seen["own"] == f"{origin}/own" and "/own" in paths
