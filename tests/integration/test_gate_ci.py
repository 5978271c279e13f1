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
import shutil
import socket
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from sarif_validation import validate_sarif

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


# --- The CI integrations themselves: the GitHub Action's run steps and the GitLab template's script -------------
#
# One fixture release with two failures: the pre-2023 opt-out wording (waived until 2099 in auditor.toml) and a
# missing privacy-policy link (accepted in the baseline, so known). The team also blocks a release on anything a
# person has not reviewed (review = "error"), so the findings that need review block, and those that could not be
# assessed only warn. Every output a CI system shows must say the same as the gate's exit code.

ACTION = REPO / "ci" / "github" / "action.yml"
GITLAB = REPO / "ci" / "gitlab" / "auditor.gitlab-ci.yml"
BLOCKING_RULE = "ccpa.limit-spi-link"  # one of the findings that need review
CI_CONFIG = f"""\
review = "error"

[[waivers]]
rule = "ccpa.dns-link-wording"
sites = "{SITE}"
reason = "Footer copy ships with the redesign (WEB-1234)"
expires = 2099-12-31
"""
EXPRESSION = re.compile(r"\$\{\{\s*([^}]+?)\s*\}\}")


@pytest.fixture(scope="module")
def ci_workspace(tmp_path_factory):
    """A repository checkout as a runner sees it: the built site in sites/, auditor.toml and a baseline. The
    auditor serves the site itself (--static-dir on GitHub, --start-server and --wait-for on GitLab)."""
    work = tmp_path_factory.mktemp("ci-native")
    sites = work / "sites"
    shutil.copytree(REPO / "tests" / "sites" / SITE, sites / SITE)
    index = sites / SITE / "index.html"
    index.write_text(
        index.read_text(encoding="utf-8").replace(
            '<a href="/privacy.html">Privacy Policy</a>', '<a href="/legal.html">Legal</a>'
        ),
        encoding="utf-8",
    )
    (work / "auditor.toml").write_text(CI_CONFIG, encoding="utf-8")
    baseline = work / "ci" / "privacy-baseline" / SITE / "report.json"
    baseline.parent.mkdir(parents=True)
    previous = {"schema": "auditor.report/1", "site": {"site_id": SITE, "host": SITE}, "findings": []}
    previous["findings"].append({"rule": "ccpa.privacy-policy-link", "status": "fail"})
    baseline.write_text(json.dumps(previous), encoding="utf-8")
    return work


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def runner_env(work: Path, **extra: str) -> dict[str, str]:
    """What a CI runner gives a job, with this test's Python environment (the installed auditor) first on PATH."""
    bin_dir = str(Path(sys.executable).parent)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "GITLAB_", "CI_", "RUNNER_"))}
    return {**env, "PATH": f"{bin_dir}:{env['PATH']}", "COLUMNS": "200", "NO_COLOR": "1", "CI": "true", **extra}


def resolve(text: str, context: dict[str, str]) -> str:
    """Evaluate the ``${{ … }}`` expressions of a step's env as GitHub would, for the names this action uses."""
    return EXPRESSION.sub(lambda m: context[m.group(1)], text)


@pytest.fixture(scope="module")
def github_run(ci_workspace):
    """The Action's steps that run in the job's shell (Audit, the PR comment, Gate), with a pull-request event."""
    work = ci_workspace
    action = yaml.safe_load(ACTION.read_text(encoding="utf-8"))
    inputs = {name: str(spec.get("default", "")) for name, spec in action["inputs"].items()}
    inputs |= {
        "auditor-package": "privacy-notice-auditor",
        "urls": f"http://{SITE}/",
        "static-dir": f"sites/{SITE}",
        "out": "audit-reports",
        "config": "auditor.toml",
        "baseline": "ci/privacy-baseline",
        "extra-args": "--profiles baseline,gpc --timeout 20",
        "comment-on-pr": "true",
        "github-token": "token",
    }
    runner = work / "runner"
    runner.mkdir()
    fake_gh = runner / "bin" / "gh"
    fake_gh.parent.mkdir()
    fake_gh.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" >>"{runner / "gh-calls"}"\n', encoding="utf-8")
    fake_gh.chmod(0o755)
    output, summary = runner / "output", runner / "step-summary"
    env = runner_env(
        work,
        GITHUB_ACTIONS="true",
        GITHUB_WORKSPACE=str(work),
        GITHUB_OUTPUT=str(output),
        GITHUB_STEP_SUMMARY=str(summary),
        RUNNER_TEMP=str(runner),
    )
    env["PATH"] = f"{fake_gh.parent}:{env['PATH']}"
    logs: dict[str, subprocess.CompletedProcess] = {}
    outputs: dict[str, str] = {}
    for step in action["runs"]["steps"]:
        if "run" not in step or step["name"] in ("Install the auditor", "Install Chromium"):
            continue  # the auditor and a Chromium are installed here already
        context = {f"inputs.{k}": v for k, v in inputs.items()}
        context |= {f"steps.audit.outputs.{k}": v for k, v in outputs.items()}
        context |= {"github.event.pull_request.number": "7", "github.repository": "acme/storefront"}
        step_env = {**env, **{k: resolve(str(v), context) for k, v in step.get("env", {}).items()}}
        logs[step["name"]] = subprocess.run(
            ["bash", "-e", "-c", step["run"]], cwd=work, env=step_env, capture_output=True, text=True, timeout=900
        )
        if step.get("id") == "audit":
            outputs = dict(line.split("=", 1) for line in output.read_text(encoding="utf-8").splitlines())
    return work / "audit-reports", logs, outputs, summary.read_text(encoding="utf-8"), runner


@pytest.fixture(scope="module")
def gitlab_run(ci_workspace):
    """The template's script and after_script, as a GitLab runner runs them (variables in the environment)."""
    work, port = ci_workspace, free_port()
    template = yaml.safe_load(GITLAB.read_text(encoding="utf-8"))
    job = template[".privacy-audit"]
    variables = {k: str(v) for k, v in job["variables"].items()}
    variables |= {
        "AUDITOR_PACKAGE": "privacy-notice-auditor",
        "AUDITOR_URLS": f"http://{SITE}/",
        "AUDITOR_OUT": "gitlab-reports",
        "AUDITOR_START_SERVER": f"{sys.executable} -m http.server {port} --bind 127.0.0.1 --directory sites/{SITE}",
        "AUDITOR_WAIT_FOR": f"http://127.0.0.1:{port}/",
        "AUDITOR_ARGS": f"--map-host {SITE}=127.0.0.1:{port} --config auditor.toml --baseline ci/privacy-baseline "
        "--profiles baseline,gpc --timeout 20",
    }
    env = runner_env(work, GITLAB_CI="true", CI_PROJECT_DIR=str(work), CI_COMMIT_REF_SLUG="feature", **variables)
    script = "\n".join(job["script"])
    result = subprocess.run(
        ["bash", "-e", "-c", script], cwd=work, env=env, capture_output=True, text=True, timeout=900
    )
    after = subprocess.run(
        ["bash", "-c", "\n".join(job["after_script"])], cwd=work, env=env, capture_output=True, text=True, timeout=60
    )
    reports = {name: work / resolve_variables(path, variables) for name, path in job["artifacts"]["reports"].items()}
    return work / "gitlab-reports", result, after, reports, port


def resolve_variables(text: str, variables: dict[str, str]) -> str:
    return re.sub(r"\$(\w+)", lambda m: variables[m.group(1)], text)


def agreement(out: Path, sarif_file: Path, junit_file: Path, summary_md: str) -> int:
    """Check that the gate and every machine format agree; return the number of blocking findings."""
    gate = json.loads((out / "gate.json").read_text(encoding="utf-8"))
    blocking = len(gate["failing"])
    assert gate["exit_code"] == 1 and blocking >= 1 and gate["reason"] == f"{blocking} new findings at error level"
    assert {i["status"] for i in gate["failing"]} == {"review"}
    assert BLOCKING_RULE in {i["rule"] for i in gate["failing"]}
    assert {i["status"] for i in gate["warnings"]} == {"not_assessable"}
    assert [i["rule"] for i in gate["waived"]] == ["ccpa.dns-link-wording"]
    assert [i["rule"] for i in gate["known"]] == ["ccpa.privacy-policy-link"]
    report = json.loads((out / SITE / "report.json").read_text(encoding="utf-8"))
    decisions = {f["rule"]: f["gate"]["outcome"] for f in report["findings"]}
    assert decisions["ccpa.dns-link-wording"] == "waived" and decisions["ccpa.privacy-policy-link"] == "known"
    assert sum(o == "blocking" for o in decisions.values()) == blocking

    junit = ET.parse(junit_file).getroot()
    assert int(junit.get("failures")) == blocking
    cases = {c.get("name").split(":")[0]: c for c in junit.iter("testcase")}
    assert cases[BLOCKING_RULE].find("failure") is not None
    assert cases["ccpa.dns-link-wording"].find("skipped").get("message").startswith("waived until 2099-12-31")
    assert cases["ccpa.privacy-policy-link"].find("skipped").get("message").startswith("known: fail in the baseline")

    sarif = json.loads(sarif_file.read_text(encoding="utf-8"))
    validate_sarif(sarif)
    results = sarif["runs"][0]["results"]
    assert sum(r["level"] == "error" and not r.get("suppressions") for r in results) == blocking

    assert (
        summary_md.count("**blocking**") == blocking
        and f"**Gate ❌ failed**: {blocking} new findings at error level" in summary_md
    )
    assert "waived until 2099-12-31: Footer copy ships with the redesign (WEB-1234)" in summary_md
    assert "known: fail in the baseline" in summary_md
    return blocking


def test_github_action_steps_agree_with_the_gate(github_run):
    out, logs, outputs, step_summary, runner = github_run
    audit = logs["Audit"]
    assert audit.returncode == 0, audit.stdout[-3000:] + audit.stderr[-3000:]  # the step passes; the Gate step fails
    assert f"Serving sites/{SITE} on 127.0.0.1:" in audit.stdout and f"as {SITE}" in audit.stdout  # --static-dir
    blocking = agreement(out, out / "report.sarif", out / "report.junit.xml", (out / "summary.md").read_text("utf-8"))
    # Annotations: one ::error per blocking finding, one ::warning per warning, each naming the report.
    errors = [line for line in audit.stdout.splitlines() if line.startswith("::error ")]
    warnings = [line for line in audit.stdout.splitlines() if line.startswith("::warning ")]
    assert len(errors) == blocking
    mine = next(line for line in errors if f"title={BLOCKING_RULE} on {SITE}" in line)
    assert mine.endswith(f"report: audit-reports/{SITE}/report.html#{BLOCKING_RULE}")
    assert len(warnings) == int(outputs["warning"]) and not any("dns-link-wording" in w for w in errors + warnings)
    # The upload leaves out what the gate accepted (code scanning would open alerts for suppressed results).
    sarif = json.loads((out / "report.sarif").read_text(encoding="utf-8"))
    assert {r["ruleId"] for r in sarif["runs"][0]["results"]}.isdisjoint(
        {"ccpa.dns-link-wording", "ccpa.privacy-policy-link"}
    )
    assert outputs["exit-code"] == "1" and outputs["gate-status"] == "failed"
    assert (outputs["blocking"], outputs["waived"], outputs["known"]) == (str(blocking), "1", "1")
    assert outputs["gate-reason"] == f"{blocking} new findings at error level" and int(outputs["fail"]) == 2
    assert outputs["summary"] == "audit-reports/summary.md" and outputs["sarif"] == "audit-reports/report.sarif"
    assert step_summary == (out / "summary.md").read_text(encoding="utf-8")
    calls = (runner / "gh-calls").read_text(encoding="utf-8")
    assert "repos/acme/storefront/issues/7/comments" in calls and "<!-- auditor privacy gate -->" in calls
    gate = logs["Gate"]
    assert gate.returncode == 1 and "::error::Privacy gate failed" in gate.stdout
    assert (work_history := out.parent / ".auditor" / "history.db").is_file(), work_history  # what the cache keeps


def test_gitlab_template_script_agrees_with_the_gate(gitlab_run):
    out, result, after, reports, port = gitlab_run
    assert result.returncode == 1, result.stdout[-3000:] + result.stderr[-3000:]
    # The template started the site, waited for it, kept its output and stopped it after the audit.
    assert f"http://127.0.0.1:{port}/ answered after" in result.stdout
    assert '"GET / HTTP/1.1" 200' in (out / "server.log").read_text(encoding="utf-8")
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=2)
    blocking = agreement(out, out / "report.sarif", reports["junit"], after.stdout)
    assert not [line for line in result.stdout.splitlines() if line.startswith("::")]  # no GitHub annotations here
    quality = json.loads(reports["codequality"].read_text(encoding="utf-8"))
    assert sum(issue["severity"] == "blocker" for issue in quality) == blocking
    assert {i["check_name"] for i in quality}.isdisjoint({"ccpa.dns-link-wording", "ccpa.privacy-policy-link"})
    blocker = next(i for i in quality if i["check_name"] == BLOCKING_RULE)
    assert blocker["severity"] == "blocker" and blocker["location"] == {
        "path": f"gitlab-reports/{SITE}/report.html",
        "lines": {"begin": 1},
    }
    # SARIF keeps waived and known findings, as suppressed results (the default outside GitHub's upload).
    sarif = json.loads((out / "report.sarif").read_text(encoding="utf-8"))
    suppressed = {r["ruleId"]: r["suppressions"][0] for r in sarif["runs"][0]["results"] if r.get("suppressions")}
    assert set(suppressed) == {"ccpa.dns-link-wording", "ccpa.privacy-policy-link"}
    assert all(s["kind"] == "external" and s["status"] == "accepted" for s in suppressed.values())


def test_a_ci_run_verifies_and_an_edited_report_does_not(github_run, tmp_path):
    out, *_ = github_run
    verified = auditor("verify", str(out))
    assert verified.returncode == 0, verified.stdout + verified.stderr
    copy = tmp_path / "copy"
    shutil.copytree(out, copy)
    report = copy / SITE / "report.json"
    report.write_text(
        report.read_text(encoding="utf-8").replace('"status": "fail"', '"status": "pass"'), encoding="utf-8"
    )
    edited = auditor("verify", str(copy))
    assert edited.returncode == 1 and f"changed  {SITE}: report.json" in edited.stdout
    assert "the report says pass, its evidence gives fail" in edited.stdout
