"""When is the page quiet? The consent capture's bounded, event-driven "nothing more is coming" wait.

``js/quiet.js`` runs in every frame before the page's scripts (installed on the context by
:func:`install_quiet_tracker`) and counts what could still change the page: timers due soon that have not fired
(a tag manager's delayed consent manager), scripts and frames still loading, requests in flight, and when the DOM
last changed. :func:`wait_quiet` resolves as soon as none is pending and the DOM has been still for a moment, so a
site with no late consent manager pays well under a second, while one injected 3-8 s after ``load`` is waited for.
Timers that re-arm themselves (polls) stop counting after a few rounds; the deadline bounds the rest.

What the page's own script cannot see, the browser reports to :class:`RequestsInFlight`: every request of every
frame of the page, cross-origin frames and module imports (``import()``, neither fetch nor XHR) included. A page
is quiet only when none of its documents, scripts, style sheets or data requests is still loading (one loading for
``REQUEST_AGE_LIMIT_S`` or longer is a long poll or a hung server, and stops counting).

The page settle (:func:`auditor.capture.page.settle`) uses it too, with a short timer horizon: a page counts as
settled when nothing due within a second is pending and the DOM has been still for ``quiet_window``; the consent
capture's late-CMP wait then looks up to its own deadline (a consent manager injected 3-8 s after ``load``).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from dataclasses import dataclass
from importlib.resources import files

from playwright.async_api import BrowserContext, Frame, Page, Request
from playwright.async_api import Error as PlaywrightError

QUIET_TRACKER_JS = files("auditor.capture").joinpath("js/quiet.js").read_text(encoding="utf-8")
QUIET_MS = 150  # how long the DOM must stay still, with nothing pending, for a page to be quiet (and settled)
# The requests whose answer can still change what a page shows (images, fonts, media, beacons cannot, or not soon).
WATCHED_REQUEST_TYPES = frozenset({"document", "script", "stylesheet", "xhr", "fetch"})
REQUEST_AGE_LIMIT_S = 5.0  # a request loading this long is a long poll or a hung server: it stops holding the wait
_WAIT_JS = "(a) => window.__auditorQuiet ? window.__auditorQuiet.waitQuiet(a) : null"
_STATE_JS = "(h) => window.__auditorQuiet ? window.__auditorQuiet.state(performance.now() + h) : null"


@dataclass
class Quiet:
    """How a quiet wait ended."""

    quiet: bool
    waited_ms: float
    reason: str
    tracked: bool = True  # False: the page has no tracker, so nothing was known about it

    @classmethod
    def from_page(cls, raw: dict | None, waited_ms: float, max_s: float) -> Quiet:
        if raw is None:
            return cls(False, waited_ms, "the page has no quiet tracker (its context was not prepared)", tracked=False)
        if raw.get("quiet"):
            return cls(True, waited_ms, f"quiet after {waited_ms / 1000:.1f} s")
        pending = _pending_words(raw)
        return cls(False, waited_ms, f"not quiet within {max_s:.0f} s ({pending})")


def _pending_words(raw: dict) -> str:
    parts = []
    for key, noun in (
        ("timers", "timer"),
        ("frames", "animation frame or idle callback"),
        ("loading", "script or frame loading"),
        ("requests", "request"),
        ("frame_requests", "request of the page's frames"),
    ):
        count = int(raw.get(key) or 0)
        if count:
            plural = "s" if count > 1 and noun in ("timer", "request") else ""
            parts.append(f"{count} {noun}{plural} pending")
    if raw.get("answered_late"):
        parts.append("a request of the page's frames was answered just before the deadline")
    if not parts:
        parts.append("the DOM kept changing")
    return ", ".join(parts)


class RequestsInFlight:
    """The requests of a context's pages that are still loading, as the browser reports them (every frame's).

    Only the kinds in ``WATCHED_REQUEST_TYPES`` count, each for at most ``REQUEST_AGE_LIMIT_S``. ``ended`` is when
    the last of a page's watched requests was answered (what it brought may still be rendering).
    """

    def __init__(self) -> None:
        self._open: dict[Request, tuple[Page, float]] = {}
        self.ended: dict[Page, float] = {}
        self._answered = asyncio.Event()

    def attach(self, context: BrowserContext) -> None:
        context.on("request", self._on_request)
        context.on("requestfinished", self._on_end)
        context.on("requestfailed", self._on_end)
        context.on("close", self._forget)

    def _forget(self, _context: BrowserContext) -> None:
        self._open.clear()
        self.ended.clear()

    def _on_request(self, request: Request) -> None:
        if request.resource_type not in WATCHED_REQUEST_TYPES:
            return
        try:
            page = request.frame.page
        except PlaywrightError:  # a new window's first navigation, a service worker's request: no page to hold
            return
        self._open[request] = (page, time.monotonic())

    def _on_end(self, request: Request) -> None:
        opened = self._open.pop(request, None)
        if opened is not None:
            self.ended[opened[0]] = time.monotonic()
            self._answered.set()

    def loading(self, page: Page) -> int:
        """How many of ``page``'s requests are loading and younger than the age limit (older ones are forgotten)."""
        now = time.monotonic()
        count = 0
        for request, (owner, started) in list(self._open.items()):
            if now - started >= REQUEST_AGE_LIMIT_S:
                del self._open[request]
            elif owner is page:
                count += 1
        return count

    async def wait_loaded(self, page: Page, until: float) -> int:
        """Wait until none of ``page``'s requests is loading, or the monotonic time ``until``; how many still are."""
        while (count := self.loading(page)) and time.monotonic() < until:
            self._answered.clear()
            oldest = min(started for owner, started in self._open.values() if owner is page)
            wake = min(until, oldest + REQUEST_AGE_LIMIT_S) - time.monotonic()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._answered.wait(), max(wake, 0.001))
        return count


def requests_in_flight(context: BrowserContext) -> RequestsInFlight | None:
    """The context's request tracker (:func:`install_quiet_tracker` installs it), or None."""
    return getattr(context, "_auditor_requests_in_flight", None)


async def install_quiet_tracker(context: BrowserContext) -> None:
    """Add the tracker to every document of ``context``, and watch its requests; call before the first navigation."""
    if requests_in_flight(context) is None:
        tracker = RequestsInFlight()
        tracker.attach(context)
        context._auditor_requests_in_flight = tracker  # type: ignore[attr-defined]
    await context.add_init_script(QUIET_TRACKER_JS)


async def wait_quiet(
    frame: Page | Frame, max_s: float, quiet_ms: int = QUIET_MS, horizon_s: float | None = None
) -> Quiet:
    """Wait until ``frame`` is quiet (nothing pending, DOM still for ``quiet_ms``), at most ``max_s`` seconds.

    Timers count when they are due before the deadline, or within ``horizon_s`` of the start when it is given
    (the page settle: a timer due in 8 s is a late consent manager for the consent capture to wait for, not
    a reason to hold every page load). When the page's script finds it quiet while the browser still loads a
    request for one of the page's frames (:class:`RequestsInFlight`), the wait goes on until that request is done
    and the page is quiet again."""
    started = time.monotonic()
    max_s = max(0.05, max_s)
    deadline = started + max_s
    page = frame if isinstance(frame, Page) else frame.page
    network = requests_in_flight(page.context)
    while True:
        left = max(0.05, deadline - time.monotonic())
        options = {"quietMs": quiet_ms, "maxMs": left * 1000}
        if horizon_s is not None:
            options["horizonMs"] = max(0.0, started + horizon_s - time.monotonic()) * 1000
        try:
            raw = await asyncio.wait_for(frame.evaluate(_WAIT_JS, options), left + 2.0)
        except TimeoutError:
            raw = {"quiet": False}
        except PlaywrightError:
            # the document went away (a navigation): whatever comes next is a new page, not quiet yet
            return Quiet(False, (time.monotonic() - started) * 1000, "the page navigated while waiting")
        if raw is None or not raw.get("quiet") or network is None:
            break
        # Quiet to the page's script; the browser may still be loading something for one of its frames, or have
        # just answered it (what it brought renders next): then the wait goes on, and the window starts again.
        still = await network.wait_loaded(page, deadline)
        if still:
            raw = {**raw, "quiet": False, "frame_requests": still}
            break
        since_answer = time.monotonic() - network.ended.get(page, float("-inf"))
        if since_answer * 1000 >= quiet_ms:
            break
        if time.monotonic() >= deadline:
            raw = {**raw, "quiet": False, "answered_late": True}
            break
        await asyncio.sleep(min(quiet_ms / 1000 - since_answer, max(deadline - time.monotonic(), 0)))
    return Quiet.from_page(raw, round((time.monotonic() - started) * 1000, 1), max_s)


async def pending_now(frame: Page | Frame, horizon_s: float) -> dict | None:
    """What the tracker counts as pending now (timers due within ``horizon_s``), or None without a tracker."""
    try:
        return await frame.evaluate(_STATE_JS, horizon_s * 1000)
    except PlaywrightError:
        return None
