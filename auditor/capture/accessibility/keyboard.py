"""The opt-out with the keyboard alone, as a step log: Tab to the entry, Enter opens it, Tab and Space on its controls.

Starts with nothing focused at the top of the homepage, as a keyboard visitor arrives. Tab until the entry (the
"Do Not Sell or Share" link, or the banner's settings button) has the focus; if the focus comes back to where it
was without reaching it, the entry is not in the page's tab order, and if it keeps circling inside the banner
(and Escape does not let it out) the banner traps the focus. Enter on the entry must open the opt-out: a dialog
or a page. Then Tab through it: each toggle must take the focus and Space must switch it (it is switched back at
once: nothing is saved), and the save button must take the focus. Where a key does nothing, a pointer click on
the same element is the comparison that proves the difference. Nothing here judges; the check reads the log.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page

from auditor.capture.accessibility.axe import call
from auditor.capture.failures import one_line
from auditor.evidence.accessibility import KeyboardWalk, KeyName, KeyStep

MAX_TABS_TO_ENTRY = 250  # a footer link on a long homepage can be 150 stops away
MAX_TABS_IN_NOTICE = 80
POINTER_CLICK_MS = 2000
OPEN_WAIT = 3.0  # seconds a key press or click gets to open a dialog or start a navigation
ESCAPE_TABS = 4  # Tab presses after Escape to see whether the focus can leave the banner

Focus = dict[str, Any]


@dataclass
class Opened:
    """What Enter (or the comparison click) opened: a dialog in the homepage, or another page."""

    kind: str  # "dialog" or "page"
    selector: str  # the notice's element ([data-auditor-a11y-notice="1"]); the whole page for a page
    description: str
    toggles: list[dict[str, Any]] = field(default_factory=list)
    saves: list[str] = field(default_factory=list)
    opened_by: str = "keyboard"
    http_status: int | None = None  # a page's HTTP status, when the browser reports it


@dataclass
class Entry:
    """The control that opens the opt-out, as the walk finds it in the page."""

    kind: Literal["dns_link", "banner_settings"]
    label: str
    selector: str | None = None  # an attribute selector, when capture tagged it already
    text: str = ""
    href: str = ""


class Walk:
    """One keyboard walk on a live page, with its step log."""

    def __init__(self, page: Page, banner_selector: str | None, deadline: float) -> None:
        self.page = page
        self.banner = banner_selector
        self.deadline = deadline
        self.record = KeyboardWalk(entry="none")

    def log(self, key: KeyName, goal: str, ok: bool, *, presses: int = 1, focused: str = "", detail: str = "") -> None:
        self.record.steps.append(
            KeyStep(key=key, presses=presses, goal=goal[:200], focused=focused[:200], ok=ok, detail=detail[:400])
        )

    async def focused(self) -> Focus:
        return await call(self.page, "focused", {"banner": self.banner})

    async def press(self, key: str) -> None:
        await self.page.keyboard.press(" " if key == "Space" else key)

    def out_of_time(self) -> bool:
        return time.monotonic() > self.deadline

    async def tab_until(self, wanted: Callable[[Focus], bool], limit: int) -> tuple[Focus | None, int, list[Focus]]:
        """Tab until ``wanted(focus)``; returns that focus (None if not reached), the presses, and the cycle if the
        focus came back to an element it had already visited (empty when the limit or the time ran out)."""
        order: list[str] = []
        seen: dict[str, Focus] = {}
        for presses in range(1, limit + 1):
            if self.out_of_time():
                return None, presses - 1, []
            await self.press("Tab")
            info = await self.focused()
            if wanted(info):
                return info, presses, []
            key = info["key"]
            if key in seen and any(k != "page" for k in order):
                start = order.index(key)
                return None, presses, [seen[k] for k in order[start:]]
            order.append(key)
            seen[key] = info
        return None, limit, []


async def walk_to_optout(page: Page, entry: Entry, banner_selector: str | None, banner_modal: bool, budget: float):
    """Do the opt-out by keyboard from the top of ``page``; returns the walk and what was opened (or None)."""
    walk = Walk(page, banner_selector, time.monotonic() + budget)
    record = walk.record
    record.entry = entry.kind
    record.entry_label = entry.label
    record.banner_modal = banner_modal
    marked = await call(page, "markEntry", {"selector": entry.selector, "text": entry.text, "href": entry.href})
    if not marked.get("found"):
        walk.log("note", f"find {entry.label}", False, detail="the element was not in the page any more")
        return record, None
    record.entry_focusable = bool(marked["in_tab_order"])
    await call(page, "resetFocus")
    goal = f"reach {entry.label} with Tab"

    def wanted(focused: dict) -> bool:
        return bool(focused.get("entry"))

    far = marked.get("stops_before")
    # As far as the presses would get (not reached: review), without their cost on a page of thousands of links.
    skipped = far is not None and far > MAX_TABS_TO_ENTRY
    reached, presses, cycle = (None, 0, []) if skipped else await walk.tab_until(wanted, MAX_TABS_TO_ENTRY)
    if reached is None and _circles_in_banner(cycle) and not banner_modal:
        walk.log("Tab", goal, False, presses=presses, detail=_cycle_words(cycle, "inside the banner"))
        if await _escape_banner(walk):
            reached, presses, cycle = await walk.tab_until(wanted, MAX_TABS_TO_ENTRY)
        else:
            record.trapped_in = "the consent banner"
            cycle = cycle or [{}]
    record.entry_reached = True if reached is not None else (False if cycle else None)
    if reached is not None:
        walk.log("Tab", goal, True, presses=presses, focused=reached["desc"])
    elif skipped:
        detail = f"more than {MAX_TABS_TO_ENTRY} Tab stops lie before it in the page (the walk's limit): not walked"
        walk.log("Tab", goal, False, presses=0, detail=detail)
    elif not record.trapped_in:
        walk.log("Tab", goal, False, presses=presses, detail=_not_reached(cycle, presses, banner_modal))
    url_before = page.url
    opened: Opened | None = None
    if reached is not None:
        await call(page, "markShown")
        await walk.press("Enter")
        opened = await _await_opened(page, url_before, banner_selector if entry.kind == "dns_link" else None)
        record.opened = opened is not None
        walk.log(
            "Enter",
            f"open the opt-out from {entry.label}",
            opened is not None,
            focused=(await _safe_focus(walk)).get("desc", ""),
            detail=f"opened {opened.description}" if opened else f"nothing opened within {OPEN_WAIT:g} s",
        )
    if opened is None:
        opened = await _pointer_comparison(walk, entry, url_before)
    if opened is not None and not walk.out_of_time():
        await _walk_controls(walk, opened)
    return record, opened


def _circles_in_banner(cycle: list[Focus]) -> bool:
    """The focus went round only elements of the banner."""
    inside = [f for f in cycle if not f.get("page")]
    return bool(inside) and len(inside) == len(cycle) and all(f.get("in_banner") for f in inside)


def _cycle_words(cycle: list[Focus], where: str) -> str:
    stops = [f.get("desc", "") for f in cycle if not f.get("page")]
    return f"the focus circles {where} ({len(stops)} stops: {', '.join(stops[:6])})"


async def _escape_banner(walk: Walk) -> bool:
    """Escape, then a few Tabs: can the focus leave the banner at all?"""
    await walk.press("Escape")
    for presses in range(1, ESCAPE_TABS + 1):
        await walk.press("Tab")
        info = await walk.focused()
        if not info.get("in_banner"):
            walk.log("Escape", "leave the banner", True, presses=1, focused=info["desc"], detail=f"then Tab x{presses}")
            return True
    walk.log(
        "Escape", "leave the banner", False, detail=f"Escape then Tab x{ESCAPE_TABS}: the focus stays in the banner"
    )
    return False


def _not_reached(cycle: list[Focus], presses: int, banner_modal: bool) -> str:
    if not cycle:
        return f"stopped after {presses} presses without reaching it (the walk's limit)"
    if _circles_in_banner(cycle) and banner_modal:
        return (
            _cycle_words(cycle, "inside the banner") + ", which covers the page: a modal dialog, left by answering it"
        )
    return f"the focus went round the whole page ({len(cycle)} stops) without reaching it"


async def _safe_focus(walk: Walk) -> Focus:
    try:
        return await walk.focused()
    except PlaywrightError:
        return {}


async def _await_opened(page: Page, url_before: str, exclude: str | None) -> Opened | None:
    """A dialog that appeared, or the page the browser navigated to, within OPEN_WAIT; None when nothing opened."""
    deadline = time.monotonic() + OPEN_WAIT
    while time.monotonic() < deadline:
        await asyncio.sleep(0.15)
        if page.url != url_before:
            return await _opened_page(page)
        try:
            found = await call(page, "opened", {"exclude": exclude})
        except PlaywrightError:  # the document went away: a navigation is under way
            return await _opened_page(page)
        if page.url != url_before:  # the new page committed while we looked: everything in it is "new"
            return await _opened_page(page)
        if found:
            return Opened("dialog", found["selector"], found["desc"], found["toggles"], found["saves"])
    return None


async def _opened_page(page: Page) -> Opened | None:
    with contextlib.suppress(PlaywrightError):
        await page.wait_for_load_state("load", timeout=10_000)
    try:
        found = await call(page, "readNotice", {})
        status = await call(page, "httpStatus")
    except PlaywrightError:
        return None
    opened = Opened("page", "", f"the page {page.url[:200]}", found["toggles"], found["saves"])
    opened.http_status = status or None
    return opened


async def _pointer_comparison(walk: Walk, entry: Entry, url_before: str) -> Opened | None:
    """Click the entry as a mouse user would: does it open what the keyboard could not?"""
    page = walk.page
    how = "a pointer click"
    try:
        await call(page, "markShown")
        await page.locator('[data-auditor-a11y-entry="1"]').first.click(timeout=POINTER_CLICK_MS)
    except PlaywrightError as error:  # a layer (often the banner) covers it: click it in the page instead
        how = f"element.click() (a pointer click failed: {one_line(error, limit=120)})"
        try:
            if not await call(page, "clickEntry"):
                raise PlaywrightError("the element is gone")
        except PlaywrightError as again:
            walk.log("note", f"click {entry.label} (comparison)", False, detail=one_line(again, limit=200))
            return None
    opened = await _await_opened(page, url_before, walk.banner if entry.kind == "dns_link" else None)
    walk.record.opened_by_pointer = opened is not None
    what = f"{how} opened {opened.description}" if opened else f"{how} opened nothing either"
    walk.log("note", f"click {entry.label} (comparison)", opened is not None, detail=what)
    if opened is not None:
        opened.opened_by = "pointer"
    return opened


async def _walk_controls(walk: Walk, opened: Opened) -> None:
    """Tab through the opened notice: each toggle reached and switched by Space, the save button reached."""
    record = walk.record
    record.toggles_total = len(opened.toggles)
    labels = {t["index"]: t["label"] or f"toggle {t['index']}" for t in opened.toggles}
    wanted = set(labels) | ({"save"} if opened.saves else set())
    if not wanted:
        walk.log("note", "find the controls", True, detail="the opt-out shows no toggle and no save button")
        return
    reached: set[str] = set()

    def new_control(f: Focus) -> bool:
        name = f.get("toggle") or ("save" if f.get("save") else "")
        return bool(name) and name not in reached

    async def use(info: Focus, presses: int) -> None:
        name = info.get("toggle") or "save"
        reached.add(name)
        if name == "save":
            record.save_reached = True
            walk.log("Tab", "reach the save button", True, presses=presses, focused=info["desc"])
            return
        record.toggles_reached += 1
        walk.log("Tab", f'reach the toggle "{labels[name]}"', True, presses=presses, focused=info["desc"])
        await _space_switches(walk, name, labels[name], info.get("state"))

    first = await walk.focused()  # the site may have moved the focus onto a control already
    if new_control(first):
        await use(first, 0)
    presses = 0
    while wanted - reached and presses < MAX_TABS_IN_NOTICE and not walk.out_of_time():
        info, used, cycle = await walk.tab_until(new_control, MAX_TABS_IN_NOTICE - presses)
        presses += used
        if info is None:
            missing = [labels.get(k, "the save button") for k in sorted(wanted - reached)]
            complete = bool(cycle)
            record.notice_walk_complete = complete
            why = "the focus went round the opt-out without reaching" if complete else "the walk stopped before"
            walk.log("Tab", "reach the remaining controls", False, presses=used, detail=f"{why}: {', '.join(missing)}")
            break
        await use(info, used)
    else:
        record.notice_walk_complete = not (wanted - reached)
    if opened.saves and record.save_reached is None:
        record.save_reached = False if record.notice_walk_complete else None


async def _space_switches(walk: Walk, index: str, label: str, before: bool | None) -> None:
    """Space on the focused toggle must switch it; it is switched back at once. A click is the comparison."""
    page = walk.page
    await walk.press("Space")
    after = await call(page, "toggleState", {"index": index})
    if before is not None and after is not None and after != before:
        walk.record.toggles_switched += 1
        await walk.press("Space")  # back as it was: the walk saves nothing
        walk.log("Space", f'switch "{label}"', True, detail=f"{_word(before)} -> {_word(after)}, switched back")
        return
    detail = f"the state stayed {_word(after)}"
    with contextlib.suppress(PlaywrightError):
        await call(page, "focusOf", {"index": index})
        clicked = await call(page, "clickToggle", {"index": index})
        by_click = await call(page, "toggleState", {"index": index}) if clicked else None
        if by_click is not None and by_click != after:
            detail += f"; a click switches it ({_word(after)} -> {_word(by_click)}), so only the keyboard fails"
            walk.record.toggles_keyboard_dead.append(label)
            await call(page, "clickToggle", {"index": index})
        else:
            detail += "; a click did not visibly switch it either (its state may not be exposed)"
            walk.record.toggles_state_unknown.append(label)
    walk.log("Space", f'switch "{label}"', False, detail=detail)


def _word(state: bool | None) -> str:
    return {True: "on", False: "off", None: "unknown"}[state]
