"""The quiet wait (``js/quiet.js`` and :func:`auditor.capture.quiet.wait_quiet`) in a real page: "quiet" means nothing
pending and the DOM still for ``quietMs``, however the checks are scheduled; a page that never stops changing is not
quiet at the deadline; what only the browser sees loading (a cross-origin frame's request, a module import) holds it."""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import AsyncIterator
from urllib.parse import urlsplit

import pytest
from playwright.async_api import Page, async_playwright

from auditor.browser import LaunchSettings, launch, new_visit_context
from auditor.capture.quiet import _WAIT_JS, install_quiet_tracker, wait_quiet

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


@contextlib.asynccontextmanager
async def _tracked_page(url: str, route=None) -> AsyncIterator[Page]:
    """A visit's context with the quiet tracker (``route`` serves the test's hosts), its page loaded at ``url``."""
    async with async_playwright() as playwright:
        browser = await launch(playwright, LaunchSettings())
        try:
            context = await new_visit_context(browser, gpc=False)
            if route is not None:
                await context.route(re.compile(r"^http://[^/]*quiet\.test/"), route)
            await install_quiet_tracker(context)
            page = await context.new_page()
            await page.goto(url, wait_until="load")
            yield page
        finally:
            await browser.close()


async def _wait(url: str, options: dict, before: str | None = None) -> dict:
    async with _tracked_page(url) as page:
        if before:
            await page.evaluate(before)
        raw = await page.evaluate(_WAIT_JS, options)
        raw["resolved_at"] = await page.evaluate("performance.now()")
        raw["last_change"] = await page.evaluate("window.lastChange || 0")
        return raw


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


# A cross-origin consent frame that asks its server for its configuration (answered after SLOW_S), then tells the
# page to show the banner: the page's own script sees no request of its own, only the browser sees the frame's.
SLOW_S = 0.8
FRAMED_PAGE = """<title>t</title><iframe src="http://cmp.quiet.test/frame.html"></iframe><script>
addEventListener('message', (e) => { if (e.data === 'show') {
  const banner = document.createElement('div'); banner.id = 'banner'; banner.textContent = 'We use cookies';
  document.body.appendChild(banner); } });
</script>"""
CONSENT_FRAME = """<title>cmp</title><script>
fetch('/config.json').then((r) => r.json()).then(() => parent.postMessage('show', '*'));
</script>"""
# A page that loads its consent module with import(): neither fetch nor XHR nor a script element.
IMPORTING_PAGE = """<title>t</title><script>import('http://www.quiet.test/late.mjs');</script>"""
LATE_MODULE = (
    """const banner = document.createElement('div'); banner.id = 'banner'; document.body.appendChild(banner);"""
)


async def _serve(route) -> None:
    """The test's two hosts: pages from the strings above; config.json and late.mjs answered after SLOW_S."""
    url = route.request.url
    if url.endswith(("/config.json", "/late.mjs")):
        await asyncio.sleep(SLOW_S)
        kind = "application/json" if url.endswith(".json") else "text/javascript"
        await route.fulfill(body="{}" if url.endswith(".json") else LATE_MODULE, content_type=kind)
        return
    pages = {"/framed.html": FRAMED_PAGE, "/frame.html": CONSENT_FRAME, "/importing.html": IMPORTING_PAGE}
    await route.fulfill(body=pages.get(urlsplit(url).path, "<title>none</title>"), content_type="text/html")


async def _banner_after_quiet(path: str, waiter) -> tuple[object, bool]:
    async with _tracked_page(f"http://www.quiet.test{path}", _serve) as page:
        result = await waiter(page)
        return result, await page.evaluate("!!document.getElementById('banner')")


@pytest.mark.parametrize("path", ["/framed.html", "/importing.html"])
def test_the_wait_goes_on_while_the_browser_loads_something_the_page_script_cannot_see(path: str) -> None:
    quiet, banner = asyncio.run(_banner_after_quiet(path, lambda page: wait_quiet(page, 10.0)))
    assert quiet.quiet is True
    assert quiet.waited_ms >= SLOW_S * 1000 * 0.9
    assert banner, "the wait ended before the banner the slow request brought was shown"


@pytest.mark.parametrize("path", ["/framed.html", "/importing.html"])
def test_the_page_script_alone_would_have_called_the_same_page_quiet_too_early(path: str) -> None:
    """The same pages with only the page's own tracker asked: it cannot see these requests (what the test above
    guards against is real)."""
    raw, banner = asyncio.run(
        _banner_after_quiet(path, lambda page: page.evaluate(_WAIT_JS, {"quietMs": 150, "maxMs": 10_000}))
    )
    assert raw["quiet"] is True
    assert not banner


ANIMATION_FRAMES = """data:text/html,<title>t</title><script>
window.oneFrame = () => { requestAnimationFrame(() => {}); requestIdleCallback(() => {}, {timeout: 50});
  return __auditorQuiet.state(performance.now()).frames; };
window.loop = () => { const tick = () => requestAnimationFrame(tick); tick(); };
</script>"""


async def _frames_state() -> tuple[int, int]:
    async with _tracked_page(ANIMATION_FRAMES) as page:
        asked = await page.evaluate("window.oneFrame()")
        await page.evaluate("window.loop()")
        await page.wait_for_timeout(300)  # the loop has re-armed itself far more than REPEATS times
        looping = await page.evaluate("__auditorQuiet.state(performance.now()).frames")
        return asked, looping


def test_an_animation_frame_or_idle_callback_asked_for_is_pending_and_a_frame_loop_is_not() -> None:
    asked, looping = asyncio.run(_frames_state())
    assert asked == 2
    assert looping == 0
