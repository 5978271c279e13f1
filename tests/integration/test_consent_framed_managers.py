"""A consent manager whose message and privacy manager are cross-origin frames (issue #14, Sourcepoint-style).

www.framedchoice-outfitters.com loads a manager from cdn.framedchoice-cmp.net (another site): its message is a frame
in a fixed container at the bottom of the page ("Accept All", "Privacy Settings"), the footer's "Do Not Sell or
Share" link (``href="#"``) opens its privacy manager as a frame in a modal, and the privacy manager's choices are
``<select>`` controls (Allowed / Not allowed) saved with "Save & Exit". The frames post the choice back to the page,
which keeps it in a first-party cookie and the US Privacy string. With GPC on, the privacy manager says the signal
was honored and shows the sale choice as "Not allowed".

Two variants of the same manager: www.closedframe-outfitters.com draws its privacy manager in a closed shadow root
(a visitor uses it, the auditor can read nothing in the frame: ``review``, never ``fail``), and
www.brokenframe-outfitters.com opens a privacy manager whose page is gone (the frame says "Not found": proof).
"""

from __future__ import annotations

import pytest

from tests.integration.consent_runs import audit_sites

pytestmark = pytest.mark.browser

SITE = "www.framedchoice-outfitters.com"
EXPECTED = {
    "ccpa.dns-link-target": "pass",
    "ccpa.optout-toggle": "pass",
    "ccpa.optout-effective": "pass",
    "ccpa.gpc-honored": "pass",
    "ccpa.gpc-status-display": "pass",
    # the message accepts in one click and offers no equally easy way to decline
    "ccpa.choice-symmetry": "fail",
}


UNREADABLE = "www.closedframe-outfitters.com"
BROKEN = "www.brokenframe-outfitters.com"
VARIANTS = {
    UNREADABLE: {
        "ccpa.dns-link-target": "review",
        "ccpa.optout-toggle": "review",
        "ccpa.optout-effective": "review",
        "ccpa.gpc-status-display": "review",
    },
    BROKEN: {
        "ccpa.dns-link-target": "fail",
        "ccpa.optout-toggle": "review",
        "ccpa.optout-effective": "review",
    },
}


@pytest.fixture(scope="module")
def run(site_server, tmp_path_factory):
    return audit_sites([SITE, *VARIANTS], site_server.port, tmp_path_factory.mktemp("consent-framed"))


@pytest.mark.parametrize(("rule", "expected"), list(EXPECTED.items()))
def test_each_rule_gives_the_verdict_a_person_would(run, rule, expected):
    finding = run.finding(SITE, rule)
    assert finding["status"] == expected, finding["message"]


def test_the_message_frame_is_read_as_the_banner(run):
    banner = run.consent(SITE)["banner"]
    assert banner["frame_url"] == "http://cdn.framedchoice-cmp.net/message.html"
    assert banner["position"] == "bottom" and banner["css_position"] == "fixed"
    assert {(b["text"], b["kind"]) for b in banner["buttons"]} == {
        ("Accept All", "accept"),
        ("Privacy Settings", "settings"),
    }


def test_the_opt_in_is_taken_in_the_message_frame_and_its_closing_is_seen(run):
    opt_in = run.consent(SITE)["flow"]["opt_in"]
    assert opt_in["taken"] and "fc_ccpa" in opt_in["detail"]
    closed = [s for s in opt_in["steps"] if s["target"] == "banner to close"]
    assert [s["detail"] for s in closed] == ["its frame was removed from the page"]


def test_the_select_in_the_cross_origin_privacy_manager_is_switched_saved_and_kept(run):
    consent = run.consent(SITE)
    assert consent["dns_target"]["outcome"] == "dialog"
    assert consent["preference_center"]["frame_url"].startswith("http://cdn.framedchoice-cmp.net/pm.html")
    flow = consent["flow"]
    sale = "Sale or sharing of my personal information"
    before = {t["label"]: t for t in flow["toggles_before"]}
    assert before[sale]["kind"] == "select" and before[sale]["options"] == ["Allowed", "Not allowed"]
    assert before[sale]["state"] == "on" and before[sale]["optout_state"] == "off"
    assert before["Analytics and measurement"]["governs"] == []  # measurement is not sale, sharing or targeting
    assert flow["switched"] == [sale] and flow["saved_with"] == "Save & Exit"
    assert {t["label"]: t["state"] for t in flow["toggles_after_reload"]}[sale] == "off"
    assert flow["storage_after_reload"]["cookies"]["fc_ccpa"] == "analytics%3D1%26sale%3D0"  # kept URL-encoded


def test_the_status_is_found_in_the_framed_privacy_manager(run):
    finding = run.finding(SITE, "ccpa.gpc-status-display")
    assert "in a frame from http://cdn.framedchoice-cmp.net/pm.html" in finding["message"]


@pytest.mark.parametrize(
    ("site", "rule", "expected"), [(s, r, status) for s, rules in VARIANTS.items() for r, status in rules.items()]
)
def test_a_frame_the_auditor_cannot_read_is_reviewed_and_a_missing_one_fails(run, site, rule, expected):
    finding = run.finding(site, rule)
    assert finding["status"] == expected, finding["message"]


def test_the_unreadable_frame_is_named_with_the_reason_and_photographed_whole(run):
    finding = run.finding(UNREADABLE, "ccpa.dns-link-target")
    assert "a frame in which the auditor could read no text, control or button" in finding["message"]
    dialog = run.consent(UNREADABLE)["dns_target"]["dialog"]
    assert dialog["box"]["height"] > 400  # the frame as the visitor sees it (460 px), not its document's body
    status = run.finding(UNREADABLE, "ccpa.gpc-status-display")
    assert "the preference center is a frame from http://cdn.framedchoice-cmp.net/pm-closed.html" in status["message"]
