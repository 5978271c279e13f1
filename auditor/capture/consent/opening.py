"""Click something that should open the opt-out, and find out what it opened: the consent-UI driver's one way in.

Whatever the control is (a link, ``href="#"`` with an onclick, ``javascript:void(0)``, a button styled as a link, a
floating icon, a banner's settings button) the click is followed by one bounded, event-driven wait for what a
visitor would see next:

- a navigation of the page (a real one, or an in-page route change of a single-page app) or a new tab: the page,
  once it has settled and is quiet;
- a panel: whatever became visible that holds controls, a frame or consent buttons (a dialog, a drawer, a banner
  that grew its settings), in the document or in an open shadow root; when that panel is a frame (TrustArc- and
  Sourcepoint-style preference managers, same- or cross-origin), the frame's document is the panel;
- nothing: the page went quiet and nothing appeared. Whether the DOM changed at all is recorded, so a check can
  tell a link that does nothing from one that did something the auditor could not read.

A click that opened nothing is tried once more after the page is quiet (a consent manager may still be loading).
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import urldefrag

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Frame, Page, Response

from auditor.capture.consent.actions import StepLog, click
from auditor.capture.consent.dom import call
from auditor.capture.page import PageLimits, settle
from auditor.capture.quiet import pending_now, wait_quiet
from auditor.capture.visit import Visit

Outcome = Literal["page", "new_tab", "dialog", "nothing", "error"]
APPEAR_WAIT_S = 5.0  # the most a click waits for something to open
RENDER_WAIT_S = 3.0  # once something opened, how long it may take to finish rendering
FRAME_LOAD_S = 10.0  # a preference manager in a frame: how long its document may take to load
TARGET_SETTLE = PageLimits(navigation_timeout=20.0, settle_max=6.0)


@dataclass
class Opened:
    """What a click opened."""

    outcome: Outcome
    page: Page  # the page now in front (a new tab's page when the click opened one)
    frame: Frame | None = None  # where the panel's controls live: the page's main frame or a frame inside it
    root_ref: str | None = None  # the panel element in ``frame``; None when the panel is the frame's whole document
    found_by: str = ""
    status: int | None = None  # HTTP status of the page a navigation reached
    page_changed: bool = False  # for "nothing": the DOM changed although nothing usable appeared
    error: str | None = None
    notes: list[str] = field(default_factory=list)


async def open_by_click(
    visit: Visit, page: Page, frame: Frame, ref: str, what: str, log: StepLog, *, user: bool = True
) -> Opened:
    """Click the element ``ref`` of ``frame`` (in ``page``) as a visitor would and return what it opened."""
    opened = await _click_once(visit, page, frame, ref, what, log, user=user)
    if opened.outcome == "nothing" and not opened.page_changed:
        quiet = await wait_quiet(page, RENDER_WAIT_S)
        log.add("wait", "before clicking again", f"nothing opened; the page is {quiet.reason}")
        again = await _click_once(visit, page, frame, ref, f"{what} (again)", log, user=False)
        if again.outcome != "nothing" or again.page_changed:
            return again
    return opened


async def _click_once(
    visit: Visit, page: Page, frame: Frame, ref: str, what: str, log: StepLog, *, user: bool
) -> Opened:
    statuses: dict[str, int] = {}
    popups: list[Page] = []
    navigated = asyncio.Event()
    before_url = urldefrag(page.url).url

    def on_response(response: Response) -> None:
        with contextlib.suppress(PlaywrightError):
            if response.request.is_navigation_request() and response.frame == page.main_frame:
                statuses[urldefrag(response.url).url] = response.status

    def on_navigated(navigated_frame: Frame) -> None:
        if navigated_frame == page.main_frame and urldefrag(navigated_frame.url).url != before_url:
            navigated.set()

    def on_page(new_page: Page) -> None:
        popups.append(new_page)

    with contextlib.suppress(PlaywrightError):
        await call(page, "markSeen")
    before = await pending_now(page, 0)
    page.on("response", on_response)
    page.on("framenavigated", on_navigated)
    visit.context.on("page", on_page)
    try:
        if not await click(frame, ref, what, log, user=user):
            return Opened("error", page, error="the element could not be clicked")
        outcome, panel = await _await_outcome(page, navigated, popups)
    finally:
        page.remove_listener("response", on_response)
        page.remove_listener("framenavigated", on_navigated)
        visit.context.remove_listener("page", on_page)
    if outcome == "new_tab" and popups and not popups[0].is_closed():
        page = popups[0]
    if outcome in ("page", "new_tab"):
        await settle_target(page, log, outcome)
        return Opened(outcome, page, page.main_frame, None, "the page", status=statuses.get(urldefrag(page.url).url))
    if outcome == "dialog" and panel is not None:
        return await _panel(page, panel, log)
    after = await pending_now(page, 0)
    changed = before is not None and after is not None and after.get("changes") != before.get("changes")
    detail = "the page changed, but nothing usable appeared" if changed else "the page did not change"
    log.add("wait", "after the click", f"nothing opened within {APPEAR_WAIT_S:.0f} s ({detail})", ok=False)
    return Opened("nothing", page, page_changed=changed)


async def _await_outcome(page: Page, navigated: asyncio.Event, popups: list[Page]) -> tuple[Outcome, dict | None]:
    """The first of: a navigation, a new tab, a panel appearing; else "nothing" once the page is quiet or time is up."""
    appeared = asyncio.ensure_future(call(page, "waitForAppeared", {"timeoutMs": APPEAR_WAIT_S * 1000}))
    nav = asyncio.ensure_future(navigated.wait())
    quiet = asyncio.ensure_future(_quiet_after_click(page))
    loop = asyncio.get_running_loop()
    deadline = loop.time() + APPEAR_WAIT_S + 1
    try:
        pending: set[asyncio.Future] = {appeared, nav, quiet}
        while pending and loop.time() < deadline:
            done, pending = await asyncio.wait(
                pending, timeout=deadline - loop.time(), return_when=asyncio.FIRST_COMPLETED
            )
            if popups:
                return "new_tab", None
            if nav in done:
                return "page", None
            if appeared in done:
                if appeared.exception() is not None:
                    continue  # the document went away: a navigation is coming
                found = appeared.result().get("dialog")
                if found:
                    return "dialog", found
            if quiet in done:
                found = await _appeared_now(page)  # the last word: quiet means nothing more is coming
                if found:
                    return "dialog", found
                pending.discard(appeared)
                break
        if popups:
            return "new_tab", None
        return ("page", None) if navigated.is_set() else ("nothing", None)
    finally:
        for task in (appeared, nav, quiet):
            task.cancel()


async def _quiet_after_click(page: Page) -> bool:
    await asyncio.sleep(0.3)  # the click's own handlers run first
    state = await wait_quiet(page, APPEAR_WAIT_S)
    return state.quiet


async def _appeared_now(page: Page) -> dict | None:
    try:
        return await call(page, "appeared", {})
    except PlaywrightError:
        return None


async def settle_target(page: Page, log: StepLog, outcome: str) -> None:
    """Let a page the click reached load, settle and go quiet (a single-page app renders after its route)."""
    with contextlib.suppress(PlaywrightError):
        await page.wait_for_load_state("domcontentloaded", timeout=TARGET_SETTLE.navigation_timeout * 1000)
    info = await settle(page, TARGET_SETTLE)
    quiet = await wait_quiet(page, TARGET_SETTLE.settle_max)
    tab = "new tab" if outcome == "new_tab" else "same tab"
    log.add("navigate", page.url, f"{tab}; settled: {info.reason}; {quiet.reason}")


async def _panel(page: Page, found: dict, log: StepLog) -> Opened:
    """Let what opened finish rendering, then find where its controls live (itself, or a frame inside it)."""
    quiet = await wait_quiet(page, RENDER_WAIT_S)
    final = await _appeared_now(page) or found
    log.add("observe", "opened", f"{final['found_by']}; {quiet.reason}")
    frame = await _panel_frame(page, final)
    if frame is not None:
        with contextlib.suppress(PlaywrightError):
            await frame.wait_for_load_state("load", timeout=FRAME_LOAD_S * 1000)
        frame_quiet = await wait_quiet(frame, RENDER_WAIT_S)
        log.add("observe", "panel in a frame", f"{frame.url[:300]}; {frame_quiet.reason}")
        return Opened("dialog", page, frame, None, f"{final['found_by']} (a frame: {frame.url[:300]})")
    return Opened("dialog", page, page.main_frame, final["ref"], final["found_by"])


async def _panel_frame(page: Page, found: dict) -> Frame | None:
    """The frame whose element is inside the opened panel, when the panel has no controls of its own."""
    refs = set(found.get("frames") or [])
    if not refs:
        return None
    with contextlib.suppress(PlaywrightError):
        own = await call(page, "readControls", {"ref": found["ref"]})
        if own.get("toggles"):
            return None
    for frame in page.frames:
        if frame.parent_frame is None:
            continue
        try:
            element = await frame.frame_element()
            ref = await element.get_attribute("data-auditor-ref")
        except PlaywrightError:
            continue
        if ref in refs:
            return frame
    return None
