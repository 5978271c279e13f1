"""The report's GPC section: the before/after signal table, the decoded fields, the request diff, the context."""

from __future__ import annotations

import json

from auditor.checks.gpc.comparison import Comparison
from auditor.checks.gpc.readings import Reading, value_text
from auditor.evidence.consent import Step
from auditor.findings import TableEvidence

MAX_ROWS = 40
MAX_STEPS = 60  # rows of a step log (the opt-out flow, the GPC visit's look for the status display)


def gpc_evidence(comparison: Comparison) -> list:
    """The before/after signal table, the GPP/OneTrust fields one by one, and the request diff."""
    items: list = [_signal_table(comparison)]
    fields = _fields_table(comparison)
    if fields is not None:
        items.append(fields)
    items.append(_request_diff(comparison))
    extra = _context_table(comparison)
    if extra is not None:
        items.append(extra)
    return items


def _cell(reading: Reading | None) -> str:
    """Short raw values with their decoded meaning; long ones (cookies) by their decoded meaning alone."""
    if reading is None:
        return "—"
    if not reading.decoded or reading.decoded == reading.raw:
        return reading.raw or "—"
    if len(reading.raw) > 60:
        return f"{reading.decoded} (full value: report.json)"
    return f"{reading.raw} ({reading.decoded})" if reading.raw else reading.decoded


VERDICT_TEXT = {
    "opted_out": "opted out",
    "not_opted_out": "NOT opted out",
    "contradiction": "CONTRADICTION",
    "invalid": "INVALID",
    "unclear": "unclear",
    "not_judged": "not judged",
}


def _signal_table(comparison: Comparison) -> TableEvidence:
    before = {r.key: r for r in comparison.before}
    after = {r.key: r for r in comparison.after}
    rows = []
    for key in list(after) + [k for k in before if k not in after]:
        b, a = before.get(key), after.get(key)
        shown = a or b
        assert shown is not None
        verdict = VERDICT_TEXT[a.verdict] + (f": {a.reason}" if a.reason else "") if a else "absent with GPC"
        rows.append([shown.signal, shown.where, _cell(b), _cell(a), verdict])
    base, gpc = comparison.base.signals, comparison.gpc.signals
    label = "Privacy signals without and with GPC"
    if gpc is not None and base is not None:
        label += f" (GPC {gpc.gpc_mechanism or '?'}; the page saw navigator.globalPrivacyControl = {gpc.navigator_gpc})"
    return TableEvidence(
        label=label,
        columns=["signal", "read from", "without GPC", "with GPC", "reading with GPC"],
        rows=rows[:MAX_ROWS] or [["(none)", "no US Privacy, GPP, OneTrust or recognised consent state", "—", "—", "—"]],
        truncated=max(0, len(rows) - MAX_ROWS),
    )


def readings_table(label: str, readings: list[Reading]) -> TableEvidence:
    """One visit's signal readings: signal, where it was read, its value and what it says."""
    rows = [
        [r.signal, r.where, _cell(r), VERDICT_TEXT[r.verdict] + (f": {r.reason}" if r.reason else "")]
        for r in readings[:MAX_ROWS]
    ]
    return TableEvidence(
        label=label,
        columns=["signal", "read from", "value", "verdict"],
        rows=rows,
        truncated=max(0, len(readings) - MAX_ROWS),
    )


def _fields_table(comparison: Comparison) -> TableEvidence | None:
    before = {r.key: r for r in comparison.before}
    rows = []
    shown: set[str] = set()
    for reading in comparison.after + [r for r in comparison.before if r.key not in {a.key for a in comparison.after}]:
        if not reading.fields or not reading.key.startswith(("gpp|", "ot-gpp", "ot-consent", "cmp|")):
            continue
        earlier = before.get(reading.key)
        fingerprint = json.dumps([reading.signal, reading.fields, earlier.fields if earlier else None], default=str)
        if fingerprint in shown:
            continue
        shown.add(fingerprint)
        other = before.get(reading.key) if reading in comparison.after else None
        base_fields = other.fields if other else (reading.fields if reading not in comparison.after else {})
        gpc_fields = reading.fields if reading in comparison.after else {}
        for name in dict.fromkeys([*base_fields, *gpc_fields]):
            rows.append(
                [
                    reading.signal,
                    name,
                    value_text(base_fields[name]) if name in base_fields else "—",
                    value_text(gpc_fields[name]) if name in gpc_fields else "—",
                ]
            )
    if not rows:
        return None
    return TableEvidence(
        label="Decoded fields, without and with GPC (GPP opt-outs: 0 = N/A, 1 = opted out, 2 = did not opt out)",
        columns=["signal", "field", "without GPC", "with GPC"],
        rows=rows[: MAX_ROWS * 3],
        truncated=max(0, len(rows) - MAX_ROWS * 3),
    )


def _request_diff(comparison: Comparison) -> TableEvidence:
    rows = [
        ["advertising requests", domain, str(before), str(after)]
        for domain, (before, after) in comparison.ad_requests.items()
    ]
    rows += [
        ["advertising cookie", name, "set" if before else "—", "set" if after else "—"]
        for name, (before, after) in comparison.ad_cookies.items()
    ]
    return TableEvidence(
        label="Request diff: advertising requests and cookies without and with GPC",
        columns=["kind", "what", "without GPC", "with GPC"],
        rows=rows[:MAX_ROWS] or [["—", "no advertising request or cookie in either visit", "0", "0"]],
        truncated=max(0, len(rows) - MAX_ROWS),
    )


def _context_table(comparison: Comparison) -> TableEvidence | None:
    """Signals recorded for context but not judged: TCF, Google Consent Mode, GPP wait times."""
    rows = []
    for name, profile in (("without GPC", comparison.base), ("with GPC", comparison.gpc)):
        signals = profile.signals
        if signals is None:
            continue
        for tcf in signals.tcf:
            ping = tcf.ping or {}
            rows.append([name, "TCF (__tcfapi)", f"gdprApplies={ping.get('gdprApplies')}, cmpId={ping.get('cmpId')}"])
        if signals.consent_mode is not None:
            state = ", ".join(f"{k}={v}" for k, v in signals.consent_mode.state.items())
            rows.append([name, "Google Consent Mode (dataLayer)", state or "commands without state"])
        for gpp in signals.gpp:
            first = (gpp.first_ping or {}).get("signalStatus")
            rows.append([name, "GPP readiness", f"first ping: {first}; {gpp.wait} after {gpp.waited_ms / 1000:.1f} s"])
        for error in signals.errors[:5]:
            rows.append([name, "reader error", error[:200]])
    if not rows:
        return None
    return TableEvidence(
        label="Recorded for context, not judged (TCF: EU/Canada consent; Consent Mode: what Google tags are told)",
        columns=["visit", "what", "value"],
        rows=rows[:MAX_ROWS],
        truncated=max(0, len(rows) - MAX_ROWS),
    )


def steps_table(steps: list[Step], label: str) -> TableEvidence:
    """A step log (time, action, target, detail, result, whether a visitor takes that step)."""
    rows = [
        [
            f"{s.t_ms / 1000:.2f} s",
            s.action.replace("_", " "),
            s.target,
            s.detail,
            "ok" if s.ok else "failed",
            "yes" if s.user_step else "",
        ]
        for s in steps
    ]
    return TableEvidence(
        label=label,
        columns=["time", "action", "target", "detail", "result", "visitor step"],
        rows=rows[:MAX_STEPS],
        truncated=max(0, len(rows) - MAX_STEPS),
    )
