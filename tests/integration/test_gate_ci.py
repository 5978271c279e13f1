"""The CI gate end to end: ``ci/examples/run-gate.sh`` audits a fixture site through six documented scenarios.

The script is what ``ci/README.md`` walks a site team through: a new failure fails (exit 1); the same failure in a
baseline passes (0); a waiver passes until its expiry and then fails, saying so (0, then 1); a ``warn`` level
passes with a warning (0); the next release's new failure fails, and its report shows what changed (history).
One run of the script feeds every test here.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "ci" / "examples" / "run-gate.sh"
SITE = "www.gatecheck-outfitters.com"
EXPECTED = {
    "new-failure": 1,
    "baseline-known": 0,
    "waived-before-expiry": 0,
    "waiver-expired": 1,
    "warn-level": 0,
    "next-release": 1,
}


def auditor(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "auditor.cli", *args], capture_output=True, text=True, timeout=300, env=env, cwd=cwd
    )


@pytest.fixture(scope="module")
def ci_run(tmp_path_factory) -> tuple[str, Path]:
    """Run the example CI script once; return its output and its work folder."""
    work = tmp_path_factory.mktemp("gate-ci")
    env = {**os.environ, "PYTHON": sys.executable, "COLUMNS": "200", "NO_COLOR": "1"}
    result = subprocess.run(["bash", str(SCRIPT), str(work)], capture_output=True, text=True, timeout=1200, env=env)
    return result.stdout + result.stderr, work


def scenarios(output: str) -> dict[str, tuple[int, int]]:
    found = re.findall(r"^SCENARIO \d+ (\S+) expected=(\d+) exit=(\d+)", output, re.M)
    return {name: (int(expected), int(got)) for name, expected, got in found}


def test_every_scenario_exits_as_documented(ci_run):
    output, _ = ci_run
    got = scenarios(output)
    assert {name: code for name, (_, code) in got.items()} == EXPECTED, output
    assert "ALL GATE SCENARIOS BEHAVED AS DOCUMENTED" in output


def test_a_new_failure_is_explained_with_site_rule_report_and_how_to_accept_it(ci_run):
    _, work = ci_run
    log = (work / "run1.log").read_text(encoding="utf-8")
    assert "Gate FAILED" in log and f"{SITE} — {work / 'run1' / SITE / 'report.html'}" in log
    assert "ccpa.dns-link-wording  [fail, medium]" in log
    assert "[[waivers]]" in log and "--baseline" in log and '= "warn"' in log
    gate = json.loads((work / "run1" / "gate.json").read_text(encoding="utf-8"))
    assert [(i["site"], i["rule"]) for i in gate["failing"]] == [(SITE, "ccpa.dns-link-wording")]


def test_baseline_waiver_and_warn_outcomes_are_said(ci_run):
    _, work = ci_run
    known = (work / "gate2.log").read_text(encoding="utf-8")
    assert "Gate passed: no new finding" in known and "Known from the baseline (not new): 1" in known
    waived = (work / "gate3.log").read_text(encoding="utf-8")
    assert "Waived: 1" in waived and "waived until 2026-12-31: Footer copy update" in waived
    expired = (work / "gate4.log").read_text(encoding="utf-8")
    assert "Gate FAILED" in expired and "waiver expired on 2026-12-31" in expired and "no longer waived" in expired
    warned = (work / "gate5.log").read_text(encoding="utf-8")
    assert "Gate passed" in warned and "1 failing at warn level" in warned and "ccpa.dns-link-wording" in warned


def test_next_release_report_shows_what_changed_since_the_previous_run(ci_run):
    _, work = ci_run
    first = json.loads((work / "run1" / SITE / "report.json").read_text(encoding="utf-8"))
    assert first["changes"] is None  # a first run in this history
    second = json.loads((work / "run2" / SITE / "report.json").read_text(encoding="utf-8"))
    assert "ccpa.dns-link-wording" in second["changes"]["fixed"]
    assert "ccpa.privacy-policy-link" in second["changes"]["new_failures"]
    log = (work / "run2.log").read_text(encoding="utf-8")
    assert "1 new finding at error level" in log and "ccpa.privacy-policy-link  [fail, high]" in log
    html = (work / "run2" / SITE / "report.html").read_text(encoding="utf-8")
    assert "Since the previous run" in html and "New since last run" in html and "Fixed since last run" in html
    sarif = json.loads((work / "run2" / SITE / "report.sarif").read_text(encoding="utf-8"))
    states = {r["ruleId"]: r.get("baselineState") for r in sarif["runs"][0]["results"]}
    assert states["ccpa.privacy-policy-link"] == "new"
    assert "🆕" in (work / "run2" / "summary.md").read_text(encoding="utf-8")


def test_configuration_mistakes_exit_2_with_one_line(ci_run, tmp_path):
    _, work = ci_run
    bad = tmp_path / "auditor.toml"
    bad.write_text('fail-on = "high"\n[assertions]\n"ccpa.dns-lnk" = "warn"\n', encoding="utf-8")
    result = auditor("gate", str(work / "run1"), "--config", str(bad))
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "did you mean 'ccpa.dns-link'" in result.stderr
    typo = tmp_path / "typo.toml"
    typo.write_text('fial-on = "high"\n', encoding="utf-8")
    result = auditor(
        "audit", "http://www.gatecheck-outfitters.com/", "--config", str(typo), "--out", str(tmp_path / "o")
    )
    assert result.returncode == 2 and "unknown key 'fial-on'" in result.stderr
    assert not (tmp_path / "o").exists()  # refused before any browser started
