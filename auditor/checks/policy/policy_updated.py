"""``policy_updated``: the policy prints a last-updated date within the past months (CA-P2)."""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from auditor.checks.policy.found import OPTIONAL, REQUIRES, page_items, readable_policy, where_found
from auditor.checks.registry import CheckContext, CheckParams, Outcome, check
from auditor.evidence import SiteEvidence
from auditor.findings import Status, TableEvidence, TextEvidence
from auditor.policy import PolicyDate, find_policy_date, within_months

_CONTEXT_WORDS = {
    "heading": "in a heading",
    "parenthetical": "in parentheses after the title",
    "line_start": "on a line of its own",
    "separator": "after a separator",
    "colon": "after a label and colon",
    "policy_sentence": "in a sentence about the policy",
    "in_sentence": "inside a sentence",
}


def _date_table(found: PolicyDate, audit_date: dt.date) -> TableEvidence:
    readings = [found.date] + ([found.alternative_date] if found.ambiguous and found.alternative_date else [])
    rows = []
    for reading in readings:
        probe = found.model_copy(update={"date": reading})
        rows.append(
            [
                found.matched_text,
                reading.isoformat() + (" (month)" if found.precision == "month" else ""),
                _CONTEXT_WORDS.get(found.context, found.context),
                (audit_date - probe.latest_possible_date).days,
                "yes" if within_months(probe, audit_date, 12) else "no",
            ]
        )
    return TableEvidence(
        label="Date found in the policy",
        columns=["as written", "read as", "where", "age on audit date (days)", "within 12 months"],
        rows=rows,
    )


class MonthsParams(CheckParams):
    months: int = Field(12, ge=1, description="how many months old the last update may be")


@check("policy_updated", requires=REQUIRES, optional=OPTIONAL)
def policy_updated(evidence: SiteEvidence, params: MonthsParams, context: CheckContext) -> Outcome:
    """The policy prints a last-updated (or effective) date at most ``months`` months before the audit date."""
    found_policy = readable_policy(evidence)
    if isinstance(found_policy, Outcome):
        return found_policy
    policy, page = found_policy
    months = params.months
    found = find_policy_date(policy.text, policy.headings)
    if found is None:
        header = f" The server's Last-Modified header says {policy.last_modified}." if policy.last_modified else ""
        return Outcome(
            Status.FAIL,
            f'The privacy policy {where_found(policy)} prints no "last updated" or "effective" date, which the '
            f"policy must show.{header}",
            page_items(page),
        )
    audit = context.audit_date
    table = _date_table(found, audit)
    items = [TextEvidence(label="Date as printed in the policy", text=found.matched_text), table, *page_items(page)]
    readings = [found.date] + ([found.alternative_date] if found.ambiguous and found.alternative_date else [])
    probes = [found.model_copy(update={"date": r}) for r in readings]
    if any(p.date > audit for p in probes):
        return Outcome(
            Status.REVIEW,
            f'The policy\'s date "{found.matched_text}" lies after the audit date {audit.isoformat()}. A future '
            "effective date may announce a new version; a person must check which version is in force and when the "
            "current one was last updated.",
            items,
        )
    verdicts = {within_months(p, audit, months) for p in probes}
    if len(verdicts) > 1:
        return Outcome(
            Status.REVIEW,
            f'The policy\'s date "{found.matched_text}" can be read as {readings[0].isoformat()} or '
            f"{readings[1].isoformat()}; one reading is within {months} months of the audit date and the other is "
            "not. A person must decide which the site means.",
            items,
        )
    age = (audit - probes[0].latest_possible_date).days
    if verdicts == {True}:
        return Outcome(
            Status.PASS,
            f'The privacy policy {where_found(policy)} was last updated "{found.matched_text}": {age} days before the '
            f"audit date, within {months} months.",
            items,
        )
    return Outcome(
        Status.FAIL,
        f'The privacy policy {where_found(policy)} was last updated "{found.matched_text}": {age} days before the '
        f"audit date {audit.isoformat()}, more than {months} months. The policy must be updated at least once "
        "every 12 months.",
        items,
    )
