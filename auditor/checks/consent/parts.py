"""Parts of the consent evidence that several consent checks read."""

from __future__ import annotations

import re
from typing import Any

from auditor.checks.common import homepage, sale_sharing_indicators, unassessable
from auditor.checks.registry import CheckContext, Outcome
from auditor.evidence import SiteEvidence
from auditor.evidence.consent import ConsentButton, ConsentEvidence, DnsTarget, Toggle
from auditor.findings import Status
from auditor.policy.contents import quote_passage

PROFILE = "optout"


def _consent(evidence: SiteEvidence) -> tuple[ConsentEvidence | None, Outcome | None]:
    blocked = unassessable(evidence, PROFILE)
    if blocked:
        return None, blocked
    consent = evidence.profiles[PROFILE].consent
    if consent is None:
        return None, Outcome(Status.NOT_ASSESSABLE, "The opt-out visit recorded nothing about consent controls.")
    return consent, None


def _indicators(evidence: SiteEvidence, context: CheckContext, consent: ConsentEvidence) -> list[list[str]]:
    return sale_sharing_indicators(homepage(evidence, PROFILE), context, consent)


def _controls(consent: ConsentEvidence) -> list[Toggle]:
    """The controls of the opt-out as first seen: the preference center or the opt-out page."""
    if consent.flow is not None and consent.flow.toggles_before:
        return consent.flow.toggles_before
    target = consent.dns_target
    if target is not None:
        return target.dialog.toggles if target.dialog is not None else target.controls
    return consent.preference_center.toggles if consent.preference_center is not None else []


def _optout_buttons(consent: ConsentEvidence) -> list[ConsentButton]:
    """One-click opt-out buttons where the opt-out link leads ("Do Not Sell My Info", "Opt out")."""
    target = consent.dns_target
    if target is None:
        return []
    buttons = list(target.buttons) + (list(target.dialog.buttons) if target.dialog is not None else [])
    return [b for b in buttons if b.visible and b.kind == "do_not_sell"]


def _count(items: list, noun: str) -> str:
    return f"{len(items)} {noun}{'' if len(items) == 1 else 's'}"


PROFILES = ("baseline", "optout")


def consent_part(evidence: SiteEvidence, name: str) -> Any:
    """The first non-empty ``consent.<name>`` of the baseline, then the optout visit."""
    for profile in PROFILES:
        capture = evidence.profiles.get(profile)
        if capture is not None and capture.consent is not None and getattr(capture.consent, name) is not None:
            return getattr(capture.consent, name)
    return None


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


def _quote(text: str, match: re.Match[str]) -> str:
    return quote_passage(text, match.start(), match.end())[0]


def _broken(target: DnsTarget) -> str | None:
    if target.outcome in ("nothing", "error"):
        return target.error or f"following the link did {target.outcome}"
    if target.soft_404:
        return f'the page says "{target.soft_404}"'
    if target.status is not None and target.status >= 400:
        return f"the page answered HTTP {target.status}"
    return None
