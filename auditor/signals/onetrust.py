"""OneTrust cookies: ``OptanonConsent``, chunked ``OTGPPConsent``, ``OneTrustWPCCPAGoogleOptOut``.

``OptanonConsent`` is a URL-encoded query string (``isGpcEnabled=1&groups=C0001%3A1%2C...``).
``browserGpcFlag`` records what the browser sent; ``isGpcEnabled`` records that
OneTrust applied it to at least one group (see shared reference cmps.md 4.2).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from urllib.parse import parse_qsl, unquote

from pydantic import BaseModel, ConfigDict

from auditor.signals.errors import SignalDecodeError, preview

COOKIE_NAME = "OptanonConsent"
GPP_COOKIE_NAME = "OTGPPConsent"
# Keys the SDK writes (cmps.md 4.2); a value with none of them is not an OptanonConsent.
KNOWN_KEYS = frozenset(
    {
        "isGpcEnabled",
        "datestamp",
        "version",
        "browserGpcFlag",
        "isIABGlobal",
        "hosts",
        "consentId",
        "interactionCount",
        "isAnonUser",
        "landingPath",
        "groups",
        "AwaitingReconsent",
        "geolocation",
        "identifierType",
        "iType",
        "intType",
        "GPPCookiesCount",
        "healthAuth",
        "isDntEnabled",
        "genVendors",
        "gppSid",
    }
)
# OneTrust's chunk naming is not documented in our references; accept the
# plausible spellings OTGPPConsent_1 / OTGPPConsent-1 / OTGPPConsent1.
_CHUNK_NAME = re.compile(rf"{GPP_COOKIE_NAME}[_-]?([0-9]{{1,4}})")
_SMALL_INT = re.compile(r"[0-9]{1,9}")


class OptanonConsent(BaseModel):
    """A parsed ``OptanonConsent`` cookie value; ``fields`` keeps every key as text."""

    model_config = ConfigDict(frozen=True)

    raw: str
    fields: dict[str, str]
    groups: dict[str, bool]
    is_gpc_enabled: bool | None
    browser_gpc_flag: bool | None
    geolocation: str | None
    interaction_count: int | None
    version: str | None
    datestamp: str | None
    landing_path: str | None
    gpp_cookies_count: int | None


def decode_optanon_consent(value: str) -> OptanonConsent:
    """Parse an ``OptanonConsent`` cookie value; raise SignalDecodeError if it is not one."""
    if not isinstance(value, str):
        raise SignalDecodeError(f"OptanonConsent must be text, got {type(value).__name__}")
    text = value.strip()
    if text.startswith(f"{COOKIE_NAME}="):
        text = text[len(COOKIE_NAME) + 1 :]
    fields = dict(parse_qsl(text, keep_blank_values=True))
    if not KNOWN_KEYS & fields.keys():
        raise SignalDecodeError(
            f"not an OptanonConsent value (no known key such as groups or isGpcEnabled): {preview(text)}"
        )
    return OptanonConsent(
        raw=text,
        fields=fields,
        groups=parse_groups(fields.get("groups", "")),
        is_gpc_enabled=_flag(fields.get("isGpcEnabled")),
        browser_gpc_flag=_flag(fields.get("browserGpcFlag")),
        geolocation=fields.get("geolocation"),
        interaction_count=_integer(fields.get("interactionCount")),
        version=fields.get("version"),
        datestamp=fields.get("datestamp"),
        landing_path=fields.get("landingPath"),
        gpp_cookies_count=_integer(fields.get("GPPCookiesCount")),
    )


def parse_groups(value: str) -> dict[str, bool]:
    """Parse ``C0001:1,SSPD_BG:0,4:0`` into an ordered ``{group id: consented}``."""
    groups: dict[str, bool] = {}
    for item in filter(None, (part.strip() for part in value.split(","))):
        group_id, sep, status = item.rpartition(":")
        if not sep or not group_id or status not in ("0", "1"):
            raise SignalDecodeError(f"OptanonConsent group entry {preview(item)} is not ID:0 or ID:1")
        groups[group_id] = status == "1"
    return groups


def join_otgpp_chunks(cookies: Mapping[str, str], count: int | None = None) -> str | None:
    """Rebuild the GPP string OneTrust stores across ``OTGPPConsent`` cookies.

    ``cookies`` maps cookie name to value.  The string starts with
    ``OTGPPConsent`` and continues with numbered cookies in numeric order.
    ``count`` is ``GPPCookiesCount`` (chunks including the first); when None it
    is read from an ``OptanonConsent`` cookie in ``cookies`` if present, else
    every numbered chunk is used.  Returns None when there is no ``OTGPPConsent``.
    """
    first = cookies.get(GPP_COOKIE_NAME)
    if first is None:
        return None
    if count is None and COOKIE_NAME in cookies:
        count = decode_optanon_consent(cookies[COOKIE_NAME]).gpp_cookies_count
    numbered = sorted(
        (int(match.group(1)), value) for name, value in cookies.items() if (match := _CHUNK_NAME.fullmatch(name))
    )
    chunks = [first, *(value for _, value in numbered)]
    if count is not None:
        if count < 1 or len(chunks) < count:
            raise SignalDecodeError(f"GPPCookiesCount={count} but {len(chunks)} OTGPPConsent cookie(s) were given")
        chunks = chunks[:count]
    return "".join(unquote(chunk).strip() for chunk in chunks)


def parse_google_opt_out(value: str) -> bool:
    """Parse ``OneTrustWPCCPAGoogleOptOut`` (``"true"``/``"false"``)."""
    text = value.strip().lower() if isinstance(value, str) else ""
    if text not in ("true", "false"):
        raise SignalDecodeError(f"OneTrustWPCCPAGoogleOptOut must be 'true' or 'false', got {preview(value)}")
    return text == "true"


def _flag(value: str | None) -> bool | None:
    return {"1": True, "true": True, "0": False, "false": False}.get((value or "").lower())


def _integer(value: str | None) -> int | None:
    text = (value or "").strip()
    return int(text) if _SMALL_INT.fullmatch(text) else None
