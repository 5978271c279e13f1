"""``choice_symmetry``: opting out takes no more steps than opting in (CA-D1, CA-D2)."""

from __future__ import annotations

from auditor.checks.consent.parts import FLOW_EVIDENCE, optout_consent
from auditor.checks.consent.tables import ENTRY_NAMES, flow_items, image
from auditor.checks.registry import CheckContext, NoParams, Outcome, check
from auditor.evidence import SiteEvidence
from auditor.evidence.consent import ChoicePath, ConsentButton, OptOutFlow, Step
from auditor.findings import Status, TableEvidence

WHERE = {"banner": "banner", "dns_link": "opt-out link", "floating_button": "cookie-settings button"}


@check("choice_symmetry", requires=FLOW_EVIDENCE)
def choice_symmetry(evidence: SiteEvidence, params: NoParams, context: CheckContext) -> Outcome:
    """Opting out takes no more steps than opting in; a banner with "Accept" has an equally easy "Reject".

    The opt-in path is taken by the auditor in a cold context of its own, the opt-out path is the flow's step log;
    where the site offers no choice to opt in at all (everything runs by default, the only choices are opt-outs)
    there is nothing to compare. ``review`` only when a path could not be driven.
    """
    consent, flow = optout_consent(evidence)
    banner = consent.banner
    paths = flow.paths
    items = _evidence(consent.banner, flow)
    if flow.steps:
        items += [i for i in flow_items(consent, evidence, include_requests=False) if i.label.startswith("Step log")]
    failures: list[str] = []
    compared: list[str] = []
    shown = [b for b in banner.buttons if b.visible] if banner is not None else []
    accept = next((b for b in shown if b.kind == "accept"), None)
    reject = next((b for b in shown if b.kind == "reject"), None)
    if accept is not None and reject is None:
        others = ", ".join(_named(b) for b in shown if b is not accept and b.kind != "info") or "nothing else"
        failures.append(
            f'the banner accepts in one click ("{accept.text}") but has no equally easy way to decline '
            f"(its other buttons: {others})"
        )
    elif accept is not None and reject is not None:
        compared.append(f'the banner offers "{accept.text}" and "{reject.text}" side by side')
    opt_ins = [p for p in paths if p.direction == "opt-in"]
    if not opt_ins and not failures and not compared:
        return Outcome(
            Status.NOT_APPLICABLE,
            "The site offers no choice to opt in (no banner or preference center with an accept button): what it "
            "does runs by default and its only choices are opt-outs, so there is nothing to compare the opt-out with.",
            items,
        )
    undriven: list[str] = []
    uncounted: list[str] = []  # an opt-in with no opt-out beside it: the opt-out rules judge that, not this one
    run = flow.opt_in
    for entry in ("banner", "dns_link", "floating_button"):
        ins = [p for p in opt_ins if p.entry == entry]
        if not ins:
            continue
        measured_in = [p for p in ins if p.measured]
        if run is not None and run.entry == entry and not run.taken and not measured_in and entry != "banner":
            undriven.append(f"the opt-in path from the {WHERE[entry]} could not be taken ({run.detail})")
            continue
        outs = [p for p in paths if p.entry == entry and p.direction == "opt-out"]
        if not outs:
            if entry != "banner":
                uncounted.append(f"no opt-out path from the {WHERE[entry]} could be counted")
            continue
        opt_in = min(measured_in or ins, key=lambda p: p.count)
        out = min(outs, key=lambda p: p.count)
        if out.count > opt_in.count:
            failures.append(
                f"from the {WHERE[entry]}, opting out takes {out.count} steps ({' > '.join(out.steps)}) but "
                f"opting in takes {opt_in.count} ({' > '.join(opt_in.steps)})"
            )
        else:
            compared.append(
                f"from the {WHERE[entry]}, opting out takes {_steps(out)}, opting in {_steps(opt_in)}"
                + ("" if opt_in.measured else " (counted from the buttons)")
            )
    if failures:
        return Outcome(Status.FAIL, "Opting out is harder than opting in: " + "; ".join(failures) + ".", items)
    if undriven:
        return _for_a_person("The steps could not all be counted", undriven, items)
    if compared:
        return Outcome(Status.PASS, "Opting out is as easy as opting in: " + "; ".join(compared) + ".", items)
    if uncounted:
        return _for_a_person("The steps could not be compared", uncounted, items)
    return Outcome(
        Status.REVIEW, "The opt-out and opt-in paths could not both be counted; a person must compare them.", items
    )


def _for_a_person(what: str, reasons: list[str], items: list) -> Outcome:
    return Outcome(Status.REVIEW, f"{what}: " + "; ".join(reasons) + ". A person must compare the paths.", items)


def _steps(path: ChoicePath) -> str:
    return f"{path.count} step{'s' if path.count != 1 else ''} ({' > '.join(path.steps)})"


def _named(button: ConsentButton) -> str:
    return f"{button.described()} ({button.kind.replace('_', ' ')})"


def _evidence(banner, flow: OptOutFlow) -> list:
    items: list = []
    if banner is not None:
        if banner.screenshot:
            items.append(image("Banner (opt-out visit, before any click)", banner.screenshot))
        items.append(_button_table(banner.buttons))
    if flow.paths:
        items.append(
            TableEvidence(
                label="Opt-out and opt-in paths (steps from the same starting point)",
                columns=["direction", "from", "steps", "count", "how counted"],
                rows=[
                    [
                        p.direction,
                        ENTRY_NAMES.get(p.entry, p.entry),
                        " > ".join(p.steps),
                        p.count,
                        "taken by the auditor" if p.measured else "counted from the buttons",
                    ]
                    for p in flow.paths
                ],
            )
        )
    if flow.opt_in is not None and flow.opt_in.steps:
        items.append(_opt_in_table(flow.opt_in.steps, flow.opt_in.detail))
    return items


def _opt_in_table(steps: list[Step], detail: str) -> TableEvidence:
    return TableEvidence(
        label=f"Step log of the opt-in, in a cold context of its own ({detail or 'not completed'})",
        columns=["time", "action", "target", "detail", "result"],
        rows=[
            [f"{s.t_ms / 1000:.2f} s", s.action.replace("_", " "), s.target, s.detail, "ok" if s.ok else "failed"]
            for s in steps
        ],
    )


def _button_table(buttons: list[ConsentButton]) -> TableEvidence:
    rows = [
        [
            b.text or b.aria_label,
            b.kind.replace("_", " "),
            f"{b.box.width:.0f}x{b.box.height:.0f}" if b.box else "",
            b.background,
            b.color,
            b.element_id,
        ]
        for b in buttons
        if b.visible
    ]
    return TableEvidence(
        label="Banner buttons, classified by visible text (ids shown, never used)",
        columns=["text", "kind", "size", "background", "text color", "id"],
        rows=rows,
    )
