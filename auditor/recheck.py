"""``auditor check RUN_DIR``: evaluate the rules again on saved evidence, without a browser.

For each site folder of the run (``RUN_DIR/<site>/evidence/evidence.json``, or ``RUN_DIR`` itself when it is a
site folder) the evidence is loaded, the rules (built-in packs plus ``--rules``) are evaluated for the audit
date, and the reports are written again in place. The previous ``report.json`` is kept beside the new one as
``report.<UTC timestamp>.json``; the other formats are regenerated from the new report (``auditor report``
can re-render them from either file). Evidence and its manifest are never touched.

The audit date is ``--audit-date``, else the one recorded in the previous ``report.json``, else the day the
evidence was captured (UTC): the same evidence and packs then always give the same findings.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError
from rich.console import Console

from auditor.audit import AuditOptions, build_report
from auditor.engine import default_context
from auditor.errors import UserError
from auditor.evidence import SiteEvidence
from auditor.findings import SiteReport
from auditor.manifest import MANIFEST_NAME, verify_manifest
from auditor.report import ALL_FORMATS, FORMAT_FILES
from auditor.rulepacks import RulePackError, load_packs, resolve_rules
from auditor.runner import rule_pack_files

EVIDENCE_FILE = Path("evidence") / "evidence.json"


@dataclass
class CheckRequest:
    """What ``auditor check`` was asked for."""

    run_dir: Path
    rule_paths: list[Path] = field(default_factory=list)
    jurisdictions: str = ""
    audit_date: dt.date | None = None
    formats: str = ""
    fail_on: str | None = None
    config: Path | None = None
    quiet: bool = False
    sign_key: Path | None = None


def site_folders(run_dir: Path) -> list[Path]:
    """The site folders of a run folder (or the folder itself when it is one site's)."""
    if (run_dir / EVIDENCE_FILE).is_file():
        return [run_dir]
    found = sorted(p.parent.parent for p in run_dir.glob(f"*/{EVIDENCE_FILE.as_posix()}"))
    if not found:
        raise UserError(f"no {EVIDENCE_FILE.as_posix()} under {run_dir} (is it an auditor output folder?)")
    return found


def load_evidence(site_dir: Path) -> SiteEvidence:
    """The saved evidence of one site; UserError naming the file when it cannot be read."""
    path = site_dir / EVIDENCE_FILE
    try:
        return SiteEvidence.load(path)
    except (OSError, UnicodeDecodeError) as error:
        raise UserError(f"{path}: cannot read: {error}") from None
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise UserError(f"{path}: not valid auditor evidence ({where}: {first['msg']})") from None


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


def recheck_site(site_dir: Path, evidence: SiteEvidence, options: AuditOptions) -> SiteReport:
    """The report of ``options.rules`` on saved evidence: pure, no browser, no files written."""
    return build_report(evidence, options)


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
        wanted = [f.strip().lower() for f in request.formats.split(",") if f.strip()]
        unknown = sorted(set(wanted) - ALL_FORMATS)
        if unknown or not wanted:
            raise UserError(
                f"--format: unknown format(s) {', '.join(unknown) or '(none)'}; "
                f"choose from {', '.join(sorted(ALL_FORMATS))}"
            )
        return wanted
    # By default, the formats the run already has (report.json is always written).
    present = {"json"}
    for site_dir in site_dirs:
        present |= {fmt for fmt, name in FORMAT_FILES.items() if fmt != "pdf" and (site_dir / name).is_file()}
    return sorted(present)


def run_check(request: CheckRequest, console: Console) -> int:
    """Re-check a run folder and return the gate's exit code."""
    from auditor.finish import finish_run, gate_settings, print_gate

    if not request.run_dir.is_dir():
        raise UserError(f"{request.run_dir}: no such folder")
    site_dirs = site_folders(request.run_dir)
    try:
        packs = load_packs(rule_pack_files(request.rule_paths))
        jurisdictions = {j.strip().lower() for j in request.jurisdictions.split(",") if j.strip()}
        rules = resolve_rules(packs, jurisdictions or None)
    except RulePackError as error:
        raise UserError(str(error)) from None
    if not rules:
        raise UserError(f"no rules apply to --jurisdiction {request.jurisdictions!r}")
    formats = _formats(request, site_dirs)
    settings = gate_settings(
        config_path=request.config,
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
        options = AuditOptions(
            out_dir=request.run_dir,
            rules=rules,
            rule_packs={p.pack: p.version for p in packs},
            context=default_context(day),
            formats=formats,
        )
        report = recheck_site(site_dir, evidence, options)
        kept = archive_report(site_dir, stamp)
        sites.append((report, site_dir))
        if not request.quiet:
            before = f" (previous report kept as {kept.name})" if kept else ""
            console.print(f"checked {evidence.site.site_id} for {day.isoformat()}: {report.summary.status}{before}")
    # Run-wide outputs (portfolio, gate.json) go into RUN_DIR, which may be a single site's folder.
    _, gate = finish_run(sites, request.run_dir, formats, settings, pack_files=rule_pack_files(request.rule_paths))
    print_gate(gate, request.run_dir, console, request.quiet)
    return gate.exit_code
