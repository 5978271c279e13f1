"""Consent managers no rule set knows (issue #14), one audit run over three small fixture sites:

- www.hashlink-gardens.com: a home-made manager injected 4 s after load, no banner; the footer opt-out link is
  ``href="#"`` and does nothing until then; its dialog asks Yes / No per category (radio groups); with GPC on the
  status line lives in an open shadow root in the footer.
- www.iconbutton-bakehouse.com: no banner, only a floating cookie button whose panel has "Deny all cookies" and
  Allow / Deny button pairs (aria-pressed) per service; the opt-out link leads to a page with an explanation, an
  "Open cookie settings" button and an e-mail request form; with GPC on the status is shown only in the panel.
- www.verifyfirst-hardware.com: the opt-out link leads to a request portal on another host that demands a
  government ID before any request; the privacy policy lives on that host too.
"""

from __future__ import annotations

import pytest

from tests.integration.consent_runs import audit_sites

pytestmark = pytest.mark.browser

EXPECTED = {
    "www.hashlink-gardens.com": {
        "ccpa.dns-link-target": "pass",
        "ccpa.optout-toggle": "pass",
        "ccpa.optout-effective": "pass",
        "ccpa.optout-no-verification": "pass",
        "ccpa.choice-symmetry": "not_applicable",
        "ccpa.gpc-status-display": "pass",
    },
    "www.iconbutton-bakehouse.com": {
        "ccpa.dns-link-target": "pass",
        "ccpa.optout-toggle": "pass",
        "ccpa.optout-effective": "pass",
        "ccpa.choice-symmetry": "not_applicable",
        "ccpa.gpc-status-display": "pass",
    },
    "www.verifyfirst-hardware.com": {
        "ccpa.dns-link-target": "fail",
        "ccpa.optout-no-verification": "fail",
    },
}


@pytest.fixture(scope="module")
def run(site_server, tmp_path_factory):
    return audit_sites(list(EXPECTED), site_server.port, tmp_path_factory.mktemp("consent-unknown"))


@pytest.mark.parametrize(
    ("site", "rule", "expected"), [(s, r, status) for s, rules in EXPECTED.items() for r, status in rules.items()]
)
def test_each_rule_gives_the_verdict_a_person_would(run, site, rule, expected):
    finding = run.finding(site, rule)
    assert finding["status"] == expected, finding["message"]


def test_managers_nothing_identifies_are_left_unnamed(run):
    for site in EXPECTED:
        assert run.report(site)["cmp"]["name"] is None, site


def test_a_late_manager_is_waited_for_and_its_radio_groups_are_controls_not_form_fields(run):
    site = "www.hashlink-gardens.com"
    consent = run.consent(site)
    assert consent["dns_target"]["outcome"] == "dialog", "the href=# link opened the dialog once the manager loaded"
    radios = {t["label"]: t for t in consent["flow"]["toggles_before"] if t["kind"] == "radio"}
    advertising = radios["Sale or sharing of personal information for targeted advertising"]
    assert advertising["options"] == ["Yes", "No"] and advertising["governs"]
    after = {t["label"]: t["state"] for t in consent["flow"]["toggles_after_reload"]}
    assert after["Sale or sharing of personal information for targeted advertising"] == "off"
    assert "hl_choices" in consent["flow"]["storage_after_reload"]["local_storage"]


def test_the_status_is_found_where_it_lives_and_says_where(run):
    shadow = run.finding("www.hashlink-gardens.com", "ccpa.gpc-status-display")
    assert "shadow root" in shadow["message"]
    panel = run.finding("www.iconbutton-bakehouse.com", "ccpa.gpc-status-display")
    assert 'the preference center (opened by "Open cookie settings"' in panel["message"]


def test_button_pairs_are_named_by_their_group_or_their_row_and_switched(run):
    flow = run.consent("www.iconbutton-bakehouse.com")["flow"]
    pairs = {t["label"]: t for t in flow["toggles_before"] if t["kind"] == "button_pair"}
    assert set(pairs) == {"Site statistics", "Ad partners (Targeted advertising and sharing with ad partners)"}
    assert pairs["Ad partners (Targeted advertising and sharing with ad partners)"]["governs"] == ["targeting"]
    after = {t["label"]: t["state"] for t in flow["toggles_after_reload"]}
    assert after["Ad partners (Targeted advertising and sharing with ad partners)"] == "off"


def test_a_verification_portal_off_site_is_looked_at_once_and_not_passed(run):
    target = run.consent("www.verifyfirst-hardware.com")["dns_target"]
    assert target["off_site"] is True
    assert target["url"] == "http://requests.verifyfirst-privacy.net/opt-out.html"
    assert "verify" in run.finding("www.verifyfirst-hardware.com", "ccpa.dns-link-target")["message"]


def test_a_policy_on_another_site_is_read_marked_off_site_and_not_crawled_from(run):
    baseline = run.profile("www.verifyfirst-hardware.com", "baseline")
    policy = baseline["policy"]
    assert policy["found"] is True
    kept = next(c for c in policy["candidates"] if c["looks_like_policy"])
    assert (kept["url"], kept["off_site"]) == ("http://requests.verifyfirst-privacy.net/privacy-policy.html", True)
    loaded = [url for page in baseline["pages"].values() for url in (page["requested_url"], page["final_url"])]
    assert not any("more-policies" in url for url in loaded)
