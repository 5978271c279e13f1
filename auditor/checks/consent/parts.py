"""Parts of the consent evidence that several consent checks read.

The ``optout`` visit drives the opt-out flow: only it has the opt-out link's target, the preference center and
the step log. The banner is read in every visit, the cold ``baseline`` one first.
"""

from __future__ import annotations

import re

from auditor.checks.common import homepage, sale_sharing_indicators
from auditor.checks.registry import CheckContext
from auditor.evidence import SiteEvidence
from auditor.evidence.consent import Banner, ConsentButton, ConsentEvidence, DnsTarget, OptOutFlow, Toggle
from auditor.policy.contents import quote_passage
from auditor.textmatch import normalize

OPTOUT = "optout"
# Everything the opt-out flow reads and writes in the optout visit: the banner it starts from, its log, where the
# opt-out link led, the controls it opened.
FLOW_EVIDENCE = [f"{OPTOUT}.consent.{part}" for part in ("banner", "flow", "dns_target", "preference_center")]


def optout_consent(evidence: SiteEvidence) -> tuple[ConsentEvidence, OptOutFlow]:
    """The optout visit's consent evidence and its opt-out flow (the engine made sure both are there)."""
    consent = evidence.profiles[OPTOUT].consent
    assert consent is not None and consent.flow is not None  # required by every check that reads them
    return consent, consent.flow


def first_banner(evidence: SiteEvidence) -> Banner | None:
    """The consent banner as first seen: in the baseline visit, else in the optout visit."""
    for profile in ("baseline", OPTOUT):
        consent = evidence.profiles[profile].consent
        if consent is not None and consent.banner is not None:
            return consent.banner
    return None


def indicators(evidence: SiteEvidence, context: CheckContext, consent: ConsentEvidence) -> list[list[str]]:
    """Signs of sale or sharing in the optout visit: its homepage's requests and cookies, its consent categories."""
    return sale_sharing_indicators(homepage(evidence, OPTOUT), context, consent)


def first_controls(consent: ConsentEvidence) -> list[Toggle]:
    """The controls of the opt-out as first seen: the preference center or the opt-out page."""
    if consent.flow is not None and consent.flow.toggles_before:
        return consent.flow.toggles_before
    target = consent.dns_target
    if target is not None:
        return target.dialog.toggles if target.dialog is not None else target.controls
    return consent.preference_center.toggles if consent.preference_center is not None else []


def optout_buttons(consent: ConsentEvidence) -> list[ConsentButton]:
    """One-click opt-out buttons where the opt-out link leads ("Do Not Sell My Info", "Opt out")."""
    target = consent.dns_target
    if target is None:
        return []
    buttons = list(target.buttons) + (list(target.dialog.buttons) if target.dialog is not None else [])
    return [b for b in buttons if b.visible and b.kind == "do_not_sell"]


def count(items: list, noun: str) -> str:
    """``"1 form"``, ``"3 controls"``."""
    return f"{len(items)} {noun}{'' if len(items) == 1 else 's'}"


def target_text(target: DnsTarget) -> str:
    """Everything the opt-out destination says: page text, dialog text, control labels, button texts."""
    parts = [target.title, target.text]
    if target.dialog is not None:
        parts += [target.dialog.title, target.dialog.text]
        parts += [f"{t.label} {t.control_label} {t.description}" for t in target.dialog.toggles]
        parts += [b.text for b in target.dialog.buttons]
    parts += [f"{t.label} {t.control_label} {t.description}" for t in target.controls]
    parts += [b.text for b in target.buttons]
    return "\n".join(p for p in parts if p)


def quote(text: str, match: re.Match[str]) -> str:
    """The sentence around a match, for the report."""
    return quote_passage(text, match.start(), match.end())[0]


def broken(target: DnsTarget) -> str | None:
    """Why following the opt-out link led nowhere usable (no page, an error page, "not found"), or None."""
    if target.outcome in ("nothing", "error"):
        return target.error or f"following the link did {target.outcome}"
    if target.soft_404:
        return f'the page says "{target.soft_404}"'
    if target.status is not None and target.status >= 400:
        return f"the page answered HTTP {target.status}"
    return None


# Cookie categories a person recognises as not about advertising: a preference center holding only these offers no
# opt-out of sale or sharing. A label not recognised here (a service's name, "Social media") proves nothing.
_NON_ADVERTISING = re.compile(
    r"^(strictly |technically )?(necessary|essential|required|functional|functionality|performance|analytics?|"
    r"statistics|statistical|preferences?|security|measurement|audience measurement|site (performance|analytics))"
    r"( (cookies|technologies|storage|and (performance|analytics|statistics)))?( \((always (on|active))\))?$"
)


def recognised_non_advertising(toggles: list[Toggle]) -> bool:
    """True when every control is a cookie category a person reads as having nothing to do with advertising."""
    return bool(toggles) and all(_NON_ADVERTISING.match(normalize(t.label)) for t in toggles)


def no_optout_offered(consent: ConsentEvidence) -> str | None:
    """Positive evidence that the site offers no usable opt-out, in words; None when the capture cannot prove it.

    Proof is what a person would also see: the opt-out link leads to an error or "not found" page, a sign-in wall, a
    demand to verify identity, or a page with nothing to act on; a click that changed nothing at all; no link, and a
    banner (if any) without a refusal or settings button, and no preference center anywhere. A flow that stopped or a
    UI the auditor could not read proves nothing (that is for a person to look at).
    """
    target = consent.dns_target
    flow = consent.flow
    if target is not None:
        why = broken(target)
        if why and not (target.outcome == "nothing" and target.page_changed) and target.outcome != "error":
            return f'the opt-out link "{target.link_text}" leads nowhere usable: {why}'
        if target.login_wall:
            return f'the opt-out link "{target.link_text}" leads to a sign-in page ({target.login_wall})'
        if target.verification:
            return f'the opt-out link "{target.link_text}" demands identity verification ({target.verification})'
        if target.outcome in ("page", "new_tab") and not (target.controls or target.buttons or target.forms):
            opened = consent.preference_center is not None and bool(consent.preference_center.toggles)
            if not opened:
                return (
                    f'the opt-out link "{target.link_text}" leads to {target.url}, which has no form, control or button'
                )
        return None
    if flow is not None and flow.error:
        return None
    banner = consent.banner
    if banner is not None and any(
        b.visible and b.kind in ("reject", "settings", "do_not_sell") for b in banner.buttons
    ):
        return None
    if consent.preference_center is not None:
        return None
    if flow is not None and flow.entry not in ("none", "dns_link"):
        return None
    shown = [b.described() for b in banner.buttons if b.visible] if banner is not None else []
    if banner is None:
        offered = "no consent banner"
    else:
        offered = "a banner whose only buttons are " + ", ".join(shown) if shown else "a banner without buttons"
    return f"the homepage has no opt-out link, {offered}, and no cookie-settings control opened a preference center"
