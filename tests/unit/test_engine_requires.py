"""The engine, not the check, decides that a rule cannot be judged: each reason in its own words."""

from __future__ import annotations

import textwrap

import pytest

from auditor.engine import default_context, evaluate_rule
from auditor.evidence import CaptureFailure, PageCapture
from auditor.evidence.consent import ConsentEvidence, OptOutFlow
from auditor.evidence.notices import PolicyEvidence
from auditor.rulepacks import load_pack
from tests.unit.rule_evidence import BARE, evidence, footer_links, judge, link, page, policy

DNS = "Do Not Sell or Share My Personal Information"


def _site(**more):
    return evidence(page(footer_links(link(DNS))), policy=policy(BARE), **more)


def test_a_missing_leaf_is_data_not_missing_evidence():
    # The optout visit ran its flow but the page had no opt-out link: dns_target is null, and the check says so.
    site = _site(optout_consent=ConsentEvidence(flow=OptOutFlow(entry="none")))
    finding = judge("ccpa.dns-link-target", site)
    assert finding.status == "not_applicable" and "No opt-out link was found" in finding.message


def test_a_visit_not_requested_is_named():
    site = _site()
    del site.profiles["gpc"]
    site.interrupted = "the gpc, optout visits were not requested (--profiles)"
    finding = judge("ccpa.gpc-honored", site)
    assert finding.status == "not_assessable"
    assert finding.message == "The gpc visit was not captured: the gpc, optout visits were not requested (--profiles)"
    assert judge("ccpa.dns-link", site).status == "pass"  # what needs only the baseline visit is still judged


def test_the_opt_out_rules_need_the_optout_visit_not_the_baseline_copy():
    # Before requires was enforced these rules read the baseline visit's (always empty) opt-out target and guessed.
    for rule in ("ccpa.optout-not-cookie-only", "ccpa.optout-no-verification", "ccpa.clear-choice-language"):
        finding = judge(rule, _site())
        assert finding.status == "not_assessable" and finding.message == "The optout visit was not captured.", rule


def test_a_failed_capture_step_is_the_reason():
    site = _site()
    site.profiles["baseline"].policy = PolicyEvidence(found=False)
    site.profiles["baseline"].failures = [CaptureFailure(step="policy", kind="timeout", message="timed out after 15 s")]
    finding = judge("ccpa.privacy-policy-updated", site)
    assert finding.status == "not_assessable"
    assert finding.message == (
        "In the baseline visit, the search for the privacy policy did not finish (it ran out of time): "
        "timed out after 15 s"
    )
    # Rules that do not need the policy are judged as before; one that reads it only when there still runs.
    assert judge("ccpa.dns-link", site).status == "pass"
    assert judge("ccpa.notice-at-collection", site).status == "fail"  # no notice and no policy link, ad trackers


def test_a_step_that_did_not_run_is_not_taken_for_an_empty_page():
    site = _site(choice_links=None)
    site.profiles["baseline"].homepage.links.append(link("Your Privacy Choices"))
    finding = judge("ccpa.alternative-link-icon", site)
    assert finding.status == "not_assessable"
    assert "no record of reading the opt-out links and the icons beside them" in finding.message


@pytest.mark.parametrize(
    ("homepage", "reason"),
    [
        ({"error": "the server refused the connection"}, "The homepage could not be loaded (baseline visit)"),
        ({"bot_wall": "page title 'Just a moment...'"}, "bot check"),
        ({"status": 503}, "The homepage answered HTTP 503 (baseline visit)."),
        ({"final_url": "https://www.other-site.com/"}, "redirected to another site"),
        ({"incomplete": "its load event never fired"}, "not fully captured"),
    ],
)
def test_an_unusable_homepage_is_the_reason(homepage, reason):
    fields = {"requested_url": "https://www.example-store.com/", "final_url": "https://www.example-store.com/"}
    site = evidence(PageCapture(**{**fields, "status": 200, **homepage}))
    finding = judge("ccpa.privacy-policy-link", site)
    assert finding.status == "not_assessable" and reason in finding.message


def test_a_site_that_could_not_be_audited_says_so_for_every_rule():
    site = _site()
    site.failure = "the host name could not be resolved"
    finding = judge("ccpa.dns-link", site)
    assert (finding.status, finding.message) == (
        "not_assessable",
        "The site could not be audited: the host name could not be resolved",
    )


def test_a_part_above_the_required_field_that_is_missing_is_named(tmp_path):
    path = tmp_path / "team.yaml"
    path.write_text(
        textwrap.dedent(
            """\
            pack: team
            version: '1'
            rules:
              - id: team.dialog
                title: The opt-out dialog
                severity: low
                jurisdictions: [ca]
                citations: [{text: Team standard}]
                check: homepage_link
                params: {phrases: [cookie settings]}
                requires: [optout.consent.dns_target.dialog]
            """
        ),
        encoding="utf-8",
    )
    rule = load_pack(path).rules[0]
    site = _site(optout_consent=ConsentEvidence(flow=OptOutFlow(entry="none")))
    finding = evaluate_rule(rule, site, default_context())
    assert finding.status == "not_assessable"
    assert finding.message == (
        "The optout visit recorded no consent.dns_target, which this rule needs (optout.consent.dns_target.dialog)."
    )
