"""Rules on what the visit with GPC on showed beyond the visit without it: CA-G2, CA-G3, CA-G5."""

from __future__ import annotations

from tests.unit.rule_evidence import BARE, evidence, footer_links, judge, link, page, policy

HOME = "Example Store\nNew arrivals\nFree shipping over $50"
DNS = "Do Not Sell or Share My Personal Information"
GPC_POLICY = BARE + "We honor the Global Privacy Control as a request to opt out of sale and sharing.\n"


def _site(gpc_text: str, links=None, policy_text: str | None = GPC_POLICY):
    links = links if links is not None else footer_links(link(DNS))
    return evidence(
        page(links, text=HOME),
        gpc_homepage=page(links, text=gpc_text),
        policy=policy(policy_text) if policy_text else None,
    )


# --- ccpa.gpc-no-extra-info (CA-G2) --------------------------------------------------------------------


def test_same_page_with_and_without_gpc_passes():
    assert judge("ccpa.gpc-no-extra-info", _site(HOME)).status == "pass"


def test_gpc_only_prompt_asking_for_email_goes_to_review_with_the_text():
    finding = judge("ccpa.gpc-no-extra-info", _site(HOME + "\nConfirm your opt-out: enter your email address"))
    assert finding.status == "review"
    assert finding.evidence[0].rows == [["Confirm your opt-out: enter your email address"]]


def test_gpc_status_badge_is_not_a_request_for_information():
    finding = judge("ccpa.gpc-no-extra-info", _site(HOME + "\nOpt-Out Preference Signal Honored"))
    assert finding.status == "pass"


# --- ccpa.gpc-conflict-prompt (CA-G3) ------------------------------------------------------------------


def test_conflict_prompt_goes_to_review_and_no_prompt_is_not_applicable():
    prompt = HOME + "\nYour browser's privacy signal conflicts with your rewards settings. Do you want to keep them?"
    assert judge("ccpa.gpc-conflict-prompt", _site(prompt)).status == "review"
    assert judge("ccpa.gpc-conflict-prompt", _site(HOME)).status == "not_applicable"


# --- ccpa.frictionless-optout (CA-G5) ------------------------------------------------------------------


def test_without_link_silent_gpc_and_a_policy_describing_it_passes():
    assert judge("ccpa.frictionless-optout", _site(HOME, links=footer_links())).status == "pass"


def test_without_link_a_policy_silent_on_signals_fails():
    finding = judge("ccpa.frictionless-optout", _site(HOME, links=footer_links(), policy_text=BARE))
    assert finding.status == "fail"


def test_without_link_a_gpc_interstitial_goes_to_review():
    finding = judge("ccpa.frictionless-optout", _site(HOME + "\nWe noticed your privacy signal!", links=footer_links()))
    assert finding.status == "review"


def test_with_the_link_posted_frictionless_processing_is_not_required():
    assert judge("ccpa.frictionless-optout", _site(HOME)).status == "not_applicable"
