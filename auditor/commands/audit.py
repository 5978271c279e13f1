"""``auditor audit``: audit sites end to end: validate, crawl, write every report, decide the gate."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import sys
import time
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.markup import escape

from auditor.browser import BrowserNotFound, find_chromium
from auditor.commands.shared import (
    apply,
    baseline_option,
    config_option,
    console,
    date_option,
    fail_on_option,
    request_default,
    request_option,
    run_options,
    sarif_suppressed_option,
    say_config,
    self_contained_option,
    sign_key_option,
)
from auditor.crawl.run import crawl_sites
from auditor.errors import UserError
from auditor.finish import combine_runs, finish_run, gate_settings, print_gate, run_scratch_dir
from auditor.judging import SiteResult
from auditor.progress import RunProgress
from auditor.report.annotations import ANNOTATION_CHOICES
from auditor.report.terminal import print_summary
from auditor.report.timings import print_timings
from auditor.runner import RunRequest, build_options, collect_urls, rule_pack_files
from auditor.serve import plan_serving, serve_site
from auditor.targets import TargetError, unique_targets

log = logging.getLogger(__name__)


def run_audit(request: RunRequest, console: Console) -> int:
    """Run an audit end to end and return the process exit code."""
    try:
        targets = unique_targets(collect_urls(request))
        options = build_options(request)
        serving = plan_serving(
            targets, request.static_dir, request.start_server, request.wait_for, request.wait_timeout
        )
        settings = gate_settings(
            config_path=request.config_path,
            rule_ids={rule.id for rule in options.judging.rules},
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
        browser = find_chromium(request.executable)
        options.launch.executable = browser.executable
        log.info("browser: %s (%s)", browser.executable, browser.source)
    except (TargetError, BrowserNotFound) as error:
        raise UserError(str(error)) from None
    say_config(console, settings.config, request.quiet)
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
    report_seconds: dict[str, float] = {}

    def on_event(event: dict) -> None:
        if event.get("event") == "site_done":
            report_seconds[event["site"]] = event.get("report_seconds", 0.0)
        progress(event)

    options.on_event = on_event
    with serve_site(serving, request.out_dir) as served, progress:
        options.launch.host_map[:0] = served.host_map  # before the user's rules: Chromium applies the first match
        if served.note and not request.quiet:
            console.print(f"[dim]{escape(served.note)}[/]")
        for run in range(1, settings.runs + 1):
            run_options = (
                options if run == 1 else dataclasses.replace(options, out_dir=run_scratch_dir(request.out_dir, run))
            )
            results_by_run.append(asyncio.run(crawl_sites(targets, run_options, on_done=announce)))
    sites = combine_runs(results_by_run, settings.aggregation, request.out_dir)
    finishing = time.monotonic()
    sites, gate = finish_run(
        sites, request.out_dir, formats, settings, options.launch.executable, rule_pack_files(request.rule_paths)
    )
    if request.timings:
        print_timings(console, [site_dir for _, site_dir in sites], report_seconds, time.monotonic() - finishing)
    if not request.quiet:
        print_summary(console, sites, request.out_dir)
    print_gate(gate, request.out_dir, console, request.quiet, sites)
    return gate.exit_code


@click.command("audit")
@click.argument("urls", nargs=-1)
@click.option(
    "--sites",
    "sites_file",
    type=click.Path(path_type=Path),
    help="File of sites: one URL a line, or CSV with a url column.",
)
@run_options
@apply(
    click.option(
        "--profiles",
        default=request_default("profiles"),
        help="Visit profiles to run, comma-separated: baseline, gpc, optout (default all). Fewer is faster; rules "
        "that need a visit not run are not assessable, and say so.",
    ),
    fail_on_option,
    baseline_option,
    config_option,
    click.option("--runs", type=click.IntRange(1, 20), default=None, help="Audit each site N times (default 1)."),
    click.option(
        "--aggregation",
        type=click.Choice(["pessimistic", "median"]),
        default=None,
        help="How --runs combine per rule: the worst result, or the median one (default pessimistic).",
    ),
    click.option(
        "--history",
        type=click.Path(path_type=Path),
        help="SQLite history store, to show what changed since each site's previous run (default .auditor/history.db).",
    ),
    click.option("--no-history", is_flag=True, help="Neither read nor record run history."),
    self_contained_option,
    request_option(
        "--annotations",
        type=click.Choice(ANNOTATION_CHOICES),
        help="Print a GitHub workflow annotation (::error / ::warning) per finding that blocks or warns; auto: when "
        "GITHUB_ACTIONS=true.",
    ),
    sarif_suppressed_option,
    sign_key_option,
    date_option("--audit-date", "Judge rules as of this date (default today, UTC)."),
    click.option("--ignore-https-errors", is_flag=True, help="Accept invalid TLS certificates (staging servers)."),
    # The site under test, served for the length of the audit (auditor.serve), as Lighthouse CI does.
    click.option(
        "--static-dir",
        type=click.Path(path_type=Path),
        help="Serve this built site on loopback under the audited URLs' host names (http:// URLs); every other host "
        "resolves as before.",
    ),
    click.option(
        "--start-server",
        metavar="CMD",
        help="Start the site with this shell command before the audit and stop it (its whole process group) after; "
        "its output goes to OUT/server.log. Needs --wait-for.",
    ),
    click.option(
        "--wait-for",
        metavar="URL",
        help="Wait until URL answers (an HTTP status below 500) before auditing.",
    ),
    request_option(
        "--wait-timeout",
        type=float,
        help="Seconds --wait-for waits before giving up (exit 2, naming the server's log).",
    ),
    click.option(
        "--timings",
        is_flag=True,
        help="After the run, print where each site's time went: every step of every visit (navigation, settle, "
        "links, screenshots, each gatherer, extra pages) and the report writing. The steps are in the evidence too.",
    ),
)
def command(**given: Any) -> None:
    """Audit one or more sites and write a report per site.

    \b
    Exit codes: 0 gate passed; 1 gate failed; 2 usage or configuration error; 3 no site could be audited.
    Gate configuration (levels per rule, waivers, baseline): see ci/README.md.
    """
    sys.exit(run_audit(RunRequest(**given), console))
