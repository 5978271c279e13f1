"""Per-state variants of one rule, shown as one row with a state table instead of one near-identical row each.

``rules/us-uoom.yaml`` has one opt-out-signal rule per state (``co.opt-out-signal-honored``,
``ct.opt-out-signal-honored``, …): the same check, a different citation and effective date. A report lists them as
one group: a row with the worst verdict, and a table of each state's verdict, gate decision, citation and first day
in force. The grouping is read from the findings alone (reports render from ``report.json``): findings whose rule id
is ``<jurisdiction>.<name>`` — the first part being the rule's only jurisdiction, or a two-letter code when an older
report did not record jurisdictions — and that share ``<name>`` with at least :data:`MIN_GROUP` - 1 others.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from auditor.report.templating import SEVERITY_ORDER, STATUS_ORDER

MIN_GROUP = 3
MAX_STATE_NAME = 30


def _get(finding: Any, key: str) -> Any:
    """A field of a finding given as a model or as its JSON dict (the HTML template works on dicts)."""
    return finding.get(key) if isinstance(finding, dict) else getattr(finding, key)


def _value(item: Any) -> str:
    return str(getattr(item, "value", item))


def variant_key(finding: Any) -> tuple[str, str] | None:
    """(jurisdiction, shared name) when the finding is a per-jurisdiction variant of a rule, else None."""
    rule = _get(finding, "rule")
    prefix, _, name = rule.partition(".")
    if not name:
        return None
    jurisdictions = list(_get(finding, "jurisdictions") or [])
    if jurisdictions:
        return (prefix, name) if jurisdictions == [prefix] else None
    return (prefix, name) if len(prefix) == 2 and prefix.isalpha() else None


def state_name(finding: Any, jurisdiction: str) -> str:
    """The state as its rule's title names it ("Colorado: …" → "Colorado"), else the code in capitals."""
    title = _get(finding, "title")
    head, sep, _ = title.partition(":")
    return head.strip() if sep and 0 < len(head.strip()) <= MAX_STATE_NAME else jurisdiction.upper()


@dataclass
class RuleGroup:
    """Per-state variants of one rule: ``members`` in the findings' order, with their state names."""

    name: str  # the shared part of the rule ids, e.g. "opt-out-signal-honored"
    members: list[Any] = field(default_factory=list)
    states: list[str] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"group-{self.name}"

    @property
    def title(self) -> str:
        """The first state's title without its state ("Colorado: a universal …" → "A universal …"), and the count."""
        head, sep, rest = _get(self.members[0], "title").partition(":")
        text = rest.strip() if sep and len(head.strip()) <= MAX_STATE_NAME else self.name.replace("-", " ")
        return f"{text[:1].upper()}{text[1:]} — {len(self.members)} states"

    @property
    def status(self) -> str:
        """The worst member status (fail before review before not assessable before pass before not applicable)."""
        return min((_value(_get(f, "status")) for f in self.members), key=STATUS_ORDER.index)

    @property
    def severity(self) -> str:
        return min((_value(_get(f, "severity")) for f in self.members), key=SEVERITY_ORDER.index)

    def tally(self) -> str:
        """The members' statuses counted, worst first: "9 fail, 2 not applicable"."""
        statuses = [_value(_get(f, "status")) for f in self.members]
        return ", ".join(f"{statuses.count(s)} {s.replace('_', ' ')}" for s in STATUS_ORDER if s in statuses)


def rule_groups(findings: list[Any]) -> dict[str, RuleGroup]:
    """The groups among ``findings`` by shared name; a finding belongs to at most one group."""
    candidates: dict[str, RuleGroup] = {}
    for finding in findings:
        key = variant_key(finding)
        if key is None:
            continue
        jurisdiction, name = key
        group = candidates.setdefault(name, RuleGroup(name))
        group.members.append(finding)
        group.states.append(state_name(finding, jurisdiction))
    return {name: group for name, group in candidates.items() if len(group.members) >= MIN_GROUP}


def group_of(groups: dict[str, RuleGroup], finding: Any) -> RuleGroup | None:
    key = variant_key(finding)
    return groups.get(key[1]) if key else None
