"""End to end: ``auditor audit`` on the GPC fixture sites; each gets the right GPC statuses and shows why.

One run audits all ten sites at once (``--concurrency 10``: the visits mostly wait on timers, not on the CPU;
generous time budgets keep a busy machine from cutting a visit short). The GPP
sites use the IAB reference CMP API from npm, copied into a temporary site root (see ``gpc_sites``).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.integration.gpc_sites import FIXTURES, serving

pytestmark = pytest.mark.browser

HONORED, DISPLAY, WELL_KNOWN = "ccpa.gpc-honored", "ccpa.gpc-status-display", "gpc.well-known"
EXPECTED = {
    "www.pinecrest-outdoor-news.com": {HONORED: "pass", DISPLAY: "pass", WELL_KNOWN: "pass"},
    "www.harborview-daily.com": {HONORED: "pass", DISPLAY: "fail", WELL_KNOWN: "not_applicable"},
    "www.sierra-gear-exchange.com": {HONORED: "pass", DISPLAY: "pass", WELL_KNOWN: "not_applicable"},
    "www.bayshore-market.com": {HONORED: "pass", DISPLAY: "pass", WELL_KNOWN: "not_applicable"},
    "www.lakeside-furniture.com": {HONORED: "fail", DISPLAY: "fail", WELL_KNOWN: "pass"},
    "www.northgate-tickets.com": {HONORED: "fail", DISPLAY: "fail", WELL_KNOWN: "fail"},
    "www.riverbend-recipes.com": {HONORED: "pass", DISPLAY: "fail", WELL_KNOWN: "not_applicable"},
    "www.cedarpoint-weather.com": {HONORED: "pass", DISPLAY: "fail", WELL_KNOWN: "not_applicable"},
    "www.oakridge-bikes.com": {HONORED: "review", DISPLAY: "fail", WELL_KNOWN: "not_applicable"},
    "www.maplewood-library.org": {HONORED: "not_applicable", DISPLAY: "not_applicable", WELL_KNOWN: "not_applicable"},
}
SIGNALS_TABLE = "Privacy signals without and with GPC"
DIFF_TABLE = "Request diff: advertising requests and cookies without and with GPC"


class Run:
    def __init__(self, out: Path, exit_code: int, stderr: str) -> None:
        self.out, self.exit_code, self.stderr = out, exit_code, stderr

    def finding(self, site: str, rule: str) -> dict:
        report = json.loads((self.out / site / "report.json").read_text(encoding="utf-8"))
        return next(f for f in report["findings"] if f["rule"] == rule)

    def table(self, site: str, rule: str, label: str) -> list[list]:
        for item in self.finding(site, rule)["evidence"]:
            if item["kind"] == "table" and item["label"].startswith(label):
                return item["rows"]
        raise AssertionError(f"no table {label!r} on {rule} of {site}")

    def signals(self, site: str, profile: str) -> dict:
        evidence = json.loads((self.out / site / "evidence" / "evidence.json").read_text(encoding="utf-8"))
        return evidence["profiles"][profile]["signals"]


@pytest.fixture(scope="module")
def run(tmp_path_factory) -> Run:
    root = tmp_path_factory.mktemp("gpc-sites")
    out = tmp_path_factory.mktemp("gpc-out") / "out"
    with serving(root) as server:
        result = run_cli(
            ["audit", *(f"http://{host}/" for host in FIXTURES), "--out", str(out), "--concurrency", "10",
             "--site-budget", "600", "--timeout", "60", "--no-history", "--map-host", f"*=127.0.0.1:{server.port}"],
            timeout=900,
        )  # fmt: skip
    assert result.returncode in (0, 1), result.stderr[-3000:]
    return Run(out, result.returncode, result.stderr)


@pytest.mark.parametrize("site", sorted(EXPECTED))
def test_every_fixture_gets_its_gpc_statuses(run: Run, site: str) -> None:
    got = {rule: run.finding(site, rule)["status"] for rule in EXPECTED[site]}
    assert got == EXPECTED[site], {rule: run.finding(site, rule)["message"] for rule in EXPECTED[site]}


def test_us_privacy_site_shows_the_string_before_and_after(run: Run) -> None:
    rows = run.table("www.pinecrest-outdoor-news.com", HONORED, SIGNALS_TABLE)
    api = next(r for r in rows if r[1] == "__uspapi('getUSPData', 1)")
    assert api[2].startswith("1YNN") and api[3].startswith("1YYN")
    assert any(r[0] == "us_privacy= sent to a third party" and r[3].startswith("1YYN") for r in rows)


def test_gpp_sites_show_their_sections_decoded(run: Run) -> None:
    usca = run.table("www.harborview-daily.com", HONORED, SIGNALS_TABLE)
    assert any(r[0] == "GPP usca" and "SaleOptOut=2" in r[2] and "SaleOptOut=1" in r[3] for r in usca)
    usnat = run.table("www.sierra-gear-exchange.com", HONORED, "Decoded fields")
    assert ["GPP usnat", "TargetedAdvertisingOptOut", "2", "1"] in usnat


def test_onetrust_sites_identify_groups_by_their_header_text(run: Run) -> None:
    honors = run.table("www.bayshore-market.com", HONORED, SIGNALS_TABLE)
    consent = next(r for r in honors if r[0] == "OneTrust OptanonConsent")
    assert "C0004:0" in consent[3] and "Targeting Cookies" in consent[4]
    assert run.table("www.bayshore-market.com", HONORED, DIFF_TABLE)[0][3] == "0"  # targeting tags stopped
    ignores = run.finding("www.lakeside-furniture.com", HONORED)["message"]
    assert "browserGpcFlag=1 with isGpcEnabled=0" in ignores


def test_contradiction_is_named(run: Run) -> None:
    assert "contradicts itself" in run.finding("www.northgate-tickets.com", HONORED)["message"]


def test_signals_inside_a_frame_are_read_directly_and_through_the_locator(run: Run) -> None:
    signals = run.signals("www.cedarpoint-weather.com", "gpc")
    methods = {(r["source"]["method"], r["source"]["frame_url"]) for r in signals["gpp"] + signals["usprivacy"]}
    assert ("api", "http://consent.cedarpoint-privacy.net/hub.html") in methods
    assert ("locator", "http://display.coastline-adnet.com/slot.html") in methods
    assert not any(r["source"]["frame_url"] == "" for r in signals["gpp"])  # nothing in the top document


def test_no_signal_site_goes_to_review_with_the_request_diff(run: Run) -> None:
    diff = run.table("www.oakridge-bikes.com", HONORED, DIFF_TABLE)
    assert {row[1].split(" ")[0] for row in diff} >= {"facebook.com", "doubleclick.net", "criteo.com"}
    assert all(int(row[3]) > 0 for row in diff if row[0] == "advertising requests")


def test_late_gpp_cmp_is_read_once_ready(run: Run) -> None:
    (reading,) = run.signals("www.riverbend-recipes.com", "gpc")["gpp"]
    assert reading["ping"]["signalStatus"] == "ready"
    assert reading["gpp_string"] == "DBABBg~BUUAAABA.YA"


def test_well_known_is_fetched_once_through_the_mapped_host(run: Run) -> None:
    assert run.signals("www.pinecrest-outdoor-news.com", "baseline")["well_known"]["status"] == 200
    assert run.signals("www.pinecrest-outdoor-news.com", "gpc")["well_known"] is None


def test_report_html_draws_the_gpc_tables(run: Run) -> None:
    html = (run.out / "www.bayshore-market.com" / "report.html").read_text(encoding="utf-8")
    for text in (SIGNALS_TABLE, "Decoded fields, without and with GPC", DIFF_TABLE, "OneTrust OptanonConsent"):
        assert text in html
