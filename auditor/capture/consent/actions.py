"""Acting on a page as a visitor does, with a timestamped step log: click (through overlays), wait, snapshot."""

from __future__ import annotations

import re
import time

from playwright.async_api import BrowserContext, Frame, Page
from playwright.async_api import Error as PlaywrightError

from auditor.capture.consent.dom import call
from auditor.capture.failures import one_line
from auditor.domains import is_third_party
from auditor.evidence.consent import Step, StorageSnapshot

POINTER_CLICK_TIMEOUT_MS = 3000
_INTERCEPT = re.compile(r"(<[^>]{1,200}>)[^\n]{0,120}intercepts pointer events")


class StepLog:
    """The opt-out flow's log: every click, navigation and wait, with ms since the flow started."""

    def __init__(self) -> None:
        self.t0 = time.monotonic()
        self.steps: list[Step] = []

    def add(self, action: str, target: str = "", detail: str = "", *, ok: bool = True, user: bool = False) -> Step:
        """Append one step; ``user`` marks a step a visitor takes (counted for the symmetry rule)."""
        step = Step(
            t_ms=round((time.monotonic() - self.t0) * 1000, 1),
            action=action,
            target=target[:300],
            detail=detail[:500],
            ok=ok,
            user_step=user,
        )
        self.steps.append(step)
        return step


async def click(frame: Frame, ref: str, what: str, log: StepLog, *, user: bool = True, action: str = "click") -> bool:
    """Click the element tagged ``ref`` as a visitor would; when a layer covers it (cmps.md trap 3), click it
    with ``element.click()`` instead and log which layer was in the way. False when the element is gone."""
    try:
        info = await call(frame, "obstruction", {"ref": ref})
    except PlaywrightError as error:
        log.add("click", what, f"could not reach the element: {one_line(error, limit=200)}", ok=False, user=user)
        return False
    if info.get("missing"):
        log.add("click", what, "the element is no longer in the page", ok=False, user=user)
        return False
    if info.get("obstructed"):
        return await _js_click(
            frame, ref, what, log, f"{info['obstructed']} covers it and intercepts pointer events", user
        )
    try:
        await frame.locator(f'[data-auditor-ref="{ref}"]').first.click(timeout=POINTER_CLICK_TIMEOUT_MS)
    except PlaywrightError as error:
        match = _INTERCEPT.search(str(error))
        if match:
            reason = f"{match.group(1)} intercepts pointer events"
        else:
            reason = f"pointer click failed: {one_line(error, limit=200)}"
        return await _js_click(frame, ref, what, log, reason, user)
    log.add(action, what, user=user)
    return True


async def _js_click(frame: Frame, ref: str, what: str, log: StepLog, reason: str, user: bool) -> bool:
    try:
        done = bool(await call(frame, "jsClick", {"ref": ref}))
    except PlaywrightError as error:  # the click navigated away: it did happen
        done = "context was destroyed" in str(error) or "navigat" in str(error)
    log.add("js_click", what, f"{reason}; clicked with element.click()", ok=done, user=user)
    return done


async def snapshot(page: Page, context: BrowserContext, site_url: str) -> StorageSnapshot:
    """First-party cookies and the page's local storage now."""
    cookies: dict[str, str] = {}
    try:
        for cookie in await context.cookies():
            domain = cookie.get("domain", "").lstrip(".")
            if domain and not is_third_party(domain, site_url):
                cookies[cookie["name"][:200]] = cookie["value"][:2000]
    except PlaywrightError:
        pass
    try:
        storage = await call(page, "storage")
    except PlaywrightError:
        storage = {}
    return StorageSnapshot(cookies=cookies, local_storage=storage or {})
