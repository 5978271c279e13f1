"""The consent gatherer every visit profile runs: wait for a late CMP, detect it, read and photograph the banner.

It only looks: nothing is clicked, so the baseline and GPC visits stay cold and untouched. The opt-out
profile then acts in :mod:`auditor.capture.consent.flow`.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import time
from collections.abc import AsyncIterator
from typing import Any

from playwright.async_api import BrowserContext, Page
from playwright.async_api import Error as PlaywrightError

from auditor.capture.consent.autoconsent import AutoconsentDriver
from auditor.capture.consent.detect import UNRECOGNISED, choose, detect_signs
from auditor.capture.consent.dom import (
    KNOWN_BANNERS,
    call,
    crop,
    frame_layer,
    is_idle_layer,
    to_button,
    viewport_offset,
)
from auditor.capture.failures import capture_failure, one_line, step_of
from auditor.capture.page import NetworkLog, collect_links
from auditor.capture.quiet import Quiet, install_quiet_tracker, pending_now, wait_quiet
from auditor.capture.visit import Visit
from auditor.evidence import CaptureFailure, RequestRecord
from auditor.evidence.base import Box
from auditor.evidence.consent import Banner, CmpDetection, ConsentEvidence, TextBlock, WaitInfo

DRIVER_KEY = "consent.autoconsent"
# The most a visit waits, after the page settled, for a consent manager that loads late (a tag manager's delayed tag
# comes 3-8 s after ``load``); the wait ends as soon as the page is quiet (:mod:`.quiet`), so most sites pay far less.
LATE_CMP_WAIT = 8.0
MAX_TEXT_CHARS = 200_000  # visible text kept per place (document, shadow root, frame)
MAX_TEXT_FRAMES = 10


async def prepare_consent(context: BrowserContext, name: str, state: dict[str, Any]) -> None:
    """Install the quiet tracker and autoconsent (detect-only) on the fresh context, before the first navigation."""
    driver = getattr(context, "_auditor_autoconsent", None)
    if driver is None:  # a retried visit reuses its context: the binding can be exposed only once
        await install_quiet_tracker(context)
        driver = AutoconsentDriver()
        await driver.install(context)
        context._auditor_autoconsent = driver  # type: ignore[attr-defined]
    state[DRIVER_KEY] = driver


async def gather_consent(visit: Visit) -> None:
    """Fill ``visit.capture.consent``: the CMP, how it was detected, the banner and its buttons.

    Waits first for a late consent manager (bounded, ending when the page is quiet); when the page changed
    meanwhile, the homepage's links are read again, so the link rules judge what the visitor sees then.
    """
    driver: AutoconsentDriver | None = visit.state.get(DRIVER_KEY)
    evidence = ConsentEvidence()
    visit.capture.consent = evidence
    try:
        before = await pending_now(visit.page, 0)
        budget = min(LATE_CMP_WAIT, getattr(visit.limits, "late_cmp_wait", LATE_CMP_WAIT))
        async with _homepage_requests_meanwhile(visit):
            evidence.wait = await wait_for_cmp(visit.page, driver, budget)
        after = await pending_now(visit.page, 0)
        if before is not None and after is not None and after.get("changes") != before.get("changes"):
            evidence.wait.page_changed = True
            await _read_links_again(visit)
        evidence.page_text = await read_page_text(visit.page)
        evidence.banner = await read_banner(visit.page, visit, "banner.png")
        await detect_into(evidence, visit.page, visit.context, driver, visit.capture.homepage.requests)
    except PlaywrightError as error:
        evidence.errors.append(f"consent capture stopped: {one_line(error, limit=300)}")
        # What it did not reach (the banner, the consent manager) must not be judged as absent: as a failed step,
        # the engine holds back the rules that need it and the report says why.
        visit.capture.failures.append(capture_failure(gather_consent, error))
        return
    if visit.page.is_closed():  # every read above answers "nothing" on a closed page, which is not "no banner"
        why = "the page was closed during the consent capture: what it shows could not be read"
        visit.capture.failures.append(CaptureFailure(step=step_of(gather_consent), kind="page_closed", message=why))


@contextlib.asynccontextmanager
async def _homepage_requests_meanwhile(visit: Visit) -> AsyncIterator[None]:
    """Record the requests the homepage makes during the late-CMP wait as the homepage's own.

    The page capture stops recording once the page settled; a consent manager injected seconds later, and the ad tags
    it loads, would otherwise count or not depending on how long the capture took. With this, every profile judges the
    homepage's requests up to the same quiet point (a verdict must not depend on timing).
    """
    homepage = visit.capture.homepage
    log = NetworkLog(homepage.final_url or homepage.requested_url)
    # started_ms counts from the visit's start, as the page capture's own records do
    log.t0 = time.monotonic() - max(0.0, (dt.datetime.now(dt.UTC) - visit.capture.started_at).total_seconds())
    log.attach(visit.context)
    try:
        yield
    finally:
        log.detach(visit.context)
        homepage.requests += list(log.records.values())


async def _read_links_again(visit: Visit) -> None:
    homepage = visit.capture.homepage
    try:
        links = await asyncio.wait_for(collect_links(visit.page, homepage.truncated), visit.limits.step_timeout * 2)
    except (TimeoutError, PlaywrightError):
        return  # the links read when the page settled stand
    homepage.links = links


async def read_page_text(page: Page) -> list[TextBlock]:
    """The visible text of the page now: the document, its open shadow roots, and its visible frames."""
    blocks: list[TextBlock] = []
    for frame in page.frames[: MAX_TEXT_FRAMES + 1]:
        main = frame.parent_frame is None
        if not main and await viewport_offset(frame) is None:
            continue  # a hidden or detached frame shows nothing
        try:
            found = await call(frame, "visibleBlocks", {"max": MAX_TEXT_CHARS})
        except PlaywrightError:
            continue
        for block in found:
            where = (
                block["where"]
                if main
                else f"frame {frame.url[:300]}" + ("" if block["where"] == "document" else f", {block['where']}")
            )
            blocks.append(TextBlock(where=where, text=block["text"]))
    return blocks


async def detect_into(
    evidence: ConsentEvidence, page: Page, context: BrowserContext, driver, requests: list[RequestRecord]
) -> None:
    """Record every CMP sign on the page (and the banner's) and name the CMP the signs agree on, if any."""
    signs, evidence.iab_apis = await detect_signs(page, context, driver, requests)
    banner = evidence.banner
    if banner is not None:
        if banner.found_by.startswith("CMP container"):
            name = next((n for n, s in KNOWN_BANNERS if banner.found_by.endswith(s)), UNRECOGNISED)
            signs.append(CmpDetection(name=name, detected_by=banner.found_by, method="dom", confidence="medium"))
        else:
            signs.append(
                CmpDetection(
                    name=UNRECOGNISED,
                    detected_by=f"banner heuristic: {banner.found_by}",
                    method="heuristic",
                    confidence="low",
                )
            )
    evidence.detections = signs
    evidence.cmp = choose(signs)
    if driver is not None:
        evidence.autoconsent = list(driver.events)


async def wait_for_cmp(page: Page, driver: AutoconsentDriver | None, timeout: float, since: int = 0) -> WaitInfo:
    """Wait, event-driven and bounded, until a banner shows, autoconsent finds a popup, or the page is quiet.

    Quiet (:func:`.quiet.wait_quiet`): no timer due, no script, frame or request pending (the browser's view of
    every frame's requests included), the DOM unchanged for ``QUIET_MS``; a consent manager that has not shown by
    then is not coming. ``since`` ignores autoconsent events
    from before a reload.
    """
    started = time.monotonic()
    banner = asyncio.ensure_future(
        call(page, "waitForBanner", {"known": KNOWN_BANNERS, "timeoutMs": timeout * 1000, "graceMs": 0})
    )
    quiet = asyncio.ensure_future(wait_quiet(page, timeout))
    watchers: list[asyncio.Future] = [banner, quiet]
    popup = None
    if driver is not None:
        popup = asyncio.ensure_future(driver.wait_for_event({"popupFound"}, since, timeout))
        watchers.append(popup)
    reason, was_quiet = f"no banner within {timeout:.0f} s", None
    try:
        pending = set(watchers)
        while pending:
            remaining = started + timeout + 2.0 - time.monotonic()
            if remaining <= 0:
                break
            done, pending = await asyncio.wait(pending, timeout=remaining, return_when=asyncio.FIRST_COMPLETED)
            found = _result(banner) if banner in done else None
            if found and found.get("reason") == "banner":
                reason = "banner visible"
                break
            event = _result(popup) if popup is not None and popup in done else None
            if event is not None:
                reason = f"autoconsent popupFound ({event.cmp})"
                break
            if quiet in done and _result(quiet) is not None:
                state: Quiet = _result(quiet)
                was_quiet = state.quiet
                reason = f"no banner: the page was {state.reason}" if state.quiet else f"no banner: {state.reason}"
                break
    finally:
        for task in watchers:
            task.cancel()
    if reason.startswith(("banner", "autoconsent")):
        with contextlib.suppress(PlaywrightError):  # let the banner's entrance animation end before the screenshot
            await call(page, "settleAnimations", {"timeoutMs": 1500})
    return WaitInfo(reason=reason, waited_ms=round((time.monotonic() - started) * 1000, 1), quiet=was_quiet)


def _result(task: asyncio.Future) -> Any:
    if not task.done() or task.cancelled() or task.exception() is not None:
        return None
    return task.result()


async def read_banner(page: Page, visit: Visit, filename: str | None) -> Banner | None:
    """The most banner-like consent element over all frames (main frame first), photographed as ``filename``."""
    for frame in page.frames:
        offset = await viewport_offset(frame)
        if offset is None:
            continue
        layer = await frame_layer(page, frame, offset)
        try:
            found = await call(frame, "scanBanners", {"known": KNOWN_BANNERS, "layer": layer})
        except PlaywrightError:
            continue
        found = [raw for raw in found if not is_idle_layer(raw)]
        if not found:
            continue
        raw = found[0]
        dx, dy = offset
        box = raw["box"]
        banner = Banner(
            found_by=raw["found_by"],
            selector=raw["selector"],
            text=raw["text"],
            box=Box(
                x=round(box["x"] + dx, 1),
                y=round(box["y"] + dy, 1),
                width=round(box["width"], 1),
                height=round(box["height"], 1),
            ),
            position=raw["position"],
            css_position=raw["css_position"],
            viewport_fraction=round(raw["viewport_fraction"], 3),
            page_blocked=bool(raw["page_blocked"]),
            blocking_layer=raw["page_blocked"] or "",
            in_shadow_root=raw["in_shadow_root"],
            frame_url="" if frame.parent_frame is None else frame.url[:2000],
            buttons=[to_button(b, dx, dy) for b in raw["buttons"]],
            ref=raw["ref"],
        )
        if filename:
            banner.screenshot = await crop(
                page,
                banner.box,
                visit.site_dir / visit.artifact_prefix / filename,
                f"{visit.artifact_prefix}/{filename}",
            )
        return banner
    return None
