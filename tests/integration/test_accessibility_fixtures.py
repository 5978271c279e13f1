"""ccpa.notices-accessible end to end: real Chromium, the pinned axe-core and the keyboard walk on fixture notices
with known faults, each giving its expected verdict; the run stays on the fixture hosts, and ``auditor check``
judges the saved results the same without a browser. The fixtures share their stylesheet and script from a
third-party host (as sites load a consent kit from a CDN), so the host log also shows a third party reached only
through ``--map-host``. One audit of all six sites serves the whole module."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import run_cli

pytestmark = pytest.mark.browser
RULE = "ccpa.notices-accessible"
KIT = "static.noticekit-cdn.com"  # the fixtures' shared stylesheet and script
EXPECTED = {
    "www.clearview-grocers.com": "pass",  # named buttons, labelled toggles, contrast, all by keyboard
    "www.iconbutton-outlet.com": "fail",  # the banner's reject button is an icon with no accessible name
    "www.unlabeled-toggles.com": "fail",  # an opt-out toggle with no label
    "www.faintlink-hardware.com": "fail",  # pale opt-out link text
    "www.focustrap-travel.com": "fail",  # the banner keeps the keyboard focus
    "www.spanlink-furniture.com": "fail",  # the preference center's opener is not in the tab order
}


@pytest.fixture(scope="module")
def run(site_server, tmp_path_factory):
    out = tmp_path_factory.mktemp("a11y") / "out"
    seen_before = len(site_server.log)
    result = run_cli(
        ["audit", *(f"http://{host}/" for host in EXPECTED), "--out", str(out), "--profiles", "baseline",
         "--concurrency", "2", "--no-history", "--map-host", f"*=127.0.0.1:{site_server.port}"],
        timeout=600,
    )  # fmt: skip
    hosts = {host for host, _, _ in site_server.log[seen_before:]}
    return result, out, hosts


def finding(out, host: str) -> dict:
    report = json.loads((out / host / "report.json").read_text(encoding="utf-8"))
    return next(f for f in report["findings"] if f["rule"] == RULE)


def accessibility(out, host: str) -> dict:
    evidence = json.loads((out / host / "evidence" / "evidence.json").read_text(encoding="utf-8"))
    return evidence["profiles"]["baseline"]["accessibility"]


def notice(out, host: str, kind: str) -> dict:
    return next(n for n in accessibility(out, host)["notices"] if n["notice"] == kind)


def test_each_fixture_gives_its_expected_verdict(run):
    result, out, _ = run
    assert result.returncode in (0, 1), result.stderr
    got = {host: finding(out, host)["status"] for host in EXPECTED}
    assert got == EXPECTED, {host: finding(out, host)["message"] for host in EXPECTED}


def test_the_run_stays_on_the_fixture_hosts(run):
    _, _, hosts = run
    assert hosts == {*EXPECTED, KIT}


def test_clean_notices_are_scanned_and_the_opt_out_works_by_keyboard(run):
    _, out, _ = run
    host = "www.clearview-grocers.com"
    found = accessibility(out, host)
    assert found["axe_version"] == "4.12.1" and found["wcag_tags"] == ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
    outcomes = {n["notice"]: n["outcome"] for n in found["notices"]}
    assert outcomes == {
        "policy": "scanned",
        "banner": "scanned",
        "footer": "scanned",
        "optout": "scanned",
        "preference_center": "same_as_optout",
    }
    assert notice(out, host, "optout")["opened_by"] == "keyboard"
    walk = found["keyboard"]
    assert (walk["entry"], walk["entry_reached"], walk["opened"]) == ("dns_link", True, True)
    assert (walk["toggles_total"], walk["toggles_reached"], walk["toggles_switched"], walk["save_reached"]) == (
        2,
        2,
        2,
        True,
    )
    assert [s["key"] for s in walk["steps"]] == ["Tab", "Enter", "Tab", "Space", "Tab", "Space", "Tab"]
    assert found["optout_link"]["link"]["contrast_ratio"] >= 4.5
    # nothing was saved: the walk switched every toggle back
    cookies = json.loads((out / host / "evidence" / "evidence.json").read_text())["profiles"]["baseline"]
    assert not any(c["name"] == "optout" for c in cookies["homepage"]["cookies"])
    assert found["duration_ms"] > 0


def test_an_unnamed_banner_button_fails_with_its_axe_rule_and_a_crop(run):
    _, out, _ = run
    host = "www.iconbutton-outlet.com"
    banner = notice(out, host, "banner")
    violation = next(v for v in banner["violations"] if v["rule_id"] == "button-name")
    assert violation["impact"] == "critical" and "4.1.2" in violation["wcag"]
    node = violation["nodes"][0]
    assert node["selector"] == "#reject" and node["screenshot"] is not None
    assert (out / host / node["screenshot"]["path"]).is_file()
    result = finding(out, host)
    images = [e for e in result["evidence"] if e["kind"] == "image"]
    assert images and "button-name" in images[0]["label"]


def test_an_unlabelled_toggle_in_the_opt_out_dialog_fails(run):
    _, out, _ = run
    optout = notice(out, "www.unlabeled-toggles.com", "optout")
    labels = [v for v in optout["violations"] if v["rule_id"] == "label"]
    assert labels and labels[0]["impact"] == "critical" and labels[0]["nodes"][0]["selector"] == "#t-share"


def test_pale_opt_out_link_text_fails_on_contrast_beside_its_footer_neighbours(run):
    _, out, _ = run
    host = "www.faintlink-hardware.com"
    measured = accessibility(out, host)["optout_link"]
    assert measured["link"]["contrast_ratio"] < 2 and all(p["contrast_ratio"] > 4.5 for p in measured["peers"])
    footer = notice(out, host, "footer")
    assert [v["rule_id"] for v in footer["violations"]] == ["color-contrast"]
    assert "below the 4.5:1 WCAG 1.4.3 requires" in finding(out, host)["message"]


def test_a_banner_that_keeps_the_focus_fails_as_a_keyboard_trap(run):
    _, out, _ = run
    host = "www.focustrap-travel.com"
    walk = accessibility(out, host)["keyboard"]
    assert walk["trapped_in"] == "the consent banner" and walk["entry_reached"] is False
    assert [s["key"] for s in walk["steps"][:2]] == ["Tab", "Escape"] and not walk["steps"][1]["ok"]
    assert "opened by a pointer click (Tab did not reach it)" in notice(out, host, "optout")["reason"]
    assert "2.1.2" in finding(out, host)["message"]


def test_a_preference_center_the_keyboard_cannot_open_fails_while_a_click_opens_it(run):
    _, out, _ = run
    host = "www.spanlink-furniture.com"
    walk = accessibility(out, host)["keyboard"]
    assert (walk["entry"], walk["entry_reached"], walk["opened_by_pointer"]) == ("banner_settings", False, True)
    opened = notice(out, host, "preference_center")
    assert opened["opened_by"] == "pointer" and "(Tab did not reach it)" in opened["reason"]
    assert "not in the page's tab order" in finding(out, host)["message"]


# `auditor check` with every new process refused (Python audit hooks): no Playwright driver, no browser.
WITHOUT_PROCESSES = """
import sys
def refuse(event, args):
    if event in ("subprocess.Popen", "os.posix_spawn", "os.exec", "os.fork", "os.spawn", "os.system"):
        raise RuntimeError(f"auditor check started a process ({event})")
sys.addaudithook(refuse)
from auditor.cli import main
main(sys.argv[1:])
"""


def test_auditor_check_judges_the_saved_results_the_same_without_a_browser(run):
    _, out, _ = run
    before = {host: finding(out, host) for host in EXPECTED}
    result = subprocess.run(
        [sys.executable, "-c", WITHOUT_PROCESSES, "check", str(out)], capture_output=True, text=True, timeout=300
    )
    assert result.returncode in (0, 1), result.stderr
    assert {host: finding(out, host) for host in EXPECTED} == before
