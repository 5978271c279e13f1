"""From a command line to a finished run: validate input, audit, write reports, decide the gate."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console
from rich.markup import escape

from auditor.audit import PROFILES, AuditOptions, SiteResult, audit_sites
from auditor.browser import BrowserNotFound, HostMapError, HostMapping, LaunchSettings, find_chromium
from auditor.capture.page import DEFAULT_MAX_BODY_BYTES, PageLimits
from auditor.engine import default_context
from auditor.errors import UserError
from auditor.finish import combine_runs, finish_run, gate_settings, print_gate, run_scratch_dir
from auditor.progress import RunProgress
from auditor.report import ALL_FORMATS
from auditor.report.terminal import print_summary
from auditor.rulepacks import RulePackError, builtin_pack_paths, load_packs, resolve_rules
from auditor.targets import TargetError, read_site_list, unique_targets


@dataclass
class RunRequest:
    """What the user asked for, before validation."""

    urls: list[str]
    out_dir: Path
    sites_file: Path | None = None
    formats: str = "html,json"
    jurisdictions: str = ""
    rule_paths: list[Path] = field(default_factory=list)
    map_hosts: list[str] = field(default_factory=list)
    timeout: float = 30.0
    site_budget: float = 180.0
    max_body_bytes: int | None = None  # None: PageLimits' default
    profiles: str = ""  # comma-separated visit profiles; empty: all
    fail_on: str | None = None  # None: from the configuration file, else "low"
    baseline: Path | None = None
    audit_date: dt.date | None = None
    config_path: Path | None = None
    runs: int | None = None
    aggregation: str | None = None
    history: Path | None = None
    no_history: bool = False
    self_contained: bool = False
    annotations: str | None = None  # auto (None), github or none
    sarif_suppressed: bool = True
    sign_key: Path | None = None
    executable: str | None = None
    proxy: str | None = None
    ignore_https_errors: bool = False
    quiet: bool = False
    concurrency: int = 2
    pages: int = 0
    robots: str = "obey"
    resume: bool = False
    log_json: bool = False


def rule_pack_files(extra: list[Path]) -> list[Path]:
    """Built-in packs, then the user's (files, or every *.yaml in a folder)."""
    paths = builtin_pack_paths()
    for item in extra:
        if item.is_dir():
            found = sorted(item.glob("*.yaml")) + sorted(item.glob("*.yml"))
            if not found:
                raise UserError(f"--rules {item}: the folder has no .yaml rule packs")
            paths += found
        elif item.is_file():
            paths.append(item)
        else:
            raise UserError(f"--rules {item}: no such file or folder")
    return paths


def build_options(request: RunRequest) -> AuditOptions:
    """Validate everything that can be checked before a browser starts."""
    formats = [f.strip().lower() for f in request.formats.split(",") if f.strip()]
    unknown = sorted(set(formats) - ALL_FORMATS)
    if unknown or not formats:
        raise UserError(
            f"--format: unknown format(s) {', '.join(unknown) or '(none)'}; "
            f"choose from {', '.join(sorted(ALL_FORMATS))}"
        )
    if request.timeout <= 0 or request.site_budget <= 0:
        raise UserError("--timeout and --site-budget must be positive numbers of seconds")
    if request.concurrency < 1 or request.pages < 0 or request.robots not in ("obey", "ignore"):
        raise UserError("--concurrency must be at least 1, --pages 0 or more, --robots obey or ignore")
    try:
        host_map = [HostMapping.parse(text) for text in request.map_hosts]
        packs = load_packs(rule_pack_files(request.rule_paths))
        jurisdictions = {j.strip().lower() for j in request.jurisdictions.split(",") if j.strip()}
        rules = resolve_rules(packs, jurisdictions or None)
    except (HostMapError, RulePackError) as error:
        raise UserError(str(error)) from None
    if not rules:
        raise UserError(f"no rules apply to --jurisdiction {request.jurisdictions!r}")
    profiles = tuple(p.strip().lower() for p in request.profiles.split(",") if p.strip())
    known = [name for name, _ in PROFILES]
    if set(profiles) - set(known) or (profiles and "baseline" not in profiles):
        raise UserError(f"--profiles {request.profiles!r}: choose from {', '.join(known)}; baseline is always needed")
    return AuditOptions(
        out_dir=request.out_dir,
        rules=rules,
        rule_packs={p.pack: p.version for p in packs},
        context=default_context(request.audit_date),
        formats=formats,
        launch=LaunchSettings(
            host_map=host_map,
            executable=request.executable,
            proxy=request.proxy,
            ignore_https_errors=request.ignore_https_errors,
        ),
        limits=PageLimits.for_timeout(request.timeout, request.max_body_bytes or DEFAULT_MAX_BODY_BYTES),
        site_budget=request.site_budget,
        concurrency=request.concurrency,
        extra_pages=request.pages,
        obey_robots=request.robots == "obey",
        resume=request.resume,
        profiles=profiles,
    )


def collect_urls(request: RunRequest) -> list[str]:
    urls = list(request.urls)
    if request.sites_file:
        urls += read_site_list(request.sites_file)
    if not urls:
        raise UserError("no sites given: pass URLs or --sites FILE")
    return urls


def run_audit(request: RunRequest, console: Console) -> int:
    """Run an audit end to end and return the process exit code."""
    try:
        targets = unique_targets(collect_urls(request))
        options = build_options(request)
        settings = gate_settings(
            config_path=request.config_path,
            rule_ids={rule.id for rule in options.rules},
            fail_on=request.fail_on,
            baseline=request.baseline,
            runs=request.runs,
            aggregation=request.aggregation,
            history=request.history,
            no_history=request.no_history,
            audit_date=request.audit_date,
            self_contained=request.self_contained,
            annotations=request.annotations,
            sarif_suppressed=request.sarif_suppressed,
            sign_key=request.sign_key,
        )
        options.launch.executable = find_chromium(request.executable).executable
    except (TargetError, BrowserNotFound) as error:
        raise UserError(str(error)) from None
    try:
        request.out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UserError(f"--out {request.out_dir}: {error.strerror or error}") from None

    def announce(result: SiteResult) -> None:
        if not request.quiet:
            # The URL is the user's, not markup: "[/]" in a path must print as it is, not end the run.
            console.print(f"[dim]done[/] {escape(result.target.url)} → {result.report.summary.status}")

    # The capture writes report.json only; every other format is written once runs are combined and compared.
    formats, options.formats = options.formats, ["json"]
    results_by_run = []
    progress = RunProgress(len(targets) * settings.runs, quiet=request.quiet, log_json=request.log_json)
    options.on_event = progress
    with progress:
        for run in range(1, settings.runs + 1):
            run_options = (
                options if run == 1 else dataclasses.replace(options, out_dir=run_scratch_dir(request.out_dir, run))
            )
            results_by_run.append(asyncio.run(audit_sites(targets, run_options, on_done=announce)))
    sites = combine_runs(results_by_run, settings.aggregation, request.out_dir)
    sites, gate = finish_run(
        sites, request.out_dir, formats, settings, options.launch.executable, rule_pack_files(request.rule_paths)
    )
    if not request.quiet:
        print_summary(console, sites, request.out_dir)
    print_gate(gate, request.out_dir, console, request.quiet)
    return gate.exit_code
