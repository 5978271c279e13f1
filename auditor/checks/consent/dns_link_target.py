"""``dns_link_target``: following the opt-out link reaches a working opt-out (CA-L5)."""

from __future__ import annotations

from auditor.checks.common import unread_frame
from auditor.checks.consent.parts import count, optout_consent
from auditor.checks.consent.tables import flow_items, image, toggle_table
from auditor.checks.registry import CheckContext, NoParams, Outcome, check
from auditor.evidence import SiteEvidence
from auditor.evidence.consent import ConsentEvidence, DnsTarget
from auditor.findings import Status, TableEvidence, TextEvidence

ACTION_KINDS = ("reject", "do_not_sell", "save")


@check(
    "dns_link_target",
    requires=["optout.consent.dns_target", "optout.consent.flow", "optout.consent.preference_center"],
)
def dns_link_target(evidence: SiteEvidence, params: NoParams, context: CheckContext) -> Outcome:
    """Following the opt-out link reaches a working opt-out: a page or panel with a form, control or button.

    It fails only on proof: an error or "not found" page, a sign-in wall, a demand to verify identity, a destination
    with nothing to act on, or a click that changed nothing. What the auditor could not interpret is ``review``.
    """
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
    link = f'"{target.link_text}"'
    if target.outcome == "error":
        return Outcome(
            Status.REVIEW, f"The link {link} could not be clicked ({target.error}); a person must follow it.", items
        )
    if target.outcome == "nothing":
        steps = [i for i in flow_items(consent, evidence, include_requests=False) if i.label.startswith("Step log")]
        if target.page_changed:
            return Outcome(
                Status.REVIEW,
                f"Clicking {link} changed the page, but the auditor found no page, panel or control it could read "
                "there; a person must look (step log and screenshot attached).",
                items + steps,
            )
        return Outcome(
            Status.FAIL,
            f"Clicking {link} neither opened a page nor a panel, and the page did not change at all, even after "
            "waiting until it was quiet and clicking again (a broken opt-out link).",
            items + steps,
        )
    if target.outcome == "dialog":
        return _dialog(consent, target, link, items)
    return _page(consent, target, link, items)


def _dialog(consent: ConsentEvidence, target: DnsTarget, link: str, items: list) -> Outcome:
    dialog = target.dialog
    if dialog is None:
        return Outcome(Status.REVIEW, "A panel opened but could not be read; a person must look.", items)
    if target.verification:
        return Outcome(
            Status.FAIL,
            f"Following {link} opens a panel that demands identity verification ({target.verification}); an "
            "opt-out of sale or sharing needs none.",
            items,
        )
    controls = [t for t in dialog.toggles if not t.always_active]
    actions = [b for b in dialog.buttons if b.visible and b.kind in ACTION_KINDS]
    items.append(toggle_table("Controls in the panel", dialog.toggles))
    where = f'"{dialog.title or dialog.found_by}"' + (f" (a frame from {dialog.frame_url})" if dialog.frame_url else "")
    if controls or actions:
        return Outcome(
            Status.PASS,
            f"Following {link} opens {where} in the page, with {count(controls, 'control')} and "
            f"{count(actions, 'button')} to act on.",
            items,
        )
    behind = _controls_behind(consent, dialog.found_by)
    if behind:
        return Outcome(Status.PASS, f"Following {link} opens {where}, whose settings button leads to {behind}.", items)
    if any(b.visible and b.kind == "settings" for b in dialog.buttons):
        return Outcome(
            Status.REVIEW,
            f"Following {link} opens {where} with a settings button, but the auditor could not read what it opens; "
            "a person must look.",
            items,
        )
    if unread_frame(dialog):
        return Outcome(
            Status.REVIEW,
            f"Following {link} opens {where}, a frame in which the auditor could read no text, control or button (it "
            "may be drawn in a closed shadow root, a canvas or an image); a person must look (screenshot attached).",
            items,
        )
    return Outcome(Status.FAIL, f"Following {link} opens {where}, with no control or button to opt out.", items)


def _page(consent: ConsentEvidence, target: DnsTarget, link: str, items: list) -> Outcome:
    where = (target.url or target.link_href) + (" (on another site)" if target.off_site else "")
    if target.status is not None and target.status >= 400:
        return Outcome(Status.FAIL, f"The link {link} leads to {where}, which answers HTTP {target.status}.", items)
    if target.soft_404:
        return Outcome(
            Status.FAIL, f'The link {link} leads to {where}, a "not found" page (it says "{target.soft_404}").', items
        )
    forms = [f for f in target.forms if f.fields or f.submit_texts]
    if forms:
        items.append(_forms_table(forms))
    if target.login_wall:
        return Outcome(
            Status.FAIL,
            f"The link {link} leads to {where}, which asks the visitor to sign in ({target.login_wall}); opting out "
            "must not need an account.",
            items,
        )
    if target.verification:
        return Outcome(
            Status.FAIL,
            f"The link {link} leads to {where}, which demands that the visitor verify their identity before any "
            f"request ({target.verification}); an opt-out of sale or sharing needs no verification.",
            items,
        )
    if target.controls:
        items.append(toggle_table("Controls on the page", target.controls))
    buttons = [b for b in target.buttons if b.kind in ACTION_KINDS and not b.in_request_form]
    behind = _controls_behind(consent, "")
    if forms or target.controls or buttons or behind:
        what = ", ".join(
            x
            for x in (count(forms, "form"), count(target.controls, "control"), count(buttons, "button"))
            if not x.startswith("0 ")
        )
        if behind:
            what = (
                f"{what}, and a settings button that opens {behind}"
                if what
                else f"a settings button that opens {behind}"
            )
        return Outcome(
            Status.PASS,
            f"The link {link} leads to {where} (HTTP {target.status or '?'}) with {what} to opt out.",
            items,
        )
    if any(b.kind == "settings" for b in target.buttons):
        return Outcome(
            Status.REVIEW,
            f"The link {link} leads to {where}, whose settings button the auditor could not open or read; a person "
            "must look.",
            items,
        )
    return Outcome(
        Status.FAIL,
        f"The link {link} leads to {where}, which offers no form, control or button to opt out (read once the page "
        "was quiet).",
        items,
    )


def _controls_behind(consent: ConsentEvidence, first: str) -> str:
    """The panel the flow reached through a settings button of the link's destination, in words ("" when none)."""
    pc = consent.preference_center
    if pc is None or pc.found_by == first or not (pc.toggles or any(b.kind in ACTION_KINDS for b in pc.buttons)):
        return ""
    if consent.flow is None or consent.flow.entry != "dns_link":
        return ""
    return f'"{pc.title or pc.found_by}" with {count(pc.toggles, "control")}'


def _link_line(target: DnsTarget) -> str:
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
