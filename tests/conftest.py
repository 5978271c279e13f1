"""Shared fixtures: the fixture-site server and a way to run the real ``auditor`` command against it.

Fixture sites live in ``tests/sites/<host>/``; the server answers by Host header on 127.0.0.1, and the
auditor reaches them through ``--map-host '*=127.0.0.1:PORT'``, so pages keep realistic host names and
no traffic leaves the machine.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from auditor.demo.server import HostFolderServer

SITES = Path(__file__).parent / "sites"
REPO = Path(__file__).resolve().parent.parent


def _interrupt_state() -> tuple[object, frozenset]:
    return signal.getsignal(signal.SIGINT), frozenset(signal.pthread_sigmask(signal.SIG_BLOCK, []))


_INTERRUPT_AT_START = _interrupt_state()


@pytest.fixture(autouse=True)
def _interrupt_left_as_found():
    """A test must leave Ctrl-C as it found it: child processes inherit an ignored or blocked SIGINT, and the
    Ctrl-C test of a later test in the same worker then saw an auditor that could not be interrupted."""
    assert _interrupt_state() == _INTERRUPT_AT_START, "a fixture of this test changed how the process handles SIGINT"
    yield
    assert _interrupt_state() == _INTERRUPT_AT_START, "this test changed how the process handles SIGINT"


@pytest.fixture(scope="session")
def site_server():
    """The fixture-site server for the whole session."""
    server = HostFolderServer(SITES).start()
    yield server
    server.stop()


@dataclass
class AuditRun:
    exit_code: int
    stdout: str
    stderr: str
    out_dir: Path

    def site_dir(self, site_id: str) -> Path:
        return self.out_dir / site_id

    def report(self, site_id: str) -> dict:
        return json.loads((self.out_dir / site_id / "report.json").read_text(encoding="utf-8"))

    def finding(self, site_id: str, rule: str) -> dict:
        for finding in self.report(site_id)["findings"]:
            if finding["rule"] == rule:
                return finding
        raise AssertionError(f"no finding for {rule} in {site_id}")

    def evidence(self, site_id: str) -> dict:
        return json.loads((self.out_dir / site_id / "evidence" / "evidence.json").read_text(encoding="utf-8"))


def run_cli(args: list[str], timeout: float = 300) -> subprocess.CompletedProcess:
    """Run the installed ``auditor`` command (the real entry point) and capture its output."""
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "auditor.cli", *args], capture_output=True, text=True, timeout=timeout, env=env
    )


@pytest.fixture
def audit(site_server, tmp_path):
    """``audit(url, ...extra args)`` runs ``auditor audit`` against the fixture sites."""

    def run(*urls: str, args: tuple[str, ...] = ()) -> AuditRun:
        out = tmp_path / "out"
        result = run_cli(["audit", *urls, "--out", str(out), "--map-host", f"*=127.0.0.1:{site_server.port}", *args])
        return AuditRun(result.returncode, result.stdout, result.stderr, out)

    return run
