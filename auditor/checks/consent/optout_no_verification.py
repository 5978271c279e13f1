"""``optout_no_verification``: the opt-out asks for no account, verification or needless information (CA-L7, CA-O3)."""

from __future__ import annotations

from pydantic import Field

from auditor.checks.consent.parts import OPTOUT, broken, optout_consent
from auditor.checks.links.matching import OptOutLinkParams, opt_out_links
from auditor.checks.registry import CheckContext, Outcome, check
from auditor.evidence import SiteEvidence
from auditor.evidence.consent import FormField
from auditor.findings import Status, TableEvidence, TextEvidence
from auditor.textmatch import asks_for_identity


def _fields_table(fields: list[FormField]) -> TableEvidence:
    return TableEvidence(
        label="Fields of the opt-out form",
        columns=["label", "name", "type", "required"],
        rows=[[f.label, f.name, f.type, "yes" if f.required else ""] for f in fields],
    )


class VerificationParams(OptOutLinkParams):
    max_required_fields: int = Field(3, ge=0, description="more required fields than this fail")


@check("optout_no_verification", requires=["baseline.homepage.links", f"{OPTOUT}.consent.dns_target"])
def optout_no_verification(evidence: SiteEvidence, params: VerificationParams, context: CheckContext) -> Outcome:
    """The opt-out asks for no account, no identity documents and no more information than necessary."""
    target = optout_consent(evidence)[0].dns_target
    if target is None:
        if opt_out_links(evidence, params):
            return Outcome(
                Status.REVIEW,
                "Where the opt-out link leads was not captured; a person must check what the opt-out asks for.",
            )
        return Outcome(Status.NOT_APPLICABLE, "No opt-out link to follow (see the opt-out link rule).")
    why = broken(target)
    if why:
        return Outcome(Status.REVIEW, f"The opt-out link could not be followed ({why}); see the link-target rule.")
    if target.login_wall:
        return Outcome(
            Status.FAIL,
            f'The "{target.link_text}" link leads to a sign-in page ({target.login_wall}). An opt-out of sale or '
            "sharing must not require an account.",
            [TextEvidence(label="Opt-out destination", text=target.url or target.link_href)],
        )
    fields = [f for form in target.forms for f in form.fields if f.type not in ("hidden", "submit", "button")]
    identity = [f for f in fields if asks_for_identity(f.label, f.name, f.type)]
    required = [f for f in fields if f.required]
    most = params.max_required_fields
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
