"""The Python side of ``js/consent.js``: run its operations in a frame and turn results into evidence models."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Frame, Page

from auditor.capture.consent.classify import (
    classify_button,
    governs,
    option_state,
    optout_state,
    says_always_active,
)
from auditor.capture.scripts import bundle_call
from auditor.evidence.base import Box, ScreenshotArtifact
from auditor.evidence.consent import ConsentButton, Toggle

_CALL = bundle_call("auditor.capture.consent", "js/consent.js")

# CMP containers, for banner detection (cmps.md section 3). Order: the banner, not the preference center.
KNOWN_BANNERS: list[tuple[str, str]] = [
    ("OneTrust", "#onetrust-banner-sdk"),
    ("Cookiebot", "#CybotCookiebotDialog"),
    ("TrustArc", "#truste-consent-track"),
    ("TrustArc", ".truste_popframe"),
    ("Didomi", "#didomi-notice"),
    ("Didomi", "#didomi-popup"),
    ("Usercentrics", "#usercentrics-cmp-ui"),
    ("Usercentrics", "[data-testid=uc-banner-content]"),
    ("Usercentrics", "#uc-banner"),
    ("Quantcast Choice", "#qc-cmp2-ui"),
    ("Sourcepoint", "div[id^=sp_message_container_]"),
    ("Osano", ".osano-cm-dialog"),
    ("Ketch", "#lanyard_root div[role=dialog]"),
    ("Ketch", "#ketch-banner"),
    ("Termly", "#termly-code-snippet-support"),
    ("CookieYes", ".cky-consent-container"),
    ("Complianz", "#cmplz-cookiebanner-container .cmplz-cookiebanner"),
    ("vanilla-cookieconsent", "#cc-main .cm"),
]


# The longest any one operation may take: its own waits are shorter (at most ~10 s); a renderer that stops answering
# (a frame stuck in a script loop, a page under heavy load) must not hold the visit for ever.
CALL_TIMEOUT_S = 25.0


async def call(frame: Frame | Page, op: str, arg: dict | None = None) -> Any:
    """Run one ``consent.js`` operation in ``frame``; raises PlaywrightError when the frame is gone or stops
    answering."""
    try:
        return await asyncio.wait_for(frame.evaluate(_CALL, [op, arg or {}]), CALL_TIMEOUT_S)
    except TimeoutError:
        raise PlaywrightError(f"consent.js {op} did not answer within {CALL_TIMEOUT_S:.0f} s") from None


def _box(raw: dict | None, dx: float = 0.0, dy: float = 0.0) -> Box | None:
    if not raw:
        return None
    return Box(
        x=round(raw["x"] + dx, 1),
        y=round(raw["y"] + dy, 1),
        width=round(raw["width"], 1),
        height=round(raw["height"], 1),
    )


def to_button(raw: dict, dx: float = 0.0, dy: float = 0.0) -> ConsentButton:
    """A ``ConsentButton`` from consent.js's record, classified by its text and role."""
    return ConsentButton(
        text=raw.get("text", ""),
        aria_label=raw.get("aria_label", ""),
        tag=raw.get("tag", ""),
        role=raw.get("role", ""),
        element_id=raw.get("element_id", ""),
        href=raw.get("href", ""),
        # an accordion header (aria-expanded) only shows a category's details, whatever its text says
        kind="other"
        if raw.get("expands")
        else classify_button(raw.get("text", ""), raw.get("aria_label", ""), raw.get("role", ""), raw.get("href", "")),
        visible=raw.get("visible", True),
        box=_box(raw.get("box"), dx, dy),
        background=raw.get("background", ""),
        color=raw.get("color", ""),
        font_size_px=raw.get("font_size_px"),
        ref=raw.get("ref", ""),
        in_request_form=bool(raw.get("in_request_form")),
    )


def to_toggle(raw: dict) -> Toggle:
    """A ``Toggle`` from consent.js's record: state, what it governs and which state means "opted out"."""
    label = raw.get("label", "") or raw.get("control_label", "")
    kind = raw["kind"]
    options = raw.get("options", [])
    if kind in ("radio", "button_pair", "select"):
        state = option_state(raw.get("selected", "")) if raw.get("selected") else "unknown"
    elif raw.get("checked") is None:
        state = "unknown"
    else:
        state = "on" if raw["checked"] else "off"
    always = kind == "always_active" or (raw.get("disabled") and says_always_active(raw.get("always_text", "")))
    about = f"{label} {raw.get('control_label', '')}"
    return Toggle(
        label=label,
        control_label=raw.get("control_label", ""),
        description=raw.get("description", ""),
        kind=kind,
        state=state,
        disabled=bool(raw.get("disabled")),
        always_active=bool(always),
        governs=governs(about),
        # what the control's own label says; the heading around it only adds context ("Do Not Sell..." on the page)
        optout_state=optout_state(label, options),
        group_id=raw.get("group_id", ""),
        options=options,
        ref=raw.get("click_ref") or raw.get("ref", ""),
    )


# consent.js's ``found_by`` for a frame whose whole document is the consent message (Sourcepoint-style)
FRAME_LAYER = "a frame shown as a fixed layer, with consent wording and buttons"
_CHOICE_KINDS = ("accept", "reject", "settings", "do_not_sell")
# The fixed or sticky position of an element or of its nearest ancestor (open shadow roots crossed); run on a frame's
# element, in the frame's parent.
_FIXED_ANCESTOR_JS = """(el) => {
  for (let n = el; n && n.nodeType === 1; n = n.parentElement || (n.getRootNode() && n.getRootNode().host)) {
    const p = getComputedStyle(n).position;
    if (p === 'fixed' || p === 'sticky') return p;
  }
  return '';
}"""


async def frame_layer(page: Page, frame: Frame, offset: tuple[float, float]) -> dict | None:
    """For consent.js's ``scanBanners``: where a frame shown as a fixed or sticky layer of the page sits (its document
    may be the consent message itself); None for the main frame and for frames that scroll with the page."""
    if frame.parent_frame is None:
        return None
    try:
        element = await frame.frame_element()
        position = await element.evaluate(_FIXED_ANCESTOR_JS)
    except PlaywrightError:
        return None
    if not position:
        return None
    viewport = page.viewport_size or {"width": 1280, "height": 800}
    return {
        "dx": offset[0],
        "dy": offset[1],
        "width": viewport["width"],
        "height": viewport["height"],
        "position": position,
    }


def is_idle_layer(raw_banner: dict) -> bool:
    """A fixed frame found for its consent words whose buttons offer no consent choice (an ad slot, a chat widget)."""
    if raw_banner.get("found_by") != FRAME_LAYER:
        return False
    return not any(to_button(b).kind in _CHOICE_KINDS for b in raw_banner.get("buttons", []))


async def frame_box(frame: Frame) -> Box | None:
    """Where a frame (its element) sits in the top page's viewport; None for the main frame, or when the frame is gone
    or hidden."""
    if frame.parent_frame is None:
        return None
    try:
        element = await frame.frame_element()
        rect = await element.bounding_box()
    except PlaywrightError:
        return None
    return _box(dict(rect)) if rect else None


async def viewport_offset(frame: Frame) -> tuple[float, float] | None:
    """Where a frame's viewport sits in the top page's viewport; None when the frame is gone or hidden."""
    if frame.parent_frame is None:
        return 0.0, 0.0
    box = await frame_box(frame)
    return (box.x, box.y) if box else None


async def crop(
    page: Page, box: Box | None, path: Path, relative: str, margin: float = 8.0
) -> ScreenshotArtifact | None:
    """Screenshot the part of the viewport around ``box`` (viewport coordinates) to ``path``."""
    if box is None:
        return None
    viewport = page.viewport_size or {"width": 1280, "height": 800}
    x0 = max(0.0, box.x - margin)
    y0 = max(0.0, box.y - margin)
    x1 = min(float(viewport["width"]), box.x + box.width + margin)
    y1 = min(float(viewport["height"]), box.y + box.height + margin)
    if x1 - x0 < 4 or y1 - y0 < 4:
        return None
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        await page.screenshot(path=path, clip={"x": x0, "y": y0, "width": x1 - x0, "height": y1 - y0}, timeout=10_000)
    except PlaywrightError:
        return None
    return ScreenshotArtifact(path=relative, width=round(x1 - x0), height=round(y1 - y0))


async def viewport_shot(page: Page, path: Path, relative: str) -> ScreenshotArtifact | None:
    """Screenshot the whole viewport."""
    viewport = page.viewport_size or {"width": 1280, "height": 800}
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        await page.screenshot(path=path, timeout=10_000)
    except PlaywrightError:
        return None
    return ScreenshotArtifact(path=relative, width=viewport["width"], height=viewport["height"])
