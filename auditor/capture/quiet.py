"""When is the page quiet? The consent capture's bounded, event-driven "nothing more is coming" wait.

``js/quiet.js`` runs in every frame before the page's scripts (installed on the context by
:func:`install_quiet_tracker`) and counts what could still change the page: timers due soon that have not fired
(a tag manager's delayed consent manager), scripts and frames still loading, requests in flight, and when the DOM
last changed. :func:`wait_quiet` resolves as soon as none is pending and the DOM has been still for a moment, so a
site with no late consent manager pays well under a second, while one injected 3-8 s after ``load`` is waited for.
Timers that re-arm themselves (polls) stop counting after a few rounds; the deadline bounds the rest.

The page settle (:func:`auditor.capture.page.settle`) uses it too, with a short timer horizon: a page counts as
settled when nothing due within a second is pending and the DOM has been still for ``quiet_window``; the consent
capture's late-CMP wait then looks up to its own deadline (a consent manager injected 3-8 s after ``load``).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from importlib.resources import files

from playwright.async_api import BrowserContext, Frame, Page
from playwright.async_api import Error as PlaywrightError

QUIET_TRACKER_JS = files("auditor.capture").joinpath("js/quiet.js").read_text(encoding="utf-8")
QUIET_MS = 300  # how long the DOM must stay still, with nothing pending, for a page to be quiet (and settled)
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
    for key, noun in (("timers", "timer"), ("loading", "script or frame loading"), ("requests", "request")):
        count = int(raw.get(key) or 0)
        if count:
            parts.append(f"{count} {noun}{'s' if count > 1 and noun != 'script or frame loading' else ''} pending")
    if not parts:
        parts.append("the DOM kept changing")
    return ", ".join(parts)


async def install_quiet_tracker(context: BrowserContext) -> None:
    """Add the tracker to every document of ``context``; call before the first navigation."""
    await context.add_init_script(QUIET_TRACKER_JS)


async def wait_quiet(
    frame: Page | Frame, max_s: float, quiet_ms: int = QUIET_MS, horizon_s: float | None = None
) -> Quiet:
    """Wait until ``frame`` is quiet (nothing pending, DOM still for ``quiet_ms``), at most ``max_s`` seconds.

    Timers count when they are due before the deadline, or within ``horizon_s`` of the start when it is given
    (the page settle: a timer due in 8 s is a late consent manager for the consent capture to wait for, not
    a reason to hold every page load)."""
    loop = asyncio.get_running_loop()
    started = loop.time()
    max_s = max(0.05, max_s)
    options = {"quietMs": quiet_ms, "maxMs": max_s * 1000}
    if horizon_s is not None:
        options["horizonMs"] = horizon_s * 1000
    try:
        raw = await asyncio.wait_for(frame.evaluate(_WAIT_JS, options), max_s + 2.0)
    except TimeoutError:
        raw = {"quiet": False}
    except PlaywrightError:
        # the document went away (a navigation): whatever comes next is a new page, not quiet yet
        return Quiet(False, (loop.time() - started) * 1000, "the page navigated while waiting")
    return Quiet.from_page(raw, round((loop.time() - started) * 1000, 1), max_s)


async def pending_now(frame: Page | Frame, horizon_s: float) -> dict | None:
    """What the tracker counts as pending now (timers due within ``horizon_s``), or None without a tracker."""
    try:
        return await frame.evaluate(_STATE_JS, horizon_s * 1000)
    except PlaywrightError:
        return None
