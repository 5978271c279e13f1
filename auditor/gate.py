"""The CI gate: from findings to an exit code, modelled on Lighthouse CI assertions.

Exit codes (DESIGN.md): 0 gate passed; 1 gate failed; 2 usage or configuration error; 3 no site could be
audited at all.

Each finding gets a level (see :mod:`auditor.config`): ``off`` ignores it, ``warn`` prints it and passes,
``error`` fails the gate. A failing finding's level is its rule's assertion, else ``error`` at or above
``fail-on`` and ``warn`` below; ``review`` and ``not_assessable`` findings take the ``review`` /
``not-assessable`` levels (``warn`` by default). Before a finding can fail the gate it is checked, in order,
against the waivers (an active waiver accepts it; an expired one no longer does, and the gate says so) and
the baseline (a finding with the same site, rule and status in the baseline is known, not new).
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

from auditor.config import GateConfig, Waiver
from auditor.findings import Finding, GateDecision, GateOutcome, SiteReport, Status
from auditor.report.markdown import escape
from auditor.report.text import printable

EXIT_OK, EXIT_GATE_FAILED, EXIT_USAGE, EXIT_UNREACHABLE = 0, 1, 2, 3
FAIL_ON_CHOICES = ["critical", "high", "medium", "low", "info", "never"]
GATE_FILE = "gate.json"
MAX_LISTED = 8
MAX_WARNINGS = 4
WARNING_KIND = {"fail": "failing at warn level", "review": "need review", "not_assessable": "not assessable"}


class BaselineError(ValueError):
    """The baseline file is unusable; one line for the user."""


Baseline = dict[tuple[str, str], str]  # (site id, rule) -> status in the baseline run


def load_baseline(path: Path) -> Baseline:
    """Statuses per (site id, rule) from a previous report.json, a JSON list of them, or a run folder."""
    if path.is_dir():
        files = sorted(path.glob("*/report.json")) or sorted(path.glob("report.json"))
        if not files:
            raise BaselineError(f"baseline {path}: the folder has no report.json files")
    else:
        files = [path]
    known: Baseline = {}
    for file in files:
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            raise BaselineError(f"cannot read baseline {file}: {error}") from None
        for report in data if isinstance(data, list) else [data]:
            if not isinstance(report, dict) or report.get("schema") != "auditor.report/1":
                raise BaselineError(f"baseline {file} is not an auditor report.json (schema auditor.report/1)")
            site = report.get("site", {})
            site_id = site.get("site_id") or site.get("host", "")
            for finding in report.get("findings", []):
                known[(site_id, finding.get("rule", ""))] = finding.get("status", "")
    return known


@dataclass
class GateItem:
    """One finding as the gate saw it."""

    site: str
    url: str
    rule: str
    status: str
    severity: str
    message: str
    level: str
    note: str = ""
    outcome: str = ""  # blocking, warning, waived or known (GateOutcome); empty in gate.json files before 0.2


@dataclass
class GateResult:
    exit_code: int
    reason: str
    fail_on: str = "low"
    failing: list[GateItem] = field(default_factory=list)
    warnings: list[GateItem] = field(default_factory=list)
    known: list[GateItem] = field(default_factory=list)
    waived: list[GateItem] = field(default_factory=list)
    expired_waivers: list[str] = field(default_factory=list)
    config_source: str = ""
    today: str = ""

    @property
    def passed(self) -> bool:
        return self.exit_code == EXIT_OK

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, ensure_ascii=False) + "\n"


def saved_gate(run_dir: Path) -> GateResult | None:
    """The gate decision saved in ``run_dir/gate.json``; None when there is none or it cannot be read."""
    path = run_dir / GATE_FILE
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        for key in ("failing", "warnings", "known", "waived"):
            data[key] = [GateItem(**item) for item in data.get(key, [])]
        return GateResult(**data)
    except (OSError, ValueError, TypeError, AttributeError):  # AttributeError: JSON that is not an object
        return None


def _level(finding: Finding, config: GateConfig) -> str:
    if finding.status == Status.FAIL:
        return config.level_for_failure(finding.rule, finding.severity)
    explicit = config.explicit_level(finding.rule)
    if explicit == "off":
        return "off"
    if finding.status == Status.REVIEW:
        return config.review
    if finding.status == Status.NOT_ASSESSABLE:
        return config.not_assessable
    return "off"


def _expired_note(waiver: Waiver) -> str:
    return f"waiver expired on {waiver.expires.isoformat()} ({waiver.reason})"


def judge_finding(
    finding: Finding, report: SiteReport, config: GateConfig, baseline: Baseline | None, today: dt.date
) -> tuple[GateDecision, list[Waiver]]:
    """The gate's decision on one finding, and the waivers that named it but have expired (pure).

    In order: the level (``off`` ends it); an active waiver accepts it; an expired one no longer does (and is
    returned, so the gate can say so); the same status in the baseline makes it known; else the level decides.
    """
    level = _level(finding, config)
    if level == "off":
        return GateDecision(outcome=GateOutcome.OFF, level="off"), []
    site_id = report.site.site_id or report.site.host
    matching = [w for w in config.waivers if w.matches(finding.rule, site_id, report.site.host, report.site.url)]
    active = [w for w in matching if w.active(today)]
    if active:
        waiver = active[0]
        note = f"waived until {waiver.expires.isoformat()}: {waiver.reason}"
        return GateDecision(outcome=GateOutcome.WAIVED, level=level, note=note, waived_until=waiver.expires), []
    note = _expired_note(matching[-1]) if matching else ""
    if baseline is not None and baseline.get((site_id, finding.rule)) == finding.status.value:
        known_note = f"known: {finding.status.value.replace('_', ' ')} in the baseline" + (f"; {note}" if note else "")
        return GateDecision(outcome=GateOutcome.KNOWN, level=level, note=known_note), matching
    outcome = GateOutcome.BLOCKING if level == "error" else GateOutcome.WARNING
    return GateDecision(outcome=outcome, level=level, note=note), matching


def gate_reports(
    reports: list[SiteReport],
    config: GateConfig | None = None,
    baseline: Baseline | None = None,
    today: dt.date | None = None,
) -> tuple[list[SiteReport], GateResult]:
    """Decide the gate once: each finding gets its :class:`GateDecision` (``finding.gate``), and the run its verdict.

    Returns the reports with their findings' decisions set, and the :class:`GateResult` summarising them. Every
    writer (SARIF, JUnit, Markdown, HTML, Code Quality, annotations, the terminal) reads those decisions, so they all
    agree with the exit code. Pure: no I/O.
    """
    config = config or GateConfig()
    today = today or config.today or dt.datetime.now(dt.UTC).date()
    result = GateResult(EXIT_OK, "", fail_on=config.fail_on, config_source=config.source, today=today.isoformat())
    lists = {
        GateOutcome.BLOCKING: result.failing,
        GateOutcome.WARNING: result.warnings,
        GateOutcome.WAIVED: result.waived,
        GateOutcome.KNOWN: result.known,
    }
    expired: dict[str, None] = {}
    decided: list[SiteReport] = []
    for report in reports:
        site_id = report.site.site_id or report.site.host
        findings = []
        for finding in report.findings:
            decision, lapsed = judge_finding(finding, report, config, baseline, today)
            findings.append(finding.model_copy(update={"gate": decision}))
            for waiver in lapsed:
                expired[f"{waiver.rule} on {waiver.sites}: {_expired_note(waiver)}; no longer waived"] = None
            if decision.outcome in lists:
                item = GateItem(
                    site_id,
                    report.site.url,
                    finding.rule,
                    finding.status.value,
                    finding.severity.value,
                    finding.message,
                    decision.level,
                    decision.note,
                    decision.outcome.value,
                )
                lists[decision.outcome].append(item)
        decided.append(report.model_copy(update={"findings": findings}))
    result.expired_waivers = list(expired)
    new = "new " if baseline is not None else ""
    if reports and all(r.summary.status == Status.NOT_ASSESSABLE for r in reports):
        result.exit_code = EXIT_UNREACHABLE
        result.reason = "no site could be audited"
    elif result.failing:
        result.exit_code = EXIT_GATE_FAILED
        count = len(result.failing)
        result.reason = f"{count} {new}finding{'s' if count != 1 else ''} at error level"
    else:
        result.reason = f"no {new}finding at error level"
    return decided, result


def decide(
    reports: list[SiteReport],
    config: GateConfig | None = None,
    baseline: Baseline | None = None,
    today: dt.date | None = None,
) -> GateResult:
    """The gate's verdict over a run's reports (pure: no I/O); :func:`gate_reports` also returns the decisions."""
    return gate_reports(reports, config, baseline, today)[1]


def _line(item: GateItem, indent: str = "  ", site: bool = True) -> str:
    status = item.status.replace("_", " ")
    text = printable(item.message if len(item.message) <= 150 else item.message[:149] + "…")
    where = f"{item.site}  " if site else ""
    return f"{indent}{where}{item.rule}  [{status}, {item.severity}]  {text}"


def why_not_assessable(report: SiteReport) -> str:
    """Why a site could not be audited: the reason most of its not-assessable findings give (a DNS failure, a
    refused connection, a bot check ...; the engine words each one once, see ``engine.missing_evidence``)."""
    reasons = Counter(f.message for f in report.findings if f.status == Status.NOT_ASSESSABLE)
    return reasons.most_common(1)[0][0] if reasons else "none of its findings could be assessed"


def explain(result: GateResult, out_dir: Path | None = None, reports: list[SiteReport] | None = None) -> list[str]:
    """The gate's verdict in one screen: what failed where and why, what only warns, and how to accept it; when no
    site could be audited, why not, one line per site (``reports``)."""
    lines: list[str] = []
    if result.exit_code == EXIT_UNREACHABLE:
        lines.append(f"Gate: no site could be audited (exit {EXIT_UNREACHABLE}): every site was not assessable.")
        for unaudited in (reports or [])[:MAX_LISTED]:
            why = why_not_assessable(unaudited)
            why = why if len(why) <= 200 else why[:199] + "…"
            lines.append(f"  {unaudited.site.site_id or unaudited.site.host}: {printable(why)}")
        if reports and len(reports) > MAX_LISTED:
            lines.append(f"  … and {len(reports) - MAX_LISTED} more sites (each one's report.json says why)")
        return lines
    verdict = "FAILED" if result.failing else "passed"
    lines.append(f"Gate {verdict}: {result.reason} (fail-on {result.fail_on}; exit {result.exit_code})")
    if result.config_source:
        lines.append(f"  configuration: {result.config_source}")
    if result.failing:
        lines.append(f"Failing the gate ({len(result.failing)}):")
        shown = 0
        for site in dict.fromkeys(item.site for item in result.failing):
            if shown >= MAX_LISTED:
                break
            report = f" — {out_dir / site / 'report.html'}" if out_dir is not None else ""
            lines.append(f"  {site}{report}")
            for item in (i for i in result.failing if i.site == site):
                if shown >= MAX_LISTED:
                    break
                lines.append(_line(item, indent="    ", site=False))
                if item.note:
                    lines.append(f"      {printable(item.note)}")
                shown += 1
        if len(result.failing) > shown:
            lines.append(f"  … and {len(result.failing) - shown} more (all in {GATE_FILE} and the reports)")
    if result.warnings:
        order = {"fail": 0, "review": 1, "not_assessable": 2}
        warnings = sorted(result.warnings, key=lambda i: order.get(i.status, 3))
        tally = Counter(i.status for i in warnings)
        kinds = ", ".join(
            f"{n} {WARNING_KIND[status]}" for status, n in sorted(tally.items(), key=lambda t: order[t[0]])
        )
        lines.append(f"Warnings, which do not fail the gate: {kinds}")
        lines += [_line(item) for item in warnings[:MAX_WARNINGS]]
        if len(warnings) > MAX_WARNINGS:
            lines.append(f"  … and {len(warnings) - MAX_WARNINGS} more in {GATE_FILE} and the reports")
    for text in result.expired_waivers:
        lines.append(f"Expired waiver: {text}")
    if result.waived:
        lines.append(f"Waived: {len(result.waived)}")
        lines += [printable(f"  {i.site}  {i.rule}  {i.note}") for i in result.waived[:MAX_LISTED]]
    if result.known:
        lines.append(f"Known from the baseline (not new): {len(result.known)}")
        lines += [printable(f"  {i.site}  {i.rule}  [{i.status.replace('_', ' ')}]") for i in result.known[:MAX_LISTED]]
    if result.failing:
        first = result.failing[0]
        lines += [
            "To accept a failure for now, add a waiver to auditor.toml (or [tool.auditor] in pyproject.toml):",
            f'  [[waivers]]\n  rule = "{first.rule}"\n  sites = "{first.site}"\n'
            '  reason = "why, and the ticket that fixes it"\n  expires = 2099-01-31  # pick a real date',
            f"or accept today's failures as known: keep a copy of {out_dir or 'OUT'} (its report.json files) "
            "and pass it as --baseline (then only new failures fail)",
            f'or lower the rule\'s level: [assertions] "{first.rule}" = "warn"',
        ]
    return lines


def markdown_lines(result: GateResult) -> list[str]:
    """The gate's verdict for the top of a pull-request comment."""
    if result.exit_code == EXIT_UNREACHABLE:
        return ["**Gate: ⚠️ no site could be audited** (exit 3)."]
    head = "❌ failed" if result.failing else "✅ passed"
    lines = [f"**Gate {head}**: {escape(result.reason)} (fail-on `{result.fail_on}`)."]
    for item in result.failing[:MAX_LISTED]:
        lines.append(f"- ❌ `{item.rule}` on {escape(item.site)}: {escape(item.message, 200)}")
    if result.warnings:
        lines.append(f"- ⚠️ {len(result.warnings)} warning(s) that do not fail the gate")
    for text in result.expired_waivers:
        lines.append(f"- ⌛ expired waiver: {escape(text, 300)}")
    if result.waived:
        lines.append(f"- {len(result.waived)} waived finding(s)")
    if result.known:
        lines.append(f"- {len(result.known)} known failure(s) from the baseline")
    return lines
