"""The privacy policy as the baseline visit found it, or why it cannot be judged (shared by the policy checks)."""

from __future__ import annotations

from functools import lru_cache

from auditor.checks.registry import Outcome
from auditor.evidence import PageCapture, SiteEvidence
from auditor.evidence.notices import PolicyEvidence
from auditor.findings import ImageEvidence, ScreenshotRef, Status, TableEvidence
from auditor.policy import ContentMatch, find_required_contents

PAGE_KEY = "privacy_policy"
# What the policy checks read: the policy search's record (required) and the policy page (for its screenshot).
REQUIRES = ["baseline.policy"]
OPTIONAL = [f"baseline.pages.{PAGE_KEY}"]


def readable_policy(evidence: SiteEvidence) -> tuple[PolicyEvidence, PageCapture | None] | Outcome:
    """The policy the baseline visit read, or the outcome saying why there is none to judge (not found, no text)."""
    capture = evidence.profiles["baseline"]
    policy = capture.policy
    assert policy is not None  # required: the engine said not_assessable when the policy search did not run
    page = capture.pages.get(PAGE_KEY)
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
            page_items(page),
        )
    return policy, page


def _candidates_table(policy: PolicyEvidence) -> TableEvidence:
    rows = [[c.url, c.found_by, c.link_text, c.status, c.error or ""] for c in policy.candidates]
    return TableEvidence(
        label="Addresses tried for the privacy policy",
        columns=["url", "found by", "link text", "HTTP", "problem"],
        rows=rows,
    )


def page_items(page: PageCapture | None) -> list:
    if page is None or page.viewport_screenshot is None:
        return []
    return [
        ImageEvidence(label="Privacy policy page", screenshot=ScreenshotRef(**page.viewport_screenshot.model_dump()))
    ]


def where_found(policy: PolicyEvidence) -> str:
    """Where the policy was found, in parentheses: its URL and how the auditor reached it."""
    how = {
        "link_text": f'linked from the homepage as "{policy.link_text}"',
        "link_href": "linked from the homepage",
        "common_path": "found at a usual address, not linked from the homepage",
    }
    return f"({policy.url}, {how.get(policy.found_by or '', 'found')})"


@lru_cache(maxsize=16)
def policy_contents(text: str) -> dict[str, ContentMatch]:
    """:func:`auditor.policy.find_required_contents`, remembered: several rules read the same policy."""
    return find_required_contents(text)
