"""Consent-manager evidence: detection, banner, preference center, opt-out flow (filled by capture.consent).

Capture records what it saw and did; it classifies buttons and toggles by their visible text (so a
reader can see why the auditor clicked what it clicked) but never decides whether anything complies.
Screenshot paths are relative to the site folder; boxes are in CSS pixels of the viewport when the
element is fixed (banners, dialogs) and say so in ``coordinates``.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from auditor.evidence.base import Box, Model, ScreenshotArtifact
from auditor.evidence.signals import SignalEvidence

ButtonKind = Literal["accept", "reject", "settings", "do_not_sell", "save", "close", "info", "other"]
ToggleKind = Literal["checkbox", "switch", "button_pair", "radio", "select", "always_active"]
ToggleState = Literal["on", "off", "unknown"]
Governs = Literal["sale", "sharing", "targeting"]
Confidence = Literal["high", "medium", "low"]


class CmpDetection(Model):
    """One sign that a consent manager is present (``ConsentEvidence.cmp``: the one the signs agree on)."""

    name: str = Field(description='the CMP, e.g. "OneTrust"; "unrecognised consent banner" when nothing names it')
    detected_by: str = Field(description='what was seen, e.g. "autoconsent rule Onetrust", "window.OneTrust"')
    method: Literal["autoconsent", "global", "cookie", "storage", "dom", "source", "heuristic"] = Field(
        description="where the sign was seen: autoconsent's rules, the vendor's API, its cookies or storage, its "
        "containers, where its script came from, or the generic banner heuristic"
    )
    confidence: Confidence
    frame_url: str = ""


class AutoconsentEvent(Model):
    """A message from DuckDuckGo autoconsent running in a frame (cmpDetected, popupFound, ...)."""

    type: str
    cmp: str = ""
    url: str = ""
    main_frame: bool = True
    t_ms: float = Field(description="ms since the visit's context was prepared")
    result: bool | None = None
    detail: str = ""


class ConsentButton(Model):
    """A button or link in a banner or preference center, classified by visible text and role (never by id)."""

    text: str
    aria_label: str = ""
    tag: str = ""
    role: str = ""
    element_id: str = Field("", description="recorded for the reader; ids are never used to classify")
    href: str = ""
    kind: ButtonKind
    visible: bool = True
    box: Box | None = None
    background: str = ""
    color: str = ""
    font_size_px: float | None = None
    ref: str = Field("", description="the auditor's handle on the element during the visit")
    in_request_form: bool = Field(
        False, description="part of a form that asks for personal data (an offline request): never clicked"
    )

    def described(self) -> str:
        """How the step log and the findings name the button: its visible text (else its label), quoted; or, when it
        has neither (an icon), what it is."""
        name = self.text or self.aria_label
        return f'"{name}"' if name else f"a {self.tag or 'button'} with no text or accessible name"


class Banner(Model):
    """The consent banner as the visitor first saw it (the visit's cold state, nothing clicked)."""

    found_by: str = Field(description='e.g. "CMP container #onetrust-banner-sdk", "fixed element with consent words"')
    selector: str = ""
    text: str
    box: Box | None = None
    coordinates: Literal["viewport", "page"] = "viewport"
    position: str = Field("", description="top, bottom, center, left, right, corner names, or inline")
    css_position: str = ""
    viewport_fraction: float = Field(0.0, description="share of the viewport the banner covers")
    page_blocked: bool = Field(False, description="a full-viewport layer sits over the page while the banner is open")
    blocking_layer: str = Field("", description="that layer, e.g. div.onetrust-pc-dark-filter")
    in_shadow_root: bool = False
    frame_url: str = ""
    buttons: list[ConsentButton] = []
    screenshot: ScreenshotArtifact | None = None
    ref: str = ""


class Toggle(Model):
    """One control in a preference center or opt-out page."""

    label: str = Field(description="the category header text (what the control is about)")
    control_label: str = Field("", description="the control's own label or aria-label, when different")
    description: str = ""
    kind: ToggleKind
    state: ToggleState
    disabled: bool = False
    always_active: bool = False
    governs: list[Governs] = Field(default_factory=list, description="read from the label text")
    optout_state: Literal["on", "off"] = Field(
        "off", description='the state that means "opted out": "on" for labels such as "Do Not Sell My Info"'
    )
    group_id: str = Field("", description="the CMP's own id for the category, read from the element")
    options: list[str] = Field(default_factory=list, description="choices of a button pair, radio group or select")
    ref: str = ""


class PreferenceCenter(Model):
    """A preference center (or opt-out dialog) that was open, with its controls."""

    found_by: str
    opened_by: str = ""
    title: str = ""
    text: str = ""
    box: Box | None = None
    in_shadow_root: bool = False
    frame_url: str = ""
    toggles: list[Toggle] = []
    buttons: list[ConsentButton] = []
    screenshot: ScreenshotArtifact | None = None


class FormField(Model):
    name: str = ""
    type: str = ""
    label: str = ""
    required: bool = False


class FormInfo(Model):
    """A form on the opt-out page: its fields (never their values) and submit buttons."""

    action: str = ""
    method: str = ""
    fields: list[FormField] = []
    submit_texts: list[str] = []


class DnsTarget(Model):
    """Where the "Do Not Sell or Share" (or "Your Privacy Choices") link leads when clicked."""

    link_text: str
    link_href: str = ""
    link_in_footer: bool = False
    link_in_shadow_root: bool = False
    link_frame_url: str = ""
    click: str = Field("", description="how it was clicked: pointer, or element.click() and why")
    outcome: Literal["page", "dialog", "new_tab", "nothing", "error"]
    page_changed: bool = Field(
        False, description='for "nothing": the page changed after the click although nothing usable appeared'
    )
    off_site: bool = Field(False, description="the link leads to another site (looked at, never followed further)")
    url: str = ""
    status: int | None = None
    title: str = ""
    text: str = ""
    soft_404: str | None = Field(None, description="the not-found wording the page shows, if any")
    login_wall: str | None = Field(None, description="why the page looks like it requires signing in, if it does")
    verification: str | None = Field(
        None, description="why the destination demands that the visitor verify their identity, if it does"
    )
    forms: list[FormInfo] = []
    controls: list[Toggle] = []
    buttons: list[ConsentButton] = []
    dialog: PreferenceCenter | None = None
    screenshot: ScreenshotArtifact | None = None
    error: str | None = None


class Step(Model):
    """One entry of the opt-out flow's step log."""

    t_ms: float = Field(description="ms since the flow started")
    action: Literal["click", "js_click", "toggle", "navigate", "wait", "reload", "observe", "screenshot", "note"]
    target: str = ""
    detail: str = ""
    ok: bool = True
    user_step: bool = Field(False, description="a step a visitor takes (a click or a toggle); counted for symmetry")


class ChoicePath(Model):
    """A way to opt out or in from one starting point, and how many steps it takes."""

    direction: Literal["opt-out", "opt-in"]
    entry: Literal["banner", "dns_link", "floating_button"]
    steps: list[str]
    count: int
    measured: bool = Field(description="True when the auditor took this path; False when counted from the controls")


class OptInRun(Model):
    """The opt-in path as a visitor takes it, in a cold context of its own (counted for the symmetry rule)."""

    entry: Literal["banner", "dns_link", "floating_button"]
    taken: bool = Field(description="every step of the path could be clicked and the choice was made")
    steps: list[Step] = []
    detail: str = Field("", description="how it ended, e.g. the banner closed and consent was stored")


class StorageSnapshot(Model):
    """First-party cookies and local storage at one moment (values cut to 2,000 characters)."""

    cookies: dict[str, str] = {}
    local_storage: dict[str, str] = {}


class OptOutFlow(Model):
    """The opt-out as a visitor does it: entry, toggles switched, saved, page reloaded, state read again."""

    entry: Literal["dns_link", "banner_settings", "banner_reject", "floating_button", "autoconsent", "none"]
    completed: bool = Field(False, description="the controls were switched and saved without error")
    steps: list[Step] = []
    paths: list[ChoicePath] = []
    toggles_before: list[Toggle] = []
    toggles_after: list[Toggle] = Field(default_factory=list, description="right after switching, before saving")
    toggles_after_reload: list[Toggle] = Field(
        default_factory=list, description="the preference center opened again after the reload"
    )
    switched: list[str] = Field(default_factory=list, description="labels of the controls the auditor switched")
    saved_with: str = ""
    reopened_after_reload: bool = False
    banner_after_reload: bool | None = Field(None, description="the banner showed again after the reload")
    storage_before: StorageSnapshot = StorageSnapshot()
    storage_after: StorageSnapshot = StorageSnapshot()
    storage_after_reload: StorageSnapshot = StorageSnapshot()
    signals_after_reload: SignalEvidence | None = Field(
        None, description="the privacy signals the reloaded homepage exposes (US Privacy, GPP, stored consent)"
    )
    after_reload_page: str = Field("", description="key of the reloaded homepage in ProfileCapture.pages")
    screenshots: dict[str, ScreenshotArtifact] = Field(
        default_factory=dict, description="preference_center, preference_center_after, preference_center_reload, ..."
    )
    opt_in: OptInRun | None = Field(None, description="the opt-in path, taken in a cold context of its own")
    notes: list[str] = []
    error: str | None = None


class WaitInfo(Model):
    """How long the visit waited for a late consent manager and why the wait ended."""

    reason: str
    waited_ms: float
    quiet: bool | None = Field(
        None, description="the wait saw the page quiet: no timer due, script or request pending, DOM still"
    )
    page_changed: bool = Field(
        False, description="the page changed during the wait, so the homepage's links were read again after it"
    )


class TextBlock(Model):
    """Visible text from one place of the page: the document, an open shadow root, or a frame."""

    where: str = Field(description='"document", "shadow root of div#host", "frame https://..."')
    text: str


class StatusSurvey(Model):
    """Where the GPC visit looked, besides the page, for a display that the opt-out preference signal was processed:
    the preference center and the opt-out link's destination, opened with GPC on (nothing is switched or saved)."""

    texts: list[TextBlock] = Field(default_factory=list, description="what those places say, one block per place")
    controls: list[Toggle] = Field(default_factory=list, description="the preference center's controls as shown")
    screenshots: dict[str, ScreenshotArtifact] = Field(default_factory=dict)
    steps: list[Step] = []
    notes: list[str] = []


class ConsentEvidence(Model):
    """What one visit saw of the site's consent manager, and in the ``optout`` profile what it did."""

    cmp: CmpDetection | None = Field(
        None, description="the CMP two or more independent signs agree on; None when no name is corroborated"
    )
    detections: list[CmpDetection] = []
    iab_apis: list[str] = Field(default_factory=list, description="__tcfapi, __gpp, __uspapi when present")
    autoconsent: list[AutoconsentEvent] = []
    wait: WaitInfo | None = None
    page_text: list[TextBlock] = Field(
        default_factory=list,
        description="the page's visible text after the late-CMP wait: document, open shadow roots and frames",
    )
    banner: Banner | None = None
    dns_target: DnsTarget | None = None
    preference_center: PreferenceCenter | None = None
    flow: OptOutFlow | None = None
    status_survey: StatusSurvey | None = Field(
        None, description="GPC visit: the preference center and opt-out destination, opened to read their status"
    )
    errors: list[str] = []
