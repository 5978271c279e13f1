"""Stored consent of recognised consent managers: where it lives, and what it says about advertising.

The table is data (``data/cmp_storage.json``): for each CMP the cookie, local-storage key or JS getter that
holds the visitor's choice, its format, and which of its categories mean advertising or marketing. The
capture reads the raw values (:func:`storage_locations`); :func:`read_stored_consent` decodes one. Pure:
no browser, no I/O beyond the bundled table.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files
from typing import Any
from urllib.parse import unquote

from auditor.signals.errors import SignalDecodeError, preview

_FLAG = re.compile(r"([A-Za-z_][\w-]*)\s*:\s*'?(true|false)'?", re.IGNORECASE)


@dataclass(frozen=True)
class StorageRule:
    """One row of the table: a CMP and one place it stores consent."""

    cmp: str
    storage: str  # cookie, local_storage or global
    names: tuple[str, ...]
    prefixes: tuple[str, ...]
    format: str
    advertising: frozenset[str]
    granted: frozenset[str]
    list_keys: tuple[str, ...] = ()
    category: str = ""
    category_field: str = ""
    verified: str = ""
    advertising_words: tuple[str, ...] = ()  # a category whose name contains one of these is advertising

    def is_advertising(self, category: str) -> bool:
        """True when ``category`` (a category or service name) stands for advertising or marketing."""
        name = re.sub(r"[-_\s]+", " ", category.lower()).strip()
        return (
            category.lower() in self.advertising
            or name in self.advertising
            or any(re.search(rf"\b{re.escape(w)}\b", name) for w in self.advertising_words)
        )

    def matches(self, key: str) -> bool:
        """True when ``key`` (a cookie name, storage key or getter) is one this rule reads."""
        return key in self.names or any(key.startswith(prefix) for prefix in self.prefixes)


@dataclass
class StoredConsentReading:
    """A decoded stored choice: every category found, and the advertising ones."""

    cmp: str
    categories: dict[str, bool] = field(default_factory=dict)  # category -> granted
    advertising: dict[str, bool] = field(default_factory=dict)
    advertising_allowed: bool | None = None  # None: the value says nothing about advertising
    note: str = ""


@lru_cache(maxsize=1)
def storage_rules() -> tuple[StorageRule, ...]:
    """The bundled table, parsed once."""
    data = json.loads(files("auditor.signals").joinpath("data/cmp_storage.json").read_text(encoding="utf-8"))
    return tuple(
        StorageRule(
            cmp=row["cmp"],
            storage=row["storage"],
            names=tuple(row.get("names", ())),
            prefixes=tuple(row.get("prefixes", ())),
            format=row["format"],
            advertising=frozenset(name.lower() for name in row.get("advertising", ())),
            granted=frozenset(value.lower() for value in row.get("granted", ())),
            list_keys=tuple(row.get("list_keys", ())),
            category=row.get("category", ""),
            category_field=row.get("category_field", ""),
            verified=row.get("verified", ""),
            advertising_words=tuple(word.lower() for word in row.get("advertising_words", ())),
        )
        for row in data["cmps"]
    )


def storage_locations() -> dict[str, list[str]]:
    """What a capture must read: ``cookie`` names, ``cookie_prefix``es, ``local_storage`` keys, ``global`` getters."""
    where: dict[str, list[str]] = {"cookie": [], "cookie_prefix": [], "local_storage": [], "global": []}
    for rule in storage_rules():
        where[rule.storage].extend(name for name in rule.names if name not in where[rule.storage])
        if rule.storage == "cookie":
            where["cookie_prefix"].extend(p for p in rule.prefixes if p not in where["cookie_prefix"])
    return where


def rule_for(cmp: str, key: str) -> StorageRule | None:
    """The table row for ``cmp`` storing under ``key``, or None."""
    return next((r for r in storage_rules() if r.cmp == cmp and r.matches(key)), None)


def rules_for_key(storage: str, key: str) -> list[StorageRule]:
    """Every row that reads ``key`` from ``storage`` (a cookie name may belong to more than one CMP)."""
    return [r for r in storage_rules() if r.storage == storage and r.matches(key)]


def read_stored_consent(cmp: str, key: str, raw: str) -> StoredConsentReading:
    """Decode one stored value of ``cmp`` under ``key``; raise SignalDecodeError when it cannot be read."""
    rule = rule_for(cmp, key)
    if rule is None:
        raise SignalDecodeError(f"no stored-consent rule for {cmp} under {key!r}")
    if rule.format == "recorded":
        return StoredConsentReading(cmp=cmp, note="recorded only: this value names no categories")
    categories = _PARSERS[rule.format](rule, raw)
    advertising = {name: granted for name, granted in categories.items() if rule.is_advertising(name)}
    reading = StoredConsentReading(cmp=cmp, categories=categories, advertising=advertising)
    if advertising:
        reading.advertising_allowed = any(advertising.values())
    elif rule.format == "accepted-list":
        # Only accepted categories are listed, so an advertising category that is missing was not accepted.
        reading.advertising_allowed = False
        reading.note = "no advertising or marketing category among the accepted ones"
    else:
        reading.note = "no advertising or marketing category in the value"
    return reading


def _text(raw: str) -> str:
    text = (raw or "").strip()
    return unquote(text) if "%" in text else text


def _flags(rule: StorageRule, raw: str) -> dict[str, bool]:
    found = {name: value.lower() == "true" for name, value in _FLAG.findall(_text(raw))}
    if not found:
        raise SignalDecodeError(f"{rule.cmp} value has no category:true/false flags: {preview(raw)}")
    return found


def _accepted_list(rule: StorageRule, raw: str) -> dict[str, bool]:
    data = _json(rule, _text(raw))
    for key in rule.list_keys:
        accepted = data.get(key) if isinstance(data, dict) else None
        if isinstance(accepted, list):
            return {str(name): True for name in accepted}
    raise SignalDecodeError(f"{rule.cmp} value has no list of accepted categories ({', '.join(rule.list_keys)})")


def _pairs(rule: StorageRule, raw: str) -> dict[str, bool]:
    found = {}
    for part in _text(raw).split(","):
        name, sep, value = part.partition(":")
        if sep and name.strip():
            found[name.strip()] = value.strip().lower() in rule.granted
    if not found:
        raise SignalDecodeError(f"{rule.cmp} value has no category:value pairs: {preview(raw)}")
    return found


def _single(rule: StorageRule, raw: str) -> dict[str, bool]:
    return {rule.category: _text(raw).lower() in rule.granted}


def _trustarc_permit(rule: StorageRule, raw: str) -> dict[str, bool]:
    match = re.match(r"\s*permit\s+([\d,\s]+)", _text(raw), re.IGNORECASE)
    if not match:
        raise SignalDecodeError(f"TrustArc value is not 'permit N,N,...': {preview(raw)}")
    permitted = {p.strip() for p in match.group(1).split(",") if p.strip()}
    return {category: category in permitted for category in sorted(permitted | rule.advertising)}


def _object(rule: StorageRule, raw: str) -> dict[str, bool]:
    data = _json(rule, _text(raw))
    if not isinstance(data, dict):
        raise SignalDecodeError(f"{rule.cmp} value is not an object: {preview(raw)}")
    return {str(k): str(v).lower() in rule.granted for k, v in data.items() if isinstance(v, str | bool)}


def _services(rule: StorageRule, raw: str) -> dict[str, bool]:
    data = _json(rule, _text(raw))
    if not isinstance(data, list):
        raise SignalDecodeError(f"{rule.cmp} value is not a list of services: {preview(raw)}")
    categories: dict[str, bool] = {}
    for service in data:
        if not isinstance(service, dict):
            continue
        category = str(service.get(rule.category_field) or "")
        consent = service.get("consent")
        status = consent.get("status") if isinstance(consent, dict) else service.get("status")
        if category:
            categories[category] = categories.get(category, False) or status is True
    return categories


def _service_list(rule: StorageRule, raw: str) -> dict[str, bool]:
    """Per-service consent named by service (Usercentrics ``uc_settings``): ``{service name: status}``."""
    data = _json(rule, _text(raw))
    services = next((data.get(key) for key in rule.list_keys if isinstance(data, dict)), None)
    if not isinstance(services, list):
        raise SignalDecodeError(f"{rule.cmp} value has no list of services ({', '.join(rule.list_keys)})")
    named = {}
    for service in services:
        if isinstance(service, dict) and service.get("name") and isinstance(service.get("status"), bool):
            named[str(service["name"])] = service["status"]
    return named


def _didomi(rule: StorageRule, raw: str) -> dict[str, bool]:
    data = _json(rule, _base64_json_text(rule, raw))
    purposes = data.get("purposes", {}) if isinstance(data, dict) else {}
    categories = {str(p): False for p in purposes.get("disabled", []) or []}
    categories.update({str(p): True for p in purposes.get("enabled", []) or []})
    return categories


def _ketch(rule: StorageRule, raw: str) -> dict[str, bool]:
    data = _json(rule, _base64_json_text(rule, raw))
    if not isinstance(data, dict):
        raise SignalDecodeError(f"Ketch value is not an object: {preview(raw)}")
    categories = {}
    for purpose, value in data.items():
        status = value.get("status") if isinstance(value, dict) else value
        if isinstance(status, str):
            categories[str(purpose)] = status.lower() in rule.granted
    return categories


def _json(rule: StorageRule, text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        raise SignalDecodeError(f"{rule.cmp} value is not JSON: {preview(text)}") from None


def _base64_json_text(rule: StorageRule, raw: str) -> str:
    text = _text(raw)
    if text.startswith(("{", "[")):
        return text
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise SignalDecodeError(f"{rule.cmp} value is neither JSON nor base64 JSON: {preview(raw)}") from None


_PARSERS = {
    "flags": _flags,
    "accepted-list": _accepted_list,
    "pairs": _pairs,
    "single": _single,
    "trustarc-permit": _trustarc_permit,
    "object": _object,
    "services": _services,
    "service-list": _service_list,
    "didomi": _didomi,
    "ketch": _ketch,
}
