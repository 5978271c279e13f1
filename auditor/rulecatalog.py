"""The rule catalog as people read it: ``auditor rules list``, ``auditor rules show ID`` and ``docs/rules.md``.

Pure functions of the loaded packs (and, for "in force", a date), so ``docs/rules.md`` can be regenerated
and compared with the packs in a test.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import yaml

from auditor.checks import CHECKS, Check
from auditor.rulepacks import Requirement, Rule, RulePack, all_rules, catalog


def in_force_words(rule: Rule, day: dt.date) -> str:
    """ "yes", "from 2026-01-01" (not yet) or "ended 2023-01-01" for ``day``."""
    if rule.effective.in_force(day):
        return "yes"
    if rule.effective.from_ and day < rule.effective.from_:
        return f"from {rule.effective.from_.isoformat()}"
    return f"ended {rule.effective.until.isoformat()}" if rule.effective.until else "no"


@dataclass
class Coverage:
    """One catalog requirement and the rules (of the loaded packs) that decide it."""

    requirement: Requirement
    pack: str
    rules: list[str]


def coverage(packs: list[RulePack]) -> list[Coverage]:
    """Every requirement of the packs' catalogs, in pack order, with the enabled rules that name it."""
    rules = [r for r in all_rules(packs).values() if r.enabled]
    return [
        Coverage(requirement, pack.pack, [r.id for r in rules if requirement.id in r.catalog])
        for pack, requirement in catalog(packs).values()
    ]


def text_table(
    packs: list[RulePack], day: dt.date, include_disabled: bool = False, only: set[str] | None = None
) -> list[str]:
    """The lines of ``auditor rules list`` (``only``: the rule ids to show, e.g. those of ``--jurisdiction``)."""
    rules = [r for r in all_rules(packs).values() if (include_disabled or r.enabled) and (only is None or r.id in only)]
    header = ["ID", "SEVERITY", "JURISDICTIONS", f"IN FORCE {day.isoformat()}", "CHECK", "CATALOG"]
    rows = [
        [
            r.id + ("" if r.enabled else " (disabled)"),
            r.severity.value,
            ",".join(r.jurisdictions),
            in_force_words(r, day),
            r.check,
            ",".join(r.catalog),
        ]
        for r in rules
    ]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip() for row in [header, *rows]]
    covered = coverage(packs) if only is None else []
    if covered:
        open_items = [c for c in covered if not c.rules]
        lines.append("")
        lines.append(f"Catalog: {len(covered) - len(open_items)} of {len(covered)} requirements decided by a rule.")
        for item in open_items:
            lines.append(f"  {item.requirement.id:8} {item.requirement.title} — {item.requirement.note or 'no rule'}")
    lines.append("")
    lines.append(f"{len(rules)} rules from {len(packs)} pack(s): " + ", ".join(f"{p.pack} {p.version}" for p in packs))
    return lines


def coverage_table(packs: list[RulePack]) -> list[str]:
    """The lines of ``auditor rules list --catalog``: each requirement and the rules deciding it."""
    lines = []
    for item in coverage(packs):
        decided = ", ".join(item.rules) or f"(none: {item.requirement.note or 'no rule'})"
        lines.append(f"{item.requirement.id:8} {item.requirement.title}")
        lines.append(f"{'':8}   {item.requirement.citation} -> {decided}")
    return lines


def show_rule(rule: Rule, pack: RulePack | None, day: dt.date) -> str:
    """Everything about one rule, for ``auditor rules show ID``."""
    data = rule.model_dump(mode="json", by_alias=True, exclude_defaults=False)
    lines = [
        f"{rule.id}: {rule.title}",
        f"  pack:          {pack.pack} {pack.version} ({pack.source})" if pack else "  pack:          (unknown)",
        f"  severity:      {rule.severity.value}" + ("" if rule.enabled else "   (disabled)"),
        f"  jurisdictions: {', '.join(rule.jurisdictions)}",
        f"  in force:      {rule.effective.describe()} — on {day.isoformat()}: {in_force_words(rule, day)}",
        f"  check:         {rule.check}",
        f"  catalog:       {', '.join(rule.catalog) or '-'}",
        f"  confidence:    {rule.confidence}",
    ]
    if rule.effective.note:
        lines.append(f"  dates:         {rule.effective.note}")
    lines.append("  citations:")
    lines += [f"    - {c.text}" + (f"  <{c.url}>" if c.url else "") for c in rule.citations]
    for label, text in (("rationale", rule.rationale), ("remediation", rule.remediation), ("notes", rule.notes)):
        if text:
            lines.append(f"  {label}:")
            lines.append("    " + text.strip())
    if data["params"]:
        lines.append("  params:")
        dumped = yaml.safe_dump(data["params"], sort_keys=False, allow_unicode=True, width=100)
        lines += ["    " + line for line in dumped.rstrip().splitlines()]
    lines.append(f"  requires:      {', '.join(str(p) for p in rule.required_evidence())}")
    optional = CHECKS[rule.check].optional
    if optional:
        lines.append(f"  reads if there: {', '.join(str(p) for p in optional)}")
    return "\n".join(lines)


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def markdown(packs: list[RulePack], only: set[str] | None = None) -> str:
    """``docs/rules.md``: the catalog, every rule with its citations, dates and check. No dates of "today"."""
    out = [
        "# Rule catalog",
        "",
        "<!-- Generated from rules/*.yaml by `auditor rules list --markdown > docs/rules.md` (or `make docs`).",
        "     Do not edit by hand: tests/unit/test_rule_catalog.py fails when this file drifts from the packs. -->",
        "",
        "Each rule names the legal requirement it checks (its **catalog** id), the check in `auditor/checks/` that",
        "decides it, and the dates it is in force: on an audit date outside them the rule is `not_applicable`. Rules",
        "marked `[verify]` or with confidence *medium*/*low* rest on citations or dates that a lawyer should confirm.",
        "See [custom-rules.md](custom-rules.md) to add a team's own pack or to disable or re-grade these rules.",
        "",
    ]
    rules = {k: r for k, r in all_rules(packs).items() if only is None or k in only}
    for pack in packs:
        pack_rules = [r for r in pack.rules if r.id in rules]
        if not pack_rules:
            continue
        out += [f"## Pack `{pack.pack}` {pack.version}", "", _cell(pack.description), ""]
        out += [
            "| Rule | Severity | Jurisdictions | In force | Check | Catalog |",
            "|---|---|---|---|---|---|",
        ]
        for rule in pack_rules:
            rule = rules[rule.id]
            out.append(
                f"| [`{rule.id}`](#{_anchor(rule.id)}) | {rule.severity.value} | {', '.join(rule.jurisdictions)} | "
                f"{rule.effective.describe()} | `{rule.check}` | {', '.join(rule.catalog)} |"
            )
        out.append("")
    covered = coverage(packs) if only is None else []
    if covered:
        out += ["## Catalog coverage", "", "| Requirement | Citation | Decided by |", "|---|---|---|"]
        for item in covered:
            decided = ", ".join(f"`{r}`" for r in item.rules) or f"— {_cell(item.requirement.note) or 'no rule'}"
            out.append(
                f"| **{item.requirement.id}** {_cell(item.requirement.title)} | {_cell(item.requirement.citation)} | "
                f"{decided} |"
            )
        out.append("")
    out += ["## Rules", ""]
    for pack in packs:
        for rule in (rules[r.id] for r in pack.rules if r.id in rules):
            out += _rule_section(rule)
    used = sorted({rule.check for rule in rules.values()})
    out += [
        "## Checks",
        "",
        "The checks the rules above name: what each decides, the evidence it requires (a visit and a path in the",
        "evidence; when one is missing the finding is `not_assessable`, see [custom-rules.md](custom-rules.md)), what",
        "it reads when the capture has it, and its parameters. A parameter the check does not know, or a value of the",
        "wrong kind, stops the pack from loading.",
        "",
    ]
    for name in used:
        out += _check_section(CHECKS[name])
    return "\n".join(out).rstrip() + "\n"


def _check_section(check: Check) -> list[str]:
    lines = [f"### `{check.name}`", "", _cell(check.summary), ""]
    lines.append("Requires: " + ", ".join(f"`{path}`" for path in check.requires))
    if check.optional:
        lines.append("· reads when present: " + ", ".join(f"`{path}`" for path in check.optional))
    lines.append("")
    fields = check.params.model_fields
    if not fields:
        return [*lines, "No parameters.", ""]
    lines += ["| Parameter | Default | Meaning |", "|---|---|---|"]
    for name, field in fields.items():
        default = "required" if field.is_required() else f"`{_cell(str(field.get_default(call_default_factory=True)))}`"
        lines.append(f"| `{name}` | {default} | {_cell(field.description or '')} |")
    return [*lines, ""]


def _anchor(rule_id: str) -> str:
    return rule_id.replace(".", "").lower()


def _rule_section(rule: Rule) -> list[str]:
    lines = [f"### {rule.id}", "", f"**{_cell(rule.title)}**", ""]
    lines.append(
        f"Severity **{rule.severity.value}** · jurisdictions {', '.join(rule.jurisdictions)} · in force "
        f"{rule.effective.describe()} · check [`{rule.check}`](#{rule.check}) · confidence {rule.confidence}"
        + (f" · catalog {', '.join(rule.catalog)}" if rule.catalog else "")
    )
    lines.append("")
    lines.append("Citations: " + "; ".join(f"[{c.text}]({c.url})" if c.url else c.text for c in rule.citations))
    lines.append("")
    if rule.effective.note:
        lines += [f"Dates: {_cell(rule.effective.note)}", ""]
    if rule.rationale:
        lines += [_cell(rule.rationale), ""]
    if rule.remediation:
        lines += [f"*Remediation:* {_cell(rule.remediation)}", ""]
    if rule.notes:
        lines += [f"*Notes:* {_cell(rule.notes)}", ""]
    return lines
