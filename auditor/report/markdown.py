"""A Markdown summary of one or more sites, sized and escaped for a pull-request comment.

Site text (link labels, URLs) is escaped so it cannot add links, images, HTML or ``@mentions`` to the comment.
Problems come first; passing rules fold into a ``<details>`` block. The text stays under GitHub's comment limit.
"""

from __future__ import annotations

import re

from auditor.findings import SiteReport

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
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def escape(text: str, limit: int = 300) -> str:
    """Text safe inside a Markdown table cell: no markup, no HTML, no mentions, one line, at most ``limit``.

    Control characters and bidirectional overrides become "?": a comment read in a terminal or CI log must not
    carry escape sequences, nor text that displays in another order than it reads.
    """
    text = _UNPRINTABLE.sub("?", " ".join(str(text).split()))
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

    def by_status(*statuses: str) -> list:
        return sorted((f for f in report.findings if f.status in statuses), key=lambda f: (ORDER[f.status], f.rule))

    failing = by_status("fail")
    if failing:
        lines += ["| | Rule | Severity | What we observed |", "|---|---|---|---|"]
        for f in failing:
            new = " 🆕" if report.changes and f.rule in report.changes.new_failures else ""
            lines.append(f"| {ICON[f.status]}{new} | `{f.rule}` | {f.severity} | {escape(f.message)} |")
        lines.append("")
    lines += _unseen_lines(by_status("not_assessable"))
    for folded, summary in (
        (by_status("review", "not_assessable"), "need review or could not be assessed"),
        (by_status("pass", "not_applicable"), "pass or do not apply"),
    ):
        if folded:
            lines += [f"<details><summary>{len(folded)} other rules {summary}</summary>", ""]
            lines += ["| | Rule | Finding |", "|---|---|---|"]
            lines += [f"| {ICON[f.status]} | `{f.rule}` | {escape(f.message, 200)} |" for f in folded]
            lines += ["", "</details>", ""]
    return lines


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
