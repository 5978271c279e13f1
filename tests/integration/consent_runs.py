"""Shared helpers of the consent integration tests: one audit run per module, and readers for its output."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import run_cli

CONSENT_RULES = ("ccpa.dns-link-target", "ccpa.optout-toggle", "ccpa.optout-effective", "ccpa.choice-symmetry")


@dataclass
class ConsentRun:
    """The output of one ``auditor audit`` run over several fixture sites."""

    returncode: int
    stderr: str
    out: Path

    def report(self, site: str) -> dict:
        return json.loads((self.out / site / "report.json").read_text(encoding="utf-8"))

    def finding(self, site: str, rule: str) -> dict:
        return next(f for f in self.report(site)["findings"] if f["rule"] == rule)

    def consent(self, site: str, profile: str = "optout") -> dict:
        evidence = json.loads((self.out / site / "evidence" / "evidence.json").read_text(encoding="utf-8"))
        return evidence["profiles"][profile]["consent"]

    def profile(self, site: str, profile: str = "optout") -> dict:
        evidence = json.loads((self.out / site / "evidence" / "evidence.json").read_text(encoding="utf-8"))
        return evidence["profiles"][profile]


def audit_sites(hosts: list[str], port: int, out: Path, extra: tuple[str, ...] = ()) -> ConsentRun:
    """Run the real CLI over ``hosts`` with every host mapped to the fixture server on ``port``."""
    urls = [f"http://{host}/" for host in hosts]
    result = run_cli(["audit", *urls, "--out", str(out), "--map-host", f"*=127.0.0.1:{port}", *extra], timeout=600)
    return ConsentRun(result.returncode, result.stderr, out)


def evidence_labels(finding: dict) -> list[str]:
    return [item["label"] for item in finding["evidence"]]
