"""``dns_link_target``: following the opt-out link reaches a working opt-out (CA-L5)."""

from __future__ import annotations

from auditor.checks.consent.parts import count, optout_consent
from auditor.checks.consent.tables import image, toggle_table
from auditor.checks.registry import CheckContext, NoParams, Outcome, check
from auditor.evidence import SiteEvidence
from auditor.findings import Status, TableEvidence, TextEvidence


@check("dns_link_target", requires=["optout.consent.dns_target", "optout.consent.flow"])
def dns_link_target(evidence: SiteEvidence, params: NoParams, context: CheckContext) -> Outcome:
    """Following the opt-out link reaches a working opt-out: a page or dialog with a form, control or button."""
    consent, flow = optout_consent(evidence)
    target = consent.dns_target
    if target is None:
        if flow.error:
            return Outcome(Status.REVIEW, f"The opt-out visit stopped before the link was followed: {flow.error}")
        return Outcome(Status.NOT_APPLICABLE, "No opt-out link was found to follow (see the opt-out link rule).")
    items: list = [TextEvidence(label="Link followed", text=_link_line(target))]
    shot = target.dialog.screenshot if target.dialog is not None and target.dialog.screenshot else target.screenshot
    if shot:
        items.append(image("Where the link leads", shot))
    if target.outcome == "error":
        return Outcome(
            Status.REVIEW,
            f'The link "{target.link_text}" could not be clicked ({target.error}); a person must follow it.',
            items,
        )
    if target.outcome == "nothing":
        return Outcome(
            Status.FAIL,
            f'Clicking "{target.link_text}" neither opened a page nor a dialog (a broken opt-out link).',
            items,
        )
    if target.outcome == "dialog":
        dialog = target.dialog
        if dialog is None:
            return Outcome(Status.REVIEW, "A dialog opened but could not be read.", items)
        controls = [t for t in dialog.toggles if not t.always_active]
        actions = [b for b in dialog.buttons if b.visible and b.kind in ("reject", "do_not_sell", "save")]
        items.append(toggle_table("Controls in the dialog", dialog.toggles))
        if controls or actions:
            return Outcome(
                Status.PASS,
                f'Following "{target.link_text}" opens "{dialog.title or dialog.found_by}" '
                f"in the page, with {count(controls, 'control')} and {count(actions, 'button')} to "
                "act on.",
                items,
            )
        return Outcome(
            Status.FAIL, f'Following "{target.link_text}" opens a dialog with no control or button to opt out.', items
        )
    where = target.url or target.link_href
    if target.status is not None and target.status >= 400:
        return Outcome(
            Status.FAIL, f'The link "{target.link_text}" leads to {where}, which answers HTTP {target.status}.', items
        )
    if target.soft_404:
        return Outcome(
            Status.FAIL,
            f'The link "{target.link_text}" leads to {where}, a "not found" page (it says "{target.soft_404}").',
            items,
        )
    if target.login_wall:
        return Outcome(
            Status.FAIL,
            f'The link "{target.link_text}" leads to {where}, which asks the visitor to sign in '
            f"({target.login_wall}); opting out must not need an account.",
            items,
        )
    forms = [f for f in target.forms if f.fields or f.submit_texts]
    if forms:
        items.append(_forms_table(forms))
    if target.controls:
        items.append(toggle_table("Controls on the page", target.controls))
    buttons = [b for b in target.buttons if b.kind in ("reject", "do_not_sell", "save")]
    if forms or target.controls or buttons:
        what = ", ".join(
            x
            for x in (count(forms, "form"), count(target.controls, "control"), count(buttons, "button"))
            if not x.startswith("0 ")
        )
        return Outcome(
            Status.PASS,
            f'The link "{target.link_text}" leads to {where} (HTTP {target.status or "?"}) with {what} to opt out.',
            items,
        )
    return Outcome(
        Status.FAIL,
        f'The link "{target.link_text}" leads to {where}, which offers no form, control or button to opt out.',
        items,
    )


def _link_line(target) -> str:
    where = "footer" if target.link_in_footer else "page"
    shadow = ", inside a shadow root" if target.link_in_shadow_root else ""
    how = f"; {target.click}" if target.click else ""
    return f'"{target.link_text}" ({where}{shadow}) -> {target.outcome}: {target.url or target.link_href}{how}'


def _forms_table(forms) -> TableEvidence:
    rows = [
        [i + 1, field.label or field.name, field.type, "yes" if field.required else "no"]
        for i, form in enumerate(forms)
        for field in form.fields
    ]
    return TableEvidence(
        label="Form fields on the opt-out page (values never recorded)",
        columns=["form", "field", "type", "required"],
        rows=rows[:40],
        truncated=max(0, len(rows) - 40),
    )
