"""SARIF 2.1.0 output: valid against the OASIS schema (see tests/sarif_validation.py), shaped for dashboards."""

from __future__ import annotations

import json

from report_factory import finding, report
from sarif_validation import validate_sarif

from auditor.findings import SiteChanges, Status
from auditor.report.sarif import render_sarif, sarif_log, site_artifact_uri


def sample_reports():
    shop = report(
        "www.shop.com_8080",
        [
            finding("ccpa.dns-link", "fail", "high", 'No "Do Not Sell" <script>alert(1)</script> link.'),
            finding("ccpa.dns-link-wording", "review", "medium"),
            finding("ccpa.gpc-honored", "not_assessable", "critical"),
            finding("ccpa.privacy-policy-link", "pass", "high"),
            finding("gpc.well-known", "not_applicable", "info", citation_links=[None]),
        ],
        url="http://www.shop.com:8080/store?utm=1",
    )
    news = report(
        "news.example.org", [finding("ccpa.dns-link", "pass"), finding("ccpa.dns-link-wording", "fail", "medium")]
    )
    news = news.model_copy(
        update={
            "changes": SiteChanges(
                previous_run_at=news.started_at, previous_status=Status.PASS, new_failures=["ccpa.dns-link-wording"]
            )
        }
    )
    return [shop, news]


def test_sarif_validates_against_the_oasis_schema():
    log = json.loads(render_sarif(sample_reports()))
    validate_sarif(log)
    validate_sarif(sarif_log(sample_reports(), include_passing=True))
    validate_sarif(sarif_log([]))


def test_rules_carry_metadata_and_help():
    run = sarif_log(sample_reports())["runs"][0]
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    assert set(rules) == {
        "ccpa.dns-link",
        "ccpa.dns-link-wording",
        "ccpa.gpc-honored",
        "ccpa.privacy-policy-link",
        "gpc.well-known",
    }
    dns = rules["ccpa.dns-link"]
    assert dns["shortDescription"]["text"] == "Title of ccpa.dns-link"
    assert "How to fix: How to fix it." in dns["help"]["text"] and "[Cal. Civ. Code" in dns["help"]["markdown"]
    assert dns["helpUri"] == "https://leginfo.legislature.ca.gov/"
    assert dns["defaultConfiguration"]["level"] == "error" and dns["properties"]["problem.severity"] == "error"
    assert "helpUri" not in rules["gpc.well-known"]


def test_results_only_for_findings_that_need_action_with_kinds_and_levels():
    run = sarif_log(sample_reports())["runs"][0]
    got = {(r["properties"]["site"], r["ruleId"]): (r["kind"], r["level"]) for r in run["results"]}
    assert got == {
        ("www.shop.com_8080", "ccpa.dns-link"): ("fail", "error"),
        ("www.shop.com_8080", "ccpa.dns-link-wording"): ("review", "none"),
        ("www.shop.com_8080", "ccpa.gpc-honored"): ("open", "none"),
        ("news.example.org", "ccpa.dns-link-wording"): ("fail", "warning"),
    }
    for result in run["results"]:
        assert run["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == result["ruleId"]


def test_locations_are_relative_references_with_the_url_as_web_target():
    shop, news = sample_reports()
    assert site_artifact_uri(shop) == "www.shop.com_8080/store"
    run = sarif_log([shop, news])["runs"][0]
    first = run["results"][0]
    location = first["locations"][0]
    # GitHub code scanning rejects non-file URI schemes in artifact locations, so no "https:" here.
    assert location["physicalLocation"]["artifactLocation"]["uri"] == "www.shop.com_8080/store"
    assert "://" not in json.dumps([r["locations"] for r in run["results"]])
    assert location["logicalLocations"][0]["name"] == "ccpa.dns-link"
    assert first["webRequest"]["target"] == "http://www.shop.com:8080/store?utm=1"
    assert run["artifacts"][0]["description"]["text"].endswith("http://www.shop.com:8080/store?utm=1")


def test_fingerprints_are_stable_per_site_and_rule_and_baseline_state_follows_history():
    one = sarif_log(sample_reports())["runs"][0]["results"]
    two = sarif_log(sample_reports())["runs"][0]["results"]
    assert [r["partialFingerprints"] for r in one] == [r["partialFingerprints"] for r in two]
    assert len({r["partialFingerprints"]["auditorFinding/v1"] for r in one}) == len(one)
    states = {r["properties"]["site"]: r.get("baselineState") for r in one}
    assert states == {"www.shop.com_8080": None, "news.example.org": "new"}
