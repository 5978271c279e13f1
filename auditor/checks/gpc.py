"""Global Privacy Control: is the signal honored, is that shown, and what does ``/.well-known/gpc.json`` say.

``gpc_honored`` compares the cold ``baseline`` visit with the cold ``gpc`` visit. Under GPC every signal the
site implements must show an opt-out of sale/sharing (US Privacy 3rd char ``Y``; GPP ``SaleOptOut`` /
``SharingOptOut`` / ``TargetedAdvertisingOptOut`` = 1; OneTrust's sale/targeting groups ``:0``; a recognised
CMP's stored consent with advertising off). The report gets the before/after table of every signal, the GPP
fields one by one, and the request diff (advertising requests and cookies seen in one visit and not the other).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from auditor.checks.common import indicators_table, sale_sharing_indicators, unassessable
from auditor.checks.gpc_readings import FAILING, Reading, ReadingOptions, read_signals, value_text
from auditor.checks.registry import CheckContext, Outcome, check
from auditor.evidence import ProfileCapture, SiteEvidence
from auditor.findings import ImageEvidence, ScreenshotRef, Status, TableEvidence, TextEvidence
from auditor.textmatch import contains_phrase, normalize

MAX_ROWS = 40
DEFAULT_AD_COOKIES = ("_fbp", "_fbc", "_gcl_au", "_gcl_aw", "_ttp", "_uetsid", "_uetvid", "_pin_unauth", "_rdt_uuid")
_RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}([Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2}))?$")


@dataclass
class Comparison:
    """The two visits' signals, read and paired, and what their requests and cookies did."""

    base: ProfileCapture
    gpc: ProfileCapture
    before: list[Reading]
    after: list[Reading]
    ad_requests: dict[str, tuple[int, int]]  # registrable domain -> (without GPC, with GPC)
    ad_cookies: dict[str, tuple[bool, bool]]  # "name (domain)" -> (without GPC, with GPC)

    @property
    def judged(self) -> list[Reading]:
        return [r for r in self.after if r.judged]

    @property
    def ads_with_gpc(self) -> int:
        return sum(after for _, after in self.ad_requests.values())

    @property
    def ads_without_gpc(self) -> int:
        return sum(before for before, _ in self.ad_requests.values())


def compare(evidence: SiteEvidence, params: dict[str, Any], context: CheckContext) -> Comparison:
    """Read both visits' signals and diff their advertising requests and cookies (call ``_blocked`` first)."""
    options = ReadingOptions.from_params(params)
    base, gpc = evidence.profiles["baseline"], evidence.profiles["gpc"]
    site = base.homepage.final_url or evidence.site.url
    optout = evidence.profiles.get("optout")
    labels = optout.consent if optout is not None else None  # the optout visit opens the preference center
    before = read_signals(base.signals, options, site_url=site, consents=(base.consent, gpc.consent, labels))
    after = read_signals(gpc.signals, options, site_url=site, consents=(gpc.consent, base.consent, labels))
    return Comparison(
        base, gpc, before, after, _ad_requests(base, gpc, context), _ad_cookies(base, gpc, params, context)
    )


def _ad_requests(base: ProfileCapture, gpc: ProfileCapture, context: CheckContext) -> dict[str, tuple[int, int]]:
    counts: dict[str, list[int]] = {}
    for index, profile in enumerate((base, gpc)):
        page = profile.homepage
        for domain, count in _advertising_domains(page, context).items():
            counts.setdefault(domain, [0, 0])[index] = count
    return {domain: (pair[0], pair[1]) for domain, pair in sorted(counts.items())}


def _advertising_domains(page, context: CheckContext) -> Counter:
    found: Counter = Counter()
    trackers = context.trackers
    if trackers is None:
        return found
    for request in page.requests:
        if not request.third_party:
            continue
        match = trackers.classify_request(request.url, page.final_url, request.resource_type)
        if match is not None and trackers.advertising_like(match.category):
            found[f"{match.domain} ({match.owner}, {match.category})"] += 1
    return found


def _ad_cookies(
    base: ProfileCapture, gpc: ProfileCapture, params: dict[str, Any], context: CheckContext
) -> dict[str, tuple[bool, bool]]:
    names = set(params.get("advertising_cookies", DEFAULT_AD_COOKIES))
    seen: dict[str, list[bool]] = {}
    for index, profile in enumerate((base, gpc)):
        for cookie in profile.homepage.cookies:
            domain = cookie.domain.lstrip(".")
            match = context.trackers.classify(domain) if context.trackers is not None and domain else None
            advertising = match is not None and context.trackers.advertising_like(match.category)
            if advertising or cookie.name in names:
                seen.setdefault(f"{cookie.name} ({domain})", [False, False])[index] = True
    return {key: (pair[0], pair[1]) for key, pair in sorted(seen.items()) if pair[0] != pair[1]}


def _blocked(evidence: SiteEvidence) -> Outcome | None:
    blocked = unassessable(evidence, "gpc") or unassessable(evidence)
    if blocked:
        return blocked
    base, gpc = evidence.profiles["baseline"], evidence.profiles["gpc"]
    if gpc.signals is None or base.signals is None:
        missing = "with" if gpc.signals is None else "without"
        return Outcome(Status.NOT_ASSESSABLE, f"Privacy signals were not read in the visit {missing} GPC.")
    if gpc.signals.navigator_gpc is not True:
        return Outcome(
            Status.NOT_ASSESSABLE,
            "In the visit meant to send GPC the page did not see navigator.globalPrivacyControl === true "
            f"(it saw {gpc.signals.navigator_gpc!r}), so the comparison would not test the signal.",
        )
    if base.signals.navigator_gpc is True:
        return Outcome(
            Status.NOT_ASSESSABLE,
            "In the visit without GPC the page saw navigator.globalPrivacyControl === true, so there is no "
            "GPC-off control to compare with.",
        )
    return None


def _sale_sharing(comparison: Comparison, context: CheckContext) -> list[list[str]]:
    rows = []
    for profile in (comparison.base, comparison.gpc):
        rows += sale_sharing_indicators(profile.homepage, context, profile.consent, profile.signals)
    unique = {tuple(row): row for row in rows}
    return list(unique.values())


@check("gpc_honored")
def gpc_honored(evidence: SiteEvidence, params: dict[str, Any], context: CheckContext) -> Outcome:
    """With GPC on, every opt-out signal the site implements shows an opt-out of sale/sharing."""
    blocked = _blocked(evidence)
    if blocked:
        return blocked
    comparison = compare(evidence, params, context)
    items = gpc_evidence(comparison)
    judged = comparison.judged
    failing = [r for r in judged if r.verdict in FAILING]
    unclear = [r for r in judged if r.verdict == "unclear"]
    missing = _missing_under_gpc(comparison)
    ads = _ads_sentence(comparison)
    if failing:
        return Outcome(Status.FAIL, _fail_message(failing, len(judged)) + ads, items)
    if unclear or missing:
        reasons = [f"{r.signal} ({r.where}): {r.reason}" for r in unclear]
        reasons += [f"{r.signal} ({r.where}) was read without GPC but not with it" for r in missing]
        return Outcome(
            Status.REVIEW,
            "With GPC on, no signal says the visitor was not opted out, but not every signal could be read as an "
            "opt-out: " + "; ".join(reasons) + "." + ads,
            items,
        )
    if judged:
        names = sorted({r.signal for r in judged})
        return Outcome(
            Status.PASS,
            f"With GPC on, every privacy signal the site implements shows an opt-out of sale/sharing "
            f"({len(judged)} value(s): {', '.join(names)})." + ads,
            items,
        )
    indicators = _sale_sharing(comparison, context)
    none = _no_signal_phrase(comparison)
    if comparison.ads_with_gpc:
        return Outcome(
            Status.REVIEW,
            f"{none}, and {comparison.ads_with_gpc} advertising request(s) still fired with GPC on. Whether the "
            "site honors GPC on its servers cannot be seen; a person must check what those requests carry.",
            items + ([indicators_table(indicators)] if indicators else []),
        )
    if comparison.ads_without_gpc:
        return Outcome(
            Status.PASS,
            f"{none}, and the advertising requests seen without GPC ({comparison.ads_without_gpc}) did not fire "
            "with GPC on: the site stops them when it receives the signal.",
            items,
        )
    if not indicators:
        return Outcome(
            Status.NOT_APPLICABLE,
            "No evidence of sale or sharing in either visit: no advertising, marketing or social third parties, "
            "no US privacy signal, no consent category for advertising. The GPC duty applies to businesses that "
            "sell or share personal information.",
            items,
        )
    return Outcome(
        Status.REVIEW,
        f"{none} and no advertising request was seen, but the capture shows other signs of sale or sharing; "
        "a person must check how GPC is processed.",
        items + [indicators_table(indicators)],
    )


def _no_signal_phrase(comparison: Comparison) -> str:
    present = sorted({f"{r.signal} ({r.reason})" for r in comparison.after if not r.judged})
    if present:
        return (
            "The site implements no privacy signal this rule reads (present but not read: " + "; ".join(present) + ")"
        )
    return "The site implements no privacy signal (no US Privacy string, GPP, OneTrust or recognised consent state)"


def _fail_message(failing: list[Reading], judged: int) -> str:
    parts = [f"{r.signal} ({r.where}): {r.reason}" for r in failing[:4]]
    more = f" and {len(failing) - 4} more" if len(failing) > 4 else ""
    contradictions = [r for r in failing if r.verdict == "contradiction"]
    lead = (
        "A signal contradicts itself with GPC on"
        if contradictions
        else "With GPC on, not every signal shows an opt-out"
    )
    return f"{lead} ({len(failing)} of {judged}): " + "; ".join(parts) + more + "."


def _missing_under_gpc(comparison: Comparison) -> list[Reading]:
    after = {r.key for r in comparison.after}
    # A request that stopped under GPC is the opposite of a problem; stored state and APIs should stay.
    return [r for r in comparison.before if r.judged and r.key not in after and not r.key.startswith("param|")]


def _ads_sentence(comparison: Comparison) -> str:
    if comparison.ads_with_gpc:
        return (
            f" {comparison.ads_with_gpc} advertising request(s) fired with GPC on "
            f"({comparison.ads_without_gpc} without); see the request diff."
        )
    if comparison.ads_without_gpc:
        return f" The {comparison.ads_without_gpc} advertising request(s) seen without GPC did not fire with it."
    return ""


# ---- the report's GPC section ----


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


# ---- ccpa.gpc-status-display ----


@check("gpc_status_display")
def gpc_status_display(evidence: SiteEvidence, params: dict[str, Any], context: CheckContext) -> Outcome:
    """With GPC on, the site shows that it processed the signal (text, or a control showing opted out)."""
    blocked = _blocked(evidence)
    if blocked:
        return blocked
    comparison = compare(evidence, params, context)
    applies = comparison.judged or comparison.ads_with_gpc or comparison.ads_without_gpc
    if not applies and not _sale_sharing(comparison, context):
        return Outcome(
            Status.NOT_APPLICABLE,
            "No evidence of sale or sharing, so there is no opt-out preference signal to process or display.",
        )
    phrases = list(params.get("phrases", []))
    shown = _status_texts(comparison.gpc, phrases)
    before = _status_texts(comparison.base, phrases)
    fresh = [(where, text) for where, text in shown if normalize(text) not in {normalize(t) for _, t in before}]
    shot = comparison.gpc.homepage.viewport_screenshot
    image = [ImageEvidence(label="Homepage with GPC on", screenshot=ScreenshotRef(**shot.model_dump()))] if shot else []
    if fresh:
        where, text = fresh[0]
        quoted = text[:200].rstrip(".")
        return Outcome(
            Status.PASS,
            f"With GPC on, the site shows that it processed the signal ({where}): \u201c{quoted}\u201d.",
            [TextEvidence(label=f"Shown with GPC on ({where})", text=text[:1000]), *image],
        )
    toggles = _opted_out_controls(comparison)
    if toggles:
        return Outcome(
            Status.PASS,
            "With GPC on, the preference center shows the sale/sharing control(s) switched to opted out: "
            + ", ".join(toggles)
            + ".",
            [
                TableEvidence(
                    label="Controls shown opted out with GPC on", columns=["control"], rows=[[t] for t in toggles]
                ),
                *image,
            ],
        )
    if shown:
        where, text = shown[0]
        quoted = text[:200].rstrip(".")
        return Outcome(
            Status.REVIEW,
            f"A GPC statement is on the page ({where}), but it reads the same without GPC: \u201c{quoted}\u201d. "
            "A static statement does not show whether this visitor's signal was processed; a person must check.",
            [TextEvidence(label="Shown with and without GPC", text=text[:1000]), *image],
        )
    searched = ", ".join(f"\u201c{p}\u201d" for p in phrases[:6])
    return Outcome(
        Status.FAIL,
        "With GPC on, the site does not show whether it processed the signal: no status text (searched for "
        f"{searched}, ...) and no preference-center control read as opted out. Since 2026-01-01 the business must "
        "display whether it processed the opt-out preference signal.",
        [TextEvidence(label="Searched the page and the consent banner for", text="; ".join(phrases)), *image],
    )


def _status_texts(profile: ProfileCapture, phrases: list[str]) -> list[tuple[str, str]]:
    """(where, text) of every status statement in a visit: page text lines, the consent banner, OneTrust's notice."""
    sources: list[tuple[str, str]] = []
    if profile.signals is not None and profile.signals.onetrust is not None:
        notice = profile.signals.onetrust.optout_signal_notice
        if notice:
            sources.append(("the consent manager's opt-out signal notice", notice))
    if profile.consent is not None and profile.consent.banner is not None:
        sources += [("the consent banner", line) for line in profile.consent.banner.text.splitlines()]
    sources += [("the page", line) for line in profile.homepage.visible_text.splitlines()]
    found = []
    for where, text in sources:
        text = text.strip()
        if text and len(text) <= 600 and any(contains_phrase(text, phrase) for phrase in phrases):
            found.append((where, text))
    return found


def _opted_out_controls(comparison: Comparison) -> list[str]:
    """Preference-center controls for sale/sharing/targeting shown opted out with GPC on (and not without)."""
    gpc_consent, base_consent = comparison.gpc.consent, comparison.base.consent
    if gpc_consent is None or gpc_consent.preference_center is None:
        return []
    before = {}
    if base_consent is not None and base_consent.preference_center is not None:
        before = {t.label: t for t in base_consent.preference_center.toggles}
    shown = []
    for toggle in gpc_consent.preference_center.toggles:
        if not toggle.governs or toggle.state != toggle.optout_state or toggle.always_active:
            continue
        earlier = before.get(toggle.label)
        if earlier is None or earlier.state != earlier.optout_state:
            shown.append(f"{toggle.label} ({toggle.state})")
    return shown


# ---- gpc.well-known ----


@check("gpc_well_known")
def gpc_well_known(evidence: SiteEvidence, params: dict[str, Any], context: CheckContext) -> Outcome:
    """``/.well-known/gpc.json`` is served as JSON with ``"gpc": true`` (a declaration, not proof)."""
    blocked = unassessable(evidence)
    if blocked:
        return blocked
    signals = evidence.profiles["baseline"].signals
    record = signals.well_known if signals is not None else None
    if record is None:
        return Outcome(Status.NOT_ASSESSABLE, "/.well-known/gpc.json was not fetched in this audit.")
    note = " The file is the site's declaration, not proof: whether GPC is honored is judged by ccpa.gpc-honored."
    shown = [TableEvidence(label="GET /.well-known/gpc.json", columns=["field", "value"], rows=_fetch_rows(record))]
    if record.error or record.status is None:
        return Outcome(
            Status.NOT_ASSESSABLE, f"{record.url} could not be fetched: {record.error or 'no response'}.", shown
        )
    if record.status >= 500:
        return Outcome(Status.NOT_ASSESSABLE, f"{record.url} answered HTTP {record.status} (a server error).", shown)
    kind = record.content_type.split(";")[0].strip().lower()
    if record.status >= 400:
        return Outcome(
            Status.NOT_APPLICABLE,
            f"The site serves no /.well-known/gpc.json (HTTP {record.status}): it makes no GPC declaration. "
            "The file is optional." + note,
            shown,
        )
    try:
        data = json.loads(record.body)
    except ValueError:
        data = None
    if data is None and kind in ("text/html", "application/xhtml+xml"):
        return Outcome(
            Status.NOT_APPLICABLE,
            f"{record.url} answered with an HTML page (HTTP {record.status}, probably a catch-all route), not the "
            "JSON declaration: the site makes no GPC declaration." + note,
            shown,
        )
    if not isinstance(data, dict):
        return Outcome(
            Status.FAIL,
            f"{record.url} is served but is not a JSON object (Content-Type {record.content_type or 'none'}): "
            "the GPC specification requires a JSON object." + note,
            shown,
        )
    problems = []
    if kind != "application/json":
        problems.append(f"it is served as {record.content_type or 'no Content-Type'}, not application/json")
    gpc = data.get("gpc")
    last = data.get("lastUpdate")
    if last is not None and not (isinstance(last, str) and _RFC3339.match(last)):
        problems.append(f"lastUpdate {last!r} is not an RFC 3339 date")
    declared = f'"gpc": {json.dumps(gpc)}' + (f', "lastUpdate": {json.dumps(last)}' if last is not None else "")
    if gpc is True and not [p for p in problems if "application/json" in p]:
        extra = f" ({'; '.join(problems)})" if problems else ""
        return Outcome(Status.PASS, f"{record.url} declares {declared}{extra}." + note, shown)
    if gpc is False:
        problems.insert(0, '"gpc": false declares that the site does not intend to honor GPC')
    elif gpc is not True:
        problems.insert(0, f'"gpc" must be true or false, not {json.dumps(gpc)}')
    return Outcome(Status.FAIL, f"{record.url} declares {declared}, but " + "; ".join(problems) + "." + note, shown)


def _fetch_rows(record) -> list[list[str]]:
    rows = [["URL", record.url]]
    if record.final_url and record.final_url != record.url:
        rows.append(["redirected to", record.final_url])
    rows += [
        ["status", str(record.status) if record.status is not None else "—"],
        ["Content-Type", record.content_type or "—"],
        ["body", record.body[:500] or "—"],
    ]
    if record.error:
        rows.append(["error", record.error])
    return rows
