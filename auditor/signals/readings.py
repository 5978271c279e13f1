"""What a decoded GPP section says about sale/sharing opt-out, and what contradicts itself.

US sections use Int(2) for notices and opt-outs: 0 = not applicable,
1 = opted out (for notices: notice given), 2 = did not opt out (notice not
given).  California's ``SensitiveDataProcessing`` is worded the other way
round (1 = did not opt out of limiting use, 2 = opted out) and its
``KnownChildSensitiveDataConsents`` reverses usnat's consent coding; neither
is a sale/share signal, so neither is read here.
"""

from __future__ import annotations

from auditor.signals.gpp import GppSection
from auditor.signals.gpp_sections import USPV1_ID

OPTED_OUT, DID_NOT_OPT_OUT = 1, 2
_OPT_OUT_MEANING = {0: "N/A", 1: "opted out", 2: "did not opt out"}
_NOTICE_MEANING = {0: "N/A", 1: "notice given", 2: "notice not given"}
_READING_FIELDS = {
    "sale_opt_out": "SaleOptOut",
    "sharing_opt_out": "SharingOptOut",
    "targeted_advertising_opt_out": "TargetedAdvertisingOptOut",
}
_NOTICE_FOR = {
    "SaleOptOut": "SaleOptOutNotice",
    "SharingOptOut": "SharingOptOutNotice",
    "TargetedAdvertisingOptOut": "TargetedAdvertisingOptOutNotice",
}


def _opt_out(value: object) -> bool | None:
    """0 -> None (N/A), 1 -> True (opted out), 2 -> False; anything else -> None."""
    return {OPTED_OUT: True, DID_NOT_OPT_OUT: False}.get(value) if isinstance(value, int) else None


def sale_share_reading(section: GppSection) -> dict[str, bool | None]:
    """Read a section's opt-out state as booleans.

    Returns ``sale_opt_out``, ``sharing_opt_out``, ``targeted_advertising_opt_out``
    (True = opted out, False = did not, None = N/A or the section has no such
    field) and ``gpc`` (the GPC sub-section flag, None when absent).  For a
    ``uspv1`` section only ``sale_opt_out`` is filled, from ``OptOutSale`` Y/N.
    """
    if section.id == USPV1_ID:
        sale = {"Y": True, "N": False}.get(str(section.fields.get("OptOutSale")))
        return {"sale_opt_out": sale, "sharing_opt_out": None, "targeted_advertising_opt_out": None, "gpc": None}
    reading = {key: _opt_out(section.fields.get(name)) for key, name in _READING_FIELDS.items()}
    return {**reading, "gpc": section.gpc}


def contradictions(section: GppSection) -> list[str]:
    """List the ways a section contradicts itself or the GPC signal it carries.

    - ``Gpc`` set while an opt-out field says 2 (did not opt out);
    - an opt-out value outside 0-2;
    - a notice/opt-out pair the IAB reference validation rejects: notice N/A
      requires opt-out N/A, notice given requires 1 or 2, and no notice
      requires 1 (a user who was never told cannot have chosen not to opt out).
    """
    if section.id == USPV1_ID:
        value = section.fields.get("OptOutSale")
        if value == "-" and section.raw != "1---":
            return [f"OptOutSale is '-' in {section.raw!r}; '-' is only allowed in '1---'"]
        return []
    found: list[str] = []
    for name in _READING_FIELDS.values():
        value = section.fields.get(name)
        if not isinstance(value, int):
            continue
        if value not in _OPT_OUT_MEANING:
            found.append(f"{name}={value} is not a defined value (0, 1 or 2)")
            continue
        if section.gpc and value == DID_NOT_OPT_OUT:
            found.append(f"Gpc is set but {name}=2 (did not opt out)")
        notice_name = _NOTICE_FOR[name]
        notice = section.fields.get(notice_name)
        if isinstance(notice, int) and not _notice_allows(notice, value):
            found.append(
                f"{name}={value} ({_OPT_OUT_MEANING[value]}) but {notice_name}={notice} "
                f"({_NOTICE_MEANING.get(notice, 'undefined')})"
            )
    return found


def _notice_allows(notice: int, opt_out: int) -> bool:
    if notice == 0:
        return opt_out == 0
    if notice == 1:
        return opt_out in (OPTED_OUT, DID_NOT_OPT_OUT)
    if notice == 2:
        return opt_out == OPTED_OUT
    return False
