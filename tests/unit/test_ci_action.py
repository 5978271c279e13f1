"""The GitHub composite action's steps, run by bash with a stand-in ``auditor`` that records its arguments.

Checks what the YAML cannot: inputs become the right arguments (each map-host line its own flag, URLs split,
empty inputs left out), the exit code is passed on, the Markdown summary reaches the job summary, the gate decides
the job even when code scanning is unavailable, and the pull-request comment is posted once and then updated.
(tests/integration/test_gate_ci.py runs the same steps with the real auditor against a fixture site.)
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]
ACTION = REPO / "ci" / "github" / "action.yml"


def audit_step() -> dict:
    steps = yaml.safe_load(ACTION.read_text(encoding="utf-8"))["runs"]["steps"]
    return next(step for step in steps if step.get("id") == "audit")


def run_step(tmp_path: Path, exit_code: int, **inputs: str) -> tuple[list[str], str, str]:
    fake = tmp_path / "bin" / "auditor"
    fake.parent.mkdir(parents=True)
    fake.write_text(
        "#!/usr/bin/env python3\nimport json, os, sys\n"
        "out = sys.argv[sys.argv.index('--out') + 1]\nos.makedirs(out, exist_ok=True)\n"
        "open(os.path.join(out, 'summary.md'), 'w').write('## summary\\n')\n"
        "open(os.environ['ARGS_FILE'], 'w').write(json.dumps(sys.argv[1:]))\n"
        f"sys.exit({exit_code})\n",
        encoding="utf-8",
    )
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    python = fake.parent / "python"  # the step runs `python -m auditor.github_outputs`
    python.write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n', encoding="utf-8")
    python.chmod(python.stat().st_mode | stat.S_IEXEC)
    step = audit_step()
    defaults = {"URLS": "", "SITES_FILE": "", "MAP_HOST": "", "OUT": str(tmp_path / "out"), "FORMAT": "html,json"}
    defaults |= {"STATIC_DIR": "", "START_SERVER": "", "WAIT_FOR": ""}
    defaults |= {"CONFIG": "", "FAIL_ON": "", "BASELINE": "", "RUNS": "", "EXTRA_ARGS": ""}
    defaults |= {"HISTORY": ".auditor/history.db", "SARIF_SUPPRESSED": "omit", "SIGN_KEY": ""}
    assert set(defaults) == set(step["env"]), "the step's environment changed: update this test"
    env = {
        **os.environ,
        **defaults,
        **inputs,
        "PATH": f"{fake.parent}:{os.environ['PATH']}",
        "ARGS_FILE": str(tmp_path / "args.json"),
        "GITHUB_OUTPUT": str(tmp_path / "output"),
        "GITHUB_STEP_SUMMARY": str(tmp_path / "summary"),
    }
    result = subprocess.run(["bash", "-e", "-c", step["run"]], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr  # the step itself never fails: the Gate step does
    args = json.loads((tmp_path / "args.json").read_text(encoding="utf-8"))
    outputs = dict(line.split("=", 1) for line in (tmp_path / "output").read_text(encoding="utf-8").splitlines())
    return args, outputs, (tmp_path / "summary").read_text(encoding="utf-8")


def test_inputs_become_arguments_and_the_exit_code_is_kept(tmp_path):
    args, output, summary = run_step(
        tmp_path,
        1,
        URLS="http://www.example.com/ http://shop.example.com/",
        MAP_HOST="www.example.com=127.0.0.1:8080\n  *.example.com=127.0.0.1:8081  \n\n",
        CONFIG="auditor.toml",
        RUNS="3",
        EXTRA_ARGS="--ignore-https-errors --timeout 45",
    )
    assert args == [
        "audit", "--out", str(tmp_path / "out"), "--format", "html,json",
        "--history", ".auditor/history.db", "--sarif-suppressed", "omit",
        "http://www.example.com/", "http://shop.example.com/",
        "--map-host", "www.example.com=127.0.0.1:8080", "--map-host", "*.example.com=127.0.0.1:8081",
        "--config", "auditor.toml", "--runs", "3", "--ignore-https-errors", "--timeout", "45",
    ]  # fmt: skip
    assert output["exit-code"] == "1" and output["gate-status"] == "failed" and summary == "## summary\n"
    assert output["summary"] == str(tmp_path / "out" / "summary.md") and output["sarif"] == ""


def test_empty_inputs_are_left_out(tmp_path):
    args, output, _ = run_step(
        tmp_path,
        0,
        SITES_FILE="sites.txt",
        FAIL_ON="high",
        BASELINE="base",
        SIGN_KEY="key.pem",
        SARIF_SUPPRESSED="include",
    )
    assert args == [
        "audit", "--out", str(tmp_path / "out"), "--format", "html,json",
        "--history", ".auditor/history.db", "--sarif-suppressed", "include",
        "--sites", "sites.txt", "--fail-on", "high", "--baseline", "base", "--sign-key", "key.pem",
    ]  # fmt: skip
    assert output["exit-code"] == "0" and output["gate-status"] == "passed"


def test_the_site_is_served_by_the_auditor_with_a_command_kept_as_one_argument(tmp_path):
    args, _, _ = run_step(tmp_path / "a", 0, URLS="http://www.example.com/", STATIC_DIR="dist")
    assert args[-3:] == ["http://www.example.com/", "--static-dir", "dist"]
    args, _, _ = run_step(
        tmp_path / "b", 0, START_SERVER="npm run serve -- --port 3000", WAIT_FOR="http://127.0.0.1:3000/"
    )
    assert args[-4:] == ["--start-server", "npm run serve -- --port 3000", "--wait-for", "http://127.0.0.1:3000/"]


def test_gate_step_fails_the_job_with_the_auditor_exit_code():
    steps = yaml.safe_load(ACTION.read_text(encoding="utf-8"))["runs"]["steps"]
    gate = next(step for step in steps if step.get("name") == "Gate")
    for code in ("0", "1", "2", "3"):
        result = subprocess.run(["bash", "-c", gate["run"]], env={**os.environ, "CODE": code}, capture_output=True)
        assert result.returncode == int(code)


def test_the_gate_decides_the_job_even_when_code_scanning_is_unavailable():
    steps = yaml.safe_load(ACTION.read_text(encoding="utf-8"))["runs"]["steps"]
    names = [step.get("name") for step in steps]
    upload = steps[names.index("Upload SARIF to code scanning")]
    # A failed upload (code scanning off, no security-events permission) neither fails the job nor skips the gate.
    assert upload["continue-on-error"] is True and upload["if"].startswith("always()")
    gate = steps[names.index("Gate")]
    assert gate["if"] == "always()" and names.index("Gate") == len(steps) - 1
    for name in ("Save the run history", "Comment on the pull request"):
        assert steps[names.index(name)]["continue-on-error"] is True


def test_the_history_is_restored_before_the_audit_and_saved_after_it():
    steps = yaml.safe_load(ACTION.read_text(encoding="utf-8"))["runs"]["steps"]
    names = [step.get("name") for step in steps]
    restore, save = steps[names.index("Restore the run history")], steps[names.index("Save the run history")]
    assert names.index("Restore the run history") < names.index("Audit") < names.index("Save the run history")
    assert restore["uses"].startswith("actions/cache/restore@") and save["uses"].startswith("actions/cache/save@")
    assert restore["with"]["path"] == save["with"]["path"] == "${{ inputs.history }}"
    assert restore["with"]["key"] == save["with"]["key"]  # a new key per run: caches cannot be overwritten ...
    assert "github.run_id" in save["with"]["key"]
    prefixes = restore["with"]["restore-keys"].splitlines()  # ... so the newest of the branch, else of the base branch
    assert prefixes[0] == "auditor-history-${{ runner.os }}-${{ github.head_ref || github.ref_name }}-"
    assert "github.base_ref" in prefixes[1]


def run_comment_step(tmp_path: Path, existing: list[dict]) -> list[list[str]]:
    """Run the comment step with a stand-in ``gh`` that lists ``existing`` comments; return the calls it got."""
    steps = yaml.safe_load(ACTION.read_text(encoding="utf-8"))["runs"]["steps"]
    step = next(s for s in steps if s.get("name") == "Comment on the pull request")
    fake = tmp_path / "bin" / "gh"
    fake.parent.mkdir(parents=True)
    calls = tmp_path / "calls.jsonl"
    fake.write_text(
        "#!/usr/bin/env python3\nimport json, os, sys\n"
        f"open({str(calls)!r}, 'a').write(json.dumps(sys.argv[1:]) + '\\n')\n"
        "if '--jq' in sys.argv:\n"
        "    marker = '<!-- auditor privacy gate -->'\n"
        f"    for c in {existing!r}:\n"
        "        if c['body'].startswith(marker): print(c['id'])\n",
        encoding="utf-8",
    )
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    summary = tmp_path / "summary.md"
    summary.write_text("## 🔒 Privacy compliance audit\n\n**Gate ❌ failed**\n", encoding="utf-8")
    env = {**os.environ, "PATH": f"{fake.parent}:{os.environ['PATH']}", "GH_TOKEN": "t", "PR": "7"}
    env |= {"REPO": "acme/site", "SUMMARY": str(summary)}
    result = subprocess.run(["bash", "-e", "-c", step["run"]], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in calls.read_text(encoding="utf-8").splitlines()]


def test_the_pull_request_comment_is_posted_once_then_updated(tmp_path):
    first = run_comment_step(tmp_path / "a", [{"id": 1, "body": "LGTM"}])
    post = first[-1]
    assert post[:3] == ["api", "-X", "POST"] and post[3] == "repos/acme/site/issues/7/comments"
    assert post[5].startswith("body=<!-- auditor privacy gate -->\n## 🔒 Privacy compliance audit")
    again = run_comment_step(
        tmp_path / "b", [{"id": 1, "body": "LGTM"}, {"id": 42, "body": "<!-- auditor privacy gate -->\nold"}]
    )
    assert again[-1][:4] == ["api", "-X", "PATCH", "repos/acme/site/issues/comments/42"]
