"""Checks on the privacy policy: its "last updated" date (CA-P2) and the topics it must cover (CA-P3, §7011).

Both read ``ProfileCapture.policy`` (the text the baseline visit extracted from the policy page) with the
pure functions of :mod:`auditor.policy`, so they re-run on saved evidence.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any

from auditor.checks.common import unassessable
from auditor.checks.registry import CheckContext, Outcome, check
from auditor.evidence import PageCapture, SiteEvidence
from auditor.evidence.notices import PolicyEvidence
from auditor.findings import ImageEvidence, ScreenshotRef, Status, TableEvidence, TextEvidence
from auditor.policy import ContentMatch, PolicyDate, find_policy_date, find_required_contents, within_months
from auditor.policy.topics import TOPICS

PAGE_KEY = "privacy_policy"
_CONTEXT_WORDS = {
    "heading": "in a heading",
    "parenthetical": "in parentheses after the title",
    "line_start": "on a line of its own",
    "separator": "after a separator",
    "colon": "after a label and colon",
    "policy_sentence": "in a sentence about the policy",
    "in_sentence": "inside a sentence",
}


def policy_or_outcome(evidence: SiteEvidence) -> tuple[PolicyEvidence, PageCapture | None] | Outcome:
    """The policy evidence of the baseline visit, or the outcome that says why it cannot be judged."""
    blocked = unassessable(evidence)
    if blocked:
        return blocked
    capture = evidence.profiles["baseline"]
    policy = capture.policy
    page = capture.pages.get(PAGE_KEY)
    if policy is None:
        return Outcome(
            Status.NOT_ASSESSABLE,
            "This evidence has no record of the privacy policy (it was captured without the policy gatherer).",
        )
    if not policy.found:
        tried = _candidates_table(policy)
        if any(c.found_by != "common_path" for c in policy.candidates):
            reason = "The homepage links to a privacy policy, but the page it leads to could not be read as one"
        else:
            reason = "No privacy policy could be found: no homepage link leads to one and the usual addresses fail"
        extra = f" ({policy.error})" if policy.error else ""
        return Outcome(
            Status.NOT_ASSESSABLE,
            f"{reason}{extra}. See the privacy-policy link rule; a person should check where the policy is.",
            [tried] if tried.rows else [],
        )
    if len(policy.text.strip()) < 200:
        return Outcome(
            Status.NOT_ASSESSABLE,
            "The privacy policy page loaded, but almost no text could be read from it (script-rendered or an "
            "embedded document?). A person must read it.",
            _page_items(page),
        )
    return policy, page


def _candidates_table(policy: PolicyEvidence) -> TableEvidence:
    rows = [[c.url, c.found_by, c.link_text, c.status, c.error or ""] for c in policy.candidates]
    return TableEvidence(
        label="Addresses tried for the privacy policy",
        columns=["url", "found by", "link text", "HTTP", "problem"],
        rows=rows,
    )


def _page_items(page: PageCapture | None) -> list:
    if page is None or page.viewport_screenshot is None:
        return []
    return [
        ImageEvidence(label="Privacy policy page", screenshot=ScreenshotRef(**page.viewport_screenshot.model_dump()))
    ]


def _where(policy: PolicyEvidence) -> str:
    """Where the policy was found, in parentheses: its URL and how the auditor reached it."""
    how = {
        "link_text": f'linked from the homepage as "{policy.link_text}"',
        "link_href": "linked from the homepage",
        "common_path": "found at a usual address, not linked from the homepage",
    }
    return f"({policy.url}, {how.get(policy.found_by or '', 'found')})"


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


@check("policy_updated")
def policy_updated(evidence: SiteEvidence, params: dict[str, Any], context: CheckContext) -> Outcome:
    """The policy prints a last-updated (or effective) date at most ``months`` months before the audit date."""
    found_policy = policy_or_outcome(evidence)
    if isinstance(found_policy, Outcome):
        return found_policy
    policy, page = found_policy
    months = int(params.get("months", 12))
    found = find_policy_date(policy.text, policy.headings)
    if found is None:
        header = f" The server's Last-Modified header says {policy.last_modified}." if policy.last_modified else ""
        return Outcome(
            Status.FAIL,
            f'The privacy policy {_where(policy)} prints no "last updated" or "effective" date, which the '
            f"policy must show.{header}",
            _page_items(page),
        )
    audit = context.audit_date
    table = _date_table(found, audit)
    items = [TextEvidence(label="Date as printed in the policy", text=found.matched_text), table, *_page_items(page)]
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
            f'The privacy policy {_where(policy)} was last updated "{found.matched_text}": {age} days before the '
            f"audit date, within {months} months.",
            items,
        )
    return Outcome(
        Status.FAIL,
        f'The privacy policy {_where(policy)} was last updated "{found.matched_text}": {age} days before the '
        f"audit date {audit.isoformat()}, more than {months} months. The policy must be updated at least once "
        "every 12 months.",
        items,
    )


@lru_cache(maxsize=16)
def policy_contents(text: str) -> dict[str, ContentMatch]:
    """:func:`auditor.policy.find_required_contents`, remembered: several rules read the same policy."""
    return find_required_contents(text)


@check("policy_topic")
def policy_topic(evidence: SiteEvidence, params: dict[str, Any], context: CheckContext) -> Outcome:
    """The policy covers one topic of ``auditor.policy.topics`` (``params.topic``), quoting where it does.

    ``missing_status`` (default ``fail``) is what a policy that never mentions the topic gets; rules whose
    applicability a browser cannot know (the right to limit SPI) set it to ``review``.
    """
    topic = params["topic"]
    if topic not in TOPICS:
        raise ValueError(f"unknown policy topic {topic!r}; known: {', '.join(TOPICS)}")
    found_policy = policy_or_outcome(evidence)
    if isinstance(found_policy, Outcome):
        return found_policy
    policy, page = found_policy
    match = policy_contents(policy.text)[topic]
    title = TOPICS[topic].title.lower()
    phrases = ", ".join(f'"{p}"' for p in match.matched_phrases[:5])
    quote = [TextEvidence(label="Passage quoted from the privacy policy", text=match.passage)] if match.passage else []
    if match.status == "found":
        return Outcome(
            Status.PASS,
            f"The privacy policy covers the {title}: it says {phrases}.",
            [*quote, TextEvidence(label="Policy", text=policy.url)],
        )
    if match.status == "ambiguous":
        return Outcome(
            Status.REVIEW,
            f"The privacy policy comes near the {title} ({phrases}) without clearly naming it. A person must read "
            "the passage and decide whether it describes the topic.",
            [*quote, TextEvidence(label="Policy", text=policy.url)],
        )
    missing = Status(params.get("missing_status", "fail"))
    why = params.get("missing_reason", "")
    return Outcome(
        missing,
        f"The privacy policy at {policy.url} does not mention the {title}." + (f" {why}" if why else ""),
        _page_items(page),
    )
