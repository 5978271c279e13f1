"""The ``optout`` visit profile's flow: opt out as a visitor would, then reload and read the state again.

Cold start (the profile's homepage load), then: follow the "Do Not Sell or Share" / "Your Privacy Choices"
link, or the banner's settings (or reject) button where there is no link, or a cookie-settings button
(:mod:`.entry`); switch every control that governs sale, sharing or targeted advertising to its opted-out
state and save (:mod:`.panel`); reload in the same context and read the banner, the stored consent and the
controls again (:mod:`.verification`). Every click, navigation and wait goes into the step log. Capture never
judges: the checks read this record.
"""

from __future__ import annotations

from playwright.async_api import Error as PlaywrightError

from auditor.capture.consent.actions import StepLog, snapshot
from auditor.capture.consent.entry import (
    banner_paths,
    banner_route,
    find_dns_link,
    follow_link,
    settings_button_route,
)
from auditor.capture.consent.panel import OpenPanel, switch_and_save
from auditor.capture.consent.verification import reload_and_verify
from auditor.capture.failures import one_line
from auditor.capture.visit import Visit
from auditor.evidence.consent import ConsentEvidence, OptOutFlow


async def run_optout_flow(visit: Visit) -> None:
    """Opt out on the open page, reload, and record everything in ``visit.capture.consent.flow``."""
    consent = visit.capture.consent or ConsentEvidence()
    visit.capture.consent = consent
    flow = OptOutFlow(entry="none")
    consent.flow = flow
    log = StepLog()
    try:
        await _opt_out(visit, consent, flow, log)
    except PlaywrightError as error:
        flow.error = f"the opt-out flow stopped: {one_line(error)[:300]}"
        log.add("note", "flow stopped", flow.error, ok=False)
    flow.steps = log.steps


async def _opt_out(visit: Visit, consent: ConsentEvidence, flow: OptOutFlow, log: StepLog) -> None:
    page = visit.page
    flow.storage_before = await snapshot(page, visit.context, visit.url)
    banner = consent.banner
    if banner is not None:
        flow.paths += banner_paths(banner)
        log.add(
            "observe",
            "banner",
            f"{banner.found_by}; buttons: "
            + ", ".join(f'"{b.text or b.aria_label}" ({b.kind})' for b in banner.buttons if b.visible),
        )
    panel: OpenPanel | None = None
    entry_label = ""
    link = await find_dns_link(page, visit.dns_link)
    if link is not None:
        flow.entry = "dns_link"
        entry_label = f'"{link.text}" link'
        target, panel, page = await follow_link(visit, page, link, log, banner, record=True)
        consent.dns_target = target
    else:
        log.add("observe", "opt-out link", 'no "Do Not Sell or Share" / "Your Privacy Choices" link on the page')
    if panel is None and flow.entry == "none" and banner is not None:
        panel, entry_label = await banner_route(visit, page, banner, flow, log)
    if panel is None and flow.entry in ("none", "dns_link") and not flow.completed:
        panel, label = await settings_button_route(visit, page, banner, log)
        if panel is not None and flow.entry == "none":
            flow.entry, entry_label = "floating_button", label
    if panel is not None:
        consent.preference_center = panel.pc
        await switch_and_save(visit, page, panel, flow, log, entry_label)
    elif flow.entry != "banner_reject":
        flow.notes.append("no preference center, opt-out page or opt-out button could be opened")
    if flow.entry != "none":
        await reload_and_verify(visit, flow, log, consent)
