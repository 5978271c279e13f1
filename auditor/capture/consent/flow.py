"""The ``optout`` visit profile's flow: opt out as a visitor would, then reload and read the state again.

Cold start (the profile's homepage load), then: follow the "Do Not Sell or Share" / "Your Privacy Choices"
link, or the banner's settings (or reject) button where there is no link, or a cookie-settings button;
switch every control that governs sale, sharing or targeted advertising to its opted-out state; save;
reload in the same context; read the banner, the stored consent and the controls again. Every click,
navigation and wait goes into the step log. Capture never judges: the checks read this record.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urldefrag

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Frame, Page, Response

from auditor.capture.consent.actions import StepLog, click, snapshot
from auditor.capture.consent.classify import (
    DNS_LINK_EXCLUSIONS,
    DNS_LINK_PHRASES,
    classify_button,
    login_wall_reason,
    option_state,
    soft_404_phrase,
)
from auditor.capture.consent.dom import call, crop, to_button, to_toggle, viewport_offset, viewport_shot
from auditor.capture.consent.gather import DRIVER_KEY, read_banner, wait_for_cmp
from auditor.capture.failures import one_line
from auditor.capture.page import PageLimits, capture_page, settle
from auditor.evidence import Link
from auditor.evidence.base import Box
from auditor.evidence.consent import (
    Banner,
    ChoicePath,
    ConsentEvidence,
    DnsTarget,
    FormField,
    FormInfo,
    OptOutFlow,
    PreferenceCenter,
    Toggle,
)
from auditor.textmatch import match_links, normalize

if TYPE_CHECKING:
    from auditor.capture.profile import Visit

AFTER_RELOAD_PAGE = "after_optout"
# After the reload the banner should stay closed, so the wait mostly runs out: shorter, still past a 3 s late CMP.
RELOAD_CMP_WAIT = 5.0
DIALOG_WAIT_MS = 5000
LATE_PANEL_WAIT_MS = 2000
TARGET_SETTLE = PageLimits(navigation_timeout=20.0, settle_max=6.0, quiet_window=0.5)
OPTOUT_BUTTON_KINDS = ("reject", "do_not_sell")
PAGE_BUTTON_KINDS = ("reject", "do_not_sell", "save", "accept", "settings")


@dataclass
class FoundLink:
    frame: Frame
    raw: dict[str, Any]

    @property
    def text(self) -> str:
        return self.raw.get("text") or self.raw.get("aria_label") or self.raw.get("title") or ""


@dataclass
class OpenPanel:
    """Controls the visitor can use now: a dialog (``root_ref``) or a whole opt-out page (``root_ref`` None)."""

    frame: Frame
    root_ref: str | None
    pc: PreferenceCenter
    raw_toggles: list[dict[str, Any]]


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
        flow.error = f"the opt-out flow stopped: {one_line(error, limit=300)}"
        log.add("note", "flow stopped", flow.error, ok=False)
    flow.steps = log.steps


async def _opt_out(visit: Visit, consent: ConsentEvidence, flow: OptOutFlow, log: StepLog) -> None:
    page = visit.page
    flow.storage_before = await snapshot(page, visit.context, visit.url)
    banner = consent.banner
    if banner is not None:
        flow.paths += _banner_paths(banner)
        log.add(
            "observe",
            "banner",
            f"{banner.found_by}; buttons: "
            + ", ".join(f'"{b.text or b.aria_label}" ({b.kind})' for b in banner.buttons if b.visible),
        )
    panel: OpenPanel | None = None
    entry_label = ""
    link = await find_dns_link(page)
    if link is not None:
        flow.entry = "dns_link"
        entry_label = f'"{link.text}" link'
        target, panel, page = await follow_link(visit, page, link, log, banner, record=True)
        consent.dns_target = target
    else:
        log.add("observe", "opt-out link", 'no "Do Not Sell or Share" / "Your Privacy Choices" link on the page')
    if panel is None and flow.entry == "none" and banner is not None:
        panel, entry_label = await _banner_route(visit, page, banner, flow, log)
    if panel is None and flow.entry in ("none", "dns_link") and not flow.completed:
        panel, label = await _settings_button_route(visit, page, banner, log)
        if panel is not None and flow.entry == "none":
            flow.entry, entry_label = "floating_button", label
    if panel is not None:
        consent.preference_center = panel.pc
        await _switch_and_save(visit, page, panel, flow, log, entry_label)
    elif flow.entry != "banner_reject":
        flow.notes.append("no preference center, opt-out page or opt-out button could be opened")
    if flow.entry != "none":
        await _reload_and_verify(visit, flow, log, consent)


def _banner_paths(banner: Banner) -> list[ChoicePath]:
    paths = []
    shown = [b for b in banner.buttons if b.visible]
    accept = next((b for b in shown if b.kind == "accept"), None)
    reject = next((b for b in shown if b.kind == "reject"), None)
    if accept is not None:
        paths.append(ChoicePath(direction="opt-in", entry="banner", steps=[_name(accept)], count=1, measured=False))
    if reject is not None:
        paths.append(ChoicePath(direction="opt-out", entry="banner", steps=[_name(reject)], count=1, measured=False))
    return paths


def _name(button) -> str:
    return f'"{button.text or button.aria_label}"'


async def find_dns_link(page: Page) -> FoundLink | None:
    """The visible "Do Not Sell or Share" (or "Your Privacy Choices") link, footer and main frame first."""
    found: list[tuple[tuple, FoundLink]] = []
    for frame in page.frames:
        try:
            raw_links = await call(frame, "findLinks")
        except PlaywrightError:
            continue
        links = [
            Link(
                tag=r["tag"],
                text=r["text"],
                aria_label=r["aria_label"],
                title=r["title"],
                href=r["href"],
                visible=r["visible"],
                in_footer=r["in_footer"],
                in_shadow_root=r["in_shadow_root"],
            )
            for r in raw_links
        ]
        by_id = {id(link): raw for link, raw in zip(links, raw_links, strict=True)}
        for match in match_links(links, DNS_LINK_PHRASES, DNS_LINK_EXCLUSIONS):
            if not match.link.visible:
                continue
            raw = by_id[id(match.link)]
            rank = (not match.link.in_footer, frame.parent_frame is not None, DNS_LINK_PHRASES.index(match.phrase))
            found.append((rank, FoundLink(frame, {**raw, "frame_url": frame.url})))
    if not found:
        return None
    found.sort(key=lambda item: item[0])
    return found[0][1]


async def follow_link(
    visit: Visit, page: Page, link: FoundLink, log: StepLog, banner: Banner | None, *, record: bool
) -> tuple[DnsTarget, OpenPanel | None, Page]:
    """Click the opt-out link and capture where it leads: a page (status, soft 404, forms, login wall), a new
    tab, or an in-page dialog. Returns the target, the controls found there, and the page now in front."""
    raw = link.raw
    target = DnsTarget(
        link_text=link.text,
        link_href=raw.get("href", ""),
        link_in_footer=raw.get("in_footer", False),
        link_in_shadow_root=raw.get("in_shadow_root", False),
        link_frame_url="" if link.frame.parent_frame is None else link.frame.url[:2000],
        outcome="nothing",
    )
    statuses: dict[str, int] = {}
    popups: list[Page] = []
    navigated = asyncio.Event()
    before = urldefrag(page.url).url

    def on_response(response: Response) -> None:
        try:
            if response.request.is_navigation_request() and response.frame == page.main_frame:
                statuses[urldefrag(response.url).url] = response.status
        except PlaywrightError:
            pass

    def on_navigated(frame: Frame) -> None:
        if frame == page.main_frame and urldefrag(frame.url).url != before:
            navigated.set()

    def on_page(new_page: Page) -> None:
        popups.append(new_page)

    page.on("response", on_response)
    page.on("framenavigated", on_navigated)
    visit.context.on("page", on_page)
    try:
        href = raw.get("href", "")
        if raw.get("target") == "_blank" and href.startswith(("http://", "https://")):
            # The audit closes new windows (capture_page), so a link that opens a tab is loaded in this one.
            what = f'opt-out link "{link.text}" opens a new tab; loaded in the same tab'
            log.add("navigate", href, what, user=record)
            target.click = "opened the link's address in the same tab (the link opens a new tab)"
            dialog = None
            outcome = "new_tab"
            try:
                await page.goto(href, wait_until="domcontentloaded", timeout=TARGET_SETTLE.navigation_timeout * 1000)
            except PlaywrightError as error:
                target.outcome, target.error = "error", f"the link's address could not be loaded: {error}"[:300]
                return target, None, page
        else:
            clicked = await click(link.frame, raw["ref"], f'opt-out link "{link.text}"', log, user=record)
            if record and log.steps:
                step = log.steps[-1]
                target.click = "pointer click" if step.action == "click" else step.detail
            if not clicked:
                target.outcome, target.error = "error", "the link could not be clicked"
                return target, None, page
            outcome, dialog = await _await_outcome(page, navigated, popups, banner)
    finally:
        page.remove_listener("response", on_response)
        page.remove_listener("framenavigated", on_navigated)
        visit.context.remove_listener("page", on_page)
    if outcome == "new_tab" and popups and not popups[0].is_closed():
        page = popups[0]
    if outcome in ("page", "new_tab"):
        await _settle_target(page, log, outcome)
        late = await call(page, "waitForDialog", {"timeoutMs": LATE_PANEL_WAIT_MS, "exclude": ""})
        dialog = late.get("dialog")
        target.status = statuses.get(urldefrag(page.url).url)
    elif outcome == "dialog":
        log.add("observe", "dialog", f"opened in the page: {dialog['found_by']}")
    else:
        log.add("wait", "after the click", f"nothing opened within {DIALOG_WAIT_MS / 1000:.0f} s", ok=False)
    target.outcome = outcome  # type: ignore[assignment]
    panel = await _capture_target(visit, page, target, dialog, record)
    return target, panel, page


async def _await_outcome(page: Page, navigated: asyncio.Event, popups: list[Page], banner: Banner | None):
    exclude = banner.ref if banner else ""
    dialog_task = asyncio.ensure_future(call(page, "waitForDialog", {"timeoutMs": DIALOG_WAIT_MS, "exclude": exclude}))
    nav_task = asyncio.ensure_future(navigated.wait())
    loop = asyncio.get_running_loop()
    deadline = loop.time() + DIALOG_WAIT_MS / 1000 + 1
    try:
        pending = {dialog_task, nav_task}
        while pending and loop.time() < deadline:
            done, pending = await asyncio.wait(
                pending, timeout=deadline - loop.time(), return_when=asyncio.FIRST_COMPLETED
            )
            if popups:
                return "new_tab", None
            if nav_task in done:
                return "page", None
            if dialog_task in done:
                if dialog_task.exception() is not None:
                    continue  # the document went away: a navigation is coming
                found = dialog_task.result().get("dialog")
                if found:
                    return "dialog", found
                break
        if popups:
            return "new_tab", None
        return ("page", None) if navigated.is_set() else ("nothing", None)
    finally:
        dialog_task.cancel()
        nav_task.cancel()


async def _settle_target(page: Page, log: StepLog, outcome: str) -> None:
    with contextlib.suppress(PlaywrightError):
        await page.wait_for_load_state("domcontentloaded", timeout=TARGET_SETTLE.navigation_timeout * 1000)
    info = await settle(page, TARGET_SETTLE)
    log.add("navigate", page.url, f"{'new tab' if outcome == 'new_tab' else 'same tab'}; settled: {info.reason}")


async def _capture_target(
    visit: Visit, page: Page, target: DnsTarget, dialog: dict | None, record: bool
) -> OpenPanel | None:
    facts = await call(page, "pageFacts")
    target.url = page.url[:4096]
    target.title = facts["title"][:500]
    target.text = facts["text"][:3000]
    target.forms = [
        FormInfo(
            action=f["action"][:500],
            method=f["method"],
            submit_texts=f["submit_texts"],
            fields=[FormField(**field) for field in f["fields"][:40]],
        )
        for f in facts["forms"][:10]
    ]
    if target.outcome in ("page", "new_tab"):
        if target.status is None or target.status < 400:
            target.soft_404 = soft_404_phrase(facts["title"], facts["text"])
        target.login_wall = login_wall_reason(page.url, facts["text"], facts["password_fields"])
    prefix = visit.artifact_prefix
    if record:
        target.screenshot = await viewport_shot(
            page, visit.site_dir / prefix / "dns-target.png", f"{prefix}/dns-target.png"
        )
    if dialog:
        panel = await read_panel(
            visit,
            page,
            page.main_frame,
            dialog["ref"],
            dialog["found_by"],
            f'the "{target.link_text}" link',
            "preference-center.png" if record else None,
        )
        if record:
            target.dialog = panel.pc if panel else None
        return panel
    if target.outcome not in ("page", "new_tab"):
        return None
    panel = await read_panel(visit, page, page.main_frame, None, "opt-out page", f'the "{target.link_text}" link', None)
    if panel is None:
        return None
    relevant = [b for b in panel.pc.buttons if b.kind in PAGE_BUTTON_KINDS]
    if record:
        target.controls = panel.pc.toggles
        target.buttons = relevant
    panel.pc.buttons = relevant
    return panel if panel.pc.toggles or relevant else None


async def read_panel(
    visit: Visit, page: Page, frame: Frame, ref: str | None, found_by: str, opened_by: str, filename: str | None
) -> OpenPanel | None:
    """Read the controls and buttons of a preference center (``ref``) or a whole page (None); photograph it."""
    raw = await call(frame, "readControls", {"ref": ref})
    offset = await viewport_offset(frame) or (0.0, 0.0)
    pc = PreferenceCenter(
        found_by=found_by,
        opened_by=opened_by,
        title=raw.get("title", ""),
        text=raw.get("text", "")[:3000],
        in_shadow_root=bool(raw.get("in_shadow_root")),
        frame_url="" if frame.parent_frame is None else frame.url[:2000],
        toggles=[to_toggle(t) for t in raw["toggles"]],
        buttons=[to_button(b, *offset) for b in raw["buttons"]],
    )
    if ref is not None and raw.get("box"):
        b = raw["box"]
        pc.box = Box(
            x=round(b["x"] + offset[0], 1),
            y=round(b["y"] + offset[1], 1),
            width=round(b["width"], 1),
            height=round(b["height"], 1),
        )
    if filename:
        pc.screenshot = await _panel_shot(visit, page, pc, filename)
    return OpenPanel(frame=frame, root_ref=ref, pc=pc, raw_toggles=raw["toggles"])


async def _panel_shot(visit: Visit, page: Page, pc: PreferenceCenter, filename: str):
    path = visit.site_dir / visit.artifact_prefix / filename
    relative = f"{visit.artifact_prefix}/{filename}"
    if pc.box is not None:
        return await crop(page, pc.box, path, relative)
    return await viewport_shot(page, path, relative)


async def _banner_route(visit: Visit, page: Page, banner: Banner, flow: OptOutFlow, log: StepLog):
    """No opt-out link: the banner's settings (or "Do Not Sell") button, else its one-click reject."""
    shown = [b for b in banner.buttons if b.visible]
    opener = next((b for b in shown if b.kind in ("do_not_sell", "settings")), None)
    frame = await _frame_of(page, banner.frame_url)
    if opener is not None and frame is not None:
        flow.entry = "banner_settings"
        label = _name(opener)
        if await click(frame, opener.ref, f"banner button {label}", log):
            found = await call(page, "waitForDialog", {"timeoutMs": DIALOG_WAIT_MS, "exclude": banner.ref})
            dialog = found.get("dialog")
            if dialog:
                log.add("observe", "dialog", f"opened: {dialog['found_by']}")
                panel = await read_panel(
                    visit,
                    page,
                    page.main_frame,
                    dialog["ref"],
                    dialog["found_by"],
                    f"the banner's {label} button",
                    "preference-center.png",
                )
                return panel, label
            log.add("wait", "after the click", f"no preference center within {DIALOG_WAIT_MS / 1000:.0f} s", ok=False)
        return None, label
    reject = next((b for b in shown if b.kind in OPTOUT_BUTTON_KINDS), None)
    if reject is not None and frame is not None:
        flow.entry = "banner_reject"
        label = _name(reject)
        if await click(frame, reject.ref, f"banner button {label}", log):
            await _wait_hidden(page, banner.ref, log, "banner")
            flow.completed = True
            flow.saved_with = reject.text or reject.aria_label
            flow.paths.append(ChoicePath(direction="opt-out", entry="banner", steps=[label], count=1, measured=True))
        return None, label
    return None, ""


async def _settings_button_route(visit: Visit, page: Page, banner: Banner | None, log: StepLog):
    """A "Cookie Settings" / privacy-preferences button or floating icon that opens the preference center."""
    candidates = []
    for frame in page.frames:
        try:
            raw_links = await call(frame, "findLinks")
        except PlaywrightError:
            continue
        for raw in raw_links:
            words = normalize(" ".join((raw["text"], raw["aria_label"], raw["title"])))
            if not raw["visible"] or not any(w in words for w in ("cookie", "privacy", "consent")):
                continue
            if classify_button(raw["text"], raw["aria_label"] or raw["title"], "", raw["href"]) != "settings":
                continue
            href = raw["href"]
            if href and not href.startswith("javascript:") and urldefrag(href).url != urldefrag(page.url).url:
                continue  # a link to another page (a cookie policy), not a button that opens settings
            candidates.append((frame, raw))
    for frame, raw in candidates[:2]:
        label = f'"{raw["text"] or raw["aria_label"] or raw["title"]}"'
        if not await click(frame, raw["ref"], f"settings button {label}", log):
            continue
        found = await call(
            page, "waitForDialog", {"timeoutMs": DIALOG_WAIT_MS, "exclude": banner.ref if banner else ""}
        )
        dialog = found.get("dialog")
        if dialog:
            log.add("observe", "dialog", f"opened: {dialog['found_by']}")
            panel = await read_panel(
                visit,
                page,
                page.main_frame,
                dialog["ref"],
                dialog["found_by"],
                f"the {label} button",
                "preference-center.png",
            )
            return panel, label
    return None, ""


async def _frame_of(page: Page, frame_url: str) -> Frame | None:
    if not frame_url:
        return page.main_frame
    return next((f for f in page.frames if f.url[:2000] == frame_url), None)


async def _switch_and_save(
    visit: Visit, page: Page, panel: OpenPanel, flow: OptOutFlow, log: StepLog, entry_label: str
) -> None:
    pc = panel.pc
    flow.toggles_before = [t.model_copy() for t in pc.toggles]
    entry = (
        "dns_link" if flow.entry == "dns_link" else "floating_button" if flow.entry == "floating_button" else "banner"
    )
    _panel_paths(flow, pc, entry, entry_label)
    governing = [(t, raw) for t, raw in zip(pc.toggles, panel.raw_toggles, strict=True) if t.governs]
    log.add(
        "observe",
        "controls",
        f"{len(pc.toggles)} controls, {len(governing)} about sale, sharing or targeting: "
        + ", ".join(f'"{t.label}" {t.state}' for t, _ in governing),
    )
    path_steps = [entry_label] if entry_label else []
    for toggle, raw in governing:
        if toggle.disabled or toggle.always_active:
            flow.notes.append(f'"{toggle.label}" cannot be switched (disabled or always active)')
            continue
        if toggle.state == toggle.optout_state:
            continue
        ref = _switch_ref(toggle, raw)
        if ref is None:
            flow.notes.append(f'"{toggle.label}": no option that means opted out')
            continue
        desired = toggle.optout_state
        if await click(
            panel.frame, ref, f'"{toggle.label}" ({toggle.kind}, {toggle.state} -> {desired})', log, action="toggle"
        ):
            flow.switched.append(toggle.label)
            path_steps.append(f'switch "{toggle.label}" {desired}')
    after = await call(panel.frame, "readControls", {"ref": panel.root_ref})
    flow.toggles_after = [to_toggle(t) for t in after["toggles"]]
    for label in flow.switched:
        now = next((t for t in flow.toggles_after if t.label == label), None)
        if now is not None and now.state != now.optout_state:
            flow.notes.append(f'"{label}" did not change state when clicked')
    if panel.root_ref is not None and flow.switched:
        with contextlib.suppress(PlaywrightError):  # switches slide: photograph them where they stop
            await call(panel.frame, "settleAnimations", {"timeoutMs": 1000})
        shot = await _panel_shot(
            visit, page, pc.model_copy(update={"box": _box_now(pc, after)}), "preference-center-after.png"
        )
        if shot:
            flow.screenshots["preference_center_after"] = shot
    if pc.screenshot:
        flow.screenshots["preference_center"] = pc.screenshot
    saved = await _save(page, panel, flow, log, bool(governing))
    if saved:
        path_steps.append(f'"{flow.saved_with}"')
    flow.completed = saved and (
        bool(flow.switched) or any(t.state == t.optout_state for t, _ in governing) or not governing
    )
    if governing or saved:
        flow.paths.append(
            ChoicePath(direction="opt-out", entry=entry, steps=path_steps, count=len(path_steps), measured=True)
        )
    flow.storage_after = await snapshot(page, visit.context, visit.url)


def _box_now(pc: PreferenceCenter, raw: dict):
    b = raw.get("box")
    if not b or pc.box is None:
        return pc.box
    return Box(x=pc.box.x, y=pc.box.y, width=round(b["width"], 1), height=round(b["height"], 1))


def _switch_ref(toggle: Toggle, raw: dict) -> str | None:
    if toggle.kind in ("checkbox", "switch"):
        return toggle.ref
    for option, ref in zip(toggle.options, raw.get("option_refs", []), strict=False):
        if option_state(option) == toggle.optout_state:
            return ref
    return None


def _panel_paths(flow: OptOutFlow, pc: PreferenceCenter, entry: str, entry_label: str) -> None:
    """Counted (not taken) one-click paths inside the panel: "Reject All" to opt out, "Allow All" to opt in."""
    shown = [b for b in pc.buttons if b.visible]
    first = [entry_label] if entry_label else []
    accept = next((b for b in shown if b.kind == "accept"), None)
    reject = next((b for b in shown if b.kind in OPTOUT_BUTTON_KINDS), None)
    if accept is not None:
        steps = [*first, _name(accept)]
        flow.paths.append(ChoicePath(direction="opt-in", entry=entry, steps=steps, count=len(steps), measured=False))
    if reject is not None:
        steps = [*first, _name(reject)]
        flow.paths.append(ChoicePath(direction="opt-out", entry=entry, steps=steps, count=len(steps), measured=False))


async def _save(page: Page, panel: OpenPanel, flow: OptOutFlow, log: StepLog, had_controls: bool) -> bool:
    shown = [b for b in panel.pc.buttons if b.visible]
    save = next((b for b in shown if b.kind == "save"), None)
    if save is None and not had_controls:
        # no toggles at all: a one-click opt-out button is the control ("Do Not Sell My Info", "Opt out")
        save = next((b for b in shown if b.kind in OPTOUT_BUTTON_KINDS), None)
    if save is None:
        flow.notes.append("no save or confirm button: the choices were left as switched")
        return False
    flow.saved_with = save.text or save.aria_label
    if not await click(panel.frame, save.ref, f'save button "{flow.saved_with}"', log):
        return False
    if panel.root_ref is not None:
        await _wait_hidden(page, panel.root_ref, log, "preference center")
    else:
        try:
            info = await settle(page, PageLimits(navigation_timeout=15.0, settle_max=4.0, quiet_window=0.5))
            log.add("wait", "after saving", f"settled: {info.reason}")
        except PlaywrightError:
            pass
    return True


async def _wait_hidden(page: Page, ref: str, log: StepLog, what: str) -> None:
    try:
        result = await call(page, "waitHidden", {"ref": ref, "timeoutMs": 4000})
        log.add(
            "wait",
            f"{what} to close",
            f"{result['reason']} after {result['waited']:.0f} ms",
            ok=result["reason"] == "hidden",
        )
    except PlaywrightError:
        with contextlib.suppress(PlaywrightError):
            await page.wait_for_load_state("load", timeout=15_000)
        log.add("wait", f"{what} to close", "the page navigated")


async def _reload_and_verify(visit: Visit, flow: OptOutFlow, log: StepLog, consent: ConsentEvidence) -> None:
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
        # nothing to wait for when the first load showed no CMP at all
        seen = consent.cmp is not None or consent.banner is not None
        wait = await wait_for_cmp(page, driver, RELOAD_CMP_WAIT if seen else 0.3, since)
        log.add("wait", "consent manager after the reload", wait.reason)
        banner = await read_banner(page, visit, "banner-after-reload.png")
        flow.banner_after_reload = banner is not None
        if banner is not None and banner.screenshot:
            flow.screenshots["banner_after_reload"] = banner.screenshot
        flow.storage_after_reload = await snapshot(page, visit.context, visit.url)
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


async def _reopen(visit: Visit, page: Page, flow: OptOutFlow, log: StepLog, banner: Banner | None):
    """Open the same controls again after the reload, to read the state the site kept."""
    if flow.entry == "dns_link":
        link = await find_dns_link(page)
        if link is None:
            flow.notes.append("after the reload the opt-out link was not found again")
            return None
        _, panel, _ = await follow_link(visit, page, link, log, banner, record=False)
    elif flow.entry == "banner_settings" and banner is not None:
        panel, _ = await _banner_route(visit, page, banner, OptOutFlow(entry="none"), log)
    elif flow.entry in ("floating_button", "banner_settings", "banner_reject"):
        panel, _ = await _settings_button_route(visit, page, banner, log)
    else:
        return None
    if panel is not None and panel.root_ref is not None:
        panel.pc.screenshot = await _panel_shot(visit, page, panel.pc, "preference-center-reload.png")
    return panel
