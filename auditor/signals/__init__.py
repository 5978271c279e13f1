"""Pure decoders for privacy signals: US Privacy, GPP and OneTrust cookies.

No browser and no I/O: every function takes the text a capture recorded and
returns pydantic models or JSON-ready dicts.  Every failure is a
:class:`SignalDecodeError` (a ``ValueError``) with a one-line message.
"""

from auditor.signals.detect import decode_any, gpp_to_dict, section_to_dict
from auditor.signals.errors import SignalDecodeError
from auditor.signals.gpp import GppHeader, GppSection, GppString, decode_gpp
from auditor.signals.onetrust import (
    OptanonConsent,
    decode_optanon_consent,
    join_otgpp_chunks,
    parse_google_opt_out,
    parse_groups,
)
from auditor.signals.readings import contradictions, sale_share_reading
from auditor.signals.usprivacy import UsPrivacy, decode_usprivacy

__all__ = [
    "GppHeader",
    "GppSection",
    "GppString",
    "OptanonConsent",
    "SignalDecodeError",
    "UsPrivacy",
    "contradictions",
    "decode_any",
    "decode_gpp",
    "decode_optanon_consent",
    "decode_usprivacy",
    "gpp_to_dict",
    "join_otgpp_chunks",
    "parse_google_opt_out",
    "parse_groups",
    "sale_share_reading",
    "section_to_dict",
]
