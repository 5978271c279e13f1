"""Rule packs: YAML files of rules a compliance person can read and edit.

A pack is ``{pack, version, description, jurisdictions, requirements, rules, overrides}``:

- ``rules`` each name a check in ``auditor/checks/`` with its parameters, the legal citations, the dates
  the rule is in force and the catalog requirements it decides (``catalog: [CA-L1]``). The check's name, its
  parameters (against the check's parameter model) and any extra ``requires`` (against the evidence models)
  are validated when the pack loads;
- ``requirements`` list the legal requirements of the catalog (``CA-L1`` ...) the pack covers, with the
  reason when a browser cannot decide one;
- ``overrides`` change rules of other packs: a team's pack may disable or re-grade a built-in rule.

A malformed pack raises :class:`RulePackError` naming the file, the line and the reason. The JSON Schema
of the format is ``schemas/rulepack.schema.json``, generated from these models and the checks' parameter
models (:func:`rulepack_json_schema`).
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, field_validator
from pydantic.json_schema import models_json_schema

from auditor.checks import CHECKS, CheckParams, get_check
from auditor.evidence.paths import EXAMPLE, EvidencePath, parse_evidence_path
from auditor.evidence.profiles import PROFILE_NAMES
from auditor.findings import Severity
from auditor.resources import bundled_dir

SCHEMA_ID = "urn:auditor:schema:rulepack:1"
CATALOG_ID = r"^[A-Z]{2,}-[A-Z0-9]+(-[A-Z0-9]+)*$"
PATH_PATTERN = r"^(" + "|".join(PROFILE_NAMES) + r")(\.\w+)+$"


class RulePackError(ValueError):
    """A rule pack could not be read; ``str()`` is ``file:line: reason``."""


class Citation(BaseModel):
    """Where a requirement comes from: the text a lawyer cites and, if there is one, a link to it."""

    model_config = ConfigDict(extra="forbid")
    text: str = Field(description='e.g. "Cal. Civ. Code 1798.135(a)" or "11 CCR 7025(c)(6)"')
    url: str | None = None


class Effective(BaseModel):
    """When a rule is in force: from ``from`` (inclusive) until ``until`` (exclusive), either open."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    from_: dt.date | None = Field(None, alias="from", description="first day in force (YYYY-MM-DD); open if absent")
    until: dt.date | None = Field(None, description="first day no longer in force (YYYY-MM-DD); open if absent")
    note: str = Field("", description="why these dates, and how sure they are")

    def in_force(self, day: dt.date) -> bool:
        """True when the rule applies on ``day``."""
        return (self.from_ is None or day >= self.from_) and (self.until is None or day < self.until)

    def describe(self) -> str:
        """The window in words: "from 2026-01-01", "2020-01-01 until 2023-01-01", "always"."""
        if self.from_ and self.until:
            return f"{self.from_.isoformat()} until {self.until.isoformat()}"
        if self.from_:
            return f"from {self.from_.isoformat()}"
        if self.until:
            return f"until {self.until.isoformat()}"
        return "always"


class Rule(BaseModel):
    """One rule: what is required, where it comes from, and which check decides it."""

    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=r"^[a-z0-9-]+(\.[a-z0-9-]+)+$", description="stable id, e.g. ccpa.dns-link")
    title: str
    severity: Severity
    jurisdictions: list[str] = Field(min_length=1, description="lower-case codes: ca, co, ct, ...")
    citations: list[Citation] = Field(min_length=1)
    effective: Effective = Effective()
    rationale: str = Field("", description="what the law asks, in plain words")
    remediation: str = Field("", description="what the site should do when the rule fails")
    check: str = Field(description="name of a check in auditor/checks/ (docs/rules.md lists them)")
    params: dict[str, Any] = Field(
        default_factory=dict, description="the check's parameters; each check's model says which it takes"
    )
    requires: list[str] = Field(
        default_factory=list,
        description=f"evidence this rule needs besides what its check requires, as VISIT.FIELD[.FIELD...] "
        f"(e.g. {EXAMPLE}); when it is missing the finding is not_assessable",
    )
    catalog: list[str] = Field(
        default_factory=list, description="ids of the catalog requirements this rule decides, e.g. [CA-L1]"
    )
    confidence: Literal["high", "medium", "low"] = Field(
        "high",
        description="how sure the pack's authors are of the citation and dates; medium or low means a "
        "lawyer should verify them (the rationale or notes say what)",
    )
    notes: str = Field("", description="anything a reviewer should know: uncertain citations, open questions")
    enabled: bool = True

    def check_params(self) -> CheckParams:
        """The parameters as the check's validated model (defaults filled in)."""
        return get_check(self.check).params.model_validate(self.params)

    def required_evidence(self) -> tuple[EvidencePath, ...]:
        """What must be present before the check runs: the check's requires, then the rule's own."""
        own = tuple(parse_evidence_path(path) for path in self.requires)
        return tuple(dict.fromkeys(get_check(self.check).requires + own))

    @field_validator("jurisdictions")
    @classmethod
    def _lowercase(cls, value: list[str]) -> list[str]:
        return [v.lower() for v in value]

    @field_validator("catalog")
    @classmethod
    def _catalog_ids(cls, value: list[str]) -> list[str]:
        for item in value:
            if not re.match(CATALOG_ID, item):
                raise ValueError(f"catalog id {item!r} must look like CA-L1 or CO-UOOM")
        return value


class Requirement(BaseModel):
    """One requirement of the legal catalog (docs/rules.md), decided by the rules that list its id."""

    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=CATALOG_ID, description="e.g. CA-L1")
    title: str
    citation: str = ""
    note: str = Field("", description="why no rule decides it, or which rule of another pack does")


class Override(BaseModel):
    """A change to a rule of another pack: disable it, re-grade it, or give its check other parameters."""

    model_config = ConfigDict(extra="forbid")
    id: str = Field(description="the rule to change")
    enabled: bool | None = None
    severity: Severity | None = None
    params: dict[str, Any] | None = Field(None, description="replaces the rule's parameters")
    reason: str = Field("", description="why the team changed the rule (for the people who read the pack)")


class RulePack(BaseModel):
    """A file of rules: ``rules/ccpa.yaml``, ``rules/us-uoom.yaml`` or a team's own pack."""

    model_config = ConfigDict(extra="forbid")
    pack: str = Field(pattern=r"^[a-z0-9-]+$")
    version: str
    description: str = ""
    jurisdictions: list[str] = Field(default_factory=list)
    requirements: list[Requirement] = Field(default_factory=list)
    rules: list[Rule] = Field(default_factory=list)
    overrides: list[Override] = Field(default_factory=list)
    _source: str = PrivateAttr("")
    _raw: dict = PrivateAttr(default_factory=dict)  # the YAML as read, with the line of every key

    @property
    def source(self) -> str:
        """The file the pack was read from."""
        return self._source

    def line(self, *where: Any) -> int:
        """The line of ``rules.3`` / ``overrides.0`` / ``rules.3.params.phrases`` in the pack's file (1 if unknown)."""
        return _line_of(self._raw, where)

    def error(self, where: tuple, reason: str) -> RulePackError:
        """A :class:`RulePackError` at ``where`` (``("rules", 3, "params")``): ``file:line: rules.3.params: reason``."""
        return RulePackError(f"{self.source}:{self.line(*where)}: {'.'.join(str(p) for p in where)}: {reason}")


# libyaml's parser where PyYAML was built with it: the pure-Python one took 0.22 s of every run's start-up to read
# the four bundled packs. Both give the same nodes with the same marks (lines) to the constructors below.
_SAFE_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineLoader(_SAFE_LOADER):  # type: ignore[misc,valid-type]
    """A YAML loader that remembers the line of every mapping and of each of its keys."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict:
    lines = {"": node.start_mark.line + 1}
    for key_node, _ in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":  # "<<: *anchor" may be overridden by explicit keys
            continue
        key = str(loader.construct_object(key_node))
        if key in lines:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r} (a later value would silently win)", key_node.start_mark
            )
        lines[key] = key_node.start_mark.line + 1
    mapping = loader.construct_mapping(node, deep=True)
    mapping["__lines__"] = lines
    return mapping


def _construct_timestamp(loader: _LineLoader, node: yaml.ScalarNode) -> Any:
    try:
        return loader.construct_yaml_timestamp(node)
    except ValueError as error:  # 2026-13-01 matches the pattern but is no date; say where it is
        raise yaml.constructor.ConstructorError(None, None, f"not a date: {error}", node.start_mark) from None


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


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
        where = ".".join(str(p) for p in first["loc"]) or "(top level)"
        raise RulePackError(f"{path}:{_line_of(raw, first['loc'])}: {where}: {first['msg']}") from None
    pack._source = str(path)
    pack._raw = raw
    for section, ids in (("rules", [r.id for r in pack.rules]), ("requirements", [r.id for r in pack.requirements])):
        seen: set[str] = set()
        for index, item_id in enumerate(ids):
            if item_id in seen:
                raise pack.error((section, index, "id"), f"duplicate id {item_id!r}")
            seen.add(item_id)
    for index, rule in enumerate(pack.rules):
        _check_rule(pack, index, rule)
    return pack


def _check_rule(pack: RulePack, index: int, rule: Rule) -> None:
    """The rule names a known check, with parameters its model accepts, and extra requires the evidence has."""
    if rule.check not in CHECKS:
        known = ", ".join(sorted(CHECKS))
        raise pack.error(("rules", index, "check"), f"unknown check {rule.check!r}; this auditor has: {known}")
    _check_params(pack, ("rules", index, "params"), rule.check, rule.params)
    for number, text in enumerate(rule.requires):
        try:
            parse_evidence_path(text)
        except ValueError as error:
            raise pack.error(("rules", index, "requires", number), str(error)) from None


def _check_params(pack: RulePack, where: tuple, check_name: str, params: dict[str, Any]) -> None:
    model = get_check(check_name).params
    try:
        model.model_validate(params)
    except ValidationError as error:
        # A misspelt key also leaves the real one missing: name the misspelling, it is the line to fix.
        first = min(error.errors(), key=lambda e: e["type"] != "extra_forbidden")
        reason = first["msg"]
        if first["type"] == "extra_forbidden":
            close = difflib.get_close_matches(str(first["loc"][-1]), list(model.model_fields), n=1)
            reason += (
                f"; did you mean {close[0]!r}?" if close else f"; it takes: {', '.join(model.model_fields) or 'none'}"
            )
        raise pack.error((*where, *first["loc"]), f"{reason} (check {check_name!r})") from None


def builtin_pack_paths() -> list[Path]:
    """The packs that ship with the auditor."""
    return sorted(bundled_dir("rules").glob("*.yaml"))


def load_packs(paths: list[Path]) -> list[RulePack]:
    """Load packs in order; later packs may override rules of earlier ones."""
    return [load_pack(p) for p in paths]


def catalog(packs: list[RulePack]) -> dict[str, tuple[RulePack, Requirement]]:
    """Every catalog requirement of the packs by id, with the pack that lists it."""
    found: dict[str, tuple[RulePack, Requirement]] = {}
    for pack in packs:
        for index, requirement in enumerate(pack.requirements):
            if requirement.id in found:
                first = found[requirement.id][0]
                raise RulePackError(
                    f"{pack.source}:{pack.line('requirements', index, 'id')}: requirement {requirement.id!r} "
                    f"is already listed in {first.source}"
                )
            found[requirement.id] = (pack, requirement)
    return found


def all_rules(packs: list[RulePack]) -> dict[str, Rule]:
    """Every rule of the packs by id, overrides applied, disabled rules included; checks catalog references."""
    rules: dict[str, Rule] = {}
    origin: dict[str, RulePack] = {}
    for pack in packs:
        for index, rule in enumerate(pack.rules):
            if rule.id in rules:
                raise RulePackError(
                    f"{pack.source}:{pack.line('rules', index, 'id')}: rule {rule.id!r} is already defined in "
                    f"{origin[rule.id].source} (use 'overrides' to change a rule of another pack)"
                )
            rules[rule.id] = rule
            origin[rule.id] = pack
    known = catalog(packs)
    for pack in packs:
        for index, rule in enumerate(pack.rules):
            unknown = [ref for ref in rule.catalog if ref not in known]
            if unknown and known:
                raise pack.error(("rules", index, "catalog"), f"{', '.join(unknown)} not in any pack's requirements")
    for pack in packs:
        for index, override in enumerate(pack.overrides):
            if override.id not in rules:
                raise pack.error(("overrides", index, "id"), f"no rule {override.id!r} in the loaded packs")
            if override.params is not None:
                _check_params(pack, ("overrides", index, "params"), rules[override.id].check, override.params)
            changes = override.model_dump(include={"enabled", "severity", "params"}, exclude_none=True)
            rules[override.id] = rules[override.id].model_copy(update=changes)
    return rules


def resolve_rules(packs: list[RulePack], jurisdictions: set[str] | None = None) -> list[Rule]:
    """All enabled rules of the packs, overrides applied, filtered by jurisdiction when given."""
    selected = [r for r in all_rules(packs).values() if r.enabled]
    if jurisdictions:
        selected = [r for r in selected if set(r.jurisdictions) & jurisdictions]
    return selected


def _has_required(model: type[BaseModel]) -> bool:
    return any(field.is_required() for field in model.model_fields.values())


def rulepack_json_schema() -> dict[str, Any]:
    """The JSON Schema of a rule pack, as published in ``schemas/rulepack.schema.json``.

    A rule's ``params`` are checked against the parameter model of the check it names (``if check is X then
    params is X's model``), so an editor flags a misspelt parameter as the loader does. An override's ``params``
    stay a plain object: which check they go to depends on the packs loaded with it.
    """
    schema = RulePack.model_json_schema(by_alias=True)
    names = sorted(CHECKS)
    refs, params = models_json_schema(
        [(CHECKS[name].params, "validation") for name in names], ref_template="#/$defs/{model}"
    )
    schema["$defs"].update(params["$defs"])
    rule = schema["$defs"]["Rule"]
    rule["properties"]["check"]["enum"] = names
    rule["properties"]["requires"]["items"]["pattern"] = PATH_PATTERN
    rule["allOf"] = [
        {
            "if": {"properties": {"check": {"const": name}}, "required": ["check"]},
            "then": {
                "properties": {"params": refs[(CHECKS[name].params, "validation")]},
                # A check with a parameter that has no default cannot do without ``params``.
                **({"required": ["params"]} if _has_required(CHECKS[name].params) else {}),
            },
        }
        for name in names
    ]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "auditor rule pack",
        "description": "A YAML file of rules (rules/*.yaml or a team's pack passed with --rules).",
        **{k: v for k, v in schema.items() if k not in ("title", "description")},
    }
