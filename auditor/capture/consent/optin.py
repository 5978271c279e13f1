"""The opt-in path, taken as a visitor takes it: in a cold context of its own, so its steps are counted, not guessed.

The symmetry rule compares the steps of opting out (the flow's step log) with the steps of opting in from the same
starting point. Where the site offers an opt-in choice (the banner's "Accept", or an "Allow all" in the panel the
opt-out link opens), a fresh context of the same browser (a California visitor, no GPC, nothing stored) loads the
homepage, waits until it is quiet, and clicks the way to that choice; the path is recorded with how it ended (the
banner closed, something was stored). Where the site offers no opt-in choice at all, nothing is taken.
"""

from __future__ import annotations

import contextlib

from playwright.async_api import BrowserContext, Page
from playwright.async_api import Error as PlaywrightError

from auditor.browser import new_visit_context
from auditor.capture.consent.actions import StepLog, click, snapshot
from auditor.capture.consent.entry import click_banner_button, find_dns_link, read_opened, settings_button_route
from auditor.capture.consent.gather import read_banner
from auditor.capture.consent.opening import open_by_click
from auditor.capture.consent.panel import actionable
from auditor.capture.quiet import install_quiet_tracker, wait_quiet
from auditor.capture.visit import Visit
from auditor.evidence.consent import ChoicePath, ConsentEvidence, OptInRun, OptOutFlow, StorageSnapshot


def opt_in_entry(consent: ConsentEvidence, flow: OptOutFlow) -> str | None:
    """Where the site offers a choice to opt in: the banner, else the panel the opt-out path opened; or None."""
    banner = consent.banner
    if banner is not None and any(b.visible and b.kind == "accept" for b in banner.buttons):
        return "banner"
    panel_accept = [p for p in flow.paths if p.direction == "opt-in" and not p.measured and p.entry != "banner"]
    return panel_accept[0].entry if panel_accept else None


async def measure_opt_in(visit: Visit, consent: ConsentEvidence, flow: OptOutFlow) -> None:
    """Take the opt-in path in a cold context and record it in ``flow.opt_in`` and ``flow.paths``."""
    entry = opt_in_entry(consent, flow)
    if entry is None:
        return
    browser = visit.context.browser
    if browser is None:
        flow.notes.append("the opt-in path was not taken: the visit's browser cannot open another context")
        return
    run = OptInRun(entry=entry, taken=False)
    flow.opt_in = run
    log = StepLog()
    context: BrowserContext | None = None
    try:
        context = await new_visit_context(browser, gpc=False)
        await install_quiet_tracker(context)
        page = await context.new_page()
        await page.goto(visit.url, wait_until="domcontentloaded", timeout=visit.limits.navigation_timeout * 1000)
        quiet = await wait_quiet(page, visit.limits.settle_max + visit.limits.late_cmp_wait)
        log.add("navigate", visit.url, f"a cold context of its own (nothing stored); {quiet.reason}")
        before = await snapshot(page, context, visit.url)
        steps = await (_by_banner(visit, page, log) if entry == "banner" else _by_link(visit, page, log))
        if steps:
            after = await snapshot(page, context, visit.url)
            run.taken = True
            run.detail += ("; " if run.detail else "") + _stored(before, after)
            flow.paths.append(ChoicePath(direction="opt-in", entry=entry, steps=steps, count=len(steps), measured=True))
        else:
            run.detail = run.detail or "the opt-in choice could not be reached"
    except PlaywrightError as error:
        run.detail = f"the opt-in path stopped: {str(error).splitlines()[0][:300]}"
    finally:
        run.steps = log.steps
        if context is not None:
            with contextlib.suppress(PlaywrightError):
                await context.close()


async def _by_banner(visit: Visit, page: Page, log: StepLog) -> list[str]:
    banner = await read_banner(page, visit, None)
    accept = await click_banner_button(page, banner, "accept", log) if banner is not None else None
    if accept is None:
        log.add("observe", "banner", "no banner with an accept button to click in the cold context", ok=False)
        return []
    return [accept.described()]


async def _by_link(visit: Visit, page: Page, log: StepLog) -> list[str]:
    link = await find_dns_link(page, visit.dns_link)
    if link is None:
        panel, first = await settings_button_route(visit, page, log)
    else:
        opened = await open_by_click(visit, page, link.frame, link.raw["ref"], f'opt-out link "{link.text}"', log)
        first = f'"{link.text}" link'
        page = opened.page
        panel = await read_opened(visit, opened, first)
    if panel is None:
        log.add("observe", "opt-in", "the panel with the opt-in choice did not open", ok=False)
        return []
    accept = next((b for b in panel.pc.buttons if actionable(b) and b.kind == "accept"), None)
    if accept is None:
        log.add("observe", "opt-in", "the panel has no accept button this time", ok=False)
        return []
    if not await click(panel.frame, accept.ref, f"button {accept.described()}", log):
        return []
    quiet = await wait_quiet(page, 4.0)
    log.add("wait", "after the choice", quiet.reason)
    return [first, accept.described()]


def _stored(before: StorageSnapshot, after: StorageSnapshot) -> str:
    changed = sorted(
        {k for k in after.cookies if before.cookies.get(k) != after.cookies[k]}
        | {k for k in after.local_storage if before.local_storage.get(k) != after.local_storage[k]}
    )
    if changed:
        return "the choice was stored (" + ", ".join(changed[:6]) + ")"
    return "nothing new was stored"
