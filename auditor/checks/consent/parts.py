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
