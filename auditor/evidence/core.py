"""Core evidence: the site, its visit profiles and the pages they loaded.

Paths to artifacts (screenshots, DOM snapshots) are relative to the site folder.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from pydantic import ConfigDict, Field, model_validator

from auditor.evidence.accessibility import AccessibilityEvidence
from auditor.evidence.base import Box, Model, ScreenshotArtifact
from auditor.evidence.consent import ConsentEvidence
from auditor.evidence.failures import LEGACY_KEYS, CaptureFailure, legacy_failures
from auditor.evidence.notices import ChoiceLinkEvidence, PolicyEvidence
from auditor.evidence.profiles import ProfileName
from auditor.evidence.signals import SignalEvidence

EVIDENCE_SCHEMA = "auditor.evidence/1"


class Link(Model):
    """A link-like element as the visitor saw it (``a``, ``button``, ``[role=link|button]``)."""

    tag: str
    text: str = Field(description="visible text, whitespace collapsed")
    aria_label: str = ""
    title: str = ""
    href: str = ""
    visible: bool
    box: Box | None = None
    in_footer: bool = False
    in_shadow_root: bool = False
    frame_url: str = ""
    in_main_frame: bool = True
    font_size_px: float | None = None
    color: str = ""


class Redirect(Model):
    url: str
    status: int | None = None


class CookieRecord(Model):
    name: str
    value: str
    domain: str
    path: str = "/"
    expires: float | None = Field(None, description="epoch seconds; None for a session cookie")
    http_only: bool = False
    secure: bool = False
    same_site: str = ""
    third_party: bool = False


class RequestRecord(Model):
    url: str
    method: str = "GET"
    resource_type: str = ""
    status: int | None = None
    failure: str | None = None
    frame_url: str = ""
    in_main_frame: bool = True
    host: str = ""
    registrable_domain: str = ""
    third_party: bool = False
    started_ms: float | None = Field(None, description="ms since the visit started")


class ConsoleMessage(Model):
    type: str
    text: str
    location: str = ""


class SettleInfo(Model):
    """How the page was judged to have settled: the reason the wait ended and how long it took."""

    reason: str
    waited_ms: float


class StepTiming(Model):
    """How long one step of a visit took: navigation, settle, reading, screenshots, each gatherer, extra pages."""

    step: str = Field(description="what the visit was doing, in words: 'loading the page', 'gatherer: consent', ...")
    start_ms: float = Field(description="ms from the start of the visit to the start of the step")
    duration_ms: float


class PageCapture(Model):
    """One page load in one profile."""

    requested_url: str
    final_url: str = ""
    redirect_chain: list[Redirect] = []
    status: int | None = None
    title: str = ""
    error: str | None = Field(None, description="why the page could not be loaded, if it could not")
    settle: SettleInfo | None = None
    full_screenshot: ScreenshotArtifact | None = None
    viewport_screenshot: ScreenshotArtifact | None = None
    dom_path: str | None = None
    visible_text: str = ""
    links: list[Link] = []
    cookies: list[CookieRecord] = []
    requests: list[RequestRecord] = []
    console_errors: list[ConsoleMessage] = []
    bot_wall: str | None = Field(None, description="why the page looks like a bot check, if it does")
    incomplete: str | None = Field(
        None, description="why the page may be only partly captured though it opened (its load event never fired)"
    )
    truncated: list[str] = Field(
        default_factory=list, description="what was cut to stay within the limits (links, text, DOM, screenshot)"
    )


class ProfileCapture(Model):
    """A cold visit in one profile (``baseline``: no GPC; ``gpc``: GPC on)."""

    profile: ProfileName
    gpc: bool
    started_at: datetime
    finished_at: datetime
    homepage: PageCapture
    consent: ConsentEvidence | None = None
    signals: SignalEvidence | None = None
    policy: PolicyEvidence | None = Field(None, description="how the privacy policy was found, and its text")
    choice_links: ChoiceLinkEvidence | None = Field(None, description="opt-out links and the icons next to them")
    accessibility: AccessibilityEvidence | None = Field(
        None, description="axe-core on each notice, the keyboard walk to the opt-out, the opt-out link's contrast"
    )
    pages: dict[str, PageCapture] = Field(
        default_factory=dict, description="other pages loaded in this profile: privacy_policy, dns_target, ..."
    )
    failures: list[CaptureFailure] = Field(
        default_factory=list, description="capture steps of this visit that did not finish, and why"
    )
    extra: dict[str, Any] = Field(default_factory=dict, description="gatherer outputs not yet modelled")
    timings: list[StepTiming] = Field(
        default_factory=list, description="each step of the visit in order, with its start and duration (--timings)"
    )

    @model_validator(mode="before")
    @classmethod
    def _read_legacy_failures(cls, data: Any) -> Any:
        """Evidence from before ``failures`` kept them as text in ``extra``: read them as failures."""
        if isinstance(data, dict) and isinstance(data.get("extra"), dict) and set(LEGACY_KEYS) & set(data["extra"]):
            extra = dict(data["extra"])
            data = {**data, "failures": [*data.get("failures", []), *legacy_failures(extra)]}
            data["extra"] = {k: v for k, v in extra.items() if k not in LEGACY_KEYS}
        return data

    def failure_of(self, step: str) -> CaptureFailure | None:
        """The recorded failure of a capture step in this visit, if it failed."""
        return next((f for f in self.failures if f.step == step), None)


class ToolInfo(Model):
    name: str = "auditor"
    version: str


class BrowserInfo(Model):
    name: str = "chromium"
    version: str = ""
    executable: str = ""
    user_agent: str = ""


class Vantage(Model):
    """Who the site was told the visitor is."""

    locale: str = "en-US"
    timezone: str = "America/Los_Angeles"
    proxy: str | None = None
    host_map: list[str] = []


class SiteInfo(Model):
    url: str
    host: str
    site_id: str
    final_url: str = ""


class SiteEvidence(Model):
    """All evidence for one site: the input of every check."""

    schema_: str = Field(EVIDENCE_SCHEMA, alias="schema")
    site: SiteInfo
    tool: ToolInfo
    browser: BrowserInfo
    vantage: Vantage
    started_at: datetime
    finished_at: datetime
    profiles: dict[str, ProfileCapture] = {}
    failure: str | None = Field(None, description="why the site could not be audited at all")
    interrupted: str | None = Field(None, description="why capture stopped early (profiles missing), if it did")

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    def profile(self, name: ProfileName) -> ProfileCapture | None:
        """The capture for a visit profile, or None if that profile was not captured."""
        return self.profiles.get(name)

    def save(self, path: Path) -> None:
        """Write this evidence as JSON (stable key order, UTF-8)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(self.model_dump_json(indent=2, by_alias=True), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> SiteEvidence:
        """Read evidence written by :meth:`save`."""
        return cls.model_validate_json(path.read_text(encoding="utf-8"))
