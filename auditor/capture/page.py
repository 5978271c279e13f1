"""Load one page in a browser context and record what the visitor saw and what the site did."""

from __future__ import annotations

import asyncio
import contextlib
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from playwright.async_api import BrowserContext, Frame, Page, Request, Response
from playwright.async_api import Error as PlaywrightError

from auditor.domains import host_of, is_third_party, registrable_domain
from auditor.evidence import (
    Box,
    ConsoleMessage,
    CookieRecord,
    Link,
    PageCapture,
    Redirect,
    RequestRecord,
    ScreenshotArtifact,
    SettleInfo,
)

_LINKS_JS = files("auditor.capture").joinpath("js/links.js").read_text(encoding="utf-8")

# Resolves once the DOM has had no mutation for `quietMs`, or after `maxMs`; event-driven (MutationObserver).
_DOM_QUIET_JS = """
([quietMs, maxMs]) => new Promise((resolve) => {
  const started = performance.now();
  let timer = null;
  const done = (reason) => { observer.disconnect(); clearTimeout(timer); clearTimeout(cap);
                             resolve({reason, waited: performance.now() - started}); };
  const observer = new MutationObserver(() => {
    clearTimeout(timer); timer = setTimeout(() => done('dom-quiet'), quietMs);
  });
  observer.observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
  timer = setTimeout(() => done('dom-quiet'), quietMs);
  const cap = setTimeout(() => done('dom-max-wait'), maxMs);
})
"""

# Titles of bot checks and block pages (as the GPC Web Crawler's HumanCheckError detection does).
_BOT_WALL_TITLE = re.compile(
    r"just a moment|attention required|access denied|are you a robot|verify you are human|"
    r"captcha|pardon our interruption|request unsuccessful|bot detection|security check",
    re.IGNORECASE,
)
MAX_LINKS = 5000
MAX_TEXT_CHARS = 200_000


@dataclass
class PageLimits:
    """Time budgets for one page load, in seconds."""

    navigation_timeout: float = 30.0
    settle_max: float = 10.0
    quiet_window: float = 0.5
    step_timeout: float = 15.0


class _NetworkLog:
    """Collects every request of a context while a page loads."""

    def __init__(self, site_url: str) -> None:
        self.site_url = site_url
        self.t0 = time.monotonic()
        self.records: dict[Request, RequestRecord] = {}

    def on_request(self, request: Request) -> None:
        try:
            frame = request.frame
            frame_url, main = frame.url, frame.parent_frame is None
        except PlaywrightError:  # service-worker requests have no frame
            frame_url, main = "", False
        host = host_of(request.url)
        self.records[request] = RequestRecord(
            url=request.url[:4096],
            method=request.method,
            resource_type=request.resource_type,
            frame_url=frame_url[:4096],
            in_main_frame=main,
            host=host,
            registrable_domain=registrable_domain(host) if host else "",
            third_party=bool(host) and is_third_party(host, self.site_url),
            started_ms=round((time.monotonic() - self.t0) * 1000, 1),
        )

    def on_response(self, response: Response) -> None:
        record = self.records.get(response.request)
        if record is not None:
            record.status = response.status

    def on_failed(self, request: Request) -> None:
        record = self.records.get(request)
        if record is not None:
            record.failure = request.failure or "failed"

    def attach(self, context: BrowserContext) -> None:
        context.on("request", self.on_request)
        context.on("response", self.on_response)
        context.on("requestfailed", self.on_failed)

    def detach(self, context: BrowserContext) -> None:
        context.remove_listener("request", self.on_request)
        context.remove_listener("response", self.on_response)
        context.remove_listener("requestfailed", self.on_failed)


async def capture_page(
    context: BrowserContext,
    url: str,
    *,
    site_dir: Path,
    artifact_prefix: str,
    limits: PageLimits | None = None,
    page: Page | None = None,
    navigate: Callable[[Page], Awaitable[Response | None]] | None = None,
) -> tuple[PageCapture, Page | None]:
    """Open ``url`` in ``context``, wait for it to settle, and capture it.

    Artifacts (screenshots, DOM) are written under ``site_dir / artifact_prefix``. Returns the capture
    and the still-open page (None when the page could not be opened), so gatherers can keep working on it.
    ``page`` and ``navigate`` are the seam for a crawler that opens the page and navigates it itself
    (scrapy-playwright): listeners are attached first, then ``navigate(page)`` replaces ``page.goto``.
    """
    limits = limits or PageLimits()
    capture = PageCapture(requested_url=url)
    network = _NetworkLog(url)
    network.attach(context)
    console: list[ConsoleMessage] = []
    page = page or await context.new_page()
    page.on("console", lambda m: _on_console(console, m))
    page.on("pageerror", lambda e: console.append(ConsoleMessage(type="pageerror", text=str(e)[:2000])))
    page.on("dialog", lambda d: asyncio.ensure_future(_dismiss(d, console)))
    page.on("crash", lambda _: console.append(ConsoleMessage(type="crash", text="the page's renderer crashed")))
    page.on("popup", lambda p: asyncio.ensure_future(_close_popup(p, console)))
    step = "navigation"
    try:
        if navigate is not None:
            response = await navigate(page)
        else:
            response = await page.goto(url, wait_until="domcontentloaded", timeout=limits.navigation_timeout * 1000)
        capture.redirect_chain = _redirects(response)
        capture.status = response.status if response else None
        step = "settling"
        capture.settle = await _bounded(settle(page, limits), limits.settle_max + limits.step_timeout)
        capture.final_url = page.url
        step = "reading the title"
        capture.title = (await _bounded(page.title(), limits.step_timeout))[:1000]
        step = "collecting links"
        capture.links = await _bounded(collect_links(page), limits.step_timeout * 2)
        step = "reading the text"
        capture.visible_text = await _bounded(_visible_text(page), limits.step_timeout)
        step = "taking screenshots"
        await _bounded(_save_artifacts(page, capture, site_dir, artifact_prefix), limits.step_timeout * 4)
        capture.bot_wall = detect_bot_wall(capture)
    except PlaywrightError as error:
        capture.error = f"{step}: {_one_line(error)}"
    except TimeoutError:
        capture.error = f"the page stopped responding while {step} (busy script or hung renderer)"
    finally:
        network.detach(context)
    capture.final_url = capture.final_url or (page.url if not page.is_closed() and page.url != "about:blank" else "")
    capture.requests = list(network.records.values())
    capture.console_errors = console
    capture.cookies = await collect_cookies(context, capture.final_url or url)
    if capture.error:
        # A page that failed part-way (hung script, crash, navigated away) is not handed to gatherers.
        with contextlib.suppress(PlaywrightError, TimeoutError):
            await _bounded(page.close(run_before_unload=False), limits.step_timeout)
        return capture, None
    return capture, page


async def _bounded(awaitable, seconds: float):
    """Await with a deadline: a page stuck in a script loop must not stall the audit."""
    return await asyncio.wait_for(awaitable, seconds)


async def _dismiss(dialog, sink: list[ConsoleMessage]) -> None:
    sink.append(ConsoleMessage(type="dialog", text=f"{dialog.type}: {dialog.message[:500]}"))
    with contextlib.suppress(PlaywrightError):
        await dialog.dismiss()


async def _close_popup(popup: Page, sink: list[ConsoleMessage]) -> None:
    """Pop-ups and new windows are recorded and closed: the audit stays on the site's own page."""
    sink.append(ConsoleMessage(type="popup", text=f"the page opened a new window: {popup.url[:500]}"))
    with contextlib.suppress(PlaywrightError):
        await popup.close()


def _on_console(sink: list[ConsoleMessage], message) -> None:
    if message.type in ("error", "warning") and len(sink) < 500:
        location = message.location or {}
        sink.append(
            ConsoleMessage(type=message.type, text=message.text[:2000], location=str(location.get("url", ""))[:1000])
        )


def _one_line(error: Exception) -> str:
    text = str(error).strip().splitlines()
    return (text[0] if text else type(error).__name__)[:500]


def _redirects(response: Response | None) -> list[Redirect]:
    chain: list[Redirect] = []
    request = response.request.redirected_from if response else None
    while request is not None:
        chain.append(Redirect(url=request.url, status=None))
        request = request.redirected_from
    return list(reversed(chain))


async def settle(page: Page, limits: PageLimits) -> SettleInfo:
    """Wait, event-driven and bounded, until the page has loaded and its network and DOM are quiet."""
    started = time.monotonic()
    deadline = started + limits.settle_max
    reasons: list[str] = []
    for state in ("load", "networkidle"):
        remaining = deadline - time.monotonic()
        try:
            await page.wait_for_load_state(state, timeout=max(remaining, 0.05) * 1000)
            reasons.append(state)
        except PlaywrightError:
            reasons.append(f"{state}-timeout")
            break
    remaining = deadline - time.monotonic()
    if remaining > 0.05:
        try:
            result = await page.evaluate(_DOM_QUIET_JS, [limits.quiet_window * 1000, remaining * 1000])
            reasons.append(result["reason"])
        except PlaywrightError:
            reasons.append("dom-wait-interrupted")
    return SettleInfo(reason=",".join(reasons), waited_ms=round((time.monotonic() - started) * 1000, 1))


async def collect_links(page: Page) -> list[Link]:
    """Every link-like element in every frame, piercing open shadow roots, in full-page coordinates."""
    links: list[Link] = []
    for frame in page.frames:
        offset = await _frame_offset(frame)
        if offset is None:
            continue
        try:
            found = await frame.evaluate(_LINKS_JS, MAX_LINKS - len(links))
        except PlaywrightError:
            continue
        main = frame.parent_frame is None
        for item in found["links"]:
            box = item.pop("box")
            visible = item["visible"] and offset[2]
            links.append(
                Link(
                    **{**item, "visible": visible},
                    box=Box(x=box["x"] + offset[0], y=box["y"] + offset[1], width=box["width"], height=box["height"]),
                    frame_url=frame.url[:4096],
                    in_main_frame=main,
                )
            )
        if len(links) >= MAX_LINKS:
            break
    return links


async def _frame_offset(frame: Frame) -> tuple[float, float, bool] | None:
    """(x, y, visible) of a frame's document origin in the top page's document coordinates."""
    x = y = 0.0
    visible = True
    child = frame
    while child.parent_frame is not None:
        try:
            element = await child.frame_element()
            rect = await element.evaluate(
                "e => { const r = e.getBoundingClientRect();"
                " return {x: r.left + scrollX, y: r.top + scrollY, w: r.width, h: r.height}; }"
            )
        except PlaywrightError:
            return None
        x += rect["x"]
        y += rect["y"]
        visible = visible and rect["w"] > 0 and rect["h"] > 0
        child = child.parent_frame
    return x, y, visible


async def _visible_text(page: Page) -> str:
    try:
        text = await page.evaluate("() => document.body ? document.body.innerText : ''")
    except PlaywrightError:
        return ""
    return (text or "")[:MAX_TEXT_CHARS]


async def collect_cookies(context: BrowserContext, site_url: str) -> list[CookieRecord]:
    """All cookies in the context, labelled first or third party by registrable domain."""
    try:
        cookies = await context.cookies()
    except PlaywrightError:
        return []
    records = []
    for c in cookies:
        domain = c.get("domain", "").lstrip(".")
        expires = c.get("expires", -1)
        records.append(
            CookieRecord(
                name=c["name"][:1000],
                value=c["value"][:8192],
                domain=c.get("domain", ""),
                path=c.get("path", "/"),
                expires=None if expires is None or expires < 0 else expires,
                http_only=bool(c.get("httpOnly")),
                secure=bool(c.get("secure")),
                same_site=str(c.get("sameSite", "")),
                third_party=is_third_party(domain, site_url) if domain else False,
            )
        )
    return records


async def _save_artifacts(page: Page, capture: PageCapture, site_dir: Path, prefix: str) -> None:
    folder = site_dir / prefix
    folder.mkdir(parents=True, exist_ok=True)
    viewport = page.viewport_size or {"width": 1280, "height": 800}
    await page.screenshot(path=folder / "viewport.png", timeout=15_000)
    capture.viewport_screenshot = ScreenshotArtifact(
        path=f"{prefix}/viewport.png", width=viewport["width"], height=viewport["height"]
    )
    await page.screenshot(path=folder / "full.png", full_page=True, timeout=30_000)
    width, height = png_size(folder / "full.png")
    capture.full_screenshot = ScreenshotArtifact(path=f"{prefix}/full.png", width=width, height=height)
    (folder / "dom.html").write_text(await page.content(), encoding="utf-8")
    capture.dom_path = f"{prefix}/dom.html"


def png_size(path: Path) -> tuple[int, int]:
    """Width and height of a PNG file, read from its header."""
    header = path.read_bytes()[:24]
    return int.from_bytes(header[16:20], "big"), int.from_bytes(header[20:24], "big")


def detect_bot_wall(capture: PageCapture) -> str | None:
    """Why the page looks like a bot check or block page, or None."""
    if _BOT_WALL_TITLE.search(capture.title or ""):
        return f"page title {capture.title!r} looks like a bot check"
    if capture.status in (403, 429, 503) and len(capture.visible_text) < 2000 and len(capture.links) < 5:
        return f"HTTP {capture.status} with an almost empty page"
    return None
