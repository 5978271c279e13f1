"""``gpc_status_display``: with GPC on, the site shows that it processed the signal (11 CCR 7025(c)(6))."""

from __future__ import annotations

from pydantic import Field

from auditor.checks.gpc.comparison import REQUIRES, Comparison, GpcParams, compare, sale_sharing, untested
from auditor.checks.registry import CheckContext, Outcome, check
from auditor.evidence import ProfileCapture, SiteEvidence
from auditor.findings import ImageEvidence, ScreenshotRef, Status, TableEvidence, TextEvidence
from auditor.textmatch import contains_phrase, normalize


class StatusParams(GpcParams):
    phrases: list[str] = Field(min_length=1, description='statements that the signal was processed ("GPC honored")')


# A statement is looked for in the page text and the banner of both visits: missing the banner would turn a
# statement shown there into a failure, or a static one into a pass.
@check(
    "gpc_status_display",
    requires=[*REQUIRES, "gpc.homepage.visible_text", "gpc.consent.banner", "baseline.consent.banner"],
    optional=["optout.consent"],
)
def gpc_status_display(evidence: SiteEvidence, params: StatusParams, context: CheckContext) -> Outcome:
    """With GPC on, the site shows that it processed the signal (text, or a control showing opted out)."""
    comparison = compare(evidence, params, context)
    blocked = untested(comparison)
    if blocked:
        return blocked
    applies = comparison.judged or comparison.ads_with_gpc or comparison.ads_without_gpc
    if not applies and not sale_sharing(comparison, context):
        return Outcome(
            Status.NOT_APPLICABLE,
            "No evidence of sale or sharing, so there is no opt-out preference signal to process or display.",
        )
    phrases = params.phrases
    shown = _status_texts(comparison.gpc, phrases)
    before = _status_texts(comparison.base, phrases)
    fresh = [(where, text) for where, text in shown if normalize(text) not in {normalize(t) for _, t in before}]
    shot = comparison.gpc.homepage.viewport_screenshot
    image = [ImageEvidence(label="Homepage with GPC on", screenshot=ScreenshotRef(**shot.model_dump()))] if shot else []
    if fresh:
        where, text = fresh[0]
        quoted = text[:200].rstrip(".")
        return Outcome(
            Status.PASS,
            f"With GPC on, the site shows that it processed the signal ({where}): \u201c{quoted}\u201d.",
            [TextEvidence(label=f"Shown with GPC on ({where})", text=text[:1000]), *image],
        )
    toggles = _opted_out_controls(comparison)
    if toggles:
        return Outcome(
            Status.PASS,
            "With GPC on, the preference center shows the sale/sharing control(s) switched to opted out: "
            + ", ".join(toggles)
            + ".",
            [
                TableEvidence(
                    label="Controls shown opted out with GPC on", columns=["control"], rows=[[t] for t in toggles]
                ),
                *image,
            ],
        )
    if shown:
        where, text = shown[0]
        quoted = text[:200].rstrip(".")
        return Outcome(
            Status.REVIEW,
            f"A GPC statement is on the page ({where}), but it reads the same without GPC: \u201c{quoted}\u201d. "
            "A static statement does not show whether this visitor's signal was processed; a person must check.",
            [TextEvidence(label="Shown with and without GPC", text=text[:1000]), *image],
        )
    searched = ", ".join(f"\u201c{p}\u201d" for p in phrases[:6])
    return Outcome(
        Status.FAIL,
        "With GPC on, the site does not show whether it processed the signal: no status text (searched for "
        f"{searched}, ...) and no preference-center control read as opted out. Since 2026-01-01 the business must "
        "display whether it processed the opt-out preference signal.",
        [TextEvidence(label="Searched the page and the consent banner for", text="; ".join(phrases)), *image],
    )


def _status_texts(profile: ProfileCapture, phrases: list[str]) -> list[tuple[str, str]]:
    """(where, text) of every status statement in a visit: page text lines, the consent banner, OneTrust's notice."""
    sources: list[tuple[str, str]] = []
    if profile.signals is not None and profile.signals.onetrust is not None:
        notice = profile.signals.onetrust.optout_signal_notice
        if notice:
            sources.append(("the consent manager's opt-out signal notice", notice))
    if profile.consent is not None and profile.consent.banner is not None:
        sources += [("the consent banner", line) for line in profile.consent.banner.text.splitlines()]
    sources += [("the page", line) for line in profile.homepage.visible_text.splitlines()]
    found = []
    for where, text in sources:
        text = text.strip()
        if text and len(text) <= 600 and any(contains_phrase(text, phrase) for phrase in phrases):
            found.append((where, text))
    return found


def _opted_out_controls(comparison: Comparison) -> list[str]:
    """Preference-center controls for sale/sharing/targeting shown opted out with GPC on (and not without)."""
    gpc_consent, base_consent = comparison.gpc.consent, comparison.base.consent
    if gpc_consent is None or gpc_consent.preference_center is None:
        return []
    before = {}
    if base_consent is not None and base_consent.preference_center is not None:
        before = {t.label: t for t in base_consent.preference_center.toggles}
    shown = []
    for toggle in gpc_consent.preference_center.toggles:
        if not toggle.governs or toggle.state != toggle.optout_state or toggle.always_active:
            continue
        earlier = before.get(toggle.label)
        if earlier is None or earlier.state != earlier.optout_state:
            shown.append(f"{toggle.label} ({toggle.state})")
    return shown
