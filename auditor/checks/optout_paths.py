"""Checks on the ways to opt out: not a cookie banner alone (CA-L6), no account or verification (CA-L7,
CA-O3), and at least two methods (CA-O1). They read the consent evidence of the visits (``consent``:
banner, preference center, the "Do Not Sell" link's target) and the privacy policy's text.
"""

from __future__ import annotations

import re
from typing import Any

from auditor.checks.common import homepage, indicators_table, sale_sharing_indicators, unassessable
from auditor.checks.notices import opt_out_links
from auditor.checks.policy import policy_contents
from auditor.checks.registry import CheckContext, Outcome, check
from auditor.evidence import SiteEvidence
from auditor.evidence.consent import DnsTarget, FormField
from auditor.findings import Status, TableEvidence, TextEvidence
from auditor.policy.contents import quote_passage

SALE_WORDS = re.compile(
    r"\b(sell|sells|sale|sales|selling|sold|share|sharing|targeted advertising|cross-context behaviou?ral"
    r"|do not sell)\b",
    re.IGNORECASE,
)
COOKIE_WORDS = re.compile(r"\bcookies?\b", re.IGNORECASE)
ID_FIELD = re.compile(
    r"driver'?s?.?licen[cs]e|passport|social.?security|\bssn\b|government.?id|id.?(card|number|upload)|"
    r"date.?of.?birth|birth.?date|\bdob\b|photo",
    re.IGNORECASE,
)
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


@check("optout_not_cookie_only")
def optout_not_cookie_only(evidence: SiteEvidence, params: dict[str, Any], context: CheckContext) -> Outcome:
    """The opt-out path speaks of selling or sharing, not only of cookies (§7026(a)(4))."""
    blocked = unassessable(evidence)
    if blocked:
        return blocked
    target: DnsTarget | None = consent_part(evidence, "dns_target")
    if target is not None:
        broken = _broken(target)
        if broken:
            return Outcome(
                Status.REVIEW,
                f'The "{target.link_text}" link could not be followed to an opt-out ({broken}); see the link-target '
                "rule. A person must check what the opt-out offers.",
            )
        text = target_text(target)
        sale = SALE_WORDS.search(text)
        if sale:
            return Outcome(
                Status.PASS,
                f'The opt-out reached through "{target.link_text}" speaks of selling or sharing personal information.',
                [TextEvidence(label="Opt-out page says", text=_quote(text, sale))],
            )
        cookie = COOKIE_WORDS.search(text)
        if cookie:
            return Outcome(
                Status.FAIL,
                f'The "{target.link_text}" link leads only to cookie settings that never mention selling or sharing. '
                "A cookie banner or cookie controls alone are not an acceptable opt-out of sale or sharing.",
                [TextEvidence(label="Opt-out page says", text=_quote(text, cookie))],
            )
        return Outcome(
            Status.REVIEW,
            f'The page reached through "{target.link_text}" mentions neither selling/sharing nor cookies. A person '
            "must read it.",
            [TextEvidence(label="Opt-out page text", text=text[:600])],
        )
    if opt_out_links(evidence, params):
        return Outcome(
            Status.REVIEW,
            "The homepage has an opt-out link, but where it leads was not captured. A person must check that it "
            "offers more than cookie settings.",
        )
    banner = consent_part(evidence, "banner")
    center = consent_part(evidence, "preference_center")
    if banner is None and center is None:
        return Outcome(
            Status.NOT_APPLICABLE, "The homepage shows no opt-out link and no cookie banner or preference center."
        )
    text = "\n".join(x.text for x in (banner, center) if x is not None)
    sale = SALE_WORDS.search(text)
    if sale:
        return Outcome(
            Status.REVIEW,
            "The homepage has no opt-out link; the consent banner speaks of selling or sharing. A person must check "
            "whether it offers a real opt-out of sale and sharing.",
            [TextEvidence(label="Banner says", text=_quote(text, sale))],
        )
    indicators = sale_sharing_indicators(homepage(evidence), context)
    if not indicators:
        return Outcome(
            Status.NOT_APPLICABLE,
            "No opt-out link, and the capture shows no sign of sale or sharing; the cookie banner is not judged here.",
        )
    return Outcome(
        Status.FAIL,
        "The only opt-out on offer is a cookie banner that never mentions selling or sharing, while the site shows "
        "signs of selling or sharing personal information.",
        [TextEvidence(label="Banner says", text=text[:600]), indicators_table(indicators)],
    )


def _fields_table(fields: list[FormField]) -> TableEvidence:
    return TableEvidence(
        label="Fields of the opt-out form",
        columns=["label", "name", "type", "required"],
        rows=[[f.label, f.name, f.type, "yes" if f.required else ""] for f in fields],
    )


@check("optout_no_verification")
def optout_no_verification(evidence: SiteEvidence, params: dict[str, Any], context: CheckContext) -> Outcome:
    """The opt-out asks for no account, no identity documents and no more information than necessary."""
    blocked = unassessable(evidence)
    if blocked:
        return blocked
    target: DnsTarget | None = consent_part(evidence, "dns_target")
    if target is None:
        if opt_out_links(evidence, params):
            return Outcome(
                Status.REVIEW,
                "Where the opt-out link leads was not captured; a person must check what the opt-out asks for.",
            )
        return Outcome(Status.NOT_APPLICABLE, "No opt-out link to follow (see the opt-out link rule).")
    broken = _broken(target)
    if broken:
        return Outcome(Status.REVIEW, f"The opt-out link could not be followed ({broken}); see the link-target rule.")
    if target.login_wall:
        return Outcome(
            Status.FAIL,
            f'The "{target.link_text}" link leads to a sign-in page ({target.login_wall}). An opt-out of sale or '
            "sharing must not require an account.",
            [TextEvidence(label="Opt-out destination", text=target.url or target.link_href)],
        )
    fields = [f for form in target.forms for f in form.fields if f.type not in ("hidden", "submit", "button")]
    identity = [f for f in fields if ID_FIELD.search(f"{f.label} {f.name}") or f.type == "file"]
    required = [f for f in fields if f.required]
    most = int(params.get("max_required_fields", 3))
    if identity:
        return Outcome(
            Status.FAIL,
            "The opt-out form asks for identity documents or data ("
            + ", ".join(f.label or f.name or f.type for f in identity)
            + "). An opt-out of sale or sharing needs no verification.",
            [_fields_table(fields)],
        )
    if len(required) > most:
        return Outcome(
            Status.FAIL,
            f"The opt-out form requires {len(required)} fields; an opt-out must ask for no more than is necessary "
            f"to carry it out (this rule allows at most {most}).",
            [_fields_table(fields)],
        )
    if required:
        return Outcome(
            Status.REVIEW,
            f"The opt-out form requires {len(required)} field(s): "
            + ", ".join(f.label or f.name for f in required)
            + ". A person must judge whether each is necessary to carry out the opt-out.",
            [_fields_table(fields)],
        )
    controls = len(target.controls) + (len(target.dialog.toggles) if target.dialog else 0)
    if fields or controls or target.buttons:
        return Outcome(
            Status.PASS,
            f'The opt-out reached through "{target.link_text}" requires no sign-in and no personal information '
            f"({len(fields)} optional field(s), {controls} control(s)).",
            [_fields_table(fields)] if fields else [],
        )
    return Outcome(
        Status.REVIEW,
        "The opt-out destination shows no form, control or button; a person must check how the opt-out is made.",
    )


@check("optout_methods")
def optout_methods(evidence: SiteEvidence, params: dict[str, Any], context: CheckContext) -> Outcome:
    """At least two opt-out methods: the signal (judged by the GPC rule) plus a link/form or the policy."""
    blocked = unassessable(evidence)
    if blocked:
        return blocked
    links = opt_out_links(evidence, params)
    target: DnsTarget | None = consent_part(evidence, "dns_target")
    policy = evidence.profiles["baseline"].policy
    signals_in_policy = None
    if policy is not None and policy.found:
        signals_in_policy = policy_contents(policy.text)["opt_out_preference_signals"].status
    rows = [
        ["opt-out link on the homepage", links[0].text if links else "none"],
        ["where the link leads", (target.outcome + " " + (target.url or "")).strip() if target else "not captured"],
        ["privacy policy describes opt-out preference signals", signals_in_policy or "policy not read"],
        ["opt-out preference signal honored", "judged by the GPC rule (ccpa.gpc-honored)"],
    ]
    table = TableEvidence(label="Opt-out methods seen", columns=["method", "observed"], rows=rows)
    indicators = sale_sharing_indicators(homepage(evidence), context)
    if not links and not indicators:
        return Outcome(
            Status.NOT_APPLICABLE,
            "No opt-out link and no sign of sale or sharing: the methods are required only of businesses that sell "
            "or share.",
            [table],
        )
    if not links and signals_in_policy == "missing":
        return Outcome(
            Status.FAIL,
            "The homepage has no opt-out link and the privacy policy does not describe opt-out preference signals: "
            "at most one method (the signal itself) can be on offer, and two are required.",
            [table, indicators_table(indicators)],
        )
    return Outcome(
        Status.REVIEW,
        "Two methods are required: honoring opt-out preference signals and one of an opt-out link with a form, "
        "the alternative link, or (when processing is frictionless) the privacy policy. The methods seen are listed; "
        "a person combines them with the GPC rule's finding.",
        [table],
    )
