"""The consent gatherer every visit profile runs: wait for a late CMP, detect it, read and photograph the banner.

It only looks: nothing is clicked, so the baseline and GPC visits stay cold and untouched. The opt-out
profile then acts in :mod:`auditor.capture.consent.flow`.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from typing import Any

from playwright.async_api import BrowserContext, Page
from playwright.async_api import Error as PlaywrightError

from auditor.capture.consent.autoconsent import AutoconsentDriver
from auditor.capture.consent.detect import UNRECOGNISED, choose, detect_signs
from auditor.capture.consent.dom import KNOWN_BANNERS, call, crop, to_button, viewport_offset
from auditor.capture.failures import one_line
from auditor.capture.visit import Visit
from auditor.evidence.base import Box
from auditor.evidence.consent import Banner, CmpDetection, ConsentEvidence, WaitInfo
from auditor.evidence.profiles import BASELINE

DRIVER_KEY = "consent.autoconsent"
LATE_CMP_WAIT = 5.0  # seconds after the page settled that a late CMP gets to show its banner
QUIET_SITE_WAIT = 2.0  # the same, in later visits of a site whose baseline visit saw no CMP at all
BANNER_AFTER_DETECTION = 3.0  # once autoconsent detects a CMP, how long its banner gets to appear
GRACE_MS = 1500  # once a CMP's script has run (its global exists), how long its banner gets to appear


async def prepare_consent(context: BrowserContext, name: str, state: dict[str, Any]) -> None:
    """Install autoconsent (detect-only) on the fresh context, before the first navigation."""
    driver = getattr(context, "_auditor_autoconsent", None)
    if driver is None:  # a retried visit reuses its context: the binding can be exposed only once
        driver = AutoconsentDriver()
        await driver.install(context)
        context._auditor_autoconsent = driver  # type: ignore[attr-defined]
    state[DRIVER_KEY] = driver


async def gather_consent(visit: Visit) -> None:
    """Fill ``visit.capture.consent``: the CMP, how it was detected, the banner and its buttons."""
    driver: AutoconsentDriver | None = visit.state.get(DRIVER_KEY)
    evidence = ConsentEvidence()
    visit.capture.consent = evidence
    try:
        budget, shortened = _late_cmp_budget(visit)
        evidence.wait = await wait_for_cmp(visit.page, driver, budget)
        if shortened:
            evidence.wait.reason += f" (shortened: {shortened})"
        evidence.banner = await read_banner(visit.page, visit, "banner.png")
        await detect_into(evidence, visit.page, visit.context, driver)
        _remember_quiet_site(visit, evidence)
    except PlaywrightError as error:
        evidence.errors.append(f"consent capture stopped: {one_line(error, limit=300)}")


# Sites whose baseline visit waited the full time and saw no sign of a CMP (this process, this run): their
# other visits wait less. A CMP that shows only under GPC still gets QUIET_SITE_WAIT seconds.
_QUIET_SITES: dict[str, str] = {}


def _late_cmp_budget(visit: Visit) -> tuple[float, str]:
    """How long this visit waits for a late CMP, and why it is shorter than usual (or "")."""
    budget = min(LATE_CMP_WAIT, getattr(visit.limits, "late_cmp_wait", LATE_CMP_WAIT))
    if visit.profile != BASELINE and visit.url in _QUIET_SITES and budget > QUIET_SITE_WAIT:
        return QUIET_SITE_WAIT, f"the baseline visit saw no consent manager: {_QUIET_SITES[visit.url]}"
    return budget, ""


def _remember_quiet_site(visit: Visit, evidence: ConsentEvidence) -> None:
    if visit.profile != BASELINE:
        return
    if evidence.cmp is None and evidence.banner is None and evidence.wait and evidence.wait.reason.startswith("no "):
        _QUIET_SITES[visit.url] = evidence.wait.reason
    else:
        _QUIET_SITES.pop(visit.url, None)


async def detect_into(evidence: ConsentEvidence, page: Page, context: BrowserContext, driver) -> None:
    """Record every CMP sign on the page (and the banner's) and choose the CMP for the report."""
    signs, evidence.iab_apis = await detect_signs(page, context, driver)
    banner = evidence.banner
    if banner is not None:
        if banner.found_by.startswith("CMP container"):
            name = next((n for n, s in KNOWN_BANNERS if banner.found_by.endswith(s)), UNRECOGNISED)
            signs.append(CmpDetection(name=name, detected_by=banner.found_by, method="dom", confidence="high"))
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
    """Wait, event-driven and bounded, until a banner shows or autoconsent finds a popup.

    Ends early when a CMP was detected but shows no banner for a few seconds (a returning visitor, or a
    CMP that stays closed under GPC). ``since`` ignores autoconsent events from before a reload.
    """
    started = time.monotonic()
    deadline = started + timeout
    banner = asyncio.ensure_future(
        call(page, "waitForBanner", {"known": KNOWN_BANNERS, "timeoutMs": timeout * 1000, "graceMs": GRACE_MS})
    )
    watchers = [banner]
    popup = detected = None
    if driver is not None:
        popup = asyncio.ensure_future(driver.wait_for_event({"popupFound"}, since, timeout))
        detected = asyncio.ensure_future(driver.wait_for_event({"cmpDetected"}, since, timeout))
        watchers += [popup, detected]
    reason = f"no banner within {timeout:.0f} s"
    try:
        pending = set(watchers)
        while pending:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            done, pending = await asyncio.wait(pending, timeout=remaining, return_when=asyncio.FIRST_COMPLETED)
            if banner in done:
                result = _result(banner)
                if result and result.get("reason") == "banner":
                    reason = "banner visible"
                    break
                if result and result.get("reason") == "cmp-loaded":
                    reason = f"{result['cmp']} loaded but showed no banner within {GRACE_MS / 1000:.1f} s"
                    break
            if popup is not None and popup in done and _result(popup) is not None:
                reason = f"autoconsent popupFound ({_result(popup).cmp})"
                break
            if detected is not None and detected in done and _result(detected) is not None:
                deadline = min(deadline, time.monotonic() + BANNER_AFTER_DETECTION)
                reason = f"CMP detected ({_result(detected).cmp}); no banner within {BANNER_AFTER_DETECTION:.0f} s"
    finally:
        for task in watchers:
            task.cancel()
    if reason.startswith(("banner", "autoconsent")):
        with contextlib.suppress(PlaywrightError):  # let the banner's entrance animation end before the screenshot
            await call(page, "settleAnimations", {"timeoutMs": 1500})
    return WaitInfo(reason=reason, waited_ms=round((time.monotonic() - started) * 1000, 1))


def _result(task: asyncio.Future) -> Any:
    if not task.done() or task.cancelled() or task.exception() is not None:
        return None
    return task.result()


async def read_banner(page: Page, visit: Visit, filename: str) -> Banner | None:
    """The most banner-like consent element over all frames (main frame first), photographed."""
    for frame in page.frames:
        offset = await viewport_offset(frame)
        if offset is None:
            continue
        try:
            found = await call(frame, "scanBanners", {"known": KNOWN_BANNERS})
        except PlaywrightError:
            continue
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
        banner.screenshot = await crop(
            page, banner.box, visit.site_dir / visit.artifact_prefix / filename, f"{visit.artifact_prefix}/{filename}"
        )
        return banner
    return None
