"""Bad input gets a one-line error and exit code 2, never a traceback."""

from __future__ import annotations

import pytest

from tests.conftest import run_cli


@pytest.mark.parametrize(
    "args",
    [
        ["audit"],
        ["audit", "file:///etc/passwd"],
        ["audit", "javascript:alert(1)"],
        ["audit", "https://example.com", "--map-host", "nonsense"],
        ["audit", "https://example.com", "--format", "docx"],
        ["audit", "https://example.com", "--bogus-option"],
        ["audit", "--sites", "/nonexistent/sites.txt"],
        ["audit", "https://example.com", "--rules", "/nonexistent/pack.yaml"],
        ["audit", "https://example.com", "--timeout", "-1"],
        ["decode", "not-a-signal"],
        ["no-such-command"],
    ],
)
def test_bad_input_is_one_line_and_exit_2(args):
    result = run_cli(args, timeout=60)
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.strip().splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("auditor: error:"), result.stderr


@pytest.mark.parametrize("args", [[], ["rules"]])
def test_a_group_without_its_command_shows_its_help_not_an_error(args):
    result = run_cli(args, timeout=60)
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert result.stderr.startswith(f"Usage: auditor {' '.join(args)}".rstrip() + " [OPTIONS] COMMAND"), result.stderr
    assert "error" not in result.stderr.splitlines()[0] and "Traceback" not in result.stderr
    assert "Commands:" in result.stderr


def test_malformed_rule_pack_names_file_and_line(tmp_path):
    pack = tmp_path / "team.yaml"
    pack.write_text("pack: team\nversion: '1'\nrules:\n  - id: team.x\n    title: T\n    severity: extreme\n")
    result = run_cli(["audit", "https://example.com", "--rules", str(pack)], timeout=60)
    assert result.returncode == 2
    assert f"{pack}:6:" in result.stderr and "severity" in result.stderr
