"""Privacy-signal evidence: raw values and where each was read (filled by ``auditor.capture.signals``).

Every value is kept exactly as the site exposed it (``raw``), with its :class:`SignalSource`, so a check
can decode it again with ``auditor.signals`` and a reader can see where it came from. Decoded views are
added only where the reading itself is the evidence (request parameters). Readers that failed or timed
out say so in ``errors``; an absent reader means the site does not implement that signal.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from auditor.evidence.base import Model

SourceMethod = Literal["api", "locator", "cookie", "local_storage", "global", "dom", "data_layer"]


class SignalSource(Model):
    """Where a value was read."""

    method: SourceMethod = Field(description="api: called in the frame; locator: postMessage via a __*Locator frame")
    detail: str = Field(
        description="e.g. \"__uspapi('getUSPData', 1)\", 'cookie usprivacy', 'window.OnetrustActiveGroups'"
    )
    frame_url: str = Field("", description="the frame the value was read in; empty for the top document")


class UspReading(Model):
    """A US Privacy string, from ``__uspapi('getUSPData')`` (direct or locator) or from a cookie."""

    raw: str
    source: SignalSource
    success: bool | None = Field(None, description="the API's success flag; None for cookies")


class GppReading(Model):
    """What the GPP CMP API answered (``__gpp``, directly or through the ``__gppLocator`` frame)."""

    source: SignalSource
    first_ping: dict[str, Any] | None = Field(None, description="the first ping's return, before any wait")
    ping: dict[str, Any] | None = Field(None, description="the ping's return after the wait (or the first one)")
    gpp_string: str | None = Field(None, description="gppString from the ping (v1.1) or getGPPData (v1.0)")
    sections: dict[str, Any] = Field(default_factory=dict, description="getSection answers by API prefix")
    events: list[str] = Field(default_factory=list, description="addEventListener events seen: name:data")
    wait: Literal["ready-at-first-ping", "ready-event", "ready-after-wait", "timeout", "no-answer"] = "no-answer"
    waited_ms: float = 0.0
    error: str | None = None


class CookieValue(Model):
    """One cookie as the browser held it when signals were read (value cut to 8,000 characters)."""

    name: str
    value: str
    domain: str = ""
    path: str = "/"


class OneTrustReading(Model):
    """OneTrust's stored state and the names it gives its consent groups."""

    optanon_consent: CookieValue | None = None
    otgpp_consent: list[CookieValue] = Field(
        default_factory=list, description="OTGPPConsent and its numbered chunks, in cookie-name order"
    )
    google_opt_out: CookieValue | None = Field(None, description="OneTrustWPCCPAGoogleOptOut")
    alert_box_closed: CookieValue | None = Field(None, description="OptanonAlertBoxClosed: set only on interaction")
    active_groups: str | None = Field(None, description="window.OnetrustActiveGroups, e.g. ',C0001,C0003,'")
    group_names: dict[str, str] = Field(
        default_factory=dict, description="group id -> preference-center header text (SDK data or the DOM)"
    )
    group_names_source: str = Field("", description="where group_names came from")
    optout_signal_notice: str | None = Field(
        None, description="text of OneTrust's visible .ot-optout-signal notice, when it is shown"
    )


class StoredConsent(Model):
    """A recognised consent manager's stored choice, raw (see ``auditor.signals.cmp_storage``)."""

    cmp: str
    key: str = Field(description="cookie or local-storage key")
    raw: str
    source: SignalSource


class TcfPresence(Model):
    """The IAB TCF API (EU/Canada consent) found in a frame: recorded, not a US opt-out signal."""

    source: SignalSource
    ping: dict[str, Any] | None = None


class ConsentModeCommand(Model):
    """One ``gtag('consent', 'default'|'update', {...})`` call found in ``dataLayer``."""

    command: str
    params: dict[str, Any] = {}
    index: int = Field(description="position in dataLayer")


class ConsentMode(Model):
    """Google Consent Mode as the page's ``dataLayer`` shows it."""

    commands: list[ConsentModeCommand] = []
    state: dict[str, str] = Field(default_factory=dict, description="defaults with updates applied, in order")


class SignalParam(Model):
    """A request that carried a US privacy parameter (``us_privacy=``, ``gpp=``, ``gpp_sid=``)."""

    url: str = Field(description="the request URL, cut to 2,000 characters")
    host: str
    name: str
    value: str
    third_party: bool = False
    decoded: dict[str, Any] | None = Field(None, description="the value decoded, for readers (checks decode raw)")
    decode_error: str | None = None


class WellKnownGpc(Model):
    """``/.well-known/gpc.json`` as fetched once per site (through the context, so host mapping applies)."""

    url: str
    final_url: str = ""
    status: int | None = None
    content_type: str = ""
    body: str = Field("", description="the response body, cut to 4,000 characters")
    error: str | None = Field(None, description="why the fetch failed, if it did")


class SignalEvidence(Model):
    """Privacy signals read in one visit, after the page settled."""

    navigator_gpc: bool | None = Field(None, description="navigator.globalPrivacyControl as the page saw it")
    gpc_mechanism: str = Field("", description="native, emulated or off (see auditor.browser)")
    usprivacy: list[UspReading] = []
    gpp: list[GppReading] = []
    onetrust: OneTrustReading | None = None
    stored_consent: list[StoredConsent] = []
    tcf: list[TcfPresence] = []
    consent_mode: ConsentMode | None = None
    request_params: list[SignalParam] = []
    well_known: WellKnownGpc | None = Field(None, description="fetched in the baseline visit only")
    frames_read: int = Field(0, description="frames whose signals were read")
    read_ms: float = Field(0.0, description="how long reading took")
    errors: list[str] = Field(default_factory=list, description="readers that failed or timed out, and why")
