"""Fixtures of the hostile tests: the fault servers and a way to run the real ``auditor`` against them.

Every host is mapped to 127.0.0.1: the fault server's port for ordinary and faulty sites, the TLS server's
port for the self-signed site, a closed port for "connection refused", and ``~NOTFOUND`` for a DNS failure.
Chromium applies the first matching ``--map-host`` rule, so the specific rules come before ``*``.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.hostile.faults import FaultServer, refusing_port, self_signed_certificate

# Short limits keep the suite fast; every fault is still met at full strength. One visit profile (baseline) is
# enough for most faults; tests that need the others (scope, the site budget) ask for them.
FAST = ("--timeout", "4", "--site-budget", "60", "--no-history", "--profiles", "baseline")
TLS_HOST = "www.selfsigned-staging.com"
DNS_FAIL_HOST = "www.unresolvable-bakery.com"
REFUSED_HOST = "www.refused-hardware.com"


@dataclass
class HostileRun:
    exit_code: int
    stdout: str
    stderr: str
    out_dir: Path

    def site_dir(self, site_id: str) -> Path:
        return self.out_dir / site_id

    def report(self, site_id: str) -> dict:
        return json.loads((self.out_dir / site_id / "report.json").read_text(encoding="utf-8"))

    def evidence(self, site_id: str) -> dict:
        return json.loads((self.out_dir / site_id / "evidence" / "evidence.json").read_text(encoding="utf-8"))

    def findings(self, site_id: str) -> dict[str, dict]:
        return {f["rule"]: f for f in self.report(site_id)["findings"]}

    def homepage(self, site_id: str, profile: str = "baseline") -> dict:
        return self.evidence(site_id)["profiles"][profile]["homepage"]


@dataclass
class Servers:
    http: FaultServer
    tls: FaultServer
    refused_port: int
    refusing: socket.socket  # held open: keeps refused_port bound, and refusing

    def map_hosts(self, unresolvable: tuple[str, ...] = (), refused: tuple[str, ...] = ()) -> list[str]:
        """``--map-host`` arguments: special hosts first, then every other host to the fault server."""
        special = [f"{host}=~NOTFOUND" for host in unresolvable]
        special += [f"{host}=127.0.0.1:{self.refused_port}" for host in refused]
        return [arg for rule in special for arg in ("--map-host", rule)] + [
            "--map-host",
            f"{DNS_FAIL_HOST}=~NOTFOUND",
            "--map-host",
            f"{REFUSED_HOST}=127.0.0.1:{self.refused_port}",
            "--map-host",
            f"{TLS_HOST}=127.0.0.1:{self.tls.port}",
            "--map-host",
            f"*=127.0.0.1:{self.http.port}",
        ]


def run_auditor(
    servers: Servers,
    out: Path,
    urls: list[str],
    *extra: str,
    timeout: float = 600,
    fast: bool = True,
    unresolvable: tuple[str, ...] = (),
    refused: tuple[str, ...] = (),
) -> HostileRun:
    """Run ``auditor audit`` as a child process the fault servers can see (for crash faults).

    ``unresolvable`` and ``refused`` hosts fail DNS or the connection, besides the fixed ones.
    """
    maps = servers.map_hosts(unresolvable, refused)
    args = [sys.executable, "-m", "auditor.cli", "audit", *urls, "--out", str(out), *maps]
    args += [*(FAST if fast else ()), *extra]
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}
    with subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env) as process:
        servers.http.auditor_pid = servers.tls.auditor_pid = process.pid
        try:
            stdout, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            stdout, stderr = process.communicate()
            raise AssertionError(f"the audit did not finish in {timeout} s\n{stdout}\n{stderr}") from None
        finally:
            servers.http.auditor_pid = servers.tls.auditor_pid = None
    return HostileRun(process.returncode, stdout, stderr, out)


def make_servers(sites: dict[str, str], tmp: Path) -> Servers:
    http = FaultServer(sites).start()
    tls = FaultServer({TLS_HOST: "site"}, tls_files=self_signed_certificate(TLS_HOST, tmp)).start()
    port, sock = refusing_port()
    return Servers(http=http, tls=tls, refused_port=port, refusing=sock)


@pytest.fixture(scope="module")
def servers_for(tmp_path_factory):
    """``servers_for(sites)``: fault servers for one test module; stopped when the module is done."""
    started: list[Servers] = []

    def start(sites: dict[str, str]) -> Servers:
        servers = make_servers(sites, tmp_path_factory.mktemp("tls"))
        started.append(servers)
        return servers

    yield start
    for servers in started:
        servers.http.stop()
        servers.tls.stop()
        servers.refusing.close()
