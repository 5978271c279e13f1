"""End to end: the policy is found, dated and read on fixture sites; `auditor check` reproduces a run's findings
exactly; the team pack of docs/custom-rules.md changes the outcome as documented."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from tests.conftest import REPO, run_cli

pytestmark = pytest.mark.browser

AUDIT_DATE = "2026-06-01"
SITES = {
    # Policy linked as "Privacy Policy", dated March 3, 2026, complete; alternative link with the opt-out icon.
    "www.harborlight-outfitters.com": {
        "ccpa.privacy-policy-updated": "pass",
        "ccpa.policy-right-to-correct": "pass",
        "ccpa.policy-opt-out-signals": "pass",
        "ccpa.policy-contact-methods": "pass",
        "ccpa.alternative-link-icon": "pass",
        "ccpa.dns-link-conspicuous": "pass",
        "ccpa.notice-at-collection": "pass",
        "ccpa.limit-spi-link": "review",
        "ccpa.gpc-no-extra-info": "pass",
    },
    # Policy linked as "Privacy", "Effective 03/04/2021"; opt-out link in 9 px type among 15 px footer links.
    "www.stalepolicy-market.com": {
        "ccpa.privacy-policy-updated": "fail",
        "ccpa.policy-opt-out-signals": "fail",
        "ccpa.policy-right-to-delete": "pass",
        "ccpa.dns-link-conspicuous": "fail",
        "ccpa.alternative-link-icon": "not_applicable",
    },
    # No policy link: found at /privacy-policy; no date; "Your Privacy Choices" without an icon.
    "www.nodate-bakery.com": {
        "ccpa.privacy-policy-link": "fail",
        "ccpa.privacy-policy-updated": "fail",
        "ccpa.policy-right-to-correct": "fail",
        "ccpa.alternative-link-icon": "fail",
        "ccpa.notice-at-collection": "fail",
    },
    # "Last updated: 06/05/2025": June 5 is within 12 months of the audit date, May 6 is not.
    "www.ambiguousdate-news.com": {
        "ccpa.privacy-policy-updated": "review",
        "ccpa.dns-link-conspicuous": "not_applicable",
        "ccpa.frictionless-optout": "not_applicable",
    },
}


def team_pack_from_docs() -> str:
    """The example team pack of docs/custom-rules.md, exactly as a reader would copy it."""
    text = (REPO / "docs" / "custom-rules.md").read_text(encoding="utf-8")
    return re.search(r"```yaml\n# privacy-rules/acme.yaml\n(.*?)```", text, re.S).group(1)


@pytest.fixture(scope="module")
def run(site_server, tmp_path_factory):
    out = tmp_path_factory.mktemp("rules-run") / "out"
    urls = [f"http://{host}/" for host in SITES]
    args = ["audit", *urls, "--out", str(out), "--map-host", f"*=127.0.0.1:{site_server.port}"]
    result = run_cli([*args, "--audit-date", AUDIT_DATE, "--format", "json,html", "--no-history"], timeout=600)
    assert (out / "www.harborlight-outfitters.com" / "report.json").is_file(), result.stderr
    return result, out


def _report(site_dir: Path) -> dict:
    return json.loads((site_dir / "report.json").read_text(encoding="utf-8"))


def _finding(out: Path, site: str, rule: str) -> dict:
    return next(f for f in _report(out / site)["findings"] if f["rule"] == rule)


@pytest.mark.parametrize(
    ("site", "rule", "expected"),
    [(site, rule, status) for site, rules in SITES.items() for rule, status in rules.items()],
)
def test_each_fixture_gets_the_expected_status(run, site, rule, expected):
    _, out = run
    finding = _finding(out, site, rule)
    assert finding["status"] == expected, finding["message"]


def test_policy_is_found_by_its_link_loaded_and_its_text_kept(run):
    _, out = run
    evidence = json.loads((out / "www.harborlight-outfitters.com/evidence/evidence.json").read_text())
    baseline = evidence["profiles"]["baseline"]
    policy = baseline["policy"]
    assert policy["found"] and policy["found_by"] == "link_text" and policy["link_text"] == "Privacy Policy"
    assert policy["url"] == "http://www.harborlight-outfitters.com/legal/privacy-policy.html"
    assert "Right to Correct" in policy["headings"] and "Last Updated: March 3, 2026" in policy["text"]
    page = baseline["pages"]["privacy_policy"]
    assert (
        page["status"] == 200 and (out / "www.harborlight-outfitters.com" / page["full_screenshot"]["path"]).is_file()
    )
    assert "privacy" not in (evidence["profiles"]["gpc"].get("pages") or {})  # the policy is read once, in baseline


def test_policy_date_finding_quotes_the_date_and_shows_the_policy(run):
    _, out = run
    finding = _finding(out, "www.harborlight-outfitters.com", "ccpa.privacy-policy-updated")
    kinds = {item["kind"]: item for item in finding["evidence"]}
    assert kinds["text"]["text"] == "Last Updated: March 3, 2026"
    assert kinds["image"]["screenshot"]["path"].endswith("privacy_policy/viewport.png")


def test_policy_not_linked_is_found_at_a_usual_address(run):
    _, out = run
    policy = json.loads((out / "www.nodate-bakery.com/evidence/evidence.json").read_text())["profiles"]["baseline"][
        "policy"
    ]
    assert policy["found_by"] == "common_path" and policy["url"] == "http://www.nodate-bakery.com/privacy-policy"
    assert any(c["url"].endswith("/privacy") and c["status"] == 404 for c in policy["candidates"])


def test_ambiguous_date_names_both_readings(run):
    _, out = run
    finding = _finding(out, "www.ambiguousdate-news.com", "ccpa.privacy-policy-updated")
    assert "2025-06-05" in finding["message"] and "2025-05-06" in finding["message"]


@pytest.fixture(scope="module")
def rechecked(run, tmp_path_factory):
    """A copy of the run, re-checked with `auditor check` (no browser)."""
    _, out = run
    copy = tmp_path_factory.mktemp("recheck") / "out"
    shutil.copytree(out, copy)
    result = run_cli(["check", str(copy)], timeout=300)
    return result, out, copy


def test_check_reproduces_the_findings_of_the_run_exactly(rechecked):
    result, out, copy = rechecked
    assert result.returncode in (0, 1), result.stderr
    for site in SITES:
        before, after = _report(out / site), _report(copy / site)
        assert after["findings"] == before["findings"], site
        assert after["audit_date"] == AUDIT_DATE and after["summary"] == before["summary"]


def test_check_keeps_the_previous_report_and_leaves_the_evidence_untouched(rechecked):
    _, out, copy = rechecked
    site = copy / "www.harborlight-outfitters.com"
    kept = sorted(site.glob("report.*.json"))
    assert len(kept) == 1 and json.loads(kept[0].read_text()) == _report(out / "www.harborlight-outfitters.com")
    assert (site / "report.html").is_file()
    verify = run_cli(["verify", str(copy)], timeout=120)
    assert verify.returncode == 0, verify.stdout


def test_team_pack_from_the_docs_changes_the_outcome_as_documented(run, tmp_path):
    _, out = run
    copy = tmp_path / "out"
    shutil.copytree(out, copy)
    team = tmp_path / "privacy-rules"
    team.mkdir()
    (team / "acme.yaml").write_text(team_pack_from_docs(), encoding="utf-8")
    result = run_cli(["check", str(copy), "--rules", str(team)], timeout=300)
    assert result.returncode == 1, result.stderr  # the added rule fails: no "Cookie Settings" link anywhere
    report = _report(copy / "www.harborlight-outfitters.com")
    by_rule = {f["rule"]: f for f in report["findings"]}
    assert "ccpa.limit-spi-link" not in by_rule
    assert by_rule["ccpa.privacy-policy-updated"]["severity"] == "critical"
    assert by_rule["acme.cookie-settings-link"]["status"] == "fail"
    assert report["rule_packs"]["acme"] == "2026.1"
    assert by_rule["ccpa.dns-link"] == _finding(out, "www.harborlight-outfitters.com", "ccpa.dns-link")


def test_check_with_a_jurisdiction_applies_only_that_states_rules(run, tmp_path):
    _, out = run
    copy = tmp_path / "out"
    shutil.copytree(out / "www.stalepolicy-market.com", copy)
    result = run_cli(["check", str(copy), "--jurisdiction", "co", "--audit-date", "2024-06-30"], timeout=120)
    assert result.returncode == 0, result.stderr
    findings = {f["rule"]: f for f in _report(copy)["findings"]}
    assert not [rule for rule in findings if rule.startswith(("ccpa.", "tx.", "or."))]  # California's, other states'
    colorado = findings["co.opt-out-signal-honored"]
    assert colorado["status"] == "not_applicable" and "2024-07-01" in colorado["message"]


def test_malformed_team_pack_stops_check_with_file_and_line(run, tmp_path):
    _, out = run
    pack = tmp_path / "acme.yaml"
    pack.write_text(team_pack_from_docs().replace("severity: low", "severity: extreme"), encoding="utf-8")
    result = run_cli(["check", str(out), "--rules", str(pack)], timeout=120)
    assert result.returncode == 2 and f"{pack}:9: rules.0.severity" in result.stderr
