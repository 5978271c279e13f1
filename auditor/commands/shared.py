"""What several commands share: the console, and options declared once.

An option two commands both take is declared here once, so its help text cannot drift between them; the
defaults of ``auditor audit`` and ``auditor worker`` are read from :class:`~auditor.runner.RunRequest`, the
dataclass those options fill, so the help and the behaviour cannot disagree either. Each option's destination
is the name of the request field it fills: a command passes its keyword arguments straight to the request.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.console import Console

from auditor.config import GateConfig, describe_source
from auditor.gate import FAIL_ON_CHOICES
from auditor.runner import RunRequest

console = Console(stderr=False, highlight=False)
err_console = Console(stderr=True, highlight=False, soft_wrap=True)
# Output a person may pipe or paste (rule tables, schemas): never wrapped to the terminal's width.
plain_console = Console(highlight=False, soft_wrap=True)

Command = TypeVar("Command", bound=Callable[..., Any])
_REQUEST_DEFAULTS = {f.name: f.default for f in dataclasses.fields(RunRequest)}


def request_default(name: str) -> Any:
    """The default of a :class:`RunRequest` field: the one default an option of ``audit`` and ``worker`` has."""
    return _REQUEST_DEFAULTS[name]


def request_option(flag: str, dest: str | None = None, **settings: Any) -> Callable[[Command], Command]:
    """An option of ``audit`` and ``worker`` that fills the :class:`RunRequest` field ``dest`` (by default the
    flag's name), with that field's default, shown in ``--help``."""
    dest = dest or flag.lstrip("-").replace("-", "_")
    return click.option(flag, dest, default=request_default(dest), show_default=True, **settings)


def say_config(console: Console, config: GateConfig, quiet: bool = False) -> None:
    """One line naming the configuration file in use (none when the defaults apply, or under --quiet), before a
    run starts; the gate's verdict names it again at the end (``auditor gate`` and ``check`` print only that)."""
    line = describe_source(config)
    if line and not quiet:
        console.print(line, style="dim", markup=False, highlight=False, soft_wrap=True)


def _to_date(ctx: click.Context, param: click.Parameter, value: dt.datetime | None) -> dt.date | None:
    return value.date() if value is not None else None


def date_option(name: str, help: str) -> Callable[[Command], Command]:
    """A ``YYYY-MM-DD`` option whose value is a :class:`datetime.date` (None when not given)."""
    dest = name.lstrip("-").replace("-", "_")
    return click.option(name, dest, type=click.DateTime(formats=["%Y-%m-%d"]), callback=_to_date, help=help)


def _include_suppressed(ctx: click.Context, param: click.Parameter, value: str) -> bool:
    return value == "include"


def apply(*options: Callable[[Command], Command]) -> Callable[[Command], Command]:
    """One decorator applying ``options`` in order (the first one is listed first in ``--help``)."""

    def decorate(command: Command) -> Command:
        for option in reversed(options):
            command = option(command)
        return command

    return decorate


out_option = request_option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path),
    help="Output folder.",
)
rules_option = click.option(
    "--rules",
    "rule_paths",
    multiple=True,
    type=click.Path(path_type=Path),
    help="Extra rule pack file or folder (repeatable); may add rules, or disable or re-grade built-in ones.",
)
jurisdiction_option = click.option(
    "--jurisdiction",
    "jurisdictions",
    default=request_default("jurisdictions"),
    help="Comma-separated jurisdictions to check (e.g. ca,co); default all.",
)
quiet_option = click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors.")
browser_option = click.option(
    "--browser", "executable", help="Path of the Chromium to use (default: found automatically)."
)
self_contained_option = click.option(
    "--self-contained", is_flag=True, help="Write report.html as one file with its screenshots inlined."
)
fail_on_option = click.option(
    "--fail-on",
    type=click.Choice(FAIL_ON_CHOICES),
    default=None,
    help="Lowest severity of a failing finding that fails the gate (default: from the config, else low).",
)
baseline_option = click.option(
    "--baseline",
    type=click.Path(path_type=Path),
    help="A previous report.json, list of them, or run folder: only failures not in it fail the gate.",
)
sarif_suppressed_option = click.option(
    "--sarif-suppressed",
    type=click.Choice(["include", "omit"]),
    default="include" if request_default("sarif_suppressed") else "omit",
    show_default=True,
    callback=_include_suppressed,
    help="Waived and baseline-known findings in SARIF: as suppressed results, or left out (GitHub code scanning "
    "opens alerts even for suppressed results).",
)
sign_key_option = click.option(
    "--sign-key",
    type=click.Path(path_type=Path),
    help="Ed25519 private key (PEM, from auditor keygen): sign the run manifest (OUT/manifest.json.sig). Re-rendering "
    "and re-checking rewrite the manifest, so an old signature is removed unless they sign again.",
)
config_option = click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path),
    help="Gate configuration (TOML); default: the nearest auditor.toml, or pyproject.toml with [tool.auditor], from "
    "the working folder up to the repository root.",
)

# The options of one audit run that `auditor audit` and `auditor worker` both take.
run_options = apply(
    out_option,
    request_option(
        "--format",
        "formats",
        help="Comma-separated: html, json, md, sarif, junit, codequality (GitLab Code Quality), pdf (report.json is "
        "always written).",
    ),
    jurisdiction_option,
    rules_option,
    click.option(
        "--map-host",
        "map_hosts",
        multiple=True,
        metavar="HOST=ADDR[:PORT]",
        help="Send HOST (or a pattern: '*.example.com', '*') to ADDR, like curl --resolve. HOST=~NOTFOUND makes "
        "HOST fail to resolve (test a DNS failure). Repeatable; the first rule matching a host wins.",
    ),
    request_option(
        "--timeout",
        type=float,
        help="Seconds allowed for one page to load; the waits after it (settling, each read of the page, a late "
        "consent banner) scale with it.",
    ),
    request_option(
        "--site-budget",
        type=float,
        help="Seconds allowed for one whole site.",
    ),
    request_option(
        "--max-body-bytes",
        type=click.IntRange(10_000),
        help="Largest body kept from one page: DOM snapshot, visible text, policy text; the rest is cut, and the "
        "evidence says so.",
    ),
    browser_option,
    click.option(
        "--proxy", help="Proxy server for the browser, e.g. http://ca-egress:3128 (recorded in the evidence)."
    ),
    quiet_option,
    # The crawl: how many visits at once, which extra pages, and resuming an interrupted run.
    request_option(
        "--concurrency",
        type=click.IntRange(1, 64),
        help="Browser contexts open at once, across all sites: each of a site's visits (baseline, gpc, optout) "
        "takes one, so the default 3 runs a lone site's visits all at once.",
    ),
    request_option(
        "--pages",
        type=click.IntRange(0, 1000),
        help="Extra same-site pages per site, from the sitemap and links (besides the homepage, the privacy "
        "policy and the opt-out link's destination, which are always loaded).",
    ),
    request_option(
        "--robots",
        type=click.Choice(["obey", "ignore"]),
        help="Whether robots.txt may rule out the extra pages (the pages the audit needs are always loaded).",
    ),
    click.option("--resume", is_flag=True, help="Skip sites whose report in --out is already complete."),
    click.option("--log-json", is_flag=True, help="Instead of a progress bar, one JSON object per event on stderr."),
)
