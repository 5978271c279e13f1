"""Rule packs: YAML files of rules a compliance person can read and edit.

A pack is ``{pack, version, description, rules: [...]}``; each rule names a check in ``auditor/checks/``
with its parameters. A malformed pack raises :class:`RulePackError` naming the file, the line and the
reason. The JSON Schema of the format is ``schemas/rulepack.schema.json``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from auditor.findings import Severity
from auditor.resources import bundled_dir


class RulePackError(ValueError):
    """A rule pack could not be read; ``str()`` is ``file:line: reason``."""


class Citation(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str
    url: str | None = None


class Effective(BaseModel):
    """When a rule is in force: from ``from`` (inclusive) until ``until`` (exclusive), either open."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    from_: dt.date | None = Field(None, alias="from")
    until: dt.date | None = None
    note: str = ""

    def in_force(self, day: dt.date) -> bool:
        """True when the rule applies on ``day``."""
        return (self.from_ is None or day >= self.from_) and (self.until is None or day < self.until)


class Rule(BaseModel):
    """One rule: what is required, where it comes from, and which check decides it."""

    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=r"^[a-z0-9-]+(\.[a-z0-9-]+)+$")
    title: str
    severity: Severity
    jurisdictions: list[str] = Field(min_length=1)
    citations: list[Citation] = Field(min_length=1)
    effective: Effective = Effective()
    rationale: str = ""
    remediation: str = ""
    check: str
    params: dict[str, Any] = Field(default_factory=dict)
    requires: list[str] = Field(default_factory=list)
    enabled: bool = True

    @field_validator("jurisdictions")
    @classmethod
    def _lowercase(cls, value: list[str]) -> list[str]:
        return [v.lower() for v in value]


class RulePack(BaseModel):
    model_config = ConfigDict(extra="forbid")
    pack: str = Field(pattern=r"^[a-z0-9-]+$")
    version: str
    description: str = ""
    jurisdictions: list[str] = Field(default_factory=list)
    rules: list[Rule] = Field(default_factory=list)
    overrides: list[dict[str, Any]] = Field(
        default_factory=list, description="changes to rules of other packs: {id, enabled?, severity?}"
    )
    source: str = Field("", exclude=True)


class _LineLoader(yaml.SafeLoader):
    """A YAML loader that remembers the line of every mapping and of each of its keys."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict:
    mapping = loader.construct_mapping(node, deep=True)
    lines = {"": node.start_mark.line + 1}
    for key_node, _ in node.value:
        lines[str(loader.construct_object(key_node))] = key_node.start_mark.line + 1
    mapping["__lines__"] = lines
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _strip_lines(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip_lines(v) for k, v in value.items() if k != "__lines__"}
    if isinstance(value, list):
        return [_strip_lines(v) for v in value]
    return value


def _line_of(data: Any, loc: tuple) -> int:
    """The deepest known line for a pydantic error location inside the raw (line-annotated) data."""
    line = data.get("__lines__", {}).get("", 1) if isinstance(data, dict) else 1
    node = data
    for part in loc:
        if isinstance(node, dict):
            line = node.get("__lines__", {}).get(str(part), line)
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
            if isinstance(node, dict):
                line = node.get("__lines__", {}).get("", line)
        else:
            break
    return line


def load_pack(path: Path) -> RulePack:
    """Read and validate one pack; raise :class:`RulePackError` with file, line and reason."""
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_LineLoader)  # noqa: S506 - SafeLoader subclass
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        raise RulePackError(f"{path}:{line}: invalid YAML: {error.problem or error}") from None
    except (OSError, UnicodeDecodeError) as error:
        raise RulePackError(f"{path}:1: cannot read: {error}") from None
    if not isinstance(raw, dict):
        raise RulePackError(f"{path}:1: a rule pack is a mapping with 'pack', 'version' and 'rules'")
    try:
        pack = RulePack.model_validate(_strip_lines(raw))
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise RulePackError(f"{path}:{_line_of(raw, first['loc'])}: {where}: {first['msg']}") from None
    pack.source = str(path)
    seen: set[str] = set()
    for index, rule in enumerate(pack.rules):
        if rule.id in seen:
            line = _line_of(raw, ("rules", index, "id"))
            raise RulePackError(f"{path}:{line}: rules.{index}.id: duplicate rule id {rule.id!r}")
        seen.add(rule.id)
    return pack


def builtin_pack_paths() -> list[Path]:
    """The packs that ship with the auditor."""
    return sorted(bundled_dir("rules").glob("*.yaml"))


def load_packs(paths: list[Path]) -> list[RulePack]:
    """Load packs in order; later packs may override rules of earlier ones."""
    return [load_pack(p) for p in paths]


def resolve_rules(packs: list[RulePack], jurisdictions: set[str] | None = None) -> list[Rule]:
    """All enabled rules of the packs, overrides applied, filtered by jurisdiction when given."""
    rules: dict[str, Rule] = {}
    for pack in packs:
        for rule in pack.rules:
            if rule.id in rules:
                raise RulePackError(f"{pack.source}:1: rule {rule.id!r} is defined in two packs")
            rules[rule.id] = rule
    for pack in packs:
        for override in pack.overrides:
            rule_id = override.get("id")
            if rule_id not in rules:
                raise RulePackError(f"{pack.source}:1: override names unknown rule {rule_id!r}")
            changes = {k: v for k, v in override.items() if k in ("enabled", "severity", "params")}
            rules[rule_id] = Rule.model_validate({**rules[rule_id].model_dump(by_alias=True), **changes})
    selected = [r for r in rules.values() if r.enabled]
    if jurisdictions:
        selected = [r for r in selected if set(r.jurisdictions) & jurisdictions]
    return selected
