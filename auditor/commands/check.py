"""``auditor check RUN_DIR``: evaluate the rules again on saved evidence, without a browser.

For each site folder of the run (``RUN_DIR/<site>/evidence/evidence.json``, or ``RUN_DIR`` itself when it is a
site folder) the evidence is loaded, the rules (built-in packs plus ``--rules``) are evaluated for the audit
date, and the reports are written again in place. The previous ``report.json`` is kept beside the new one as
``report.<UTC timestamp>.json``; the other formats are regenerated from the new report (``auditor report``
can re-render them from either file). The evidence is never touched; the manifests are written again to cover the
new reports and record the rule packs used (copied into ``RUN_DIR/rules/``).

The audit date is ``--audit-date``, else the one recorded in the previous ``report.json``, else the day the
evidence was captured (UTC): the same evidence and packs then always give the same findings.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click
from rich.console import Console

from auditor.commands.shared import (
    config_option,
    date_option,
    fail_on_option,
    jurisdiction_option,
    plain_console,
    quiet_option,
    rules_option,
    sign_key_option,
)
from auditor.engine import default_context
from auditor.errors import UserError
from auditor.evidence import SiteEvidence
from auditor.findings import SiteReport
from auditor.finish import finish_run, gate_settings, print_gate
from auditor.judging import build_report
from auditor.manifest import MANIFEST_NAME, verify_manifest
from auditor.options import Judging
from auditor.report import FORMAT_FILES, parse_formats
from auditor.run_folder import load_evidence, site_folders
from auditor.runner import load_rules, rule_pack_files


@dataclass
class CheckRequest:
    """What ``auditor check`` was asked for."""

    run_dir: Path
    rule_paths: tuple[Path, ...] = ()
    jurisdictions: str = ""
    audit_date: dt.date | None = None
    formats: str = ""
    fail_on: str | None = None
    config_path: Path | None = None
    quiet: bool = False
    sign_key: Path | None = None


def previous_audit_date(site_dir: Path) -> dt.date | None:
    """The audit date recorded in the site's current report.json, if there is a readable one."""
    try:
        recorded = json.loads((site_dir / "report.json").read_text(encoding="utf-8")).get("audit_date")
        return dt.date.fromisoformat(recorded) if recorded else None
    except (OSError, ValueError, AttributeError):
        return None


def audit_date_for(site_dir: Path, evidence: SiteEvidence, requested: dt.date | None) -> dt.date:
    """``--audit-date``, else the previous report's, else the capture day (UTC)."""
    return requested or previous_audit_date(site_dir) or evidence.started_at.astimezone(dt.UTC).date()


def archive_report(site_dir: Path, stamp: str) -> Path | None:
    """Rename the current report.json to report.<stamp>.json; return the new path (None if there was none)."""
    current = site_dir / "report.json"
    if not current.is_file():
        return None
    target = site_dir / f"report.{stamp}.json"
    current.replace(target)
    return target


def _formats(request: CheckRequest, site_dirs: list[Path]) -> list[str]:
    if request.formats:
        return parse_formats(request.formats)
    # By default, the formats the run already has (report.json is always written).
    present = {"json"}
    for site_dir in site_dirs:
        present |= {fmt for fmt, name in FORMAT_FILES.items() if fmt != "pdf" and (site_dir / name).is_file()}
    return sorted(present)


def run_check(request: CheckRequest, console: Console) -> int:
    """Re-check a run folder and return the gate's exit code."""
    if not request.run_dir.is_dir():
        raise UserError(f"{request.run_dir}: no such folder")
    site_dirs = site_folders(request.run_dir)
    packs, rules = load_rules(request.rule_paths, request.jurisdictions)
    formats = _formats(request, site_dirs)
    settings = gate_settings(
        config_path=request.config_path,
        rule_ids={r.id for r in rules},
        fail_on=request.fail_on,
        audit_date=request.audit_date,
        no_history=True,
        sign_key=request.sign_key,
    )
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    sites: list[tuple[SiteReport, Path]] = []
    for site_dir in site_dirs:
        evidence = load_evidence(site_dir)
        if (site_dir / "evidence" / MANIFEST_NAME).is_file() and not verify_manifest(site_dir / "evidence").ok:
            console.print(
                f"[yellow]warning[/] {site_dir.name}: the evidence does not match its manifest "
                f"(see `auditor verify {site_dir}`); checking it anyway.",
                highlight=False,
            )
        day = audit_date_for(site_dir, evidence, request.audit_date)
        judging = Judging(rules=rules, rule_packs={p.pack: p.version for p in packs}, context=default_context(day))
        report = build_report(evidence, judging)
        kept = archive_report(site_dir, stamp)
        sites.append((report, site_dir))
        if not request.quiet:
            before = f" (previous report kept as {kept.name})" if kept else ""
            console.print(f"checked {evidence.site.site_id} for {day.isoformat()}: {report.summary.status}{before}")
    # Run-wide outputs (portfolio, gate.json) go into RUN_DIR, which may be a single site's folder.
    sites, gate = finish_run(sites, request.run_dir, formats, settings, pack_files=rule_pack_files(request.rule_paths))
    print_gate(gate, request.run_dir, console, request.quiet, sites)
    return gate.exit_code


@click.command("check")
@click.argument("run_dir", type=click.Path(path_type=Path))
@rules_option
@jurisdiction_option
@date_option(
    "--audit-date", "Judge rules as of this date (default: the date of the previous report, else the capture day)."
)
@click.option("--format", "formats", default="", help="Comma-separated formats (default: those the run has).")
@fail_on_option
@config_option
@quiet_option
@sign_key_option
def command(**given: Any) -> None:
    """Evaluate the rules again on a run's saved evidence, without a browser.

    The previous report.json of each site is kept as report.<timestamp>.json; the same evidence and rule
    packs always give the same findings. The manifests are written again (recording the packs used); a signature
    is removed unless --sign-key signs again.
    """
    sys.exit(run_check(CheckRequest(**given), plain_console))
