"""The opt-out flow's middle: read what opened (a preference center, an opt-out page, a panel in a frame) and use it.

What a visitor who wants to opt out of sale and sharing does with any consent UI, in this order:

1. the controls that govern sale, sharing or targeted advertising (checkboxes, switches, ``aria-pressed``
   Allow/Deny pairs, radio groups, selects): switch each to its opted-out state, read them again, save (the
   control the opt-out rules are about is the one exercised);
2. else (or when that did not complete) a one-click opt-out on it ("Do Not Sell My Info", "Opt out of the sale...",
   "Reject all", "Deny all", "Required only"): click it;
3. else a button that opens the settings ("Open cookie settings", "Manage preferences"): open them and start again
   (at most twice).

Controls and buttons of a form that asks for personal data (an offline request) are recorded as the form and never
used. Every click and wait goes into the step log; nothing here judges.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Any

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Frame, Page

from auditor.capture.consent.actions import StepLog, click, snapshot
from auditor.capture.consent.classify import option_state
from auditor.capture.consent.dom import (
    call,
    crop,
    frame_box,
    to_button,
    to_toggle,
    viewport_offset,
    viewport_shot,
)
from auditor.capture.quiet import wait_quiet
from auditor.capture.visit import Visit
from auditor.evidence.base import Box, ScreenshotArtifact
from auditor.evidence.consent import ChoicePath, ConsentButton, OptOutFlow, PreferenceCenter, Toggle

ONE_CLICK_KINDS = ("do_not_sell", "reject")  # in order of preference
MAX_OPENERS = 2  # settings buttons followed from one panel to the next
AFTER_ACTION_WAIT_S = 4.0


@dataclass
class OpenPanel:
    """Controls the visitor can use now: a panel (``root_ref``), or a whole document (``root_ref`` None) of ``frame``
    (the page's main frame, or a frame holding a preference manager)."""

    frame: Frame
    root_ref: str | None
    pc: PreferenceCenter
    raw_toggles: list[dict[str, Any]]


def actionable(button: ConsentButton) -> bool:
    """A button a visitor can press here: visible, not part of a request form, not a link to another page."""
    if not button.visible or button.in_request_form or button.kind == "info":
        return False
    href = button.href.strip()
    return not (button.tag == "a" and href and not href.startswith(("#", "javascript:")))


async def read_panel(
    visit: Visit,
    page: Page,
    frame: Frame,
    ref: str | None,
    found_by: str,
    opened_by: str,
    filename: str | None,
    *,
    exclude: str = "",
) -> OpenPanel:
    """Read the controls and buttons of a panel (``ref``) or a whole document (None) in ``frame``; photograph it.

    ``exclude`` leaves one element out (the consent banner, shown again on the page the opt-out link leads to).
    """
    raw = await call(frame, "readControls", {"ref": ref, "exclude": exclude})
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
    if ref is None and frame.parent_frame is not None:
        pc.box = await frame_box(frame)  # a frame's whole document: the visitor sees the frame, however tall its body
    elif raw.get("box") and ref is not None:
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
    """A screenshot of the preference center: its box when it is a panel, else the viewport."""
    path = visit.site_dir / visit.artifact_prefix / filename
    relative = f"{visit.artifact_prefix}/{filename}"
    if pc.box is not None:
        return await crop(page, pc.box, path, relative)
    return await viewport_shot(page, path, relative)


def one_click_optout(buttons: list[ConsentButton]) -> ConsentButton | None:
    """The panel's one-click opt-out ("Do Not Sell My Info", "Reject all"), if it has one."""
    usable = [b for b in buttons if actionable(b)]
    for kind in ONE_CLICK_KINDS:
        found = next((b for b in usable if b.kind == kind), None)
        if found is not None:
            return found
    return None


def settings_opener(buttons: list[ConsentButton]) -> ConsentButton | None:
    """A button that opens the settings ("Open cookie settings", "Manage preferences"), if the panel has one."""
    return next((b for b in buttons if actionable(b) and b.kind == "settings"), None)


def path_entry(flow: OptOutFlow) -> str:
    """The starting point of the flow's path, as a :class:`ChoicePath` names it."""
    return {"dns_link": "dns_link", "floating_button": "floating_button"}.get(flow.entry, "banner")


async def use_panel(
    visit: Visit,
    page: Page,
    panel: OpenPanel,
    flow: OptOutFlow,
    log: StepLog,
    steps: list[str],
    *,
    opener: Any = None,
    depth: int = 0,
) -> OpenPanel:
    """Opt out with ``panel`` as a visitor would (see the module docstring); fill ``flow``; return the panel used.

    ``steps`` are the visitor's steps so far (the entry: "the opt-out link"); ``opener`` opens a further panel
    (:func:`auditor.capture.consent.opening.open_by_click`, passed in to keep this module free of navigation).
    """
    pc = panel.pc
    governing = [(t, raw) for t, raw in zip(pc.toggles, panel.raw_toggles, strict=True) if t.governs]
    log.add(
        "observe",
        "controls",
        f"{len(pc.toggles)} controls, {len(governing)} about sale, sharing or targeting"
        + (": " + ", ".join(f'"{t.label}" {t.state}' for t, _ in governing) if governing else "")
        + "; buttons: "
        + (", ".join(f"{b.described()} ({b.kind})" for b in pc.buttons if actionable(b))[:400] or "none"),
    )
    flow.toggles_before = [t.model_copy() for t in pc.toggles]
    if pc.screenshot:
        flow.screenshots["preference_center"] = pc.screenshot
    _counted_paths(flow, pc, steps)
    usable = [(t, raw) for t, raw in governing if not (t.disabled or t.always_active)]
    for toggle, _ in governing:
        if toggle.disabled or toggle.always_active:
            flow.notes.append(f'"{toggle.label}" cannot be switched (disabled or always active)')
    one_click = one_click_optout(pc.buttons)
    if usable:
        await _switch_and_save(visit, page, panel, usable, flow, log, steps)
        if flow.completed or one_click is None or not await _still_open(panel):
            return panel
        log.add("note", "controls", "switching and saving did not complete the opt-out; trying the one-click button")
    if one_click is not None:
        await _one_click(visit, page, panel, one_click, flow, log, steps)
        return panel
    settings = settings_opener(pc.buttons)
    if settings is not None and opener is not None and depth < MAX_OPENERS:
        label = settings.described()
        opened = await opener(panel.frame, settings.ref, f"settings button {label}")
        if opened is not None:
            return await use_panel(visit, page, opened, flow, log, [*steps, label], opener=opener, depth=depth + 1)
    if not pc.toggles and not pc.buttons:
        flow.notes.append(f"{pc.found_by}: nothing to switch or press")
    elif not governing:
        flow.notes.append(f"{pc.found_by}: no control about sale, sharing or targeting, and no opt-out button")
    return panel


async def _one_click(
    visit: Visit,
    page: Page,
    panel: OpenPanel,
    button: ConsentButton,
    flow: OptOutFlow,
    log: StepLog,
    steps: list[str],
) -> None:
    label = button.described()
    if not await click(panel.frame, button.ref, f"opt-out button {label}", log):
        flow.notes.append(f"the opt-out button {label} could not be clicked")
        return
    flow.saved_with = button.text or button.aria_label
    flow.completed = True
    taken = [*steps, label]
    flow.paths.append(
        ChoicePath(direction="opt-out", entry=path_entry(flow), steps=taken, count=len(taken), measured=True)
    )
    await _after_action(page, panel, log)
    flow.storage_after = await snapshot(page, visit.context, visit.url)


async def _switch_and_save(
    visit: Visit,
    page: Page,
    panel: OpenPanel,
    usable: list[tuple[Toggle, dict]],
    flow: OptOutFlow,
    log: StepLog,
    steps: list[str],
) -> None:
    taken = list(steps)
    for toggle, raw in usable:
        if toggle.state == toggle.optout_state:
            continue
        desired = toggle.optout_state
        what = f'"{toggle.label}" ({toggle.kind}, {toggle.state} -> {desired})'
        done = await _switch(panel.frame, toggle, raw, what, log, flow)
        if done:
            flow.switched.append(toggle.label)
            taken.append(f'switch "{toggle.label}" {desired}')
    after = await call(panel.frame, "readControls", {"ref": panel.root_ref})
    flow.toggles_after = [to_toggle(t) for t in after["toggles"]]
    # The same element keeps its handle; its label may change with its state ("Allowed" -> "Opted out").
    by_ref = {t.ref: t for t in flow.toggles_after}
    now = {
        t.label: by_ref.get(t.ref) or next((a for a in flow.toggles_after if a.label == t.label), None)
        for t, _ in usable
    }
    for label in flow.switched:
        current = now.get(label)
        if current is not None and current.state != current.optout_state:
            flow.notes.append(f'"{label}" did not change state when clicked')
    if flow.switched:
        with contextlib.suppress(PlaywrightError):  # switches slide: photograph them where they stop
            await call(panel.frame, "settleAnimations", {"timeoutMs": 1000})
        box = _box_now(panel.pc, after) if panel.root_ref is not None else panel.pc.box  # a frame keeps its size
        shot = await panel_shot(visit, page, panel.pc.model_copy(update={"box": box}), "preference-center-after.png")
        if shot:
            flow.screenshots["preference_center_after"] = shot
    opted_out = all(
        (current := now.get(t.label)) is not None and current.state == current.optout_state for t, _ in usable
    )
    save = next((b for b in panel.pc.buttons if actionable(b) and b.kind == "save"), None)
    if save is None:
        # No save button: the controls act at once (a visitor's clicks are the choice); the reload will tell.
        flow.notes.append("no save or confirm button: the choices were left as switched")
        flow.completed = opted_out and bool(flow.switched or usable)
    else:
        flow.saved_with = save.text or save.aria_label
        if await click(panel.frame, save.ref, f"save button {save.described()}", log):
            taken.append(save.described())
            flow.completed = opted_out
            await _after_action(page, panel, log)
    if flow.switched or flow.saved_with:
        flow.paths.append(
            ChoicePath(direction="opt-out", entry=path_entry(flow), steps=taken, count=len(taken), measured=True)
        )
    flow.storage_after = await snapshot(page, visit.context, visit.url)


async def _switch(frame: Frame, toggle: Toggle, raw: dict, what: str, log: StepLog, flow: OptOutFlow) -> bool:
    if toggle.kind == "select":
        option = next((o for o in toggle.options if option_state(o) == toggle.optout_state), None)
        if option is None:
            flow.notes.append(f'"{toggle.label}": no option that means opted out')
            return False
        try:
            await frame.locator(f'[data-auditor-ref="{raw["ref"]}"]').first.select_option(label=option, timeout=3000)
        except PlaywrightError as error:
            log.add("toggle", what, f"could not select {option!r}: {str(error)[:200]}", ok=False, user=True)
            return False
        log.add("toggle", what, f"selected {option!r}", user=True)
        return True
    ref = _switch_ref(toggle, raw)
    if ref is None:
        flow.notes.append(f'"{toggle.label}": no option that means opted out')
        return False
    return await click(frame, ref, what, log, action="toggle")


def _switch_ref(toggle: Toggle, raw: dict) -> str | None:
    if toggle.kind in ("checkbox", "switch"):
        return toggle.ref
    for option, ref in zip(toggle.options, raw.get("option_refs", []), strict=False):
        if option_state(option) == toggle.optout_state:
            return ref
    return None


async def _still_open(panel: OpenPanel) -> bool:
    """The panel is still there to use (a save that closed it, or navigated away, leaves nothing to click)."""
    try:
        if panel.root_ref is None:
            return True
        return bool(await call(panel.frame, "isVisible", {"ref": panel.root_ref}))
    except PlaywrightError:
        return False


def _box_now(pc: PreferenceCenter, raw: dict) -> Box | None:
    b = raw.get("box")
    if not b or pc.box is None:
        return pc.box
    return Box(x=pc.box.x, y=pc.box.y, width=round(b["width"], 1), height=round(b["height"], 1))


def _counted_paths(flow: OptOutFlow, pc: PreferenceCenter, steps: list[str]) -> None:
    """Counted (not taken) one-click paths of the panel: its accept to opt in, its one-click opt-out to opt out."""
    shown = [b for b in pc.buttons if actionable(b)]
    for direction, button in (("opt-in", _first(shown, "accept")), ("opt-out", one_click_optout(shown))):
        if button is not None:
            counted = [*steps, button.described()]
            flow.paths.append(
                ChoicePath(
                    direction=direction,
                    entry=path_entry(flow),
                    steps=counted,
                    count=len(counted),
                    measured=False,
                )
            )


def _first(buttons: list[ConsentButton], kind: str) -> ConsentButton | None:
    return next((b for b in buttons if b.kind == kind), None)


async def _after_action(page: Page, panel: OpenPanel, log: StepLog) -> None:
    """Wait (bounded) for the panel to close, or the page to go quiet after a choice on a whole page."""
    if panel.root_ref is not None and panel.frame.parent_frame is None:
        await wait_hidden(page, panel.root_ref, log, "preference center")
        return
    quiet = await wait_quiet(page, AFTER_ACTION_WAIT_S)
    log.add("wait", "after the choice", quiet.reason)


async def wait_hidden(page: Page, ref: str, log: StepLog, what: str, frame: Frame | None = None) -> None:
    """Wait (bounded) for the element ``ref`` (a banner, a preference center) of ``frame`` (the page's main frame by
    default) to close; log how it ended. A banner that is a frame's document closes when its frame goes away."""
    frame = frame or page.main_frame
    try:
        result = await call(frame, "waitHidden", {"ref": ref, "timeoutMs": AFTER_ACTION_WAIT_S * 1000})
        log.add(
            "wait",
            f"{what} to close",
            f"{result['reason']} after {result['waited']:.0f} ms",
            ok=result["reason"] == "hidden",
        )
    except PlaywrightError:
        if frame.is_detached():
            log.add("wait", f"{what} to close", "its frame was removed from the page")
            return
        with contextlib.suppress(PlaywrightError):
            await page.wait_for_load_state("load", timeout=15_000)
        log.add("wait", f"{what} to close", "the page navigated")
