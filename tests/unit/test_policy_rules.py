"""The privacy-policy rules on saved evidence: the 12-month date rule and the required contents."""

from __future__ import annotations

import datetime as dt

import pytest

from auditor.evidence.notices import PolicyCandidate, PolicyEvidence
from tests.unit.rule_evidence import evidence, judge, policy

FULL_POLICY = """Acme Privacy Policy
Last Updated: March 3, 2026
Categories of Personal Information We Collect
In the past 12 months we collected the following categories of personal information: identifiers, commercial
information, and internet or other electronic network activity information.
Your California Privacy Rights
Right to Know. You have the right to request that we disclose the specific pieces of personal information we collected.
Right to Delete. You have the right to request that we delete personal information we collected from you.
Right to Correct. You have the right to request that we correct inaccurate personal information about you.
Right to Opt Out. You may opt out of the sale or sharing of your personal information using the link in our footer.
Sensitive Personal Information. We use sensitive personal information only for the purposes permitted by law.
Global Privacy Control. We treat a Global Privacy Control signal as a request to opt out of sale and sharing.
Non-Discrimination. We will not discriminate against you for exercising your rights.
How to Submit a Request. Use our online request form or call us toll-free at 1-800-555-0142.
"""
BARE_POLICY = """Acme Privacy Policy
Last Updated: March 3, 2026
We care about your privacy and protect the data we hold. This page explains our commitment to keeping your visit
pleasant, secure and fast, and we review it regularly with our partners.
"""


def _site(text: str, headings: list[str] | None = None):
    return evidence(policy=policy(text, headings))


def _dated(line: str) -> str:
    return FULL_POLICY.replace("Last Updated: March 3, 2026", line)


# --- ccpa.privacy-policy-updated -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("date_line", "audit_date", "expected"),
    [
        ("Last Updated: March 3, 2026", dt.date(2026, 6, 1), "pass"),
        ("Effective 01/05/2026", dt.date(2026, 6, 1), "pass"),  # 01/05 or 05/01: both within 12 months
        ("Revised 5 Jan 2026", dt.date(2027, 1, 5), "pass"),  # the last day of the 12 months
        ("Revised 5 Jan 2026", dt.date(2027, 1, 6), "fail"),  # one day later
        ("Last modified: 2024-11-30", dt.date(2026, 6, 1), "fail"),
        ("Effective 03/04/2021", dt.date(2026, 6, 1), "fail"),  # both readings stale
        ("Last updated: 06/05/2025", dt.date(2026, 6, 1), "review"),  # June 5 within, May 6 not
        ("Last Updated: December 1, 2026", dt.date(2026, 6, 1), "review"),  # after the audit date
        ("Effective as of January 2026", dt.date(2027, 1, 31), "pass"),  # month precision: its last day counts
    ],
)
def test_policy_age_is_judged_in_calendar_months_on_the_audit_date(date_line, audit_date, expected):
    finding = judge("ccpa.privacy-policy-updated", _site(_dated(date_line)), audit_date)
    assert finding.status == expected, finding.message


def test_passing_date_finding_quotes_the_date_as_printed_and_where_it_stood():
    finding = judge("ccpa.privacy-policy-updated", _site(FULL_POLICY))
    texts = [item for item in finding.evidence if item.kind == "text"]
    assert texts[0].text == "Last Updated: March 3, 2026"
    table = next(item for item in finding.evidence if item.kind == "table")
    assert table.rows[0][1] == "2026-03-03" and table.rows[0][2] == "on a line of its own" and table.rows[0][4] == "yes"


def test_date_in_a_heading_counts():
    text = FULL_POLICY.replace("Last Updated: March 3, 2026\n", "Privacy Policy (Updated February 2, 2026)\n")
    finding = judge("ccpa.privacy-policy-updated", _site(text, ["Privacy Policy (Updated February 2, 2026)"]))
    assert finding.status == "pass", finding.message


def test_policy_without_a_date_fails_because_the_date_is_required():
    finding = judge("ccpa.privacy-policy-updated", _site(FULL_POLICY.replace("Last Updated: March 3, 2026\n", "")))
    assert finding.status == "fail" and "prints no" in finding.message


def test_a_year_in_the_body_is_not_taken_for_the_update_date():
    text = FULL_POLICY.replace("Last Updated: March 3, 2026\n", "Founded in 2025, Acme sells rain gear.\n")
    assert judge("ccpa.privacy-policy-updated", _site(text)).status == "fail"


def test_policy_not_found_is_not_assessable_with_the_addresses_tried():
    searched = PolicyEvidence(
        found=False,
        candidates=[PolicyCandidate(url="https://www.example-store.com/privacy", found_by="common_path", status=404)],
    )
    finding = judge("ccpa.privacy-policy-updated", evidence(policy=searched))
    assert finding.status == "not_assessable"
    assert finding.evidence[0].rows[0][:4] == ["https://www.example-store.com/privacy", "common_path", "", 404]


def test_evidence_captured_without_the_policy_gatherer_is_not_assessable():
    assert judge("ccpa.privacy-policy-updated", evidence(policy=None)).status == "not_assessable"


def test_a_policy_page_with_almost_no_text_is_not_assessable():
    assert judge("ccpa.privacy-policy-updated", _site("Privacy Policy\nLoading...")).status == "not_assessable"


def test_the_rule_is_not_applicable_before_it_was_in_force():
    finding = judge("ccpa.privacy-policy-updated", _site(FULL_POLICY), dt.date(2019, 12, 31))
    assert finding.status == "not_applicable" and "2019-12-31" in finding.message


# --- the required contents ----------------------------------------------------------------------------

CONTENT_RULES = {
    "ccpa.policy-right-to-know": "request that we disclose",
    "ccpa.policy-right-to-delete": "request that we delete",
    "ccpa.policy-right-to-correct": "correct inaccurate personal information",
    "ccpa.policy-right-to-opt-out": "opt out of the sale or sharing",
    "ccpa.policy-right-to-limit": "only for the purposes",
    "ccpa.policy-non-discrimination": "not discriminate",
    "ccpa.policy-opt-out-signals": "Global Privacy Control",
    "ccpa.policy-categories": "categories of personal information",
    "ccpa.policy-contact-methods": "toll-free",
}


@pytest.mark.parametrize("rule_id", sorted(CONTENT_RULES))
def test_each_content_rule_passes_on_a_complete_policy_and_quotes_the_passage(rule_id):
    finding = judge(rule_id, _site(FULL_POLICY))
    assert finding.status == "pass", finding.message
    quote = finding.evidence[0]
    assert quote.kind == "text" and CONTENT_RULES[rule_id].lower() in quote.text.lower()


@pytest.mark.parametrize("rule_id", sorted(CONTENT_RULES))
def test_each_content_rule_does_not_pass_a_policy_that_never_mentions_it(rule_id):
    finding = judge(rule_id, _site(BARE_POLICY))
    # The right to limit applies only to some businesses, which a browser cannot tell: review, never fail.
    expected = "review" if rule_id == "ccpa.policy-right-to-limit" else "fail"
    assert finding.status == expected, finding.message


def test_vague_wording_goes_to_review_with_the_passage():
    text = BARE_POLICY + "You may have certain rights regarding your personal information under state law.\n"
    finding = judge("ccpa.policy-right-to-delete", _site(text))
    assert finding.status == "review"
    assert "certain rights" in finding.evidence[0].text


def test_we_do_not_sell_alone_is_reviewed_not_passed():
    finding = judge("ccpa.policy-right-to-opt-out", _site(BARE_POLICY + "We do not sell your personal information.\n"))
    assert finding.status == "review"


def test_right_to_correct_is_not_applicable_before_the_cpra():
    assert judge("ccpa.policy-right-to-correct", _site(BARE_POLICY), dt.date(2022, 12, 31)).status == "not_applicable"
    assert judge("ccpa.policy-right-to-correct", _site(BARE_POLICY), dt.date(2023, 1, 1)).status == "fail"
