"""Recognise which signal a raw value is and decode it into a JSON-ready dict."""

from __future__ import annotations

from typing import Any

from auditor.signals.errors import SignalDecodeError, preview
from auditor.signals.gpp import GppSection, GppString, decode_gpp
from auditor.signals.onetrust import decode_optanon_consent
from auditor.signals.readings import contradictions, sale_share_reading
from auditor.signals.usprivacy import decode_usprivacy

_MAX_USP_LIKE = 8  # short digit-led values get the US Privacy error message


def decode_any(value: str) -> dict[str, Any]:
    """Detect and decode a US Privacy, GPP or OptanonConsent value.

    Returns a JSON-ready dict whose ``kind`` is ``"usprivacy"``, ``"gpp"`` or
    ``"optanon"``; GPP sections are keyed by API prefix.  Raises
    SignalDecodeError when the value is none of the three or is malformed.
    """
    if not isinstance(value, str):
        raise SignalDecodeError(f"signal must be text, got {type(value).__name__}")
    text = value.strip()
    if not text:
        raise SignalDecodeError("empty signal value")
    if "=" in text:
        optanon = decode_optanon_consent(text)
        return {"kind": "optanon", **optanon.model_dump()}
    if text[0].isdigit() and len(text) <= _MAX_USP_LIKE:
        usp = decode_usprivacy(text)
        return {"kind": "usprivacy", **usp.model_dump(), "contradictions": usp.contradictions()}
    if text[0] == "D":
        return gpp_to_dict(decode_gpp(text))
    raise SignalDecodeError(
        "unrecognised signal: expected a US Privacy string (1YNN), a GPP string (DB...~...) "
        f"or an OptanonConsent cookie value (key=value&...), got {preview(text)}"
    )


def section_to_dict(section: GppSection) -> dict[str, Any]:
    """JSON-ready view of one GPP section, with its sale/share reading and contradictions."""
    data = section.model_dump()
    data["Gpc"] = section.gpc
    if section.decoded:
        data["reading"] = sale_share_reading(section)
        data["contradictions"] = contradictions(section)
    return data


def gpp_to_dict(gpp: GppString) -> dict[str, Any]:
    """JSON-ready view of a GPP string with sections keyed by API prefix."""
    return {
        "kind": "gpp",
        "raw": gpp.raw,
        "header": gpp.header.model_dump(),
        "sections": {section.prefix: section_to_dict(section) for section in gpp.sections},
    }
