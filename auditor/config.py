"""Gate configuration: ``--config FILE``, else the nearest ``auditor.toml`` or ``pyproject.toml`` with
``[tool.auditor]``, from the working folder up to the repository root (as ruff and pytest find theirs).

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


def _where(path: Path) -> str:
    """The file an error is in, named once: ``auditor.toml`` itself, or ``pyproject.toml``'s ``[tool.auditor]``."""
    return f"{path}: [tool.auditor]" if path.name == "pyproject.toml" else str(path)


def _raise_validation(error: ValidationError, path: Path) -> None:
    first = error.errors()[0]
    where = ".".join(str(p) for p in first["loc"])
    if first["type"] == "extra_forbidden":
        known = [f.alias or name for name, f in GateConfig.model_fields.items() if name != "source"]
        if len(first["loc"]) > 1:  # inside a waiver
            known = list(Waiver.model_fields)
        hint = difflib.get_close_matches(str(first["loc"][-1]), known, n=1)
        suggestion = f" (did you mean {hint[0]!r}?)" if hint else f"; known keys: {', '.join(known)}"
        raise UserError(f"{_where(path)}: unknown key {where!r}{suggestion}")
    raise UserError(f"{_where(path)}: {where}: {first['msg']}")


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


def _read_table(path: Path) -> dict | None:
    """The configuration table of ``path``: all of ``auditor.toml``, ``[tool.auditor]`` of a ``pyproject.toml``
    (None when it has none). Raises :class:`UserError` when the file cannot be read or parsed."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise UserError(f"{path}: cannot read: {error}") from None
    except tomllib.TOMLDecodeError as error:
        raise UserError(f"{path}: invalid TOML: {error}") from None
    if path.name != "pyproject.toml":
        return data
    table = data.get("tool", {}).get("auditor")
    if table is not None and not isinstance(table, dict):
        raise UserError(f"{path}: [tool.auditor] must be a table")
    return table


def find_config(start: Path) -> tuple[Path, dict] | None:
    """The nearest configuration from ``start`` upwards, as ruff and pytest find theirs: in each folder
    ``auditor.toml``, else a ``pyproject.toml`` with ``[tool.auditor]``. The search ends at the repository root
    (a folder with ``.git``) or the home folder, so a project never picks up a file from outside it."""
    home = Path.home().resolve()
    for folder in (start.resolve(), *start.resolve().parents):
        for path in (folder / CONFIG_FILE, folder / "pyproject.toml"):
            if path.is_file():
                table = _read_table(path)
                if table is not None:
                    return path, table
        if (folder / ".git").exists() or folder == home:
            return None
    return None


def load_config(explicit: Path | None = None, cwd: Path | None = None) -> GateConfig:
    """The configuration from ``explicit``, else the nearest one found by :func:`find_config` from ``cwd``.

    No file at all gives the defaults (``source`` empty). Raises :class:`UserError` (one line) for anything
    malformed.
    """
    if explicit is not None:
        if not explicit.is_file():
            raise UserError(f"--config {explicit}: no such file")
        table = _read_table(explicit)
        if table is None:
            raise UserError(f"--config {explicit}: the file has no [tool.auditor] table")
        return parse_config(table, explicit)
    found = find_config(cwd or Path.cwd())
    return parse_config(found[1], found[0]) if found else GateConfig()


def describe_source(config: GateConfig) -> str | None:
    """The line saying which configuration file is used (as pytest's ``configfile:``); None for the defaults."""
    if not config.source:
        return None
    table = " [tool.auditor]" if Path(config.source).name == "pyproject.toml" else ""
    return f"Configuration: {config.source}{table}"
