"""Helpers shared by checks: the homepage of a visit, sale/sharing indicators, evidence builders."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

from auditor.checks.registry import CheckContext
from auditor.evidence import Link, PageCapture, SiteEvidence
from auditor.evidence.consent import ConsentEvidence, PreferenceCenter, Toggle
from auditor.evidence.signals import SignalEvidence
from auditor.findings import BoxRef, ElementEvidence, ScreenshotRef, TableEvidence

US_PRIVACY_COOKIES = ("usprivacy", "us_privacy", "us-privacy")
SIGNAL_COOKIES = (*US_PRIVACY_COOKIES, "OTGPPConsent", "OneTrustWPCCPAGoogleOptOut")
SIGNAL_URL_PARAMS = ("us_privacy", "gpp", "gpp_sid")


def unread_frame(panel: PreferenceCenter | None) -> bool:
    """A panel that is a frame's whole document in which the auditor read no text, control or button at all.

    What the visitor sees there is drawn where a script cannot read it (a closed shadow root, a canvas, an image), so
    finding nothing in it proves nothing: such a panel gives ``review``, never ``fail``. A frame that says something
    ("Not found") was read.
    """
    return panel is not None and bool(panel.frame_url) and not (panel.text.strip() or panel.toggles or panel.buttons)


def homepage(evidence: SiteEvidence, profile: str = "baseline") -> PageCapture:
    """The homepage capture of a visit (the engine made sure it is there when the check requires it)."""
    return evidence.profiles[profile].homepage


def element_evidence(link: Link, page: PageCapture, profile: str, label: str) -> ElementEvidence:
    """Evidence for one link: its text, target and box on the full-page screenshot."""
    shot = page.full_screenshot
    return ElementEvidence(
        label=label,
        tag=link.tag,
        text=link.text or link.aria_label or link.title,
        href=link.href,
        visible=link.visible,
        in_footer=link.in_footer,
        in_shadow_root=link.in_shadow_root,
        frame_url="" if link.in_main_frame else link.frame_url,
        box=BoxRef(**link.box.model_dump()) if link.box else None,
        screenshot=ScreenshotRef(**shot.model_dump()) if shot else None,
        profile=profile,
    )


def sale_signs(visit: str) -> list[str]:
    """The evidence of a visit that :func:`sale_sharing_indicators` reads: its homepage's requests and cookies."""
    return [f"{visit}.homepage.requests", f"{visit}.homepage.cookies"]


def sale_sharing_indicators(
    page: PageCapture,
    context: CheckContext,
    consent: ConsentEvidence | None = None,
    signals: SignalEvidence | None = None,
) -> list[list[str]]:
    """Rows ``[kind, what, detail]`` that suggest the site sells or shares personal information.

    Advertising, marketing, social or data-broker third parties; US privacy signal cookies; requests that
    carry US privacy / GPP parameters; with ``consent``, consent categories for sale, sharing or advertising;
    with ``signals``, the US privacy signals the site implements (US Privacy, GPP, OneTrust, a recognised
    CMP's stored consent). Empty when the capture shows none of them.
    """
    rows: list[list[str]] = []
    seen: set[str] = set()
    for kind, what, detail in _signal_indicators(signals):
        if f"signal:{what}" not in seen:
            seen.add(f"signal:{what}")
            rows.append([kind, what, detail])
    for toggle in consent_controls(consent):
        if toggle.governs and f"category:{toggle.label}" not in seen:
            seen.add(f"category:{toggle.label}")
            rows.append(["consent category", toggle.label, "covers " + ", ".join(toggle.governs)])
    trackers = context.trackers
    for request in page.requests:
        if not request.third_party:
            continue
        match = trackers.classify_request(request.url, page.final_url, request.resource_type) if trackers else None
        if match is not None and trackers.advertising_like(match.category):
            key = f"tracker:{match.domain}"
            if key not in seen:
                seen.add(key)
                rows.append(["third party", request.registrable_domain, f"{match.category} ({match.owner})"])
        params = {k for k, _ in parse_qsl(urlsplit(request.url).query)}
        for name in SIGNAL_URL_PARAMS:
            if name in params and f"param:{request.host}:{name}" not in seen:
                seen.add(f"param:{request.host}:{name}")
                rows.append(["request parameter", f"{name}=", request.host])
    for cookie in page.cookies:
        if cookie.name in SIGNAL_COOKIES and f"cookie:{cookie.name}" not in seen:
            seen.add(f"cookie:{cookie.name}")
            rows.append(["privacy signal cookie", cookie.name, cookie.value[:80]])
    return rows


def _signal_indicators(signals: SignalEvidence | None) -> list[tuple[str, str, str]]:
    """A US privacy signal is itself evidence that the site considers sale or sharing (DESIGN.md)."""
    if signals is None:
        return []
    found = [("US privacy signal", "US Privacy string", u.raw) for u in signals.usprivacy if u.raw != "1---"]
    found += [("US privacy signal", "GPP", g.gpp_string[:80]) for g in signals.gpp if g.gpp_string]
    if signals.onetrust is not None and signals.onetrust.optanon_consent is not None:
        found.append(("consent manager state", "OneTrust OptanonConsent", signals.onetrust.optanon_consent.value[:80]))
    found += [("consent manager state", f"{s.cmp} stored consent", s.raw[:80]) for s in signals.stored_consent]
    return found


def consent_controls(consent: ConsentEvidence | None) -> list[Toggle]:
    """Every control the consent capture read: preference center, opt-out flow, the opt-out link's target."""
    if consent is None:
        return []
    controls: list[Toggle] = []
    if consent.preference_center is not None:
        controls += consent.preference_center.toggles
    if consent.flow is not None:
        controls += consent.flow.toggles_before
    if consent.dns_target is not None:
        controls += consent.dns_target.controls
        if consent.dns_target.dialog is not None:
            controls += consent.dns_target.dialog.toggles
    return controls


def indicators_table(rows: list[list[str]], limit: int = 25) -> TableEvidence:
    """The sale/sharing indicators as a report table."""
    return TableEvidence(
        label="Evidence of sale or sharing",
        columns=["kind", "what", "detail"],
        rows=rows[:limit],
        truncated=max(0, len(rows) - limit),
    )
