"""Audit sites: capture each visit profile, save evidence, evaluate rules, write reports.

One browser for the run, one fresh context per visit profile. Each site's results are written the
moment it finishes, so a failure on one site never loses another's.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from auditor import __version__
from auditor.browser import LaunchSettings, find_chromium
from auditor.capture.page import PageLimits
from auditor.capture.profile import capture_profile
from auditor.checks import CheckContext
from auditor.engine import evaluate
from auditor.evidence import (
    BrowserInfo,
    ProfileCapture,
    SiteEvidence,
    SiteInfo,
    ToolInfo,
    Vantage,
)
from auditor.findings import BrowserRef, CmpRef, SiteRef, SiteReport, ToolRef, summarize
from auditor.manifest import write_manifest
from auditor.report import write_site_reports
from auditor.rulepacks import Rule
from auditor.targets import Target

PROFILES: tuple[tuple[str, bool], ...] = (("baseline", False), ("gpc", True), ("optout", False))


@dataclass
class AuditOptions:
    """Everything one run needs besides the sites."""

    out_dir: Path
    rules: list[Rule]
    rule_packs: dict[str, str]
    context: CheckContext
    formats: list[str] = field(default_factory=lambda: ["json", "html"])
    launch: LaunchSettings = field(default_factory=LaunchSettings)
    limits: PageLimits = field(default_factory=PageLimits)
    site_budget: float = 120.0
    # The crawl (auditor.crawl): browser contexts at once, extra same-site pages, robots.txt for them, resume.
    concurrency: int = 2
    extra_pages: int = 0
    obey_robots: bool = True
    resume: bool = False
    on_event: Callable[[dict], None] | None = None
    profiles: tuple[str, ...] = ()  # the visit profiles to run (--profiles); empty: all of PROFILES


def visit_profiles(options: AuditOptions) -> list[tuple[str, bool]]:
    """The profiles of :data:`PROFILES` a run visits, in order."""
    return [p for p in PROFILES if not options.profiles or p[0] in options.profiles]


def profiles_not_requested(options: AuditOptions) -> str | None:
    """Why some visits are missing by design (``--profiles``), for the evidence; None when all are run."""
    skipped = [name for name, _ in PROFILES if options.profiles and name not in options.profiles]
    if not skipped:
        return None
    return f"the {', '.join(skipped)} visit{'s were' if len(skipped) > 1 else ' was'} not requested (--profiles)"


@dataclass
class SiteResult:
    target: Target
    report: SiteReport
    site_dir: Path


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


async def capture_site(
    browser, target: Target, options: AuditOptions, site_dir: Path, profiles: dict[str, ProfileCapture]
) -> None:
    """Visit the site in every profile, adding each finished profile to ``profiles`` as it completes.

    Filling a caller-owned dict means a site that runs out of time keeps the profiles it finished.
    """
    for name, gpc in visit_profiles(options):
        profiles[name] = await capture_profile(
            browser,
            target.url,
            name=name,
            gpc=gpc,
            site_dir=site_dir,
            limits=options.limits,
            ignore_https_errors=options.launch.ignore_https_errors,
        )


def assemble_evidence(
    target: Target,
    browser_version: str,
    options: AuditOptions,
    started: dt.datetime,
    profiles: dict[str, ProfileCapture],
    interrupted: str | None = None,
) -> SiteEvidence:
    """The site's evidence from the profiles captured so far; ``failure`` says why when nothing usable was seen."""
    baseline = profiles.get("baseline")
    failure = None
    if baseline is None:
        failure = interrupted or "the homepage was not captured"
    elif baseline.homepage.error and not baseline.homepage.final_url:
        failure = baseline.homepage.error
    return SiteEvidence(
        site=SiteInfo(
            url=target.url,
            host=target.host,
            site_id=target.site_id,
            final_url=baseline.homepage.final_url if baseline else "",
        ),
        tool=ToolInfo(version=__version__),
        browser=BrowserInfo(version=browser_version, executable=options.launch.executable or ""),
        vantage=Vantage(proxy=options.launch.proxy, host_map=[str(m) for m in options.launch.host_map]),
        started_at=started,
        finished_at=now_utc(),
        profiles=dict(profiles),
        failure=failure,
        interrupted=interrupted,
    )


def build_report(evidence: SiteEvidence, options: AuditOptions) -> SiteReport:
    """Evaluate the rules on the evidence and assemble ``report.json``."""
    findings = evaluate(options.rules, evidence, options.context)
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
        audit_date=options.context.audit_date.isoformat(),
        browser=BrowserRef(version=evidence.browser.version),
        cmp=cmp_ref(evidence),
        rule_packs=options.rule_packs,
        findings=findings,
        summary=summarize(findings),
    )


def cmp_ref(evidence: SiteEvidence) -> CmpRef:
    """The consent manager for the report: the one the baseline visit detected (else another visit's)."""
    for name in ("baseline", "optout", "gpc"):
        capture = evidence.profiles.get(name)
        detected = capture.consent.cmp if capture is not None and capture.consent is not None else None
        if detected is not None:
            return CmpRef(name=detected.name, detected_by=detected.detected_by, confidence=detected.confidence)
    return CmpRef()


def save_evidence(evidence: SiteEvidence, site_dir: Path, options: AuditOptions) -> None:
    """Write evidence.json and the manifest hashing every evidence artifact."""
    evidence_dir = site_dir / "evidence"
    evidence.save(evidence_dir / "evidence.json")
    write_manifest(
        evidence_dir,
        metadata={
            "tool": {"name": "auditor", "version": __version__},
            "browser": {"name": "chromium", "version": evidence.browser.version},
            "rule_packs": options.rule_packs,
            "site": evidence.site.url,
            "started_at": evidence.started_at.isoformat(),
            "finished_at": evidence.finished_at.isoformat(),
        },
    )


async def audit_one(browser, target: Target, options: AuditOptions) -> SiteResult:
    """Capture, judge and report one site within the site's time budget, keeping whatever was captured."""
    site_dir = options.out_dir / target.site_id
    site_dir.mkdir(parents=True, exist_ok=True)
    started = now_utc()
    profiles: dict[str, ProfileCapture] = {}
    interrupted = None
    try:
        await asyncio.wait_for(capture_site(browser, target, options, site_dir, profiles), options.site_budget)
    except TimeoutError:
        interrupted = f"the site took longer than its {options.site_budget:.0f} s budget"
    evidence = assemble_evidence(target, browser.version, options, started, profiles, interrupted)
    report = report_site(evidence, site_dir, options)
    return SiteResult(target=target, report=report, site_dir=site_dir)


def report_site(evidence: SiteEvidence, site_dir: Path, options: AuditOptions) -> SiteReport:
    """Save a finished site's evidence, evaluate the rules and write its reports; return the report."""
    save_evidence(evidence, site_dir, options)
    report = build_report(evidence, options)
    write_site_reports(report, site_dir, options.formats)
    return report


async def audit_sites(
    targets: list[Target], options: AuditOptions, on_done: Callable[[SiteResult], None] | None = None
) -> list[SiteResult]:
    """Audit every target through the Scrapy crawl (:mod:`auditor.crawl`); call ``on_done`` as each site finishes.

    Results come back in the order of ``targets``; with ``options.resume`` a site already complete on disk is
    not visited again and its saved report is returned.
    """
    from auditor.crawl.run import crawl_sites

    options.launch.executable = options.launch.executable or find_chromium().executable
    return await crawl_sites(targets, options, on_done)
