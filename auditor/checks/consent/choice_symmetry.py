"""``choice_symmetry``: opting out takes no more steps than opting in (CA-D1, CA-D2)."""

from __future__ import annotations

from auditor.checks.consent.parts import FLOW_EVIDENCE, optout_consent
from auditor.checks.consent.tables import ENTRY_NAMES, flow_items, image
from auditor.checks.registry import CheckContext, NoParams, Outcome, check
from auditor.evidence import SiteEvidence
from auditor.evidence.consent import ConsentButton
from auditor.findings import Status, TableEvidence


@check("choice_symmetry", requires=FLOW_EVIDENCE)
def choice_symmetry(evidence: SiteEvidence, params: NoParams, context: CheckContext) -> Outcome:
    """Opting out takes no more steps than opting in; a banner with "Accept" has an equally easy "Reject"."""
    consent, flow = optout_consent(evidence)
    banner = consent.banner
    paths = flow.paths
    items: list = []
    if banner is not None:
        if banner.screenshot:
            items.append(image("Banner (opt-out visit, before any click)", banner.screenshot))
        items.append(_button_table(banner.buttons))
    if paths:
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
                        "taken by the auditor" if p.measured else "counted from the controls",
                    ]
                    for p in paths
                ],
            )
        )
    if flow.steps:
        items += [i for i in flow_items(consent, evidence, include_requests=False) if i.label.startswith("Step log")]
    failures: list[str] = []
    compared: list[str] = []
    if banner is not None:
        shown = [b for b in banner.buttons if b.visible]
        accept = next((b for b in shown if b.kind == "accept"), None)
        reject = next((b for b in shown if b.kind == "reject"), None)
        if accept is not None and reject is None:
            others = (
                ", ".join(
                    f'"{b.text or b.aria_label}" ({b.kind.replace("_", " ")})'
                    for b in shown
                    if b is not accept and b.kind not in ("info",)
                )
                or "nothing else"
            )
            failures.append(
                f'the banner accepts in one click ("{accept.text}") but has no equally easy way to decline '
                f"(its other buttons: {others})"
            )
        elif accept is not None and reject is not None:
            compared.append(f'the banner offers "{accept.text}" and "{reject.text}" side by side')
    for entry in ("banner", "dns_link", "floating_button"):
        outs = [p for p in paths if p.entry == entry and p.direction == "opt-out"]
        ins = [p for p in paths if p.entry == entry and p.direction == "opt-in"]
        if not outs or not ins:
            continue
        out, opt_in = min(outs, key=lambda p: p.count), min(ins, key=lambda p: p.count)
        where = {"dns_link": "opt-out link", "floating_button": "cookie-settings button"}.get(entry, entry)
        if out.count > opt_in.count:
            failures.append(
                f"from the {where}, opting out takes {out.count} steps ({' > '.join(out.steps)}) but "
                f"opting in takes {opt_in.count} ({' > '.join(opt_in.steps)})"
            )
        else:
            compared.append(
                f"from the {where}, opting out takes {out.count} step{'s' if out.count > 1 else ''}, "
                f"opting in {opt_in.count}"
            )
    if failures:
        return Outcome(Status.FAIL, "Opting out is harder than opting in: " + "; ".join(failures) + ".", items)
    if compared:
        return Outcome(Status.PASS, "Opting out is as easy as opting in: " + "; ".join(compared) + ".", items)
    if banner is None and not paths:
        return Outcome(
            Status.NOT_APPLICABLE,
            "No consent banner or opt-in choice was found: there is nothing to compare the opt-out with.",
            items,
        )
    return Outcome(
        Status.REVIEW, "The opt-out and opt-in paths could not both be counted; a person must compare them.", items
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
