"""Checks on the opt-out as a visitor uses it: where the link leads, the control, whether it works, symmetry.

They read the ``optout`` visit's consent evidence (the banner, the "Do Not Sell" link's target, the step log,
the controls before and after, the reloaded homepage) and never touch a browser.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlsplit

from auditor.checks.common import homepage, indicators_table, sale_sharing_indicators, unassessable
from auditor.checks.consent_evidence import (
    ENTRY_NAMES,
    advertising_requests,
    flow_items,
    image,
    request_diff_table,
    stored_consent,
    toggle_table,
)
from auditor.checks.registry import CheckContext, Outcome, check
from auditor.evidence import SiteEvidence
from auditor.evidence.consent import ConsentButton, ConsentEvidence, OptOutFlow, Toggle
from auditor.findings import Status, TableEvidence, TextEvidence

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


# -- ccpa.dns-link-target --------------------------------------------------------------------------------------
@check("dns_link_target")
def dns_link_target(evidence: SiteEvidence, params: dict[str, Any], context: CheckContext) -> Outcome:
    """Following the opt-out link reaches a working opt-out: a page or dialog with a form, control or button."""
    consent, blocked = _consent(evidence)
    if blocked:
        return blocked
    assert consent is not None
    target = consent.dns_target
    if target is None:
        if consent.flow is not None and consent.flow.error:
            return Outcome(
                Status.REVIEW, f"The opt-out visit stopped before the link was followed: {consent.flow.error}"
            )
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
                f"in the page, with {_count(controls, 'control')} and {_count(actions, 'button')} to "
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
            for x in (_count(forms, "form"), _count(target.controls, "control"), _count(buttons, "button"))
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


def _count(items: list, noun: str) -> str:
    return f"{len(items)} {noun}{'' if len(items) == 1 else 's'}"


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


# -- ccpa.optout-toggle ----------------------------------------------------------------------------------------
@check("optout_toggle")
def optout_toggle(evidence: SiteEvidence, params: dict[str, Any], context: CheckContext) -> Outcome:
    """An opt-out control for sale, sharing or targeted advertising is reachable and can be switched."""
    consent, blocked = _consent(evidence)
    if blocked:
        return blocked
    assert consent is not None
    flow = consent.flow
    controls = _controls(consent)
    about_sale = [t for t in controls if t.governs]
    usable = [t for t in about_sale if not t.disabled and not t.always_active]
    items = flow_items(consent, evidence, include_requests=False)
    entry = _entry_words(flow)
    if usable:
        names = ", ".join(f'"{t.label}"' for t in usable[:4])
        return Outcome(
            Status.PASS,
            f"{entry} reaches {_count(usable, 'control')} for sale, sharing or targeted advertising: {names}.",
            items,
        )
    if about_sale:
        return Outcome(
            Status.FAIL,
            f"{entry} shows controls for sale, sharing or targeted advertising, but none can "
            "be switched (disabled or always active).",
            items,
        )
    buttons = _optout_buttons(consent)
    if buttons:
        return Outcome(Status.PASS, f'{entry} reaches a one-click opt-out button: "{buttons[0].text}".', items)
    if consent.dns_target is not None and any(f.fields for f in consent.dns_target.forms):
        return Outcome(
            Status.REVIEW,
            "The opt-out is a request form, not a control the auditor can switch; a person "
            "must check that submitting it opts out of sale and sharing.",
            items,
        )
    indicators = _indicators(evidence, context, consent)
    if flow is not None and flow.entry == "banner_reject":
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
        if indicators:
            return Outcome(
                Status.FAIL,
                message + " The site shows signs of selling or sharing.",
                [*items, indicators_table(indicators)],
            )
        return Outcome(Status.NOT_APPLICABLE, message + " The capture shows no sign of selling or sharing.", items)
    if flow is not None and flow.error:
        return Outcome(Status.REVIEW, f"The opt-out visit stopped early ({flow.error}); a person must look.", items)
    if not indicators:
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
        [*items, indicators_table(indicators)],
    )


def _entry_words(flow: OptOutFlow | None) -> str:
    if flow is None:
        return "The opt-out visit"
    return {
        "dns_link": "The opt-out link",
        "banner_settings": "The banner's settings button",
        "banner_reject": "The banner",
        "floating_button": "The cookie-settings button",
    }.get(flow.entry, "The opt-out visit")


# -- ccpa.optout-effective -------------------------------------------------------------------------------------
@check("optout_effective")
def optout_effective(evidence: SiteEvidence, params: dict[str, Any], context: CheckContext) -> Outcome:
    """After the opt-out, the CMP's stored state shows it, it persists after a reload, and ad requests stop."""
    consent, blocked = _consent(evidence)
    if blocked:
        return blocked
    assert consent is not None
    flow = consent.flow
    if flow is not None and flow.error and not flow.completed:
        return Outcome(
            Status.REVIEW,
            f"The opt-out visit stopped before the opt-out was used ({flow.error}); a person must try it.",
            flow_items(consent, evidence, include_requests=False),
        )
    if flow is None or not (flow.completed or flow.switched or flow.saved_with):
        indicators = _indicators(evidence, context, consent)
        if not indicators:
            return Outcome(
                Status.NOT_APPLICABLE,
                "There was no opt-out to use, and the capture shows no sign of "
                "selling or sharing personal information.",
            )
        return Outcome(
            Status.FAIL,
            "No opt-out could be used, so none can take effect, and the site shows signs of selling or sharing.",
            [indicators_table(indicators)],
        )
    items = flow_items(consent, evidence, include_requests=False)
    capture = evidence.profiles[PROFILE]
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


# -- ccpa.choice-symmetry --------------------------------------------------------------------------------------
@check("choice_symmetry")
def choice_symmetry(evidence: SiteEvidence, params: dict[str, Any], context: CheckContext) -> Outcome:
    """Opting out takes no more steps than opting in; a banner with "Accept" has an equally easy "Reject"."""
    consent, blocked = _consent(evidence)
    if blocked:
        return blocked
    assert consent is not None
    banner = consent.banner
    flow = consent.flow
    paths = flow.paths if flow is not None else []
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
    if flow is not None and flow.steps:
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
