"""``optout_effective``: using the opt-out takes effect and persists after a reload (CA-O2)."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlsplit

from auditor.checks.common import indicators_table, sale_signs
from auditor.checks.consent.parts import FLOW_EVIDENCE, OPTOUT, indicators, no_optout_offered, optout_consent
from auditor.checks.consent.tables import advertising_requests, flow_items, request_diff_table, stored_consent
from auditor.checks.gpc.readings import FAILING, SignalParams, read_signals
from auditor.checks.gpc.tables import readings_table
from auditor.checks.registry import CheckContext, NoParams, Outcome, check
from auditor.evidence import SiteEvidence
from auditor.evidence.consent import OptOutFlow, StorageSnapshot, Toggle
from auditor.findings import Status


@dataclass
class Effect:
    """What the capture shows of the opt-out's effect: proof for, proof against, and what stays open."""

    held: list[str] = field(default_factory=list)
    broken: list[str] = field(default_factory=list)
    open: list[str] = field(default_factory=list)  # what a person must check before the opt-out counts
    notes: list[str] = field(default_factory=list)  # worth saying, but no reason to doubt the proof


@check(
    "optout_effective",
    requires=[*FLOW_EVIDENCE, *sale_signs(OPTOUT), f"{OPTOUT}.pages.after_optout"],
)
def optout_effective(evidence: SiteEvidence, params: NoParams, context: CheckContext) -> Outcome:
    """After the opt-out, the site's signals and stored state show it, it persists after a reload, and ads stop.

    It fails only on proof: after an opt-out the auditor completed, a signal still says "not opted out", the controls
    are back on, or advertising requests continue without an opt-out signal; or the site offers no opt-out at all.
    """
    consent, flow = optout_consent(evidence)
    items = flow_items(consent, evidence, include_requests=False)
    if flow.error and not flow.completed:
        return Outcome(
            Status.REVIEW,
            f"The opt-out visit stopped before the opt-out was used ({flow.error}); a person must try it.",
            items,
        )
    if not (flow.completed or flow.switched or flow.saved_with):
        signs = indicators(evidence, context, consent)
        if not signs:
            return Outcome(
                Status.NOT_APPLICABLE,
                "There was no opt-out to use, and the capture shows no sign of selling or sharing personal "
                "information.",
            )
        absent = no_optout_offered(consent)
        if absent:
            return Outcome(
                Status.FAIL,
                f"No opt-out could be used ({absent}), so none can take effect, and the site shows signs of selling "
                "or sharing.",
                [indicators_table(signs)],
            )
        return Outcome(
            Status.REVIEW,
            "The auditor could not use an opt-out, but cannot prove the site offers none: a person must try it "
            "(step log and screenshots attached).",
            [*items, indicators_table(signs)],
        )
    effect = Effect()
    governing = [t for t in flow.toggles_before if t.governs and not t.always_active]
    _signals(flow, items, effect)
    stored = stored_consent(consent, flow, governing)
    if stored is not None:
        items.append(stored.table)
        (effect.held if stored.opted_out else effect.broken).append(stored.summary)
    persisted = _persisted(flow, governing)
    if persisted is True:
        effect.held.append("the controls still show the opt-out after the reload")
    elif persisted is False:
        effect.broken.append(
            "after the reload the controls are back on: "
            + ", ".join(
                f'"{t.label}" {t.state}' for t in flow.toggles_after_reload if t.governs and t.state != t.optout_state
            )
        )
    _requests(evidence, flow, context, items, effect)
    if flow.banner_after_reload:
        effect.notes.append("the banner showed again after the reload")
    if not flow.completed and not effect.broken:
        effect.open.append(
            "the opt-out could not be completed (" + ("; ".join(flow.notes) or flow.error or "no save") + ")"
        )
    return _verdict(flow, effect, items)


def _verdict(flow: OptOutFlow, effect: Effect, items: list) -> Outcome:
    also = f" Also: {'; '.join(effect.held)}." if effect.held else ""
    if effect.broken and flow.completed:
        return Outcome(Status.FAIL, "The opt-out did not take effect: " + "; ".join(effect.broken) + "." + also, items)
    if effect.broken:
        return Outcome(
            Status.REVIEW,
            "The opt-out could not be completed, and afterwards "
            + "; ".join(effect.broken)
            + ". The auditor may have missed a step; a person must try it."
            + also,
            items,
        )
    if effect.held and flow.completed and not effect.open:
        notes = f" Note: {'; '.join(effect.notes)}." if effect.notes else ""
        return Outcome(Status.PASS, "The opt-out took effect: " + "; ".join(effect.held) + "." + notes, items)
    said = "; ".join(effect.held) if effect.held else "nothing confirms the opt-out"
    left = "; ".join(effect.open or ["no signal, stored consent or control could be read after the reload"])
    return Outcome(Status.REVIEW, f"The opt-out could not be confirmed: {said}; {left}.", items)


def _signals(flow: OptOutFlow, items: list, effect: Effect) -> None:
    """The privacy signals of the reloaded homepage: what the site now tells its partners about this visitor."""
    readings = [r for r in read_signals(flow.signals_after_reload, SignalParams()) if r.judged]
    if not readings:
        return
    items.append(readings_table("Privacy signals after the opt-out and the reload", readings))
    failing = [r for r in readings if r.verdict in FAILING]
    opted = [r for r in readings if r.verdict == "opted_out"]
    if failing:
        effect.broken.append(
            "after the reload the site's signals say the visitor did not opt out: "
            + "; ".join(f"{r.signal} ({r.where}): {r.reason}" for r in failing[:3])
        )
    elif opted:
        names = sorted({r.signal for r in opted})
        effect.held.append(f"after the reload the site's signals show the opt-out ({', '.join(names)})")


def _requests(evidence: SiteEvidence, flow: OptOutFlow, context: CheckContext, items: list, effect: Effect) -> None:
    capture = evidence.profiles[OPTOUT]
    after_page = capture.pages.get(flow.after_reload_page) if flow.after_reload_page else None
    if after_page is None or after_page.error:
        effect.open.append("the homepage could not be loaded again")
        return
    before_ads = advertising_requests(capture.homepage, context)
    after_ads = advertising_requests(after_page, context)
    items.append(request_diff_table(before_ads, after_ads))
    continuing = sorted({r.registrable_domain for r, _ in after_ads})
    signalled = [r for r, _ in after_ads if _carries_opt_out(r.url)]
    if continuing and len(signalled) < len(after_ads):
        unchanged = _unchanged(flow.storage_before, flow.storage_after_reload)
        effect.broken.append(
            f"advertising requests continue after the reload ({', '.join(continuing[:6])})"
            + ("; and the choice stored nothing: cookies and storage are as before" if unchanged else "")
        )
    elif continuing:
        effect.open.append(
            "advertising requests continue after the reload, each carrying an opt-out signal "
            "(us_privacy with opt-out) that a person must check is honored"
        )
    elif before_ads:
        effect.held.append(
            f"the {len({r.registrable_domain for r, _ in before_ads})} advertising third parties of the "
            "first visit are no longer contacted"
        )


def _unchanged(before: StorageSnapshot, after: StorageSnapshot) -> bool:
    return before.cookies == after.cookies and before.local_storage == after.local_storage


def _persisted(flow: OptOutFlow, governing: list[Toggle]) -> bool | None:
    if not flow.reopened_after_reload or not governing:
        return None
    labels = {t.label for t in governing}
    reread = [t for t in flow.toggles_after_reload if t.label in labels and t.state != "unknown"]
    if not reread:
        return None
    return all(t.state == t.optout_state for t in reread)


def _carries_opt_out(url: str) -> bool:
    for name, value in parse_qsl(urlsplit(url).query):
        if name.lower() in ("us_privacy", "usprivacy") and len(value) >= 3 and value[2].upper() == "Y":
            return True
    return False
