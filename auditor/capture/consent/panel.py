"""The opt-out flow's middle: read the preference center (or opt-out page), switch its controls, save.

Every control that governs sale, sharing or targeted advertising is switched to its opted-out state; the
controls are read again after switching, photographed, and the choices saved. Every click and wait goes into
the step log; nothing here judges.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Any

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Frame, Page

from auditor.capture.consent.actions import StepLog, click, snapshot
from auditor.capture.consent.classify import option_state
from auditor.capture.consent.dom import call, crop, to_button, to_toggle, viewport_offset, viewport_shot
from auditor.capture.page import PageLimits, settle
from auditor.capture.visit import Visit
from auditor.evidence.base import Box, ScreenshotArtifact
from auditor.evidence.consent import ChoicePath, ConsentButton, OptOutFlow, PreferenceCenter, Toggle

OPTOUT_BUTTON_KINDS = ("reject", "do_not_sell")


@dataclass
class OpenPanel:
    """Controls the visitor can use now: a dialog (``root_ref``) or a whole opt-out page (``root_ref`` None)."""

    frame: Frame
    root_ref: str | None
    pc: PreferenceCenter
    raw_toggles: list[dict[str, Any]]


def button_label(button: ConsentButton) -> str:
    """A button as the step log and the choice paths name it: its visible text (else its label), quoted."""
    return f'"{button.text or button.aria_label}"'


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
        pc.screenshot = await panel_shot(visit, page, pc, filename)
    return OpenPanel(frame=frame, root_ref=ref, pc=pc, raw_toggles=raw["toggles"])


async def panel_shot(visit: Visit, page: Page, pc: PreferenceCenter, filename: str) -> ScreenshotArtifact | None:
    """A screenshot of the preference center: its box when it is a dialog, else the viewport."""
    path = visit.site_dir / visit.artifact_prefix / filename
    relative = f"{visit.artifact_prefix}/{filename}"
    if pc.box is not None:
        return await crop(page, pc.box, path, relative)
    return await viewport_shot(page, path, relative)


async def switch_and_save(
    visit: Visit, page: Page, panel: OpenPanel, flow: OptOutFlow, log: StepLog, entry_label: str
) -> None:
    """Switch every sale / sharing / targeting control to opted out, read them again, save; fill ``flow``."""
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
        shot = await panel_shot(
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


def _box_now(pc: PreferenceCenter, raw: dict) -> Box | None:
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
        steps = [*first, button_label(accept)]
        flow.paths.append(ChoicePath(direction="opt-in", entry=entry, steps=steps, count=len(steps), measured=False))
    if reject is not None:
        steps = [*first, button_label(reject)]
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
        await wait_hidden(page, panel.root_ref, log, "preference center")
    else:
        try:
            info = await settle(page, PageLimits(navigation_timeout=15.0, settle_max=4.0, quiet_window=0.5))
            log.add("wait", "after saving", f"settled: {info.reason}")
        except PlaywrightError:
            pass
    return True


async def wait_hidden(page: Page, ref: str, log: StepLog, what: str) -> None:
    """Wait (bounded) for the element ``ref`` (a banner, a preference center) to close; log how it ended."""
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
