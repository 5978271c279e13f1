"""The ``optout`` visit profile's flow: opt out as a visitor would, then reload and read the state again.

Cold start (the profile's homepage load, after the late-CMP wait), then the ways in, in the order a visitor in
California would try them (:mod:`.entry`): the "Do Not Sell or Share" / "Your Privacy Choices" link; where that
leads nowhere usable, the banner's settings (or reject) button; then a cookie-settings button or floating icon; and
where the auditor's own driving finds no way, autoconsent's own opt-out for the consent manager it detected. What
opened is used as a visitor would (:mod:`.panel`: a one-click opt-out, else the sale / sharing / targeting controls
switched and saved, else the settings it offers). Then the homepage is reloaded in the same context and the banner,
the stored consent, the privacy signals and the controls are read again (:mod:`.verification`), and the opt-in path
is taken in a cold context of its own to count its steps (:mod:`.optin`). Every click, navigation and wait goes into
the step log. Capture never judges: the checks read this record.
"""

from __future__ import annotations

import asyncio
import contextlib

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page

from auditor.capture.consent.actions import StepLog, snapshot
from auditor.capture.consent.entry import (
    banner_paths,
    banner_reject,
    banner_route,
    find_dns_link,
    follow_link,
    make_opener,
    settings_button_route,
)
from auditor.capture.consent.gather import DRIVER_KEY, read_banner
from auditor.capture.consent.optin import measure_opt_in, opt_in_entry
from auditor.capture.consent.panel import OpenPanel, use_panel
from auditor.capture.consent.verification import reload_and_verify
from auditor.capture.failures import one_line, stopped_within
from auditor.capture.quiet import wait_quiet
from auditor.capture.visit import Visit
from auditor.evidence.consent import Banner, ConsentEvidence, OptOutFlow

AUTOCONSENT_TIMEOUT = 15.0
FLOW_BUDGET_S = 90.0  # opt out, reload, read again: a step that hangs stops the flow, not the visit
OPT_IN_BUDGET_S = 30.0


async def run_optout_flow(visit: Visit) -> None:
    """Opt out on the open page, reload, and record everything in ``visit.capture.consent.flow``.

    The opt-in path is taken in a cold context of its own (:mod:`.optin`). When its way in is the banner's accept,
    known before opting out, it is taken at the same time as the opt-out (its context is the visit's one extra, as
    it always was); an opt-in found only in the panel the opt-out opened is taken afterwards. Either way its record
    joins the flow's after the opt-out's, so the evidence reads the same whatever finished first.
    """
    consent = visit.capture.consent or ConsentEvidence()
    visit.capture.consent = consent
    flow = OptOutFlow(entry="none")
    consent.flow = flow
    log = StepLog()
    meanwhile = OptOutFlow(entry="none")  # the early opt-in's own record, joined to the flow's at the end
    early = opt_in_entry(consent, meanwhile) == "banner"
    opt_in = asyncio.ensure_future(_take_opt_in(visit, consent, meanwhile)) if early else None
    try:
        stopped = await stopped_within(
            _opt_out(visit, consent, flow, log),
            FLOW_BUDGET_S,
            over_budget=f"the opt-out flow stopped after {FLOW_BUDGET_S:.0f} s (a step did not finish)",
            failed="the opt-out flow stopped",
        )
    except BaseException:
        if opt_in is not None:
            opt_in.cancel()
            with contextlib.suppress(BaseException):
                await opt_in
        raise
    if stopped:
        flow.error = stopped
        log.add("note", "flow stopped", stopped, ok=False)
    flow.steps = log.steps
    if opt_in is None:
        await _take_opt_in(visit, consent, flow)
        return
    await opt_in
    flow.opt_in = meanwhile.opt_in
    flow.paths += meanwhile.paths
    flow.notes += meanwhile.notes


async def _take_opt_in(visit: Visit, consent: ConsentEvidence, flow: OptOutFlow) -> None:
    """The opt-in path within its budget, recorded in ``flow`` (with why it stopped, if it did)."""
    stopped = await stopped_within(
        measure_opt_in(visit, consent, flow),
        OPT_IN_BUDGET_S,
        over_budget=f"the opt-in path was stopped after {OPT_IN_BUDGET_S:.0f} s",
        failed="the opt-in path could not be taken",
    )
    if stopped:
        flow.notes.append(stopped)


def _done(flow: OptOutFlow) -> bool:
    return flow.completed or bool(flow.switched)


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
            + ", ".join(f"{b.described()} ({b.kind})" for b in banner.buttons if b.visible),
        )
    link = await find_dns_link(page, visit.dns_link)
    if link is not None:
        flow.entry = "dns_link"
        entry = f'"{link.text}" link'
        target, panel, page = await follow_link(visit, page, link, log, banner, record=True)
        consent.dns_target = target
        if panel is not None:
            await _use(visit, page, panel, consent, flow, log, [entry])
    else:
        log.add("observe", "opt-out link", 'no "Do Not Sell or Share" / "Your Privacy Choices" link on the page')
    if not _done(flow):
        if link is not None:
            await _close_panels(page, log)
        page, banner = await _back_home(visit, page, banner, log)
        await _other_routes(visit, page, banner, consent, flow, log)
    if not _done(flow):
        await _autoconsent_opt_out(visit, flow, log)
    if flow.entry != "none" and not _done(flow) and not flow.notes:
        flow.notes.append("no preference center, opt-out page or opt-out button could be used")
    if flow.entry == "none" and not _done(flow):
        flow.notes.append("no preference center, opt-out page or opt-out button could be opened")
    if flow.entry != "none":
        await reload_and_verify(visit, flow, log, consent)


async def _use(
    visit: Visit,
    page: Page,
    panel: OpenPanel,
    consent: ConsentEvidence,
    flow: OptOutFlow,
    log: StepLog,
    steps: list[str],
) -> None:
    used = await use_panel(visit, page, panel, flow, log, steps, opener=make_opener(visit, page, log))
    consent.preference_center = used.pc


async def _other_routes(
    visit: Visit, page: Page, banner: Banner | None, consent: ConsentEvidence, flow: OptOutFlow, log: StepLog
) -> None:
    """The banner's settings button, then a cookie-settings button or floating icon, then the banner's refusal."""
    followed_link = flow.entry == "dns_link"
    if banner is not None:
        panel, label = await banner_route(visit, page, banner, flow, log)
        if panel is not None:
            await _use(visit, page, panel, consent, flow, log, [label])
        if _done(flow):
            return
        await _close_panels(page, log)
    panel, label = await settings_button_route(visit, page, log)
    if panel is not None:
        flow.entry = "floating_button"
        await _use(visit, page, panel, consent, flow, log, [label])
        if _done(flow):
            return
        await _close_panels(page, log)
    if banner is not None and await banner_reject(visit, page, banner, flow, log):
        return
    if followed_link:
        flow.entry = "dns_link"  # nothing else worked: the record stays with the link that was followed


async def _close_panels(page: Page, log: StepLog) -> None:
    """Close what the last way in opened (Escape, as a visitor would) before trying the next."""
    with contextlib.suppress(PlaywrightError):
        await page.keyboard.press("Escape")
        quiet = await wait_quiet(page, 2.0)
        log.add("note", "Escape", f"closed what was open, if anything; {quiet.reason}")


async def _back_home(visit: Visit, page: Page, banner: Banner | None, log: StepLog) -> tuple[Page, Banner | None]:
    """Back on the homepage after the opt-out link led elsewhere, with the banner read again (it is a new page)."""
    if page.url.split("#")[0] == (visit.capture.homepage.final_url or visit.url).split("#")[0]:
        return page, banner
    try:
        await page.goto(visit.url, wait_until="domcontentloaded", timeout=visit.limits.navigation_timeout * 1000)
    except PlaywrightError as error:
        log.add("navigate", visit.url, f"back to the homepage failed: {one_line(error, limit=200)}", ok=False)
        return page, None
    quiet = await wait_quiet(page, visit.limits.late_cmp_wait)
    log.add("navigate", visit.url, f"back to the homepage to try the other ways in; {quiet.reason}")
    return page, await read_banner(page, visit, None)


async def _autoconsent_opt_out(visit: Visit, flow: OptOutFlow, log: StepLog) -> None:
    """The last way in: autoconsent's own opt-out for the consent manager it detected."""
    driver = visit.state.get(DRIVER_KEY)
    detected = driver.detected_cmps() if driver is not None else []
    if driver is None or not detected:
        return
    name = detected[0].cmp
    log.add("note", "autoconsent", f"the auditor found no way to opt out; asking autoconsent's {name} rule to")
    result = await driver.request("optOut", timeout=AUTOCONSENT_TIMEOUT)
    if result is None:
        log.add("wait", "autoconsent opt-out", f"no answer within {AUTOCONSENT_TIMEOUT:.0f} s", ok=False)
        return
    succeeded = bool(result.get("result"))
    log.add("observe", "autoconsent opt-out", f"{name}: {'done' if succeeded else 'failed'}", ok=succeeded)
    if succeeded:
        flow.entry = "autoconsent"
        flow.completed = True
        flow.saved_with = f"autoconsent's {name} opt-out"
        flow.storage_after = await snapshot(visit.page, visit.context, visit.url)
