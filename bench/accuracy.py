"""Score the auditor on the labelled accuracy corpus (tests/corpus/): how many verdicts a person would agree with.

    python -m bench.accuracy [--set tuning|holdout|all|half] [--concurrency N] [--out DIR] [--json PATH]

Serves the corpus on loopback (its consent managers installed from npm), runs the real ``auditor audit`` once over
the chosen sites with every host mapped to that server, and compares each report.json with the site's label.yaml:
for every site and each of the 11 core rules, the status the auditor gave against the statuses the label accepts,
and the consent manager the report names against the one the label names. It prints each disagreement and then

    corpus: A/B checks agree, F false passes, X false fails; cmp: C/D named

where a false pass is ``pass`` where the label does not accept pass, a false fail is ``fail`` where the label does
not accept fail, C counts the sites whose report names the label's CMP and D the sites whose label names one. A report
that names a CMP the label does not (or names one where the label says none) is "named wrong".

The audit is judged as of 2026-12-06, the date the labels were written for (policy dates, rules in force), so the
figure does not drift as the calendar moves. Exit status: 0 when scored (whatever the score), 2 on bad input or a
corpus that cannot be built, 3 when the audit itself did not run.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

from auditor.demo.server import HostFolderServer
from tests.corpus.build import CORE_RULES, CorpusError, Site, build_root, select

AUDIT_DATE = "2026-12-06"


@dataclass
class Disagreement:
    host: str
    set: str
    classes: list[int]
    rule: str
    expected: list[str]
    got: str
    message: str


@dataclass
class CmpResult:
    host: str
    expected: str | None
    got: str | None
    verdict: str  # "named", "unnamed", "wrong" or "none" (label and report both name none)


@dataclass
class Score:
    set: str
    sites: int
    checks: int
    agree: int
    false_passes: int
    false_fails: int
    cmp_named: int
    cmp_expected: int
    cmp_named_wrong: int
    disagreements: list[Disagreement] = field(default_factory=list)
    cmps: list[CmpResult] = field(default_factory=list)

    @property
    def agreement(self) -> float:
        return self.agree / self.checks if self.checks else 0.0

    def summary(self) -> str:
        return (
            f"corpus: {self.agree}/{self.checks} checks agree, {self.false_passes} false passes, "
            f"{self.false_fails} false fails; cmp: {self.cmp_named}/{self.cmp_expected} named"
        )

    def as_json(self) -> dict:
        return {**asdict(self), "agreement": round(self.agreement, 4), "summary": self.summary()}


def _name_key(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.casefold())


def cmp_verdict(site: Site, reported: str | None) -> str:
    """``named`` (the label's CMP), ``unnamed`` (none reported), ``wrong`` (another, or one where none is)
    or ``none`` (neither names one)."""
    expected = site.cmp
    if not reported:
        return "unnamed" if expected else "none"
    if expected is None:
        return "wrong"
    names = {_name_key(expected), *(_name_key(alias) for alias in site.label.get("cmp_also_known_as") or [])}
    return "named" if _name_key(reported) in names else "wrong"


def score(sites: list[Site], out: Path, set_name: str) -> Score:
    """Compare every report.json under ``out`` with its site's label."""
    result = Score(set_name, len(sites), len(sites) * len(CORE_RULES), 0, 0, 0, 0, 0, 0)
    for site in sites:
        report_path = out / site.host / "report.json"
        report = json.loads(report_path.read_text(encoding="utf-8")) if report_path.is_file() else None
        findings = {f["rule"]: f for f in (report or {}).get("findings", [])}
        for rule in CORE_RULES:
            accepted = site.accepted(rule)
            finding = findings.get(rule)
            got = finding["status"] if finding else ("no finding" if report else "no report")
            if got in accepted:
                result.agree += 1
                continue
            result.false_passes += got == "pass"
            result.false_fails += got == "fail"
            message = finding.get("message", "") if finding else f"{report_path} has no {rule}"
            result.disagreements.append(
                Disagreement(site.host, site.set, site.label["classes"], rule, accepted, got, message)
            )
        reported = ((report or {}).get("cmp") or {}).get("name")
        verdict = cmp_verdict(site, reported)
        result.cmp_expected += site.cmp is not None
        result.cmp_named += verdict == "named"
        result.cmp_named_wrong += verdict == "wrong"
        result.cmps.append(CmpResult(site.host, site.cmp, reported, verdict))
    return result


def run_audit(sites: list[Site], port: int, out: Path, concurrency: int) -> subprocess.CompletedProcess:
    """One real ``auditor audit`` over ``sites``, every host mapped to the corpus server on ``port``."""
    sites_file = out / "corpus-sites.txt"
    sites_file.write_text("".join(f"{site.url}\n" for site in sites), encoding="utf-8")
    command = [
        sys.executable, "-m", "auditor.cli", "audit",
        "--sites", str(sites_file),
        "--out", str(out),
        "--format", "json",
        "--concurrency", str(concurrency),
        "--map-host", f"*=127.0.0.1:{port}",
        "--audit-date", AUDIT_DATE,
        "--no-history",
        "--quiet",
    ]  # fmt: skip
    return subprocess.run(command, capture_output=True, text=True, check=False)


def print_score(result: Score) -> None:
    for item in result.disagreements:
        classes = ",".join(str(c) for c in item.classes)
        message = " ".join(item.message.split())
        print(
            f"{item.host} [{item.set}; classes {classes}] {item.rule}: expected {'|'.join(item.expected)}, "
            f"got {item.got} — {message}"
        )
    for cmp in result.cmps:
        if cmp.verdict in ("unnamed", "wrong"):
            print(f"{cmp.host} cmp: expected {cmp.expected or 'none'}, got {cmp.got or 'none'} ({cmp.verdict})")
    print(result.summary())
    print(f"{result.cmp_named_wrong} named wrong")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.accuracy", description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", default="all", choices=("tuning", "holdout", "all", "half"), help="sites to score")
    parser.add_argument("--concurrency", type=int, default=2, help="sites audited at once (default 2)")
    parser.add_argument("--out", type=Path, help="keep the audit output here (default: a temporary folder)")
    parser.add_argument("--json", type=Path, help="also write the figures and every disagreement as JSON")
    args = parser.parse_args(argv)
    if args.concurrency < 1:
        parser.error("--concurrency must be at least 1")
    try:
        sites = select(args.set)
    except CorpusError as error:
        print(f"accuracy: {error}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="corpus-") as scratch:
        out = args.out or Path(scratch) / "out"
        out.mkdir(parents=True, exist_ok=True)
        try:
            root = build_root(Path(scratch) / "root", sites)
        except CorpusError as error:
            print(f"accuracy: {error}", file=sys.stderr)
            return 2
        server = HostFolderServer(root).start()
        try:
            audit = run_audit(sites, server.port, out, args.concurrency)
        finally:
            server.stop()
        if audit.returncode not in (0, 1):  # 1 = the gate failed, which the corpus expects
            last = (audit.stderr.strip().splitlines() or ["(no output)"])[-1]
            print(f"accuracy: auditor audit exited {audit.returncode}: {last}", file=sys.stderr)
            return 3
        result = score(sites, out, args.set)
    print_score(result)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result.as_json(), indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
