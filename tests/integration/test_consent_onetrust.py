"""OneTrust-style fixture sites (our own re-implementation of the SDK's markup and cookie, cmps.md section 4):

- www.pacificherald-news.com: switching "Sale of Personal Data" and "Targeting Cookies" off writes ``:0`` for
  those groups in OptanonConsent and stops the ad tags; banner with Accept / Reject / Settings.
- www.goldcoast-outfitters.com: "Confirm My Choices" stores nothing; the banner's button ids lie (the settings
  button carries the reject id); no "Reject All" anywhere (the Honda pattern).
- www.darkfilter-gazette.com: a dark filter covers the page while the banner is open and intercepts the click
  on the footer link.
"""

from __future__ import annotations

import pytest

from auditor.signals import decode_optanon_consent
from tests.integration.consent_runs import CONSENT_RULES, audit_sites, evidence_labels

pytestmark = pytest.mark.browser

EXPECTED = {
    "www.pacificherald-news.com": dict.fromkeys(CONSENT_RULES, "pass"),
    "www.goldcoast-outfitters.com": {
        "ccpa.dns-link-target": "pass",
        "ccpa.optout-toggle": "pass",
        "ccpa.optout-effective": "fail",
        "ccpa.choice-symmetry": "fail",
    },
    "www.darkfilter-gazette.com": dict.fromkeys(CONSENT_RULES, "pass"),
}


@pytest.fixture(scope="module")
def run(site_server, tmp_path_factory):
    return audit_sites(list(EXPECTED), site_server.port, tmp_path_factory.mktemp("consent-onetrust"))


@pytest.mark.parametrize(
    ("site", "rule", "expected"), [(s, r, status) for s, rules in EXPECTED.items() for r, status in rules.items()]
)
def test_each_rule_gives_the_expected_status(run, site, rule, expected):
    finding = run.finding(site, rule)
    assert finding["status"] == expected, finding["message"]


@pytest.mark.parametrize("site", list(EXPECTED))
def test_the_report_names_onetrust_and_how_it_was_detected(run, site):
    cmp = run.report(site)["cmp"]
    assert cmp["name"] == "OneTrust"
    assert cmp["confidence"] == "high"
    assert "autoconsent rule Onetrust" in cmp["detected_by"]
    assert "cookie OptanonConsent" in cmp["detected_by"]


def test_switching_the_sale_toggle_off_writes_zero_for_its_group_and_it_survives_the_reload(run):
    flow = run.consent("www.pacificherald-news.com")["flow"]
    before = decode_optanon_consent(flow["storage_before"]["cookies"]["OptanonConsent"]).groups
    after = decode_optanon_consent(flow["storage_after_reload"]["cookies"]["OptanonConsent"]).groups
    assert before["SPD_BG"] is True and before["C0004"] is True
    assert after["SPD_BG"] is False and after["C0004"] is False
    assert after["C0002"] is True, "performance cookies were not touched"
    governing = {t["label"]: t["governs"] for t in flow["toggles_before"] if t["governs"]}
    assert governing == {"Sale of Personal Data": ["sale"], "Targeting Cookies": ["targeting"]}
    assert {t["label"]: t["state"] for t in flow["toggles_after_reload"]}["Sale of Personal Data"] == "off"


def test_ad_requests_stop_after_the_opt_out(run):
    profile = run.profile("www.pacificherald-news.com")
    hosts_before = {r["host"] for r in profile["homepage"]["requests"]}
    hosts_after = {r["host"] for r in profile["pages"]["after_optout"]["requests"]}
    assert {"securepubads.g.doubleclick.net", "static.criteo.net"} <= hosts_before
    assert not {"securepubads.g.doubleclick.net", "static.criteo.net"} & hosts_after
    diff = next(
        e
        for e in run.finding("www.pacificherald-news.com", "ccpa.optout-effective")["evidence"]
        if e["label"].startswith("Advertising requests")
    )
    assert all(row[3] == 0 for row in diff["rows"])


def test_the_step_log_records_each_click_toggle_and_wait_with_times(run):
    steps = run.consent("www.pacificherald-news.com")["flow"]["steps"]
    actions = [s["action"] for s in steps]
    assert actions.count("toggle") == 2
    assert "reload" in actions and "wait" in actions
    assert any(s["target"].startswith('save button "Confirm My Choices"') for s in steps)
    times = [s["t_ms"] for s in steps]
    assert times == sorted(times)


def test_findings_carry_screenshots_toggle_table_and_step_log(run):
    site = "www.pacificherald-news.com"
    labels = evidence_labels(run.finding(site, "ccpa.optout-effective"))
    for label in (
        "Banner as first shown (opt-out visit)",
        "Preference center as opened",
        "Preference center after switching",
        "Opened again after the reload",
        "Controls before and after the opt-out",
        "Stored consent (OneTrust OptanonConsent groups)",
    ):
        assert label in labels
    assert any(label.startswith("Step log") for label in labels)
    for item in run.finding(site, "ccpa.optout-effective")["evidence"]:
        if item["kind"] == "image":
            assert (run.out / site / item["screenshot"]["path"]).is_file()
    html = (run.out / site / "report.html").read_text(encoding="utf-8")
    assert "evidence/optout/preference-center.png" in html and "Step log of the opt-out" in html


def test_buttons_are_classified_by_text_not_by_their_lying_ids(run):
    banner = run.consent("www.goldcoast-outfitters.com")["banner"]
    by_text = {b["text"]: (b["kind"], b["element_id"]) for b in banner["buttons"]}
    assert by_text["Cookie Preferences"] == ("settings", "onetrust-reject-all-handler")
    assert by_text["Accept Cookies"] == ("accept", "onetrust-pc-btn-handler")
    message = run.finding("www.goldcoast-outfitters.com", "ccpa.choice-symmetry")["message"]
    assert "no equally easy way to decline" in message
    assert "opting out takes 3 steps" in message and "opting in takes 2" in message


def test_a_toggle_that_saves_nothing_fails_with_the_stored_groups_and_the_request_diff(run):
    finding = run.finding("www.goldcoast-outfitters.com", "ccpa.optout-effective")
    assert "still stores consent" in finding["message"]
    assert "advertising requests continue" in finding["message"]
    stored = next(e for e in finding["evidence"] if e["label"].startswith("Stored consent"))
    assert stored["rows"][0][-1] == "on"


def test_the_dark_filter_is_clicked_through_and_the_log_says_how(run):
    consent = run.consent("www.darkfilter-gazette.com")
    assert consent["banner"]["page_blocked"] is True
    assert "onetrust-pc-dark-filter" in consent["banner"]["blocking_layer"]
    first_click = next(s for s in consent["flow"]["steps"] if s["user_step"])
    assert first_click["action"] == "js_click"
    assert "onetrust-pc-dark-filter" in first_click["detail"] and "element.click()" in first_click["detail"]
    assert consent["dns_target"]["outcome"] == "dialog"


def test_baseline_and_gpc_visits_stay_untouched(run):
    for profile in ("baseline", "gpc"):
        consent = run.consent("www.pacificherald-news.com", profile)
        assert consent["flow"] is None and consent["banner"] is not None
        cookies = {c["name"] for c in run.profile("www.pacificherald-news.com", profile)["homepage"]["cookies"]}
        assert "OptanonAlertBoxClosed" not in cookies
