"""The ``auditor rules`` group (list, show, schema) and ``auditor check``, registered by :mod:`auditor.cli`."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import click
from rich.console import Console

from auditor.errors import UserError

console = Console(highlight=False, soft_wrap=True)

_rules_option = click.option(
    "--rules",
    "rule_paths",
    multiple=True,
    type=click.Path(path_type=Path),
    help="Extra rule pack file or folder (repeatable); may disable or re-grade built-in rules.",
)
_jurisdiction_option = click.option(
    "--jurisdiction", "jurisdictions", default="", help="Comma-separated jurisdictions (e.g. ca,co); default all."
)


def _packs(rule_paths: tuple[Path, ...], jurisdictions: str = ""):
    """The packs (built-in plus ``--rules``) and the ids ``--jurisdiction`` selects (None: all)."""
    from auditor.rulepacks import RulePackError, all_rules, load_packs, resolve_rules
    from auditor.runner import rule_pack_files

    try:
        packs = load_packs(rule_pack_files(list(rule_paths)))
        all_rules(packs)  # overrides and catalog references span packs: check them here, as a user error
        wanted = {j.strip().lower() for j in jurisdictions.split(",") if j.strip()}
        selected = {r.id for r in resolve_rules(packs, wanted)} if wanted else None
    except RulePackError as error:
        raise UserError(str(error)) from None
    if selected is not None and not selected:
        raise UserError(f"no rules apply to --jurisdiction {jurisdictions!r}")
    return packs, selected


@click.group("rules")
def rules_group() -> None:
    """The rule catalog: which rules exist, where they come from, when they are in force."""


@rules_group.command("list")
@_rules_option
@_jurisdiction_option
@click.option("--date", "day", type=click.DateTime(formats=["%Y-%m-%d"]), help="Say what is in force on this day.")
@click.option("--all", "include_disabled", is_flag=True, help="Include rules a pack disabled.")
@click.option(
    "--catalog", "show_catalog", is_flag=True, help="List the legal catalog and the rules deciding each item."
)
@click.option("--markdown", is_flag=True, help="Print the catalog as Markdown (docs/rules.md).")
def list_rules(rule_paths, jurisdictions, day, include_disabled, show_catalog, markdown) -> None:
    """Every rule: id, severity, jurisdictions, in force today, check, catalog ids."""
    from auditor.rulecatalog import coverage_table, text_table
    from auditor.rulecatalog import markdown as to_markdown

    packs, only = _packs(rule_paths, jurisdictions)
    if markdown:
        sys.stdout.write(to_markdown(packs, only))
        return
    today = day.date() if day else dt.datetime.now(dt.UTC).date()
    lines = coverage_table(packs) if show_catalog else text_table(packs, today, include_disabled, only)
    for line in lines:
        console.print(line, markup=False)


@rules_group.command("show")
@click.argument("rule_id")
@_rules_option
@click.option(
    "--date", "day", type=click.DateTime(formats=["%Y-%m-%d"]), help="Say whether it is in force on this day."
)
def show(rule_id: str, rule_paths, day) -> None:
    """One rule in full: citations, dates, rationale, remediation, check and parameters."""
    from auditor.rulecatalog import show_rule
    from auditor.rulepacks import all_rules

    packs, _ = _packs(rule_paths)
    rules = all_rules(packs)
    if rule_id not in rules:
        close = [r for r in rules if rule_id.lower() in r]
        hint = f"; did you mean {', '.join(close[:5])}?" if close else "; see `auditor rules list`"
        raise UserError(f"no rule {rule_id!r}{hint}")
    pack = next((p for p in packs if any(r.id == rule_id for r in p.rules)), None)
    today = day.date() if day else dt.datetime.now(dt.UTC).date()
    console.print(show_rule(rules[rule_id], pack, today), markup=False)


@rules_group.command("schema")
def schema() -> None:
    """Print the JSON Schema of a rule pack (schemas/rulepack.schema.json)."""
    from auditor.rulepacks import rulepack_json_schema

    sys.stdout.write(json.dumps(rulepack_json_schema(), indent=2) + "\n")


@click.command("check")
@click.argument("run_dir", type=click.Path(path_type=Path))
@_rules_option
@_jurisdiction_option
@click.option(
    "--audit-date",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Judge rules as of this date (default: the date of the previous report, else the capture day).",
)
@click.option("--format", "formats", default="", help="Comma-separated formats (default: those the run has).")
@click.option("--fail-on", default=None, help="Lowest severity of a failing finding that fails the gate.")
@click.option("--config", "config", type=click.Path(path_type=Path), help="Configuration file (gate, waivers).")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors.")
def check_command(run_dir, rule_paths, jurisdictions, audit_date, formats, fail_on, config, quiet) -> None:
    """Evaluate the rules again on a run's saved evidence, without a browser.

    The previous report.json of each site is kept as report.<timestamp>.json; the same evidence and rule
    packs always give the same findings.
    """
    from auditor.recheck import CheckRequest, run_check

    request = CheckRequest(
        run_dir=run_dir,
        rule_paths=list(rule_paths),
        jurisdictions=jurisdictions,
        audit_date=audit_date.date() if audit_date else None,
        formats=formats,
        fail_on=fail_on,
        config=config,
        quiet=quiet,
    )
    sys.exit(run_check(request, console))
