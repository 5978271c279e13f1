"""The opt-out flow's proof: reload the homepage in the same context and read what the site kept.

After the opt-out the homepage is loaded again in a new tab of the same context (cookies and storage kept): the
consent manager is waited for (until the page is quiet), the banner read (it should stay closed), the stored consent
snapshotted, the privacy signals read (US Privacy, GPP, stored consent: what the site now tells its partners), and
the same controls opened again by the same way in to read the state the site remembered.
"""

from __future__ import annotations

from playwright.async_api import Page

from auditor.capture.consent.actions import StepLog, snapshot
from auditor.capture.consent.dom import viewport_shot
from auditor.capture.consent.entry import (
    banner_route,
    find_dns_link,
    follow_link,
    make_opener,
    settings_button_route,
)
from auditor.capture.consent.gather import DRIVER_KEY, LATE_CMP_WAIT, read_banner, wait_for_cmp
from auditor.capture.consent.panel import MAX_OPENERS, OpenPanel, actionable, panel_shot
from auditor.capture.page import capture_page
from auditor.capture.signals import read_signals
from auditor.capture.visit import Visit
from auditor.evidence.consent import Banner, ConsentEvidence, OptOutFlow

AFTER_RELOAD_PAGE = "after_optout"


async def reload_and_verify(visit: Visit, flow: OptOutFlow, log: StepLog, consent: ConsentEvidence) -> None:
    """Reload the homepage and record the banner, the stored consent, the signals and the controls as kept."""
    driver = visit.state.get(DRIVER_KEY)
    since = len(driver.events) if driver is not None else 0
    log.add("reload", visit.url, "the homepage in a new tab of the same context (cookies and storage kept)")
    capture, page = await capture_page(
        visit.context,
        visit.url,
        site_dir=visit.site_dir,
        artifact_prefix=f"{visit.artifact_prefix}/after-reload",
        limits=visit.limits,
    )
    visit.capture.pages[AFTER_RELOAD_PAGE] = capture
    flow.after_reload_page = AFTER_RELOAD_PAGE
    if page is None:
        flow.notes.append(f"the homepage could not be loaded again: {capture.error}")
        return
    try:
        wait = await wait_for_cmp(page, driver, min(LATE_CMP_WAIT, visit.limits.late_cmp_wait), since)
        log.add("wait", "consent manager after the reload", wait.reason)
        banner = await read_banner(page, visit, "banner-after-reload.png")
        flow.banner_after_reload = banner is not None
        if banner is not None and banner.screenshot:
            flow.screenshots["banner_after_reload"] = banner.screenshot
        flow.storage_after_reload = await snapshot(page, visit.context, visit.url)
        flow.signals_after_reload = await read_signals(visit.context, page, capture)
        panel = await _reopen(visit, page, flow, log, banner)
        if panel is not None:
            flow.reopened_after_reload = True
            flow.toggles_after_reload = panel.pc.toggles
            if panel.pc.screenshot:
                flow.screenshots["preference_center_reload"] = panel.pc.screenshot
            elif panel.root_ref is None:
                shot = await viewport_shot(
                    page,
                    visit.site_dir / visit.artifact_prefix / "preference-center-reload.png",
                    f"{visit.artifact_prefix}/preference-center-reload.png",
                )
                if shot:
                    flow.screenshots["preference_center_reload"] = shot
    finally:
        for other in visit.context.pages:
            if other is not visit.page:
                await other.close()


async def _reopen(visit: Visit, page: Page, flow: OptOutFlow, log: StepLog, banner: Banner | None) -> OpenPanel | None:
    """Open the same controls again after the reload, by the same way in, to read the state the site kept."""
    panel: OpenPanel | None = None
    if flow.entry == "dns_link":
        link = await find_dns_link(page, visit.dns_link)
        if link is None:
            flow.notes.append("after the reload the opt-out link was not found again")
            return None
        _, panel, page = await follow_link(visit, page, link, log, banner, record=False)
    elif flow.entry == "banner_settings" and banner is not None:
        panel, _ = await banner_route(visit, page, banner, OptOutFlow(entry="none"), log)
    if panel is None and flow.entry != "dns_link":
        panel, _ = await settings_button_route(visit, page, log)
    if panel is not None:
        panel = await _controls_behind(visit, page, panel, log)
        if panel.root_ref is not None:
            panel.pc.screenshot = await panel_shot(visit, page, panel.pc, "preference-center-reload.png")
    return panel


async def _controls_behind(visit: Visit, page: Page, panel: OpenPanel, log: StepLog) -> OpenPanel:
    """Where the flow went through a settings button to reach the controls, go through it again (read only)."""
    opener = make_opener(visit, page, log)
    for _ in range(MAX_OPENERS):
        if panel.pc.toggles:
            return panel
        settings = next((b for b in panel.pc.buttons if actionable(b) and b.kind == "settings"), None)
        if settings is None:
            return panel
        opened = await opener(panel.frame, settings.ref, f"settings button {settings.described()}")
        if opened is None:
            return panel
        panel = opened
    return panel
