"""A Markdown summary of one or more sites, sized and escaped for a pull-request comment.

Site text (link labels, URLs) is escaped so it cannot add links, images, HTML or ``@mentions`` to the comment.
Problems come first; passing rules fold into a ``<details>`` block. The text stays under GitHub's comment limit.
"""

from __future__ import annotations

import re

from auditor.findings import Finding, GateOutcome, SiteReport
from auditor.report.grouping import RuleGroup, group_of, rule_groups
from auditor.report.outcomes import OUTCOME_LABEL, OUTCOME_ORDER, gate_sort_key, is_gated, outcome_text
from auditor.report.text import printable

ICON = {"pass": "✅", "fail": "❌", "review": "👀", "not_applicable": "➖", "not_assessable": "⚠️"}
LABEL = {
    "pass": "pass",
    "fail": "fail",
    "review": "needs review",
    "not_applicable": "not applicable",
    "not_assessable": "not assessable",
}
ORDER = {"fail": 0, "review": 1, "not_assessable": 2, "pass": 3, "not_applicable": 4}
MAX_CHARS = 60_000  # GitHub rejects comments over 65,536 characters
MAX_UNSEEN = 8  # reasons listed under "What could not be seen"
_SPECIAL = re.compile(r"([\\`*_\[\]|~])")


def escape(text: str, limit: int = 300) -> str:
    """Text safe inside a Markdown table cell: no markup, no HTML, no mentions, one line, at most ``limit``.

    Control characters and bidirectional overrides become "?": a comment read in a terminal or CI log must not
    carry escape sequences, nor text that displays in another order than it reads.
    """
    text = printable(" ".join(str(text).split()))
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _SPECIAL.sub(r"\\\1", text)
    return text.replace("@", "&#64;").replace("://", ":&#47;&#47;")


def _site_section(report: SiteReport) -> list[str]:
    status = report.summary.status
    lines = [f"### {ICON[status]} {escape(report.site.url)} — {LABEL[status]}", ""]
    if report.changes:
        ch = report.changes
        parts = []
        if ch.new_failures:
            parts.append("new failures: " + ", ".join(f"`{r}`" for r in ch.new_failures))
        if ch.fixed:
            parts.append("fixed: " + ", ".join(f"`{r}`" for r in ch.fixed))
        lines += [f"Since the previous run ({ch.previous_run_at:%Y-%m-%d}): " + ("; ".join(parts) or "no change"), ""]

    groups = rule_groups(report.findings)
    new_failures = set(report.changes.new_failures) if report.changes else set()

    def rows(findings: list[Finding], gate: bool) -> list[str]:
        """Table rows; the per-state variants of a rule are one row (their states are listed below)."""
        out, placed = [], set()
        for f in findings:
            group = group_of(groups, f)
            if group is not None and group.name in placed:
                continue
            if group is not None:
                placed.add(group.name)
                messages = {m.message for m in group.members}
                what = escape(messages.pop(), 250) + " (every state)" if len(messages) == 1 else escape(group.tally())
                cells = [ICON[group.status], f"`*.{group.name}` ({len(group.members)} states)", group.severity]
                cells += [group_gate_tally(group)] if gate else []
                cells.append(f"{what}; the states are listed below")
            else:
                new = " 🆕" if f.rule in new_failures else ""
                cells = [f"{ICON[f.status]}{new}", f"`{f.rule}`", f.severity.value]
                cells += [gate_cell(f)] if gate else []
                cells.append(escape(f.message, 300 if gate else 200))
            out.append("| " + " | ".join(cells) + " |")
        return out

    gated = sorted(
        (f for f in report.findings if is_gated(f)), key=lambda f: (gate_sort_key(f), ORDER[f.status], f.rule)
    )
    # A group goes where its most important member goes: with the gated findings if any member is gated.
    gated_groups = {g.name for g in groups.values() if any(is_gated(m) for m in g.members)}
    gated += [m for g in groups.values() if g.name in gated_groups for m in g.members if not is_gated(m)]
    if gated:
        lines += ["| | Rule | Severity | Gate | What we observed |", "|---|---|---|---|---|"]
        lines += rows(gated, gate=True)
        lines.append("")
    rest = [f for f in report.findings if f not in gated]

    def by_status(*statuses: str) -> list:
        return sorted((f for f in rest if f.status in statuses), key=lambda f: (ORDER[f.status], f.rule))

    # Every reason something could not be seen, whether or not the gate counts the rules it held back.
    lines += _unseen_lines(sorted((f for f in report.findings if f.status == "not_assessable"), key=lambda f: f.rule))
    for folded, summary in (
        (by_status("fail", "review", "not_assessable"), "not gated: fail, need review or could not be assessed"),
        (by_status("pass", "not_applicable"), "pass or do not apply"),
    ):
        if folded:
            lines += [f"<details><summary>{len(folded)} other rules {summary}</summary>", ""]
            lines += ["| | Rule | Severity | Finding |", "|---|---|---|---|"]
            lines += rows(folded, gate=False)
            lines += ["", "</details>", ""]
    for group in groups.values():
        lines += _state_table(group)
    return lines


def group_gate_tally(group: RuleGroup) -> str:
    """The members' gate decisions counted, as plain text (each member's own cell is in the state table)."""
    outcomes = [m.gate.outcome for m in group.members if m.gate is not None]
    return ", ".join(f"{outcomes.count(o)} {OUTCOME_LABEL[o]}" for o in OUTCOME_ORDER if o in outcomes) or "—"


def _state_table(group: RuleGroup) -> list[str]:
    """The states of a group: each state's result, gate decision, citation and first day in force."""
    lines = [f"<details><summary>{escape(group.title)}: {escape(group.tally())}</summary>", ""]
    lines += ["| State | Result | Gate | Citation | In force from |", "|---|---|---|---|---|"]
    for state, f in zip(group.states, group.members, strict=True):
        citation = escape("; ".join(f.citations), 160) or "—"
        since = f.effective_from.isoformat() if f.effective_from else "—"
        result = f"{ICON[f.status]} {LABEL[f.status]}"
        lines.append(f"| {escape(state, 40)} `{f.rule}` | {result} | {gate_cell(f)} | {citation} | {since} |")
    return [*lines, "", "</details>", ""]


def gate_cell(finding: Finding) -> str:
    """The gate's decision for a table cell: **blocking** stands out; the rest is escaped text."""
    if finding.gate is not None and finding.gate.outcome == GateOutcome.BLOCKING:
        return "**blocking**"
    return escape(outcome_text(finding), 120) or "—"


def _unseen_lines(findings: list) -> list[str]:
    """What could not be seen: each reason once, with the rules it held back (visits not run, failed steps)."""
    if not findings:
        return []
    reasons: dict[str, list[str]] = {}
    for finding in findings:
        reasons.setdefault(finding.message, []).append(finding.rule)
    lines = ["**What could not be seen** (the auditor does not guess):", ""]
    for reason, rules in list(reasons.items())[:MAX_UNSEEN]:
        lines.append(f"- {escape(reason)} — " + ", ".join(f"`{rule}`" for rule in rules))
    if len(reasons) > MAX_UNSEEN:
        lines.append(f"- …and {len(reasons) - MAX_UNSEEN} more reasons: see the HTML report.")
    return [*lines, ""]


def render_markdown(reports: list[SiteReport], gate_lines: list[str] | None = None) -> str:
    """The summary: the gate's verdict (when given), a table of sites, then each site's problems."""
    lines = ["## 🔒 Privacy compliance audit", ""]
    if gate_lines:
        lines += [*gate_lines, ""]
    if len(reports) > 1:
        lines += ["| Site | Verdict | ❌ fail | 👀 review | ✅ pass | Changes |", "|---|---|---|---|---|---|"]
        for r in sorted(reports, key=lambda r: (ORDER[r.summary.status], r.site.site_id)):
            c = r.summary.counts
            change = "first run"
            if r.changes:
                change = f"+{len(r.changes.new_failures)} new, {len(r.changes.fixed)} fixed"
            lines.append(
                f"| {escape(r.site.url)} | {ICON[r.summary.status]} {LABEL[r.summary.status]} | "
                f"{c.get('fail', 0)} | {c.get('review', 0)} | {c.get('pass', 0)} | {change} |"
            )
        lines.append("")
    body: list[str] = []
    ordered = sorted(reports, key=lambda r: (ORDER[r.summary.status], r.site.site_id))
    for index, report in enumerate(ordered):
        section = _site_section(report)
        if sum(len(x) + 1 for x in lines + body + section) > MAX_CHARS:
            body.append(f"_…{len(ordered) - index} more sites: see the HTML reports._")
            break
        body += section
    if reports:
        first = reports[0]
        body.append(
            f"<sub>auditor {first.tool.version} · Chromium {first.browser.version} · rules as of {first.audit_date}"
            "</sub>"
        )
    return "\n".join(lines + body) + "\n"
