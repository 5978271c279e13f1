"""``auditor rules``: the rule catalog (``list``, ``show ID``) and the rule-pack JSON Schema (``schema``)."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import click

from auditor.commands.shared import date_option, jurisdiction_option, plain_console, rules_option
from auditor.errors import UserError
from auditor.rulecatalog import coverage_table, show_rule, text_table
from auditor.rulecatalog import markdown as to_markdown
from auditor.rulepacks import RulePack, RulePackError, all_rules, load_packs, rulepack_json_schema
from auditor.runner import jurisdiction_set, load_rules, rule_pack_files


def _packs(rule_paths: tuple[Path, ...], jurisdictions: str = "") -> tuple[list[RulePack], set[str] | None]:
    """The packs (built-in plus ``--rules``) and the ids ``--jurisdiction`` selects (None: all)."""
    if jurisdiction_set(jurisdictions):
        packs, rules = load_rules(rule_paths, jurisdictions)
        return packs, {r.id for r in rules}
    try:
        packs = load_packs(rule_pack_files(rule_paths))
        all_rules(packs)  # overrides and catalog references span packs: check them here, as a user error
        return packs, None
    except RulePackError as error:
        raise UserError(str(error)) from None


def _day(day: dt.date | None) -> dt.date:
    return day or dt.datetime.now(dt.UTC).date()


@click.group("rules")
def command() -> None:
    """The rule catalog: which rules exist, where they come from, when they are in force."""


@command.command("list")
@rules_option
@jurisdiction_option
@date_option("--date", "Say what is in force on this day.")
@click.option("--all", "include_disabled", is_flag=True, help="Include rules a pack disabled.")
@click.option(
    "--catalog", "show_catalog", is_flag=True, help="List the legal catalog and the rules deciding each item."
)
@click.option("--markdown", is_flag=True, help="Print the catalog as Markdown (docs/rules.md).")
def list_rules(
    rule_paths: tuple[Path, ...],
    jurisdictions: str,
    date: dt.date | None,
    include_disabled: bool,
    show_catalog: bool,
    markdown: bool,
) -> None:
    """Every rule: id, severity, jurisdictions, in force today, check, catalog ids."""
    packs, only = _packs(rule_paths, jurisdictions)
    if markdown:
        sys.stdout.write(to_markdown(packs, only))
        return
    lines = coverage_table(packs) if show_catalog else text_table(packs, _day(date), include_disabled, only)
    for line in lines:
        plain_console.print(line, markup=False)


@command.command("show")
@click.argument("rule_id")
@rules_option
@date_option("--date", "Say whether it is in force on this day.")
def show(rule_id: str, rule_paths: tuple[Path, ...], date: dt.date | None) -> None:
    """One rule in full: citations, dates, rationale, remediation, check and parameters."""
    packs, _ = _packs(rule_paths)
    rules = all_rules(packs)
    if rule_id not in rules:
        close = [r for r in rules if rule_id.lower() in r]
        hint = f"; did you mean {', '.join(close[:5])}?" if close else "; see `auditor rules list`"
        raise UserError(f"no rule {rule_id!r}{hint}")
    pack = next((p for p in packs if any(r.id == rule_id for r in p.rules)), None)
    plain_console.print(show_rule(rules[rule_id], pack, _day(date)), markup=False)


@command.command("schema")
def schema() -> None:
    """Print the JSON Schema of a rule pack (schemas/rulepack.schema.json)."""
    sys.stdout.write(json.dumps(rulepack_json_schema(), indent=2) + "\n")
