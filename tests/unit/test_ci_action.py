"""The GitHub composite action's audit step, run by bash with a stand-in ``auditor`` that records its arguments.

Checks what the YAML cannot: inputs become the right arguments (each map-host line its own flag, URLs split,
empty inputs left out), the exit code is passed on, and the Markdown summary reaches the job summary.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]
ACTION = REPO / "ci" / "github" / "action.yml"


def audit_step() -> dict:
    steps = yaml.safe_load(ACTION.read_text(encoding="utf-8"))["runs"]["steps"]
    return next(step for step in steps if step.get("id") == "audit")


def run_step(tmp_path: Path, exit_code: int, **inputs: str) -> tuple[list[str], str, str]:
    fake = tmp_path / "bin" / "auditor"
    fake.parent.mkdir()
    fake.write_text(
        "#!/usr/bin/env python3\nimport json, os, sys\n"
        "out = sys.argv[sys.argv.index('--out') + 1]\nos.makedirs(out, exist_ok=True)\n"
        "open(os.path.join(out, 'summary.md'), 'w').write('## summary\\n')\n"
        "open(os.environ['ARGS_FILE'], 'w').write(json.dumps(sys.argv[1:]))\n"
        f"sys.exit({exit_code})\n",
        encoding="utf-8",
    )
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    step = audit_step()
    defaults = {"URLS": "", "SITES_FILE": "", "MAP_HOST": "", "OUT": str(tmp_path / "out"), "FORMAT": "html,json"}
    defaults |= {"CONFIG": "", "FAIL_ON": "", "BASELINE": "", "RUNS": "", "EXTRA_ARGS": ""}
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
    return args, (tmp_path / "output").read_text(encoding="utf-8"), (tmp_path / "summary").read_text(encoding="utf-8")


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
        "http://www.example.com/", "http://shop.example.com/",
        "--map-host", "www.example.com=127.0.0.1:8080", "--map-host", "*.example.com=127.0.0.1:8081",
        "--config", "auditor.toml", "--runs", "3", "--ignore-https-errors", "--timeout", "45",
    ]  # fmt: skip
    assert output.strip() == "exit-code=1" and summary == "## summary\n"


def test_empty_inputs_are_left_out(tmp_path):
    args, output, _ = run_step(tmp_path, 0, SITES_FILE="sites.txt", FAIL_ON="high", BASELINE="base")
    assert args == [
        "audit", "--out", str(tmp_path / "out"), "--format", "html,json",
        "--sites", "sites.txt", "--fail-on", "high", "--baseline", "base",
    ]  # fmt: skip
    assert output.strip() == "exit-code=0"


def test_gate_step_fails_the_job_with_the_auditor_exit_code():
    steps = yaml.safe_load(ACTION.read_text(encoding="utf-8"))["runs"]["steps"]
    gate = next(step for step in steps if step.get("name") == "Gate")
    for code in ("0", "1", "2", "3"):
        result = subprocess.run(["bash", "-c", gate["run"]], env={**os.environ, "CODE": code}, capture_output=True)
        assert result.returncode == int(code)
