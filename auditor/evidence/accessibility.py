"""Accessibility evidence: axe-core run on each notice, the keyboard walk to the opt-out, the opt-out link's contrast.

Filled in the baseline visit by :mod:`auditor.capture.accessibility`. Capture records what axe reported (inside
each notice only), what each key press did and the colours it measured; it never decides whether a notice is
accessible enough: the ``notices_accessible`` check does, so ``auditor check`` re-judges the saved results.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from auditor.evidence.base import Box, Model, ScreenshotArtifact

NoticeKind = Literal["banner", "preference_center", "optout", "footer", "policy"]
Impact = Literal["minor", "moderate", "serious", "critical"]
NoticeOutcome = Literal["scanned", "absent", "not_opened", "error", "same_as_optout"]
NOTICE_TITLES: dict[str, str] = {
    "banner": "the consent banner",
    "preference_center": "the preference center",
    "optout": "the opt-out page or dialog",
    "footer": "the footer around the opt-out link",
    "policy": "the privacy policy page",
}


class AxeNode(Model):
    """One element axe flagged."""

    selector: str = Field(description="axe's CSS selector of the element (shadow and frame hops joined by ' >>> ')")
    html: str = Field("", description="the element's opening markup, cut to 300 characters")
    summary: str = Field("", description="axe's failure summary for this element")
    box: Box | None = Field(None, description="where it was in the viewport when photographed, in CSS pixels")
    screenshot: ScreenshotArtifact | None = Field(None, description="a crop of the viewport around the element")
    box_in_screenshot: Box | None = Field(None, description="the element's box within that crop, to outline it")


class AxeResult(Model):
    """One axe rule that found something inside a notice (a violation, or a check axe left for a person)."""

    rule_id: str
    impact: Impact | None = None
    help: str = ""
    help_url: str = ""
    wcag: list[str] = Field(default_factory=list, description="WCAG success criteria from axe's tags, e.g. 1.4.3")
    tags: list[str] = []
    nodes: list[AxeNode] = []
    node_count: int = Field(0, description="elements flagged (nodes keeps the first few)")


class NoticeScan(Model):
    """axe-core run on one notice, scoped to it."""

    notice: NoticeKind
    outcome: NoticeOutcome = Field(
        description="scanned; absent: the site shows no such notice; not_opened: it could not be opened; "
        "error: axe could not run; same_as_optout: it is the dialog the opt-out link opens, scanned as that"
    )
    reason: str = Field("", description="why it was not scanned, or how it was reached")
    url: str = ""
    scope: str = Field("", description="what axe was scoped to: a selector, or the whole page")
    frame_url: str = ""
    opened_by: Literal["", "keyboard", "pointer"] = ""
    violations: list[AxeResult] = []
    incomplete: list[AxeResult] = Field(default_factory=list, description="checks axe could not decide (a person must)")
    passes: int = Field(0, description="axe rules that passed inside the notice")
    screenshot: ScreenshotArtifact | None = None
    duration_ms: float = 0.0


KeyName = Literal["Tab", "Shift+Tab", "Enter", "Space", "Escape", "note"]


class KeyStep(Model):
    """One entry of the keyboard walk's step log."""

    key: KeyName
    presses: int = Field(1, description="how many times the key was pressed for this step")
    goal: str = Field(description='what the step tried: "reach the opt-out link", "switch the toggle ..."')
    focused: str = Field("", description="the element that had the focus afterwards")
    ok: bool
    detail: str = ""


class KeyboardWalk(Model):
    """The opt-out done with the keyboard alone: Tab to the entry, Enter opens it, Tab and Space on the controls."""

    entry: Literal["dns_link", "banner_settings", "none"]
    entry_label: str = ""
    steps: list[KeyStep] = []
    entry_reached: bool | None = Field(None, description="Tab reached the entry; None when not tried")
    entry_focusable: bool | None = Field(None, description="the entry is in the page's tab order at all")
    opened: bool | None = Field(None, description="Enter on the entry opened the opt-out; None when not tried")
    opened_by_pointer: bool | None = Field(None, description="a click opened it when Enter did not (the comparison)")
    toggles_total: int = 0
    toggles_reached: int = 0
    toggles_switched: int = Field(0, description="toggles whose state Space changed")
    toggles_keyboard_dead: list[str] = Field(
        default_factory=list, description="toggles Space did not switch though a click did (labels)"
    )
    toggles_state_unknown: list[str] = Field(
        default_factory=list, description="toggles neither Space nor a click visibly switched (labels)"
    )
    notice_walk_complete: bool = Field(
        False, description="Tab went round the whole opened notice, so what it never reached is not in its tab order"
    )
    save_reached: bool | None = Field(None, description="Tab reached a save / confirm button; None when none exists")
    trapped_in: str = Field("", description="where focus stayed and could not leave by Tab or Escape, if anywhere")
    banner_modal: bool = Field(False, description="the banner blocks the page, so focus staying in it is expected")


class LinkColours(Model):
    """A link's text size and colour against the background behind it."""

    text: str
    href: str = ""
    font_size_px: float | None = None
    font_weight: int | None = None
    color: str = ""
    background: str = Field("", description="the first opaque background colour behind the text, or ''")
    background_image: bool = Field(False, description="an image or gradient lies behind the text: ratio unknown")
    contrast_ratio: float | None = Field(None, description="WCAG contrast ratio; None when it cannot be computed")


class OptOutLinkContrast(Model):
    """The opt-out link and the links around it (its footer, else its row), as the contrast measurement saw them."""

    link: LinkColours
    area: str = Field("", description="what the peers are: the footer links, or the links on its row")
    peers: list[LinkColours] = []


class AccessibilityEvidence(Model):
    """What the accessibility capture saw of the notices in one visit."""

    engine: str = "axe-core"
    axe_version: str = ""
    wcag_tags: list[str] = []
    notices: list[NoticeScan] = []
    keyboard: KeyboardWalk | None = None
    optout_link: OptOutLinkContrast | None = None
    errors: list[str] = []
    duration_ms: float = Field(0.0, description="how long the whole accessibility capture took")
