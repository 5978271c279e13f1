"""The GPC visit's look for a status display: the places a site shows "Opt-Out Preference Signal Honored".

With GPC on, a site may show that it processed the signal on the page itself (read by the consent gatherer after the
late-CMP wait, shadow roots and frames included), inside its preference center (as OneTrust does), or on the page
its opt-out link leads to. This gatherer runs last in the GPC visit and opens the last two as a visitor would: the
opt-out link (else a cookie-settings control), and on the page it reaches a settings button, if any. It reads the
text and the controls as shown and photographs them; it never switches or saves anything. Nothing here judges.
"""

from __future__ import annotations

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Frame, Page

from auditor.capture.consent.actions import StepLog
from auditor.capture.consent.dom import call
from auditor.capture.consent.entry import find_dns_link, read_opened_dialog, settings_button_route
from auditor.capture.consent.gather import MAX_TEXT_CHARS
from auditor.capture.consent.opening import open_by_click
from auditor.capture.consent.panel import OpenPanel, actionable, panel_shot, read_panel
from auditor.capture.failures import stopped_within
from auditor.capture.visit import Visit
from auditor.evidence.consent import ConsentEvidence, StatusSurvey, TextBlock

SURVEY_BUDGET_S = 40.0


async def gather_status_survey(visit: Visit) -> None:
    """Open the preference center and the opt-out link's destination with GPC on, and record what they show."""
    consent = visit.capture.consent or ConsentEvidence()
    visit.capture.consent = consent
    survey = StatusSurvey()
    consent.status_survey = survey
    log = StepLog()
    stopped = await stopped_within(
        _survey(visit, survey, log),
        SURVEY_BUDGET_S,
        over_budget=f"stopped after {SURVEY_BUDGET_S:.0f} s",
        failed="stopped",
    )
    if stopped:
        survey.notes.append(stopped)
    survey.steps = log.steps


async def _survey(visit: Visit, survey: StatusSurvey, log: StepLog) -> None:
    page = visit.page
    link = await find_dns_link(page, visit.dns_link)
    if link is None:
        panel, label = await settings_button_route(visit, page, log)
        if panel is None:
            survey.notes.append("no opt-out link and no cookie-settings control to open")
            return
        await _record_panel(visit, page, panel, f"the preference center (opened by the {label} button)", survey)
        return
    opened = await open_by_click(visit, page, link.frame, link.raw["ref"], f'opt-out link "{link.text}"', log)
    where = f'the "{link.text}" link'
    panel = await read_opened_dialog(visit, page, opened, where, None)
    if panel is not None:
        await _record_panel(visit, page, panel, f"the preference center (opened by {where})", survey)
        await _settings_behind(visit, opened.page, panel, where, survey, log)
    elif opened.outcome in ("page", "new_tab"):
        page = opened.page
        survey.texts += await _blocks(page.main_frame, None, f"the page {where} leads to ({page.url[:300]})")
        panel = await read_panel(visit, page, page.main_frame, None, "opt-out page", where, None)
        await _settings_behind(visit, page, panel, where, survey, log)
    else:
        survey.notes.append(f"{where} opened nothing ({opened.outcome})")


async def _settings_behind(
    visit: Visit, page: Page, panel: OpenPanel, where: str, survey: StatusSurvey, log: StepLog
) -> None:
    """A settings button on what the link opened ("Open cookie settings"): open it and record that panel too."""
    if panel.pc.toggles:
        return
    settings = next((b for b in panel.pc.buttons if actionable(b) and b.kind == "settings"), None)
    if settings is None:
        return
    label = settings.described()
    opened = await open_by_click(visit, page, panel.frame, settings.ref, f"settings button {label}", log)
    inner = await read_opened_dialog(visit, page, opened, label, None)
    if inner is not None:
        await _record_panel(visit, page, inner, f"the preference center (opened by {label} behind {where})", survey)


async def _record_panel(visit: Visit, page: Page, panel: OpenPanel, where: str, survey: StatusSurvey) -> None:
    survey.texts += await _blocks(panel.frame, panel.root_ref, where)
    survey.controls += panel.pc.toggles
    shot = await panel_shot(visit, page, panel.pc, "preference-center-gpc.png")
    if shot is not None:
        survey.screenshots["preference_center"] = shot


async def _blocks(frame: Frame, ref: str | None, where: str) -> list[TextBlock]:
    try:
        found = await call(frame, "visibleBlocks", {"max": MAX_TEXT_CHARS, "ref": ref})
    except PlaywrightError:
        return []
    framed = "" if frame.parent_frame is None else f", in a frame from {frame.url[:200]}"
    return [
        TextBlock(
            where=where + framed + ("" if block["where"] in ("panel", "document") else f", {block['where']}"),
            text=block["text"],
        )
        for block in found
    ]
