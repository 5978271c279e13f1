"""``optout_toggle``: an opt-out control for sale, sharing or targeted advertising is reachable (CA-L6)."""

from __future__ import annotations

from auditor.checks.common import indicators_table, sale_signs
from auditor.checks.consent.parts import (
    FLOW_EVIDENCE,
    OPTOUT,
    count,
    first_controls,
    indicators,
    no_optout_offered,
    optout_buttons,
    optout_consent,
    recognised_non_advertising,
)
from auditor.checks.consent.tables import flow_items
from auditor.checks.registry import CheckContext, NoParams, Outcome, check
from auditor.evidence import SiteEvidence
from auditor.evidence.consent import OptOutFlow
from auditor.findings import Status


@check("optout_toggle", requires=[*FLOW_EVIDENCE, *sale_signs(OPTOUT)])
def optout_toggle(evidence: SiteEvidence, params: NoParams, context: CheckContext) -> Outcome:
    """An opt-out control for sale, sharing or targeted advertising is reachable and can be switched.

    It fails only on proof: controls that exist but cannot be switched, controls that are all recognisably about
    something else, or no opt-out anywhere (a broken link, a sign-in wall or identity check, no link and no banner
    choice). When the auditor could not find its way through a consent UI that is there, a person must look.
    """
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
    signs = indicators(evidence, context, consent)
    absent = no_optout_offered(consent)
    if absent and signs:
        return Outcome(
            Status.FAIL,
            f"No control to opt out of sale, sharing or targeted advertising can be reached: {absent}. The site "
            "shows signs of selling or sharing.",
            [*items, indicators_table(signs)],
        )
    target = consent.dns_target
    if target is not None and any(f.fields for f in target.forms):
        return Outcome(
            Status.REVIEW,
            "The opt-out is a request form, not a control the auditor can switch; a person "
            "must check that submitting it opts out of sale and sharing.",
            items,
        )
    if controls and signs and recognised_non_advertising(controls):
        labels = ", ".join(f'"{t.label}"' for t in controls[:5])
        return Outcome(
            Status.FAIL,
            f"The reachable controls are cookie categories only; none is about selling, sharing or targeted "
            f"advertising ({labels}). The site shows signs of selling or sharing.",
            [*items, indicators_table(signs)],
        )
    if flow.entry == "banner_reject" or (flow.completed and flow.saved_with and not controls):
        return Outcome(
            Status.REVIEW,
            f'The only opt-out found is a one-click refusal ("{flow.saved_with}"); a person must check that it '
            "covers the sale and sharing of personal information, not only cookies.",
            items,
        )
    if controls:
        labels = ", ".join(f'"{t.label}"' for t in controls[:5])
        if not signs:
            return Outcome(
                Status.NOT_APPLICABLE,
                f"The reachable controls ({labels}) are not about selling, sharing or targeted advertising, and the "
                "capture shows no sign of selling or sharing.",
                items,
            )
        return Outcome(
            Status.REVIEW,
            f"None of the reachable controls ({labels}) says it is about selling, sharing or targeted advertising, "
            "but not all are recognisably about something else; a person must check.",
            [*items, indicators_table(signs)],
        )
    if not signs:
        return Outcome(
            Status.NOT_APPLICABLE,
            "No opt-out control was found, and the capture shows no sign of selling or sharing personal information.",
            items,
        )
    why = f" ({flow.error})" if flow.error else ""
    return Outcome(
        Status.REVIEW,
        f"The auditor found no opt-out control it could use{why}, but it cannot prove that there is none: the site "
        "has a way in it could not interpret. A person must look (step log and screenshots attached).",
        [*items, indicators_table(signs)],
    )


def _entry_words(flow: OptOutFlow) -> str:
    return {
        "dns_link": "The opt-out link",
        "banner_settings": "The banner's settings button",
        "banner_reject": "The banner",
        "floating_button": "The cookie-settings button",
        "autoconsent": "The consent manager's own opt-out",
    }.get(flow.entry, "The opt-out visit")
