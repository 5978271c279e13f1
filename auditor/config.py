"""Gate configuration: ``[tool.auditor]`` in ``pyproject.toml``, or ``auditor.toml``, or ``--config FILE``.

Modelled on Lighthouse CI assertions. Example ``auditor.toml`` (in ``pyproject.toml`` the same keys go under
``[tool.auditor]``, ``[tool.auditor.assertions]`` and ``[[tool.auditor.waivers]]``)::

    fail-on = "medium"            # failing findings of this severity or worse fail the gate ("never": none do)
    baseline = "ci/baseline"      # a previous report.json, a JSON list of them, or a run folder
    runs = 3                      # audit each site N times ...
    aggregation = "pessimistic"   # ... and keep the worst result per rule ("median": the middle one)
    review = "warn"               # level for findings that need review (off | warn | error)
    not-assessable = "warn"       # level for findings that could not be assessed
    history = ".auditor/history.db"

    [assertions]                  # a level per rule id or glob; the most specific key wins
    "gpc.well-known" = "off"
    "ccpa.gpc-status-display" = "warn"

    [[waivers]]
    rule = "ccpa.dns-link-wording"
    sites = "*.example.com"       # glob over site id, host or URL; default every site
    reason = "New footer ships in WEB-1234"
    expires = 2026-03-31          # the waiver stops waiving on this day, and the gate says so

Every key is checked: an unknown key or a bad value is one line naming the file and the key, exit code 2.
Relative paths are relative to the configuration file's folder.
"""

from __future__ import annotations

import datetime as dt
import difflib
import fnmatch
import tomllib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from auditor.errors import UserError
from auditor.findings import Severity, severity_at_least

Level = Literal["off", "warn", "error"]
FailOn = Literal["critical", "high", "medium", "low", "info", "never"]
Aggregation = Literal["pessimistic", "median"]
CONFIG_FILE = "auditor.toml"


class Waiver(BaseModel):
    """Accept a failing rule on matching sites until ``expires`` (exclusive), for a stated reason."""

    model_config = ConfigDict(extra="forbid")
    rule: str = Field(min_length=1, description="rule id or glob")
    sites: str = Field("*", min_length=1, description="glob over site id, host or URL")
    reason: str = Field(min_length=1)
    expires: dt.date

    def matches(self, rule: str, site_id: str, host: str, url: str) -> bool:
        """True when this waiver names the rule and the site (whatever its expiry)."""
        if not fnmatch.fnmatchcase(rule, self.rule):
            return False
        return any(fnmatch.fnmatchcase(value.lower(), self.sites.lower()) for value in (site_id, host, url))

    def active(self, today: dt.date) -> bool:
        return today < self.expires


class GateConfig(BaseModel):
    """The gate's settings; every field has a default, so no configuration file is needed."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    fail_on: FailOn = Field("low", alias="fail-on")
    baseline: Path | None = None
    runs: int = Field(1, ge=1, le=20)
    aggregation: Aggregation = "pessimistic"
    review: Level = "warn"
    not_assessable: Level = Field("warn", alias="not-assessable")
    history: Path | None = None
    today: dt.date | None = Field(None, description="judge waiver expiry as of this day (tests, replays)")
    assertions: dict[str, Level] = Field(default_factory=dict)
    waivers: list[Waiver] = Field(default_factory=list)
    source: str = Field("", exclude=True)

    def explicit_level(self, rule: str) -> Level | None:
        """The level the assertions give ``rule``: an exact key, else the longest matching glob; None if none."""
        if rule in self.assertions:
            return self.assertions[rule]
        globs = [key for key in self.assertions if fnmatch.fnmatchcase(rule, key)]
        if not globs:
            return None
        return self.assertions[max(globs, key=len)]

    def level_for_failure(self, rule: str, severity: Severity) -> Level:
        """A failing finding's level: its assertion, else ``error`` at or above ``fail-on`` and ``warn`` below."""
        explicit = self.explicit_level(rule)
        if explicit is not None:
            return explicit
        if self.fail_on != "never" and severity_at_least(severity, Severity(self.fail_on)):
            return "error"
        return "warn"

    def check_rule_ids(self, known: set[str]) -> None:
        """A rule id (not a glob) in assertions or waivers that no loaded rule has is a typo: say which."""
        names = [(f"assertions.{key}", key) for key in self.assertions]
        names += [(f"waivers[{i}].rule", w.rule) for i, w in enumerate(self.waivers)]
        for where, rule in names:
            if any(ch in rule for ch in "*?[") or rule in known:
                continue
            hint = difflib.get_close_matches(rule, sorted(known), n=1)
            suggestion = f" (did you mean {hint[0]!r}?)" if hint else ""
            raise UserError(f"{self.source or 'configuration'}: {where}: unknown rule {rule!r}{suggestion}")


def _table_name(path: Path) -> str:
    return "[tool.auditor]" if path.name == "pyproject.toml" else path.name


def _raise_validation(error: ValidationError, path: Path) -> None:
    first = error.errors()[0]
    where = ".".join(str(p) for p in first["loc"])
    if first["type"] == "extra_forbidden":
        known = [f.alias or name for name, f in GateConfig.model_fields.items() if name != "source"]
        if len(first["loc"]) > 1:  # inside a waiver
            known = list(Waiver.model_fields)
        hint = difflib.get_close_matches(str(first["loc"][-1]), known, n=1)
        suggestion = f" (did you mean {hint[0]!r}?)" if hint else f"; known keys: {', '.join(known)}"
        raise UserError(f"{path}: {_table_name(path)}: unknown key {where!r}{suggestion}")
    raise UserError(f"{path}: {_table_name(path)}: {where}: {first['msg']}")


def parse_config(data: dict, path: Path) -> GateConfig:
    """Validate a configuration table read from ``path``; relative paths become relative to its folder."""
    try:
        config = GateConfig.model_validate(data)
    except ValidationError as error:
        _raise_validation(error, path)
        raise  # unreachable: _raise_validation always raises
    config.source = str(path)
    base = path.parent
    if config.baseline is not None and not config.baseline.is_absolute():
        config.baseline = base / config.baseline
    if config.history is not None and not config.history.is_absolute():
        config.history = base / config.history
    return config


def load_config(explicit: Path | None = None, cwd: Path | None = None) -> GateConfig:
    """The configuration from ``explicit``, else ``auditor.toml``, else ``pyproject.toml``'s ``[tool.auditor]``.

    No file at all gives the defaults. Raises :class:`UserError` (one line) for anything malformed.
    """
    folder = cwd or Path.cwd()
    candidates = [explicit] if explicit else [folder / CONFIG_FILE, folder / "pyproject.toml"]
    for path in candidates:
        if path is None:
            continue
        if not path.is_file():
            if explicit:
                raise UserError(f"--config {path}: no such file")
            continue
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as error:
            raise UserError(f"{path}: cannot read: {error}") from None
        except tomllib.TOMLDecodeError as error:
            raise UserError(f"{path}: invalid TOML: {error}") from None
        if path.name == "pyproject.toml":
            table = data.get("tool", {}).get("auditor")
            if table is None:
                if explicit:
                    raise UserError(f"--config {path}: the file has no [tool.auditor] table")
                continue
            if not isinstance(table, dict):
                raise UserError(f"{path}: [tool.auditor] must be a table")
            data = table
        return parse_config(data, path)
    return GateConfig()
