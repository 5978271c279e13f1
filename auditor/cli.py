"""The ``auditor`` command line."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from rich.console import Console

from auditor import __version__
from auditor.crawl.cli_options import crawl_options
from auditor.errors import UserError
from auditor.gate import EXIT_USAGE, FAIL_ON_CHOICES
from auditor.report.annotations import ANNOTATION_CHOICES

console = Console(stderr=False, highlight=False)
err_console = Console(stderr=True, highlight=False)


sarif_suppressed_option = click.option(
    "--sarif-suppressed",
    type=click.Choice(["include", "omit"]),
    default="include",
    show_default=True,
    help="Waived and baseline-known findings in SARIF: as suppressed results, or left out (GitHub code scanning "
    "opens alerts even for suppressed results).",
)
sign_key_option = click.option(
    "--sign-key",
    type=click.Path(path_type=Path),
    help="Ed25519 private key (PEM, from auditor keygen): sign the run manifest (OUT/manifest.json.sig). Re-rendering "
    "and re-checking rewrite the manifest, so an old signature is removed unless they sign again.",
)


def _fail(message: str) -> None:
    raise UserError(message)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="auditor")
def cli() -> None:
    """Audit websites for CCPA/CPRA privacy-notice compliance in a real headless browser.

    \b
    Quick start:
      auditor demo                         audit the bundled demo sites
      auditor audit https://www.example.com
      auditor doctor                       which browser, what is missing
    """


@cli.command()
@click.argument("urls", nargs=-1)
@click.option(
    "--sites",
    "sites_file",
    type=click.Path(path_type=Path),
    help="File of sites: one URL a line, or CSV with a url column.",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path),
    default=Path("audit-reports"),
    show_default=True,
    help="Output folder.",
)
@click.option(
    "--format",
    "formats",
    default="html,json",
    show_default=True,
    help="Comma-separated: html, json, md, sarif, junit, codequality (GitLab Code Quality), pdf (report.json is "
    "always written).",
)
@click.option(
    "--jurisdiction",
    "jurisdictions",
    default="",
    help="Comma-separated jurisdictions to check (e.g. ca,co); default all.",
)
@click.option(
    "--rules",
    "rule_dirs",
    multiple=True,
    type=click.Path(path_type=Path),
    help="Extra rule pack file or folder (repeatable).",
)
@click.option(
    "--map-host",
    "map_hosts",
    multiple=True,
    metavar="HOST=ADDR[:PORT]",
    help="Send HOST (or a pattern: '*.example.com', '*') to ADDR, like curl --resolve. HOST=~NOTFOUND makes "
    "HOST fail to resolve (test a DNS failure). Repeatable; the first rule matching a host wins.",
)
@click.option(
    "--timeout",
    type=float,
    default=30.0,
    show_default=True,
    help="Seconds allowed for one page to load; the waits after it (settling, each read of the page, a late "
    "consent banner) scale with it.",
)
@click.option("--site-budget", type=float, default=180.0, show_default=True, help="Seconds allowed for one whole site.")
@click.option(
    "--profiles",
    default="",
    help="Visit profiles to run, comma-separated: baseline, gpc, optout (default all). Fewer is faster; rules "
    "that need a visit not run are not assessable, and say so.",
)
@click.option(
    "--max-body-bytes",
    type=click.IntRange(10_000),
    default=None,
    help="Largest body kept from one page: DOM snapshot, visible text, policy text; the rest is cut, and the "
    "evidence says so.  [default: 2000000]",
)
@click.option(
    "--fail-on",
    type=click.Choice(FAIL_ON_CHOICES),
    default=None,
    help="Lowest severity of a failing finding that fails the gate (default: from the config, else low).",
)
@click.option(
    "--baseline",
    type=click.Path(path_type=Path),
    help="A previous report.json, list of them, or run folder: only failures not in it fail the gate.",
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path),
    help="Gate configuration (TOML); default ./auditor.toml, else [tool.auditor] in ./pyproject.toml.",
)
@click.option("--runs", type=click.IntRange(1, 20), default=None, help="Audit each site N times (default 1).")
@click.option(
    "--aggregation",
    type=click.Choice(["pessimistic", "median"]),
    default=None,
    help="How --runs combine per rule: the worst result, or the median one (default pessimistic).",
)
@click.option(
    "--history",
    type=click.Path(path_type=Path),
    help="SQLite history store, to show what changed since each site's previous run (default .auditor/history.db).",
)
@click.option("--no-history", is_flag=True, help="Neither read nor record run history.")
@click.option("--self-contained", is_flag=True, help="Write report.html as one file with its screenshots inlined.")
@click.option(
    "--annotations",
    type=click.Choice(ANNOTATION_CHOICES),
    default="auto",
    show_default=True,
    help="Print a GitHub workflow annotation (::error / ::warning) per finding that blocks or warns; auto: when "
    "GITHUB_ACTIONS=true.",
)
@sarif_suppressed_option
@sign_key_option
@click.option(
    "--audit-date", type=click.DateTime(formats=["%Y-%m-%d"]), help="Judge rules as of this date (default today, UTC)."
)
@click.option("--browser", "executable", help="Path of the Chromium to use (default: found automatically).")
@click.option("--proxy", help="Proxy server for the browser, e.g. http://ca-egress:3128 (recorded in the evidence).")
@click.option("--ignore-https-errors", is_flag=True, help="Accept invalid TLS certificates (staging servers).")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors.")
@crawl_options
def audit(
    urls,
    sites_file,
    out_dir,
    formats,
    jurisdictions,
    rule_dirs,
    map_hosts,
    timeout,
    site_budget,
    profiles,
    max_body_bytes,
    fail_on,
    baseline,
    config_path,
    runs,
    aggregation,
    history,
    no_history,
    self_contained,
    annotations,
    sarif_suppressed,
    sign_key,
    audit_date,
    executable,
    proxy,
    ignore_https_errors,
    quiet,
    **crawl,
) -> None:
    """Audit one or more sites and write a report per site.

    \b
    Exit codes: 0 gate passed; 1 gate failed; 2 usage or configuration error; 3 no site could be audited.
    Gate configuration (levels per rule, waivers, baseline): see ci/README.md.
    """
    from auditor.runner import RunRequest, run_audit

    request = RunRequest(
        urls=list(urls),
        sites_file=sites_file,
        out_dir=out_dir,
        formats=formats,
        jurisdictions=jurisdictions,
        rule_paths=list(rule_dirs),
        map_hosts=list(map_hosts),
        timeout=timeout,
        site_budget=site_budget,
        profiles=profiles,
        max_body_bytes=max_body_bytes,
        fail_on=fail_on,
        baseline=baseline,
        config_path=config_path,
        runs=runs,
        aggregation=aggregation,
        history=history,
        no_history=no_history,
        self_contained=self_contained,
        annotations=annotations,
        sarif_suppressed=sarif_suppressed == "include",
        sign_key=sign_key,
        audit_date=audit_date.date() if audit_date else None,
        executable=executable,
        proxy=proxy,
        ignore_https_errors=ignore_https_errors,
        quiet=quiet,
        **crawl,
    )
    sys.exit(run_audit(request, console))


@cli.command()
@click.argument("run_dir", type=click.Path(path_type=Path))
@click.option(
    "--format",
    "formats",
    default="html,md,sarif,junit",
    show_default=True,
    help="Comma-separated: html, json, md, sarif, junit, codequality, pdf.",
)
@click.option("--self-contained", is_flag=True, help="Write report.html as one file with its screenshots inlined.")
@click.option("--browser", "executable", help="Chromium for --format pdf (default: found automatically).")
@sarif_suppressed_option
@sign_key_option
def report(
    run_dir: Path,
    formats: str,
    self_contained: bool,
    executable: str | None,
    sarif_suppressed: str,
    sign_key: Path | None,
) -> None:
    """Re-render reports from the saved report.json files of a run folder, without a browser (except for pdf).

    The manifests are written again to cover the new files; a signature is removed unless --sign-key signs again.
    """
    from auditor.report.rerender import rerender_run

    if sign_key is not None:
        from auditor.signing import check_signing_key

        check_signing_key(sign_key)
    code = rerender_run(run_dir, formats, self_contained, executable, console, sign_key, sarif_suppressed == "include")
    sys.exit(code)


@cli.command()
@click.argument("run_dir", type=click.Path(path_type=Path))
@click.option("--config", "config_path", type=click.Path(path_type=Path), help="Gate configuration (TOML).")
@click.option("--fail-on", type=click.Choice(FAIL_ON_CHOICES), default=None, help="Overrides the configuration.")
@click.option(
    "--baseline", type=click.Path(path_type=Path), help="A previous report.json, list of them, or run folder."
)
@click.option("--audit-date", type=click.DateTime(formats=["%Y-%m-%d"]), help="Judge waiver expiry as of this date.")
def gate(run_dir: Path, config_path: Path | None, fail_on: str | None, baseline: Path | None, audit_date) -> None:
    """Decide the gate again on a finished run's reports, no browser (exit 0 pass, 1 fail, 3 unreachable)."""
    from auditor.finish import regate_run

    day = audit_date.date() if audit_date else None
    sys.exit(regate_run(run_dir, console, config_path=config_path, fail_on=fail_on, baseline=baseline, audit_date=day))


@cli.command()
@click.argument("run_dir", type=click.Path(path_type=Path))
@click.option(
    "--public-key",
    type=click.Path(path_type=Path),
    help="Ed25519 public key (PEM): also check the run manifest's signature (manifest.json.sig).",
)
def verify(run_dir: Path, public_key: Path | None) -> None:
    """Check every hash of a run, re-judge each site's saved evidence, and name any report that does not follow.

    \b
    Exit codes: 0 verified; 1 a file, a report or the signature does not match; 2 not an auditor output folder.
    """
    from auditor.verify import verification_lines, verify_run

    result = verify_run(run_dir, public_key)
    for line in verification_lines(result):
        console.print(line, markup=False, highlight=False, soft_wrap=True)
    sys.exit(0 if result.ok else 1)


@cli.command()
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path),
    default=Path("."),
    show_default=True,
    help="Folder for auditor-signing.key (private, mode 0600) and auditor-signing.pub.",
)
def keygen(out_dir: Path) -> None:
    """Make an Ed25519 key pair for signing runs (--sign-key) and checking them (verify --public-key)."""
    from auditor.signing import generate_key_pair

    private, public = generate_key_pair(out_dir)
    console.print(
        f"private key: {private} (keep it secret, e.g. in your CI's secret store)", markup=False, soft_wrap=True
    )
    console.print(
        f"public key:  {public} (give it to whoever runs auditor verify --public-key)", markup=False, soft_wrap=True
    )


@cli.command()
@click.argument("value")
def decode(value: str) -> None:
    """Decode a US Privacy, GPP or OptanonConsent value as JSON."""
    from auditor.signals import SignalDecodeError, decode_any

    try:
        decoded = decode_any(value)
    except SignalDecodeError as error:
        _fail(str(error))
    console.print_json(json.dumps(decoded))


@cli.command()
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=Path("audit-reports"), show_default=True)
@click.option("--browser", "executable", help="Path of the Chromium to use.")
def demo(out_dir: Path, executable: str | None) -> None:
    """Serve the bundled demo sites on loopback and audit them."""
    from auditor.demo import run_demo

    sys.exit(run_demo(out_dir, executable, console))


@cli.command()
def doctor() -> None:
    """Which browser and versions the auditor will use, and how to fix anything missing."""
    from auditor.doctor import run_doctor

    sys.exit(run_doctor(console))


@cli.command()
@click.argument("urls", nargs=-1)
@click.option("--redis", "redis_url", required=True, metavar="URL", help="Redis URL, e.g. redis://queue-host:6379/0.")
@click.option("--sites", "sites_file", type=click.Path(path_type=Path), help="File of sites (one URL a line, or CSV).")
def enqueue(urls, redis_url: str, sites_file: Path | None) -> None:
    """Put sites on a shared Redis queue for `auditor worker` processes on any machine."""
    from auditor.crawl.commands import run_enqueue

    sys.exit(run_enqueue(redis_url, list(urls), sites_file, console))


@cli.command()
@click.option("--redis", "redis_url", required=True, metavar="URL", help="Redis URL of the shared queue.")
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=Path("audit-reports"), show_default=True)
@click.option(
    "--idle-exit",
    type=click.IntRange(0),
    default=30,
    show_default=True,
    help="Exit after the queue has been empty (and this worker idle) this many seconds; 0 runs until stopped.",
)
@click.option("--format", "formats", default="html,json", show_default=True, help="Comma-separated report formats.")
@click.option("--jurisdiction", "jurisdictions", default="", help="Comma-separated jurisdictions (default all).")
@click.option("--rules", "rule_dirs", multiple=True, type=click.Path(path_type=Path), help="Extra rule pack.")
@click.option("--map-host", "map_hosts", multiple=True, metavar="HOST=ADDR[:PORT]", help="As for `auditor audit`.")
@click.option("--timeout", type=float, default=30.0, show_default=True, help="Seconds allowed for one page to load.")
@click.option("--site-budget", type=float, default=180.0, show_default=True, help="Seconds allowed for one site.")
@click.option("--max-body-bytes", type=click.IntRange(10_000), default=None, help="As for `auditor audit`.")
@click.option("--browser", "executable", help="Path of the Chromium to use.")
@click.option("--proxy", help="Proxy server for the browser (recorded in the evidence).")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors.")
@crawl_options
def worker(
    redis_url,
    out_dir,
    idle_exit,
    formats,
    jurisdictions,
    rule_dirs,
    map_hosts,
    timeout,
    site_budget,
    max_body_bytes,
    executable,
    proxy,
    quiet,
    **crawl,
) -> None:
    """Audit sites from a shared Redis queue (run any number, on any machine); results go to --out."""
    from auditor.crawl.commands import run_worker_command
    from auditor.runner import RunRequest

    request = RunRequest(
        urls=[],
        out_dir=out_dir,
        formats=formats,
        jurisdictions=jurisdictions,
        rule_paths=list(rule_dirs),
        map_hosts=list(map_hosts),
        timeout=timeout,
        site_budget=site_budget,
        max_body_bytes=max_body_bytes,
        executable=executable,
        proxy=proxy,
        quiet=quiet,
        **crawl,
    )
    sys.exit(run_worker_command(request, redis_url, idle_exit, console))


@cli.command()
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=Path("audit-reports"), show_default=True)
@click.option("--format", "formats", default="html,json", show_default=True, help="Comma-separated report formats.")
@click.option("--redis", "redis_url", metavar="URL", help="Also name the enqueued sites that have no report.")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors.")
def collect(out_dir: Path, formats: str, redis_url: str | None, quiet: bool) -> None:
    """Build the portfolio report and the gate from the workers' output folder."""
    from auditor.crawl.commands import run_collect

    sys.exit(run_collect(out_dir, formats, redis_url, console, quiet))


# The rule catalog and re-checking saved evidence live in auditor.rules_cli (imports stay lazy there).
from auditor.rules_cli import check_command, rules_group  # noqa: E402

cli.add_command(rules_group)
cli.add_command(check_command)


def main(argv: list[str] | None = None) -> None:
    """Entry point: every user error is one line on stderr and exit code 2, never a traceback."""
    try:
        code = cli.main(args=argv, prog_name="auditor", standalone_mode=False)
    except click.exceptions.Abort:
        err_console.print("auditor: interrupted")
        sys.exit(130)
    except click.ClickException as error:
        err_console.print(f"auditor: error: {error.format_message()}", markup=False, highlight=False, soft_wrap=True)
        sys.exit(EXIT_USAGE)
    except UserError as error:
        # One line whatever its length, and the user's text (a URL with "[/]") printed as it is, not as markup.
        err_console.print(f"auditor: error: {error}", markup=False, highlight=False, soft_wrap=True)
        sys.exit(EXIT_USAGE)
    sys.exit(code or 0)


if __name__ == "__main__":
    main()
