"""``optout_toggle``: an opt-out control for sale, sharing or targeted advertising is reachable (CA-L6)."""

from __future__ import annotations

from auditor.checks.common import indicators_table, sale_signs
from auditor.checks.consent.parts import (
    FLOW_EVIDENCE,
    OPTOUT,
    count,
    first_controls,
    indicators,
    optout_buttons,
    optout_consent,
)
from auditor.checks.consent.tables import flow_items
from auditor.checks.registry import CheckContext, NoParams, Outcome, check
from auditor.evidence import SiteEvidence
from auditor.evidence.consent import OptOutFlow
from auditor.findings import Status


@check("optout_toggle", requires=[*FLOW_EVIDENCE, *sale_signs(OPTOUT)])
def optout_toggle(evidence: SiteEvidence, params: NoParams, context: CheckContext) -> Outcome:
    """An opt-out control for sale, sharing or targeted advertising is reachable and can be switched."""
    consent, flow = optout_consent(evidence)
    controls = first_controls(consent)
    about_sale = [t for t in controls if t.governs]
    usable = [t for t in about_sale if not t.disabled and not t.always_active]
    items = flow_items(consent, evidence, include_requests=False)
    entry = _entry_words(flow)
    if usable:
        names = ", ".join(f'"{t.label}"' for t in usable[:4])
        return Outcome(
            Status.PASS,
            f"{entry} reaches {count(usable, 'control')} for sale, sharing or targeted advertising: {names}.",
            items,
        )
    if about_sale:
        return Outcome(
            Status.FAIL,
            f"{entry} shows controls for sale, sharing or targeted advertising, but none can "
            "be switched (disabled or always active).",
            items,
        )
    buttons = optout_buttons(consent)
    if buttons:
        return Outcome(Status.PASS, f'{entry} reaches a one-click opt-out button: "{buttons[0].text}".', items)
    if consent.dns_target is not None and any(f.fields for f in consent.dns_target.forms):
        return Outcome(
            Status.REVIEW,
            "The opt-out is a request form, not a control the auditor can switch; a person "
            "must check that submitting it opts out of sale and sharing.",
            items,
        )
    signs = indicators(evidence, context, consent)
    if flow.entry == "banner_reject":
        return Outcome(
            Status.REVIEW,
            "The only opt-out found is the banner's reject button; a person must check that "
            "it covers the sale and sharing of personal information, not only cookies.",
            items,
        )
    if controls:
        message = (
            "The reachable controls are cookie categories only; none is about selling, sharing or targeted "
            "advertising (" + ", ".join(f'"{t.label}"' for t in controls[:5]) + ")."
        )
        if signs:
            return Outcome(
                Status.FAIL,
                message + " The site shows signs of selling or sharing.",
                [*items, indicators_table(signs)],
            )
        return Outcome(Status.NOT_APPLICABLE, message + " The capture shows no sign of selling or sharing.", items)
    if flow.error:
        return Outcome(Status.REVIEW, f"The opt-out visit stopped early ({flow.error}); a person must look.", items)
    if not signs:
        return Outcome(
            Status.NOT_APPLICABLE,
            "No opt-out control was found, and the capture shows no sign of selling or sharing personal information.",
            items,
        )
    return Outcome(
        Status.FAIL,
        "No control to opt out of sale, sharing or targeted advertising could be reached "
        "from the opt-out link, the banner or a settings button, but the site shows signs of selling or "
        "sharing.",
        [*items, indicators_table(signs)],
    )


def _entry_words(flow: OptOutFlow) -> str:
    return {
        "dns_link": "The opt-out link",
        "banner_settings": "The banner's settings button",
        "banner_reject": "The banner",
        "floating_button": "The cookie-settings button",
    }.get(flow.entry, "The opt-out visit")
