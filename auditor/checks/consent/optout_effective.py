"""``optout_effective``: using the opt-out takes effect and persists after a reload (CA-O2)."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

from auditor.checks.common import indicators_table, sale_signs
from auditor.checks.consent.parts import FLOW_EVIDENCE, OPTOUT, indicators, optout_consent
from auditor.checks.consent.tables import advertising_requests, flow_items, request_diff_table, stored_consent
from auditor.checks.registry import CheckContext, NoParams, Outcome, check
from auditor.evidence import SiteEvidence
from auditor.evidence.consent import OptOutFlow, Toggle
from auditor.findings import Status


@check(
    "optout_effective",
    requires=[*FLOW_EVIDENCE, *sale_signs(OPTOUT), f"{OPTOUT}.pages.after_optout"],
)
def optout_effective(evidence: SiteEvidence, params: NoParams, context: CheckContext) -> Outcome:
    """After the opt-out, the CMP's stored state shows it, it persists after a reload, and ad requests stop."""
    consent, flow = optout_consent(evidence)
    if flow.error and not flow.completed:
        return Outcome(
            Status.REVIEW,
            f"The opt-out visit stopped before the opt-out was used ({flow.error}); a person must try it.",
            flow_items(consent, evidence, include_requests=False),
        )
    if not (flow.completed or flow.switched or flow.saved_with):
        signs = indicators(evidence, context, consent)
        if not signs:
            return Outcome(
                Status.NOT_APPLICABLE,
                "There was no opt-out to use, and the capture shows no sign of "
                "selling or sharing personal information.",
            )
        return Outcome(
            Status.FAIL,
            "No opt-out could be used, so none can take effect, and the site shows signs of selling or sharing.",
            [indicators_table(signs)],
        )
    items = flow_items(consent, evidence, include_requests=False)
    capture = evidence.profiles[OPTOUT]
    after_page = capture.pages.get(flow.after_reload_page) if flow.after_reload_page else None
    governing = [t for t in flow.toggles_before if t.governs and not t.always_active]
    findings: list[str] = []
    problems: list[str] = []
    unknown: list[str] = []

    stored = stored_consent(consent, flow, governing)
    if stored is not None:
        items.append(stored.table)
        (findings if stored.opted_out else problems).append(stored.summary)
    persisted = _persisted(flow, governing)
    if persisted is True:
        findings.append("the controls still show the opt-out after the reload")
    elif persisted is False:
        problems.append(
            "after the reload the controls are back on: "
            + ", ".join(
                f'"{t.label}" {t.state}' for t in flow.toggles_after_reload if t.governs and t.state != t.optout_state
            )
        )
    elif not (stored is not None and stored.opted_out):
        unknown.append("the controls could not be read again after the reload")
    if flow.banner_after_reload:
        unknown.append("the banner showed again after the reload")

    if after_page is None or after_page.error:
        unknown.append("the homepage could not be loaded again")
        before_ads, after_ads = [], []
    else:
        before_ads = advertising_requests(capture.homepage, context)
        after_ads = advertising_requests(after_page, context)
        items.append(request_diff_table(before_ads, after_ads))
    continuing = sorted({r.registrable_domain for r, _ in after_ads})
    signalled = [r for r, _ in after_ads if _carries_opt_out(r.url)]
    if continuing and len(signalled) < len(after_ads):
        problems.append(f"advertising requests continue after the reload ({', '.join(continuing[:6])})")
    elif continuing:
        unknown.append(
            "advertising requests continue after the reload, each carrying an opt-out signal "
            "(us_privacy with opt-out) that a person must check is honored"
        )
    elif before_ads:
        findings.append(
            f"the {len({r.registrable_domain for r, _ in before_ads})} advertising third parties of the "
            "first visit are no longer contacted"
        )

    if not flow.completed and not problems:
        unknown.append(
            "the opt-out could not be completed (" + ("; ".join(flow.notes) or flow.error or "no save") + ")"
        )
    if problems:
        return Outcome(
            Status.FAIL,
            "The opt-out did not take effect: "
            + "; ".join(problems)
            + "."
            + (f" Also: {'; '.join(findings)}." if findings else ""),
            items,
        )
    if unknown or not findings or (stored is None and persisted is not True):
        said = "; ".join(findings) if findings else "nothing confirms the opt-out"
        return Outcome(
            Status.REVIEW,
            f"The opt-out could not be confirmed: {said}; "
            + "; ".join(unknown or ["the stored consent state could not be read"])
            + ".",
            items,
        )
    return Outcome(Status.PASS, "The opt-out took effect: " + "; ".join(findings) + ".", items)


def _persisted(flow: OptOutFlow, governing: list[Toggle]) -> bool | None:
    if not flow.reopened_after_reload or not governing:
        return None
    labels = {t.label for t in governing}
    reread = [t for t in flow.toggles_after_reload if t.label in labels]
    if not reread:
        return None
    return all(t.state == t.optout_state for t in reread)


def _carries_opt_out(url: str) -> bool:
    for name, value in parse_qsl(urlsplit(url).query):
        if name.lower() in ("us_privacy", "usprivacy") and len(value) >= 3 and value[2].upper() == "Y":
            return True
    return False
