"""Load one page in a browser context and record what the visitor saw and what the site did."""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import shutil
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from playwright.async_api import BrowserContext, FloatRect, Frame, Page, Request, Response
from playwright.async_api import Error as PlaywrightError

from auditor.capture.failures import explain
from auditor.capture.quiet import QUIET_MS, wait_quiet
from auditor.capture.timing import StepClock
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
from auditor.homepage import homepage_flaw

_LINKS_JS = files("auditor.capture").joinpath("js/links.js").read_text(encoding="utf-8")
# The links cross to Python as one JSON string: Playwright's structured serialisation of 5,000 small objects took
# ~3 s on an idle machine (the step is bounded at 10 s), the string ~0.2-0.35 s.
_LINKS_AS_JSON_JS = f"(maxLinks) => JSON.stringify(({_LINKS_JS.strip()})(maxLinks))"

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
SETTLE_TIMER_HORIZON_S = 1.0  # timers due later than this after load are the late-CMP wait's business, not the settle's
MAX_FRAMES = 60  # frames whose links are read; a page nesting frames deeper than this is recorded as truncated
DEFAULT_MAX_BODY_BYTES = 2_000_000
# A crawler that navigates the page itself hands capture this step (see capture_page).
Navigate = Callable[[Page], Awaitable[Response | None]]
# Chromium cannot composite a surface much taller than this; a taller page is clipped (and says so).
DEFAULT_MAX_SCREENSHOT_HEIGHT = 16_384

# The DOM as the browser holds it now, cut in the page before it crosses to Python (a 50 MB page stays there).
_DOM_JS = """
(maxChars) => {
  const doctype = document.doctype ? new XMLSerializer().serializeToString(document.doctype) : '';
  const html = doctype + (document.documentElement ? document.documentElement.outerHTML : '');
  return {html: html.slice(0, maxChars), length: html.length};
}
"""
_TEXT_JS = """
(maxChars) => {
  const text = document.body ? document.body.innerText || '' : '';
  return {text: text.slice(0, maxChars), length: text.length};
}
"""
# The document's size as Playwright's full-page screenshot measures it (scroll, offset and client sizes of the root
# and the body): a page no larger than the viewport by this measure gets a full-page screenshot equal to the viewport's.
_PAGE_SIZE_JS = """
() => {
  const boxes = [document.documentElement, document.body].filter(Boolean);
  const most = (...keys) => Math.max(0, ...boxes.flatMap((box) => keys.map((key) => box[key] || 0)));
  return {
    width: most('scrollWidth', 'offsetWidth', 'clientWidth'),
    height: most('scrollHeight', 'offsetHeight', 'clientHeight'),
  };
}
"""


@dataclass
class PageLimits:
    """Budgets for one page: seconds for each wait, bytes for each body captured from it."""

    navigation_timeout: float = 30.0  # DOMContentLoaded and load must come within this (``--timeout``)
    settle_max: float = 10.0  # after load: the wait for a quiet network and DOM
    quiet_window: float = QUIET_MS / 1000  # the DOM still, nothing pending, for this long: the page has settled
    step_timeout: float = 15.0  # one read of the live page (title, links, text, DOM); screenshots get four
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES  # DOM snapshot, visible text, policy text (``--max-body-bytes``)
    max_screenshot_height: int = DEFAULT_MAX_SCREENSHOT_HEIGHT
    late_cmp_wait: float = 8.0  # the most a gatherer waits for a consent manager that loads after `load`

    @classmethod
    def for_timeout(cls, timeout: float, max_body_bytes: int = DEFAULT_MAX_BODY_BYTES) -> PageLimits:
        """Limits that follow ``--timeout``: the settle and per-step budgets shrink and grow with it, within reason.

        A step is one read of a page that has already loaded, so it never gets less than 5 s (a busy but
        healthy page) nor more than 15 s (a page stuck in a script loop must not hold the site for long). The wait
        for a late consent manager is part of loading the page: at most half the timeout (8 s at the default 30).
        """
        return cls(
            navigation_timeout=timeout,
            settle_max=min(10.0, max(1.0, timeout / 3)),
            step_timeout=min(15.0, max(5.0, timeout / 2)),
            max_body_bytes=max_body_bytes,
            late_cmp_wait=min(8.0, timeout / 2),
        )


def cap_text(text: str, max_bytes: int) -> tuple[str, bool]:
    """``text`` cut to at most ``max_bytes`` of UTF-8 (never inside a character); True when it was cut."""
    data = text.encode("utf-8", errors="replace")
    if len(data) <= max_bytes:
        return text, False
    return data[:max_bytes].decode("utf-8", errors="ignore"), True


async def read_dom(page: Page, max_bytes: int) -> tuple[str, int]:
    """The page's current HTML cut to ``max_bytes`` (cut in the page: a huge DOM never crosses the wire whole),
    and its full length in characters."""
    found = await page.evaluate(_DOM_JS, max_bytes)
    html, _ = cap_text(found["html"], max_bytes)
    return html, int(found["length"])


class NetworkLog:
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


@dataclass
class _PageWatch:
    """What happened to the page behind the capture's back: a crash, the page closing itself, a new document."""

    crashed: bool = False
    closed: bool = False
    capturing: bool = True  # False once capture_page is done: later closes are the caller's own
    documents: int = 0  # main-frame DOMContentLoaded events

    def watch(self, page: Page, console: list[ConsoleMessage]) -> None:
        page.on("console", lambda m: _on_console(console, m))
        page.on("pageerror", lambda e: _record(console, "pageerror", str(e)))
        page.on("dialog", lambda d: asyncio.ensure_future(_answer_dialog(d, console)))
        page.on("crash", lambda _: self._on_crash(console))
        page.on("close", lambda _: self._on_close(console))
        page.on("popup", lambda p: asyncio.ensure_future(_close_popup(p, console)))
        page.on("download", lambda d: _record(console, "download", f"the page started a download: {d.url}"))
        page.on("domcontentloaded", lambda _: self._on_document())

    def _on_crash(self, console: list[ConsoleMessage]) -> None:
        self.crashed = True
        _record(console, "crash", "the page's renderer crashed")

    def _on_close(self, console: list[ConsoleMessage]) -> None:
        if self.capturing:
            self.closed = True
            _record(console, "close", "the page closed its own window")

    def _on_document(self) -> None:
        self.documents += 1

    def reason(self, step: str, context: BrowserContext) -> str | None:
        """Why the page failed, when the cause was the page or the browser rather than the step."""
        if self.crashed:
            return f"the page's renderer crashed while {step}"
        if _browser_gone(context):
            return f"the browser crashed or was closed while {step}"
        if self.closed:
            return f"the page closed its own window while {step}"
        return None


async def capture_page(
    context: BrowserContext,
    url: str,
    *,
    site_dir: Path,
    artifact_prefix: str,
    limits: PageLimits | None = None,
    page: Page | None = None,
    navigate: Navigate | None = None,
    clock: StepClock | None = None,
) -> tuple[PageCapture, Page | None]:
    """Open ``url`` in ``context``, wait for it to settle, and capture it.

    Artifacts (screenshots, DOM) are written under ``site_dir / artifact_prefix``. Returns the capture
    and the still-open page (None when the page could not be opened), so gatherers can keep working on it.
    ``page`` and ``navigate`` are the seam for a crawler that opens the page and navigates it itself
    (scrapy-playwright): listeners are attached first, then ``navigate(page)`` replaces ``page.goto``.

    Every step is bounded: a page that hangs, loops, crashes, closes itself or navigates away while it is read
    ends with ``error`` saying so, and is not handed on. A page whose ``load`` never fires is captured and
    marked ``incomplete``. Bodies and screenshots are cut to ``limits``, and ``truncated`` says what was cut.
    ``clock`` (the visit's) records how long each step took.
    """
    limits = limits or PageLimits()
    clock = clock or StepClock()
    capture = PageCapture(requested_url=url)
    network = NetworkLog(url)
    network.attach(context)
    console: list[ConsoleMessage] = []
    watch = _PageWatch()
    step = clock.begin("opening a page")
    try:
        page = page or await _bounded(context.new_page(), limits.step_timeout)
        watch.watch(page, console)
        await _bounded_or(_watch_window_opens(context, page, console), limits.step_timeout, None)
        started = time.monotonic()
        step = clock.begin("loading the page")
        if navigate is not None:
            response = await navigate(page)
        else:
            response = await page.goto(url, wait_until="domcontentloaded", timeout=limits.navigation_timeout * 1000)
        capture.redirect_chain = _redirects(response)
        capture.status = response.status if response else None
        step = clock.begin("waiting for the page to settle")
        load_timeout = max(limits.navigation_timeout - (time.monotonic() - started), 0.05)
        capture.settle = await _bounded(
            settle(page, limits, load_timeout=load_timeout), load_timeout + limits.settle_max + limits.step_timeout
        )
        if "load-timeout" in capture.settle.reason.split(","):
            capture.incomplete = (
                f"the page never finished loading: its load event did not fire within {limits.navigation_timeout:g} s "
                "of the navigation (a subresource never completed), so what was captured may be incomplete"
            )
        capture.final_url = page.url
        documents = watch.documents
        step = clock.begin("reading the title")
        capture.title = (await _bounded(page.title(), limits.step_timeout))[:1000]
        step = clock.begin("collecting links")
        capture.links = await _bounded(collect_links(page, capture.truncated), limits.step_timeout * 2)
        step = clock.begin("reading the text")
        capture.visible_text = await _bounded(_visible_text(page, limits, capture.truncated), limits.step_timeout)
        step = clock.begin("saving the DOM snapshot")
        await _bounded(_save_dom(page, capture, site_dir, artifact_prefix, limits), limits.step_timeout)
        step = clock.begin("taking screenshots")
        await _save_screenshots(page, capture, site_dir, artifact_prefix, limits)
        if watch.documents != documents and not page.is_closed():
            # Title, links and screenshots may come from two different documents: none of it can be trusted.
            capture.error = f"the page navigated itself to {page.url[:500]} while it was being captured"
        capture.bot_wall = detect_bot_wall(capture)
    except PlaywrightError as error:
        # A crawler's explained failure keeps its words, unless the page or the browser went away under it.
        closure = re.search(r"closed|crash", str(error), re.IGNORECASE) or _browser_gone(context)
        capture.error = (watch.reason(step, context) if closure else None) or f"{step}: {_explain(error, limits)}"
    except TimeoutError:
        capture.error = watch.reason(step, context) or (
            f"the page stopped responding while {step} (a script that never yields, or a hung renderer)"
        )
    finally:
        clock.end()
        network.detach(context)
        watch.capturing = False
    alive = page is not None and not page.is_closed()
    shown = page.url if page is not None and alive else ""
    capture.final_url = capture.final_url or (shown if shown != "about:blank" else "")
    capture.requests = list(network.records.values())
    capture.console_errors = console
    clock.begin("reading cookies")
    capture.cookies = await _bounded_or(collect_cookies(context, capture.final_url or url), limits.step_timeout, [])
    clock.end()
    if capture.error or page is None:
        # A page that failed part-way (hung script, crash, navigated away) is not handed to gatherers.
        if page is not None and alive:
            with contextlib.suppress(PlaywrightError, TimeoutError):
                await _bounded(page.close(run_before_unload=False), limits.step_timeout)
        return capture, None
    return capture, page


def _explain(error: PlaywrightError, limits: PageLimits) -> str:
    return explain(error, navigation_timeout=limits.navigation_timeout)


def _browser_gone(context: BrowserContext) -> bool:
    browser = context.browser
    return browser is not None and not browser.is_connected()


async def _bounded(awaitable, seconds: float):
    """Await with a deadline: a page stuck in a script loop must not stall the audit."""
    return await asyncio.wait_for(awaitable, seconds)


async def _bounded_or(awaitable, seconds: float, default):
    """Like :func:`_bounded`, but ``default`` when the deadline passes or the browser is gone."""
    try:
        return await asyncio.wait_for(awaitable, seconds)
    except (TimeoutError, PlaywrightError):
        return default


def _record(sink: list[ConsoleMessage], kind: str, text: str) -> None:
    if len(sink) < 500:
        sink.append(ConsoleMessage(type=kind, text=text[:2000]))


async def _answer_dialog(dialog, sink: list[ConsoleMessage]) -> None:
    """Dialogs are recorded and answered as a visitor in a hurry would: no to questions, yes to leaving."""
    _record(sink, "dialog", f"{dialog.type}: {dialog.message[:500]}")
    with contextlib.suppress(PlaywrightError):
        if dialog.type == "beforeunload":
            await dialog.accept()  # "leave this page?" — yes: a beforeunload trap must not pin the audit
        else:
            await dialog.dismiss()


async def _watch_window_opens(context: BrowserContext, page: Page, sink: list[ConsoleMessage]) -> None:
    """Record every window the page tries to open, including those the pop-up blocker stops (CDP
    ``Page.windowOpen`` fires for both); Chromium blocks those without a user gesture, as for any visitor."""

    def opened(event: dict) -> None:
        how = "opened after a click" if event.get("userGesture") else "blocked: no user gesture"
        _record(sink, "popup", f"the page tried to open a new window: {str(event.get('url', ''))[:500]} ({how})")

    session = await context.new_cdp_session(page)
    session.on("Page.windowOpen", opened)
    await session.send("Page.enable")


async def _close_popup(popup: Page, sink: list[ConsoleMessage]) -> None:
    """Pop-ups and new windows that did open are closed (and recorded): the audit stays on the site's own page.

    They have loaded nothing (:func:`auditor.browser.keep_new_windows_empty`); ``Page.windowOpen`` has recorded where
    they would have gone.
    """
    empty = popup.url in ("", "about:blank", "chrome-error://chromewebdata/")
    _record(sink, "popup", "a new window was closed" + ("" if empty else f": {popup.url[:500]}"))
    with contextlib.suppress(PlaywrightError):
        await popup.close(run_before_unload=False)


def _on_console(sink: list[ConsoleMessage], message) -> None:
    if message.type in ("error", "warning") and len(sink) < 500:
        location = message.location or {}
        sink.append(
            ConsoleMessage(type=message.type, text=message.text[:2000], location=str(location.get("url", ""))[:1000])
        )


def _redirects(response: Response | None) -> list[Redirect]:
    chain: list[Redirect] = []
    request = response.request.redirected_from if response else None
    while request is not None:
        chain.append(Redirect(url=request.url, status=None))
        request = request.redirected_from
    return list(reversed(chain))


async def settle(page: Page, limits: PageLimits, load_timeout: float | None = None) -> SettleInfo:
    """Wait, event-driven and bounded, until the page has loaded and is quiet.

    The wait for ``load`` is bounded by ``load_timeout`` (default: ``limits.settle_max``). Then, in one wait of at
    most ``limits.settle_max``: nothing pending that the quiet tracker (:mod:`auditor.capture.quiet`, installed on
    every visit's context) counts — requests in flight, scripts and frames loading, timers due within
    ``SETTLE_TIMER_HORIZON_S`` — and the DOM still for ``limits.quiet_window``. A page that is quiet when ``load``
    fires costs that window and no more (``networkidle`` alone costs 500 ms, and the DOM wait used to follow it).
    A page without the tracker (a context the auditor did not prepare) waits for ``networkidle`` and a still DOM.
    """
    started = time.monotonic()
    try:
        await page.wait_for_load_state("load", timeout=max(load_timeout or limits.settle_max, 0.05) * 1000)
    except PlaywrightError:
        return SettleInfo(reason="load-timeout", waited_ms=round((time.monotonic() - started) * 1000, 1))
    quiet = await wait_quiet(
        page, limits.settle_max, quiet_ms=round(limits.quiet_window * 1000), horizon_s=SETTLE_TIMER_HORIZON_S
    )
    if quiet.tracked:
        reason = "load,quiet" if quiet.quiet else f"load,not-quiet ({quiet.reason})"
    else:
        reason = "load," + await _settle_untracked(page, limits)
    return SettleInfo(reason=reason, waited_ms=round((time.monotonic() - started) * 1000, 1))


async def _settle_untracked(page: Page, limits: PageLimits) -> str:
    """``networkidle``, then a still DOM, within ``limits.settle_max``: the settle of a page without the tracker."""
    deadline = time.monotonic() + limits.settle_max
    try:
        await page.wait_for_load_state("networkidle", timeout=limits.settle_max * 1000)
    except PlaywrightError:
        return "networkidle-timeout"
    remaining = deadline - time.monotonic()
    if remaining <= 0.05:
        return "networkidle"
    try:
        result = await page.evaluate(_DOM_QUIET_JS, [limits.quiet_window * 1000, remaining * 1000])
    except PlaywrightError:
        return "networkidle,dom-wait-interrupted"
    return f"networkidle,{result['reason']}"


async def collect_links(page: Page, truncated: list[str] | None = None) -> list[Link]:
    """Every link-like element in every frame, piercing open shadow roots, in full-page coordinates.

    At most ``MAX_LINKS`` links from at most ``MAX_FRAMES`` frames; what was left out is added to ``truncated``.
    """
    links: list[Link] = []
    offsets: dict[Frame, tuple[float, float, bool] | None] = {}
    frames = page.frames
    total = 0
    for frame in frames[:MAX_FRAMES]:
        offset = await _frame_offset(frame, offsets)
        if offset is None:
            continue
        try:
            found = json.loads(await frame.evaluate(_LINKS_AS_JSON_JS, max(MAX_LINKS - len(links), 0)))
        except PlaywrightError:
            continue
        total += int(found.get("total", len(found["links"])))
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
    if truncated is not None:
        if len(frames) > MAX_FRAMES:
            truncated.append(f"links: the page has {len(frames)} frames; links were read from the first {MAX_FRAMES}")
        if total > len(links):
            truncated.append(
                f"links: {total} link-like elements on the page; {len(links)} were kept, the first and last in "
                "document order (headers and footers)"
            )
    return links


async def _frame_offset(
    frame: Frame, known: dict[Frame, tuple[float, float, bool] | None]
) -> tuple[float, float, bool] | None:
    """(x, y, visible) of a frame's document origin in the top page's document coordinates.

    Parents are looked up in ``known`` (filled as frames are visited, parents first), so deep nesting costs one
    call per frame rather than one per ancestor.
    """
    if frame in known:
        return known[frame]
    parent = frame.parent_frame
    if parent is None:
        known[frame] = (0.0, 0.0, True)
        return known[frame]
    base = await _frame_offset(parent, known)
    try:
        element = await frame.frame_element()
        rect = await element.evaluate(
            "e => { const r = e.getBoundingClientRect();"
            " return {x: r.left + scrollX, y: r.top + scrollY, w: r.width, h: r.height}; }"
        )
    except PlaywrightError:
        base = None
    known[frame] = (
        None
        if base is None
        else (base[0] + rect["x"], base[1] + rect["y"], base[2] and rect["w"] > 0 and rect["h"] > 0)
    )
    return known[frame]


async def _visible_text(page: Page, limits: PageLimits, truncated: list[str]) -> str:
    try:
        found = await page.evaluate(_TEXT_JS, limits.max_body_bytes)
    except PlaywrightError:
        return ""
    text, cut = cap_text(found["text"] or "", limits.max_body_bytes)
    if cut or found["length"] > len(found["text"] or ""):
        truncated.append(f"visible text: {found['length']} characters; the first {limits.max_body_bytes} bytes kept")
    return text


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


async def _save_dom(page: Page, capture: PageCapture, site_dir: Path, prefix: str, limits: PageLimits) -> None:
    """The DOM snapshot, cut to ``limits.max_body_bytes`` in the page."""
    folder = site_dir / prefix
    folder.mkdir(parents=True, exist_ok=True)
    html, length = await read_dom(page, limits.max_body_bytes)
    if len(html) < length:
        capture.truncated.append(
            f"DOM snapshot: {length} characters; the first {limits.max_body_bytes} bytes were saved"
        )
    (folder / "dom.html").write_text(html, encoding="utf-8")
    capture.dom_path = f"{prefix}/dom.html"


async def _save_screenshots(page: Page, capture: PageCapture, site_dir: Path, prefix: str, limits: PageLimits) -> None:
    """Viewport and full-page screenshots (the latter clipped at ``limits.max_screenshot_height``).

    A page that fits in the viewport is photographed once: its full-page screenshot is the viewport's, byte for
    byte, so the one image is saved under both names (a screenshot costs ~60 ms of CPU).

    A screenshot illustrates what was read; it is not what a rule judges. So one that runs out of time on a page
    that still answers (a tall page on a busy machine) is left out and recorded in ``truncated``, and the capture
    goes on; only a page that no longer answers at all fails the capture (``TimeoutError``).
    """
    folder = site_dir / prefix
    folder.mkdir(parents=True, exist_ok=True)
    viewport = page.viewport_size or {"width": 1280, "height": 800}
    size = await _bounded(page.evaluate(_PAGE_SIZE_JS), limits.step_timeout) or {}
    page_width, page_height = int(size.get("width") or 0), int(size.get("height") or 0)
    shot = folder / "viewport.png"
    if await _screenshot_or_note(page, capture, "viewport screenshot", limits, path=shot):
        capture.viewport_screenshot = ScreenshotArtifact(
            path=f"{prefix}/viewport.png", width=viewport["width"], height=viewport["height"]
        )
        if page_width <= viewport["width"] and page_height <= viewport["height"]:
            shutil.copyfile(shot, folder / "full.png")
            capture.full_screenshot = capture.viewport_screenshot.model_copy(update={"path": f"{prefix}/full.png"})
            return
    clip: FloatRect | None = None
    if page_height > limits.max_screenshot_height:
        clip = {"x": 0, "y": 0, "width": viewport["width"], "height": limits.max_screenshot_height}
        capture.truncated.append(
            f"full-page screenshot: the page is {page_height} px tall; the top {limits.max_screenshot_height} px "
            "were captured"
        )
    shot = folder / "full.png"
    if await _screenshot_or_note(page, capture, "full-page screenshot", limits, path=shot, full_page=True, clip=clip):
        width, height = png_size(shot)
        capture.full_screenshot = ScreenshotArtifact(path=f"{prefix}/full.png", width=width, height=height)


async def _screenshot_or_note(page: Page, capture: PageCapture, what: str, limits: PageLimits, **options) -> bool:
    """Take one screenshot; True when it was saved. One that ran out of time is noted in ``capture.truncated`` if
    the page still answers a trivial script, and raises ``TimeoutError`` (the page is hung) if it does not."""
    seconds = limits.step_timeout * (2 if options.get("full_page") else 1)
    try:
        await _bounded(page.screenshot(timeout=seconds * 1000, **options), seconds + 1)
        return True
    except (TimeoutError, PlaywrightError) as error:
        if isinstance(error, PlaywrightError) and "Timeout" not in str(error):
            raise
    await _bounded(page.evaluate("1"), limits.step_timeout)  # still answering? if not: TimeoutError, a hung page
    capture.truncated.append(f"{what}: not taken: it took longer than {seconds:g} s (a busy machine or a huge page)")
    return False


def png_size(path: Path) -> tuple[int, int]:
    """Width and height of a PNG file, read from its header."""
    header = path.read_bytes()[:24]
    return int.from_bytes(header[16:20], "big"), int.from_bytes(header[20:24], "big")


# Why the other visits of a site are skipped (auditor.homepage.homepage_flaw), in the crawl's words.
_SKIPPED_BECAUSE = {
    "not_loaded": "the homepage could not be loaded: {detail}",
    "bot_check": "the homepage showed a bot check: {detail}",
    "other_site": "the homepage redirected to another site ({detail})",
    "http_error": "the homepage answered HTTP {detail}",
    "incomplete": "{detail}",
}


def homepage_unusable(capture: PageCapture) -> str | None:
    """Why a homepage capture is of no use to the audit, so other visits of the site would be wasted; or None."""
    flaw = homepage_flaw(capture)
    return None if flaw is None else _SKIPPED_BECAUSE[flaw[0]].format(detail=flaw[1])


def detect_bot_wall(capture: PageCapture) -> str | None:
    """Why the page looks like a bot check or block page, or None."""
    if _BOT_WALL_TITLE.search(capture.title or ""):
        return f"page title {capture.title!r} looks like a bot check"
    if capture.status in (403, 429, 503) and len(capture.visible_text) < 2000 and len(capture.links) < 5:
        return f"HTTP {capture.status} with an almost empty page"
    return None
