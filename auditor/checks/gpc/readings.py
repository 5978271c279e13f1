"""Read every privacy signal of one visit as "opted out or not" (pure; used by the GPC checks).

Each value the capture recorded raw (``auditor.evidence.signals``) is decoded again here with
``auditor.signals`` and turned into a :class:`Reading`: which signal, where it was read, the raw value, its
decoded fields, and whether it shows an opt-out of sale/sharing. The rules' parameters say which GPP
sections and opt-out fields count (California: usca/usnat and Sale/Sharing/TargetedAdvertising).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import Field

from auditor.checks.common import consent_controls
from auditor.checks.registry import CheckParams
from auditor.domains import is_third_party
from auditor.evidence.consent import ConsentEvidence
from auditor.evidence.signals import GppReading, OneTrustReading, SignalEvidence, SignalSource
from auditor.signals import (
    SignalDecodeError,
    decode_gpp,
    decode_optanon_consent,
    decode_usprivacy,
    join_otgpp_chunks,
    parse_google_opt_out,
)
from auditor.signals.cmp_storage import read_stored_consent
from auditor.signals.gpp import GppSection
from auditor.signals.gpp_sections import USPV1_ID
from auditor.textmatch import contains_phrase

Verdict = Literal["opted_out", "not_opted_out", "contradiction", "invalid", "unclear", "not_judged"]

FAILING: frozenset[str] = frozenset({"not_opted_out", "contradiction", "invalid"})

DEFAULT_GPP_SECTIONS = ("usnat", "usca")

DEFAULT_OPT_OUTS = ("SaleOptOut", "SharingOptOut", "TargetedAdvertisingOptOut")

DEFAULT_SALE_GROUP_IDS = ("C0004", "SPD_BG", "SSPD_BG", "4")

DEFAULT_SALE_GROUP_PHRASES = (
    "sale of personal",
    "sell",
    "selling",
    "sale",
    "sharing",
    "share my",
    "targeting",
    "targeted advertising",
    "advertising",
    "marketing",
)


@dataclass
class Reading:
    """One signal value, judged: does it show an opt-out of sale/sharing?"""

    key: str  # pairs the same signal across the two visits
    signal: str
    where: str
    raw: str
    decoded: str
    verdict: Verdict
    reason: str = ""
    fields: dict[str, Any] = field(default_factory=dict)  # every decoded field, for the detail table

    @property
    def judged(self) -> bool:
        return self.verdict != "not_judged"


class SignalParams(CheckParams):
    """Which privacy signals a state's rule reads, and which of their fields must show the opt-out."""

    state: str = Field("ca", pattern=r"^[a-z]{2}$", description="the state whose law the rule applies (ca, co, ...)")
    gpp_sections: list[str] = Field(
        default_factory=lambda: list(DEFAULT_GPP_SECTIONS), description="GPP sections judged, e.g. [usca, usnat]"
    )
    opt_outs: list[str] = Field(
        default_factory=lambda: list(DEFAULT_OPT_OUTS), description="GPP opt-out fields that must be 1 under GPC"
    )
    usprivacy: bool | None = Field(
        None, description="judge the US Privacy string (default: only for ca, whose law it was made for)"
    )
    onetrust_sale_groups: list[str] = Field(
        default_factory=lambda: list(DEFAULT_SALE_GROUP_IDS),
        description="OneTrust group ids taken for sale/targeting when no header text names them",
    )
    onetrust_sale_group_phrases: list[str] = Field(
        default_factory=lambda: list(DEFAULT_SALE_GROUP_PHRASES),
        description="words in a OneTrust group's header that make it a sale/targeting group",
    )

    @property
    def reads_usprivacy(self) -> bool:
        """The US Privacy string is the IAB's CCPA signal: it speaks for California only, unless a rule says so."""
        return self.state == "ca" if self.usprivacy is None else self.usprivacy


def where(source: SignalSource) -> str:
    """Where a value was read, in words."""
    frame = f" in frame {source.frame_url}" if source.frame_url else ""
    return f"{source.detail}{frame}"


def read_signals(
    signals: SignalEvidence | None,
    options: SignalParams,
    *,
    site_url: str = "",
    consents: tuple[ConsentEvidence | None, ...] = (),
) -> list[Reading]:
    """Every reading of one visit, in a stable order (US Privacy, GPP, OneTrust, other CMPs, requests).

    ``consents``: the consent captures whose preference-center labels may name OneTrust's groups, first the
    visit's own, then the other visits' (the ``optout`` visit opens the preference center).
    """
    if signals is None:
        return []
    readings: list[Reading] = []
    for usp in signals.usprivacy:
        if usp.source.method == "cookie" and site_url and _third_party_cookie(usp.source.detail, site_url):
            continue
        readings.append(_usp_reading(usp.raw, usp.source, options, f"usp|{usp.source.method}|{usp.source.detail}"))
    for gpp in signals.gpp:
        readings.extend(_gpp_api_readings(gpp, options))
    if signals.onetrust is not None:
        readings.extend(_onetrust_readings(signals.onetrust, options, consents))
    for stored in signals.stored_consent:
        readings.append(_stored_reading(stored.cmp, stored.key, stored.raw, stored.source))
    for param in signals.request_params:
        readings.extend(_param_readings(param.host, param.name, param.value, options))
    return readings


def _third_party_cookie(detail: str, site_url: str) -> bool:
    domain = detail.rpartition("(")[2].rstrip(")").lstrip(".")
    return bool(domain) and is_third_party(domain, site_url)


def _usp_reading(raw: str, source: SignalSource, options: SignalParams, key: str, label: str = "") -> Reading:
    signal = label or "US Privacy string"
    try:
        usp = decode_usprivacy(raw)
    except SignalDecodeError as error:
        return Reading(key, signal, where(source), raw, "", "invalid", f"not a valid US Privacy string: {error}")
    decoded = f"notice {usp.notice}, opted out of sale {usp.opt_out_sale}, LSPA {usp.lspa}"
    fields = {"Version": usp.version, "Notice": usp.notice, "OptOutSale": usp.opt_out_sale, "LspaCovered": usp.lspa}
    reading = Reading(key, signal, where(source), raw, decoded, "opted_out", fields=fields)
    if not options.reads_usprivacy:
        reading.verdict, reading.reason = "not_judged", "the US Privacy string is California's signal"
    elif usp.contradictions():
        reading.verdict, reading.reason = "invalid", "; ".join(usp.contradictions())
    elif not usp.applies:
        reading.verdict = "unclear"
        reading.reason = "'1---' says the CCPA does not apply: the site may not have placed the visitor in California"
    elif usp.sale_opt_out is True:
        reading.reason = "3rd character Y: opted out of sale"
    else:
        reading.verdict, reading.reason = "not_opted_out", "3rd character N: not opted out of sale"
    return reading


def _gpp_api_readings(gpp: GppReading, options: SignalParams) -> list[Reading]:
    place = where(gpp.source)
    key = f"gpp|{gpp.source.method}|{gpp.source.frame_url}"
    ping = gpp.ping or {}
    status = f"signalStatus {ping.get('signalStatus', '?')}, cmpStatus {ping.get('cmpStatus', '?')}"
    if gpp.wait == "no-answer":
        reason = gpp.error or "the GPP API did not answer ping"
        return [Reading(key, "GPP", place, "", status, "unclear", reason)]
    if gpp.wait == "timeout":
        reason = f"signalStatus did not become 'ready' within {gpp.waited_ms / 1000:.1f} s of waiting"
        if not gpp.gpp_string:
            return [Reading(key, "GPP", place, "", status, "unclear", reason)]
    if not gpp.gpp_string:
        applicable = ping.get("applicableSections")
        reason = f"the CMP is ready but its GPP string is empty (applicableSections {applicable})"
        return [Reading(key, "GPP", place, "", status, "unclear", reason)]
    readings = gpp_string_readings(gpp.gpp_string, place, key, options)
    if gpp.wait == "timeout":
        for reading in readings:
            if reading.verdict == "opted_out":
                reading.verdict = "unclear"
            reading.reason += "; read before signalStatus was 'ready'"
    return readings


def gpp_string_readings(value: str, place: str, key: str, options: SignalParams, label: str = "GPP") -> list[Reading]:
    """One reading per section of a GPP string (sections outside ``options.gpp_sections`` are not judged)."""
    try:
        gpp = decode_gpp(value)
    except SignalDecodeError as error:
        return [Reading(key, label, place, value, "", "invalid", f"not a valid GPP string: {error}")]
    readings = [
        _gpp_section_reading(section, value, place, f"{key}|{section.prefix}", options, label)
        for section in gpp.sections
    ]
    judged = [r for r in readings if r.judged]
    if not judged and readings:
        wanted = ", ".join(options.gpp_sections)
        sections = ", ".join(s.prefix for s in gpp.sections)
        return [
            *readings,
            Reading(f"{key}|none", label, place, value, f"sections {sections}", "unclear", f"no {wanted} section"),
        ]
    return readings


def _gpp_section_reading(
    section: GppSection, raw: str, place: str, key: str, options: SignalParams, label: str
) -> Reading:
    signal = f"{label} {section.prefix}"
    if section.id == USPV1_ID:
        usp = section.raw
        source = SignalSource(method="api", detail=place)
        reading = _usp_reading(usp, source, options, key, label=f"{signal} (US Privacy inside GPP)")
        reading.where, reading.raw = place, raw
        return reading
    fields = {**section.fields, **({"Gpc": section.gpc} if section.gpc is not None else {})}
    if not section.decoded:
        return Reading(key, signal, place, raw, section.note or "", "not_judged", section.note or "", fields)
    reading_fields = {name: section.fields.get(name) for name in options.opt_outs if name in section.fields}
    shown = [f"{name}={value}" for name, value in reading_fields.items()]
    decoded = ", ".join(shown + ([f"Gpc={int(section.gpc)}"] if section.gpc is not None else []))
    reading = Reading(key, signal, place, raw, decoded, "opted_out", fields=fields)
    if section.prefix not in options.gpp_sections:
        # A US section that contradicts itself fails whichever state's rule reads it (DESIGN: a signal that
        # contradicts itself fails): Gpc=1 with an opt-out field at 2 tells partners the visitor did not opt out.
        own = {n: section.fields.get(n) for n in (*options.opt_outs, *DEFAULT_OPT_OUTS) if n in section.fields}
        refused = sorted(n for n, v in own.items() if v == 2)
        if section.prefix.startswith("us") and section.gpc and refused:
            reading.decoded = ", ".join([f"{n}={v}" for n, v in own.items()] + ["Gpc=1"])
            reading.verdict = "contradiction"
            reading.reason = (
                f"Gpc=1 but {', '.join(f'{n}=2' for n in refused)} (did not opt out) in the {section.prefix} "
                "section: the string contradicts itself"
            )
            return reading
        reading.verdict, reading.reason = (
            "not_judged",
            f"not one of the sections this rule reads ({', '.join(options.gpp_sections)})",
        )
        return reading
    invalid = [f"{n}={v} is not 0, 1 or 2" for n, v in reading_fields.items() if v not in (0, 1, 2)]
    if invalid:
        reading.verdict, reading.reason = "invalid", "; ".join(invalid)
        return reading
    refused = [name for name, value in reading_fields.items() if value == 2]
    if section.gpc and refused:
        reading.verdict = "contradiction"
        reading.reason = (
            f"Gpc=1 but {', '.join(f'{n}=2' for n in refused)} (did not opt out): the string contradicts itself"
        )
        return reading
    if refused:
        reading.verdict, reading.reason = "not_opted_out", f"{', '.join(f'{n}=2' for n in refused)} (did not opt out)"
        return reading
    opted = [name for name, value in reading_fields.items() if value == 1]
    if not opted:
        reading.verdict = "unclear"
        reading.reason = "every opt-out field is 0 (N/A): the section says the opt-out does not apply"
        return reading
    reading.reason = f"{', '.join(f'{n}=1' for n in opted)} (opted out)"
    notes = [n for n in _notice_issues(section) if n]
    if section.gpc is False:
        notes.append("its GPC sub-section says Gpc=0")
    if notes:
        reading.reason += "; note: " + "; ".join(notes)
    return reading


def _notice_issues(section: GppSection) -> list[str]:
    issues = []
    for name in DEFAULT_OPT_OUTS:
        notice = section.fields.get(f"{name}Notice")
        value = section.fields.get(name)
        if notice == 0 and value not in (0, None):
            issues.append(f"{name}Notice=0 (N/A) with {name}={value}")
    return issues


@dataclass
class SaleGroups:
    """The OneTrust groups that stand for sale, sharing or targeting, and how they were identified."""

    ids: dict[str, str]  # id -> name (or the id's known meaning)
    how: str


def sale_groups(onetrust: OneTrustReading, options: SignalParams, *consents: ConsentEvidence | None) -> SaleGroups:
    """Identify the sale/targeting groups: by preference-center header text when the capture has it, else by id."""
    for consent in consents:
        labelled = _groups_from_consent(consent)
        if labelled:
            return SaleGroups(labelled, "by the preference-center header text (consent capture)")
    if onetrust.group_names:
        named = {
            group_id: name
            for group_id, name in onetrust.group_names.items()
            if any(contains_phrase(name, phrase) for phrase in options.onetrust_sale_group_phrases)
        }
        if named:
            source = "the consent manager's group data"
            if onetrust.group_names_source.startswith("preference-center"):
                source = "the preference center's headers"
            return SaleGroups(named, f"by the group's header text (read from {source})")
    known = {group_id: "commonly the sale or targeting group" for group_id in options.onetrust_sale_groups}
    return SaleGroups(
        known, f"by commonly used group ids ({', '.join(options.onetrust_sale_groups)}); no header text was read"
    )


def _groups_from_consent(consent: ConsentEvidence | None) -> dict[str, str]:
    if consent is None:
        return {}
    return {t.group_id: t.label for t in consent_controls(consent) if t.group_id and t.governs}


def _onetrust_readings(
    onetrust: OneTrustReading, options: SignalParams, consents: tuple[ConsentEvidence | None, ...]
) -> list[Reading]:
    readings: list[Reading] = []
    groups = sale_groups(onetrust, options, *consents)
    cookie = onetrust.optanon_consent
    if cookie is not None:
        readings.append(_optanon_reading(cookie.value, f"cookie OptanonConsent ({cookie.domain})", groups))
    elif onetrust.active_groups is not None:
        readings.append(_active_groups_reading(onetrust.active_groups, groups))
    if onetrust.google_opt_out is not None:
        raw = onetrust.google_opt_out.value
        place = f"cookie OneTrustWPCCPAGoogleOptOut ({onetrust.google_opt_out.domain})"
        try:
            opted = parse_google_opt_out(raw)
        except SignalDecodeError as error:
            readings.append(Reading("ot-google", "OneTrust Google opt-out", place, raw, "", "invalid", str(error)))
        else:
            verdict: Verdict = "opted_out" if opted else "not_opted_out"
            reason = "Google restricted data processing on" if opted else "Google restricted data processing off"
            readings.append(Reading("ot-google", "OneTrust Google opt-out", place, raw, raw, verdict, reason))
    if onetrust.otgpp_consent:
        cookies = {c.name: c.value for c in onetrust.otgpp_consent}
        if cookie is not None:
            cookies["OptanonConsent"] = cookie.value
        place = "cookie OTGPPConsent" + (
            f" ({len(onetrust.otgpp_consent)} chunks)" if len(onetrust.otgpp_consent) > 1 else ""
        )
        try:
            value = join_otgpp_chunks(cookies) or ""
        except SignalDecodeError as error:
            readings.append(Reading("ot-gpp", "OneTrust GPP", place, "", "", "invalid", str(error)))
        else:
            readings.extend(gpp_string_readings(value, place, "ot-gpp", options, label="OneTrust GPP"))
    return readings


def _optanon_reading(raw: str, place: str, groups: SaleGroups) -> Reading:
    key, signal = "ot-consent", "OneTrust OptanonConsent"
    try:
        consent = decode_optanon_consent(raw)
    except SignalDecodeError as error:
        return Reading(key, signal, place, raw, "", "invalid", str(error))
    flags = f"isGpcEnabled={_flag(consent.is_gpc_enabled)}, browserGpcFlag={_flag(consent.browser_gpc_flag)}"
    present = {gid: consent.groups[gid] for gid in groups.ids if gid in consent.groups}
    groups_text = ", ".join(f"{gid}:{int(on)}" for gid, on in consent.groups.items())
    decoded = f"groups {groups_text or '(none)'}; {flags}"
    # Per-visit noise (a timestamp, a random id) stays in evidence.json, out of the report's field table.
    fields = {k: v for k, v in consent.fields.items() if k not in ("datestamp", "consentId")}
    fields["groups"] = groups_text
    reading = Reading(key, signal, place, raw, decoded, "opted_out", fields=fields)
    named = ", ".join(f"{gid} ({groups.ids[gid]})" for gid in present) or "none"
    if not present:
        reading.verdict = "unclear"
        reading.reason = f"no sale or targeting group found in groups (looked {groups.how})"
        if consent.is_gpc_enabled:
            reading.reason += "; isGpcEnabled=1 alone does not show which groups were switched off"
        return reading
    still_on = [gid for gid, on in present.items() if on]
    if still_on:
        reading.verdict = "not_opted_out"
        reading.reason = (
            f"{', '.join(f'{gid}:1' for gid in still_on)} still active; groups identified {groups.how}: {named}"
        )
        if consent.is_gpc_enabled:
            reading.reason += "; isGpcEnabled=1 although the group is still active"
        elif consent.browser_gpc_flag:
            reading.reason += "; browserGpcFlag=1 with isGpcEnabled=0: OneTrust saw GPC and did not apply it"
        return reading
    reading.reason = f"{', '.join(f'{gid}:0' for gid in present)} switched off; groups identified {groups.how}: {named}"
    return reading


def _active_groups_reading(active: str, groups: SaleGroups) -> Reading:
    ids = [g for g in active.split(",") if g]
    place = "window.OnetrustActiveGroups (no OptanonConsent cookie)"
    active_sale = [gid for gid in groups.ids if gid in ids]
    if active_sale:
        verdict: Verdict = "not_opted_out"
        reason = f"{', '.join(active_sale)} active; groups identified {groups.how}"
    else:
        verdict = "unclear"
        reason = "no sale or targeting group is active, but without the cookie the groups that exist are unknown"
    return Reading("ot-active", "OneTrust active groups", place, active, active, verdict, reason)


def _flag(value: bool | None) -> str:
    return "?" if value is None else str(int(value))


def _stored_reading(cmp: str, key: str, raw: str, source: SignalSource) -> Reading:
    signal = f"{cmp} stored consent"
    place = where(source)
    try:
        stored = read_stored_consent(cmp, key, raw)
    except SignalDecodeError as error:
        return Reading(f"cmp|{cmp}|{key}", signal, place, raw[:300], "", "unclear", str(error))
    decoded = ", ".join(f"{name}={'on' if on else 'off'}" for name, on in stored.categories.items()) or stored.note
    reading = Reading(
        f"cmp|{cmp}|{key}", signal, place, raw[:300], decoded, "opted_out", fields=dict(stored.categories)
    )
    if stored.advertising_allowed is None:
        reading.verdict, reading.reason = "not_judged", stored.note or "says nothing about advertising"
    elif stored.advertising_allowed:
        on = [name for name, granted in stored.advertising.items() if granted]
        reading.verdict = "not_opted_out"
        reading.reason = f"advertising/marketing allowed: {', '.join(on) or 'an advertising category'}"
    else:
        off = ", ".join(stored.advertising) or "none accepted"
        reading.reason = f"advertising/marketing off ({off})" + (f"; {stored.note}" if stored.note else "")
    return reading


def _param_readings(host: str, name: str, value: str, options: SignalParams) -> list[Reading]:
    place = f"a request to {host} ({name}=)"
    key = f"param|{host}|{name}"
    if name == "us_privacy":
        source = SignalSource(method="api", detail=place)
        return [_usp_reading(value, source, options, key, label="us_privacy= sent to a third party")]
    if name == "gpp":
        return gpp_string_readings(value, place, key, options, label="gpp= sent to a third party")
    return [Reading(key, "gpp_sid= sent to a third party", place, value, f"sections {value}", "not_judged")]


def value_text(value: Any) -> str:
    """A field value for a table cell: booleans as 0/1, lists of small numbers run together."""
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, list) and all(isinstance(v, int) and 0 <= v < 10 for v in value):
        return "".join(str(v) for v in value)
    return str(value)
