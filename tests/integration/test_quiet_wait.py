"""The quiet wait (``js/quiet.js``) in a real page: "quiet" means nothing pending and the DOM still for ``quietMs``,
however the checks are scheduled; a page that never stops changing is not quiet at the deadline."""

from __future__ import annotations

import asyncio

import pytest
from playwright.async_api import async_playwright

from auditor.browser import LaunchSettings, launch, new_visit_context
from auditor.capture.quiet import _WAIT_JS, install_quiet_tracker

pytestmark = pytest.mark.browser

# window.changeLater() changes the DOM 40, 120 and 250 ms after it is called (just before the wait), then never again;
# its timers are the tracker's own untracked ones, so only the stillness holds the wait.
CHANGES_THEN_STILL = """data:text/html,<title>t</title><div id=box></div><script>
window.changeLater = () => { for (const ms of [40, 120, 250]) __auditorQuiet.setTimer(() => {
  window.lastChange = performance.now(); document.getElementById('box').textContent = String(ms); }, ms); };
</script>"""
# Changes the DOM every 50 ms for ever.
NEVER_STILL = """data:text/html,<title>t</title><div id=box></div><script>
const tick = () => { document.getElementById('box').textContent = String(performance.now());
  __auditorQuiet.setTimer(tick, 50); }; tick();
</script>"""


async def _wait(url: str, options: dict, before: str | None = None) -> dict:
    async with async_playwright() as playwright:
        browser = await launch(playwright, LaunchSettings())
        try:
            context = await new_visit_context(browser, gpc=False)
            await install_quiet_tracker(context)
            page = await context.new_page()
            await page.goto(url)
            if before:
                await page.evaluate(before)
            raw = await page.evaluate(_WAIT_JS, options)
            raw["resolved_at"] = await page.evaluate("performance.now()")
            raw["last_change"] = await page.evaluate("window.lastChange || 0")
            return raw
        finally:
            await browser.close()


def test_quiet_only_once_the_dom_has_been_still_for_the_window_after_its_last_change() -> None:
    raw = asyncio.run(_wait(CHANGES_THEN_STILL, {"quietMs": 300, "maxMs": 10_000}, before="window.changeLater()"))
    assert raw["quiet"] is True
    assert raw["last_change"] > 0, "the page's last change ran before the wait ended"
    assert raw["quietFor"] >= 300
    assert raw["resolved_at"] - raw["last_change"] >= 300
    assert raw["changes"] >= 3


def test_a_page_that_keeps_changing_is_not_quiet_at_the_deadline() -> None:
    raw = asyncio.run(_wait(NEVER_STILL, {"quietMs": 300, "maxMs": 1_000}))
    assert raw["quiet"] is False
    assert raw["waited"] >= 1_000
    assert raw["quietFor"] < 300
