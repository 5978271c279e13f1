"""From one site's evidence to its findings and report files: the judging half of an audit.

The crawl calls :func:`report_site` the moment a site's evidence is complete; ``auditor check`` calls
:func:`build_report` on saved evidence. Both give the same report for the same evidence and rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from auditor import __version__
from auditor.engine import evaluate
from auditor.evidence import SiteEvidence
from auditor.evidence.profiles import BASELINE, GPC, OPTOUT
from auditor.findings import BrowserRef, CmpRef, SiteRef, SiteReport, ToolRef, summarize
from auditor.manifest import site_pack_records, store_rule_packs, write_manifest
from auditor.options import Judging
from auditor.pdf import print_pdfs
from auditor.report import PdfJob, write_site_reports
from auditor.targets import Target


@dataclass
class SiteResult:
    """A finished site: what was asked for, its report, and the folder holding both."""

    target: Target
    report: SiteReport
    site_dir: Path


def build_report(evidence: SiteEvidence, judging: Judging) -> SiteReport:
    """Evaluate the rules on the evidence and assemble ``report.json``."""
    findings = evaluate(judging.rules, evidence, judging.context)
    return SiteReport(
        tool=ToolRef(version=__version__),
        site=SiteRef(
            url=evidence.site.url,
            final_url=evidence.site.final_url,
            host=evidence.site.host,
            site_id=evidence.site.site_id,
        ),
        started_at=evidence.started_at,
        finished_at=evidence.finished_at,
        audit_date=judging.context.audit_date.isoformat(),
        browser=BrowserRef(version=evidence.browser.version),
        cmp=cmp_ref(evidence),
        rule_packs=judging.rule_packs,
        findings=findings,
        summary=summarize(findings),
    )


def cmp_ref(evidence: SiteEvidence) -> CmpRef:
    """The consent manager for the report: the one the baseline visit detected (else another visit's)."""
    for profile in (BASELINE, OPTOUT, GPC):
        capture = evidence.profiles.get(profile.name)
        detected = capture.consent.cmp if capture is not None and capture.consent is not None else None
        if detected is not None:
            return CmpRef(name=detected.name, detected_by=detected.detected_by, confidence=detected.confidence)
    return CmpRef()


def save_evidence(evidence: SiteEvidence, site_dir: Path, rule_packs: dict[str, str]) -> None:
    """Write evidence.json and the manifest hashing every evidence artifact."""
    evidence_dir = site_dir / "evidence"
    evidence.save(evidence_dir / "evidence.json")
    write_manifest(
        evidence_dir,
        metadata={
            "tool": {"name": "auditor", "version": __version__},
            "browser": {"name": "chromium", "version": evidence.browser.version},
            "rule_packs": rule_packs,
            "site": evidence.site.url,
            "started_at": evidence.started_at.isoformat(),
            "finished_at": evidence.finished_at.isoformat(),
        },
    )


def report_site(
    evidence: SiteEvidence, site_dir: Path, judging: Judging, formats: list[str], executable: str | None = None
) -> SiteReport:
    """Save a finished site's evidence, evaluate the rules and write its reports (a PDF printed with the Chromium
    ``executable``); return the report."""
    save_evidence(evidence, site_dir, judging.rule_packs)
    report = build_report(evidence, judging)
    pdf_jobs: list[PdfJob] = []
    packs = None
    if judging.pack_files:
        run_dir = site_dir.parent
        packs = site_pack_records(store_rule_packs(list(judging.pack_files), run_dir), run_dir, site_dir)
    write_site_reports(report, site_dir, formats, pdf_jobs=pdf_jobs, packs=packs)
    print_pdfs(pdf_jobs, executable)
    return report
