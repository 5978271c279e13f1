"""Field layouts of the GPP sections we decode, keyed by section id.

Layouts follow the IAB GPP section specs as implemented by the reference
encoder ``@iabgpp/cmpapi`` 3.2.0 (``encoder/segment/*CoreSegment.js``); the
round-trip tests in ``tests/unit/test_signals_gpp_roundtrip.py`` check every
field of every layout below against that library.  Field names are spelt as
the library spells them, so ``usca.SaleOptOut`` means the same thing here,
in ``__gpp('getField', cb, 'usca.SaleOptOut')`` and in the spec.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class FieldSpec:
    """One field: ``Int(bits)`` when count is None, else ``N-Bitfield(bits, count)``."""

    name: str
    bits: int = 2
    count: int | None = None


@dataclass(frozen=True)
class SectionLayout:
    """How one section is laid out, per section version.

    ``optional_segment`` names what may follow the core segment after a '.':
    ``gpc`` is a sub-section with SubsectionType Int(2) (1 = GPC) then
    ``Gpc`` Boolean; ``sensitive`` (IN, KY, RI) is an untyped segment holding
    ``SensitiveDataProcessing``; ``None`` means the spec defines none.
    """

    id: int
    prefix: str
    core: dict[int, tuple[FieldSpec, ...]]
    optional_segment: Literal["gpc", "sensitive"] | None = "gpc"


def _fields(*items: str | FieldSpec) -> tuple[FieldSpec, ...]:
    """Build a layout; a bare name is an Int(2), ``Version``/``MspaVersion`` an Int(6)."""
    specs = []
    for item in items:
        if isinstance(item, FieldSpec):
            specs.append(item)
        elif item in ("Version", "MspaVersion"):
            specs.append(FieldSpec(item, bits=6))
        else:
            specs.append(FieldSpec(item))
    return tuple(specs)


def _list(name: str, count: int) -> FieldSpec:
    return FieldSpec(name, bits=2, count=count)


def _sensitive(count: int) -> FieldSpec:
    return _list("SensitiveDataProcessing", count)


def _kids(count: int) -> FieldSpec:
    return _list("KnownChildSensitiveDataConsents", count)


_KIDS = "KnownChildSensitiveDataConsents"  # a single Int(2) in some states
_MSPA = ("MspaCoveredTransaction", "MspaOptOutOptionMode", "MspaServiceProviderMode")
_SALE_TA = (
    "SaleOptOutNotice",
    "TargetedAdvertisingOptOutNotice",
    "SaleOptOut",
    "TargetedAdvertisingOptOut",
)
_USNAT_HEAD = (
    "Version",
    "SharingNotice",
    "SaleOptOutNotice",
    "SharingOptOutNotice",
    "TargetedAdvertisingOptOutNotice",
    "SensitiveDataProcessingOptOutNotice",
    "SensitiveDataLimitUseNotice",
    "SaleOptOut",
    "SharingOptOut",
    "TargetedAdvertisingOptOut",
)


def _state(sensitive: int, kids: FieldSpec | str) -> dict[int, tuple[FieldSpec, ...]]:
    """The common shape of the later state sections (FL, OR, TX, DE, NE, NH, NJ, TN, MN)."""
    return {
        1: _fields(
            "Version",
            "ProcessingNotice",
            *_SALE_TA,
            _sensitive(sensitive),
            kids,
            "AdditionalDataProcessingConsent",
            *_MSPA,
        )
    }


# MD, IN, KY, RI (2025) start with the MSPA fields and name their version MspaVersion.
_MSPA_FIRST = ("MspaVersion", "MspaCoveredTransaction", "MspaMode", "ProcessingNotice", *_SALE_TA)

LAYOUTS: dict[int, SectionLayout] = {
    layout.id: layout
    for layout in (
        SectionLayout(
            7,
            "usnat",
            {
                # v1 (Dec 2022) had 12 sensitive categories and 2 child consents; v2 (2024) 16 and 3.
                1: _fields(*_USNAT_HEAD, _sensitive(12), _kids(2), "PersonalDataConsents", *_MSPA),
                2: _fields(*_USNAT_HEAD, _sensitive(16), _kids(3), "PersonalDataConsents", *_MSPA),
            },
        ),
        SectionLayout(
            8,
            "usca",
            {
                1: _fields(
                    "Version",
                    "SaleOptOutNotice",
                    "SharingOptOutNotice",
                    "SensitiveDataLimitUseNotice",
                    "SaleOptOut",
                    "SharingOptOut",
                    _sensitive(9),
                    _kids(2),
                    "PersonalDataConsents",
                    *_MSPA,
                )
            },
        ),
        SectionLayout(
            9,
            "usva",
            {
                1: _fields(
                    "Version",
                    "SharingNotice",
                    *_SALE_TA,
                    _sensitive(8),
                    _KIDS,
                    *_MSPA,
                )
            },
            optional_segment=None,
        ),
        SectionLayout(
            10,
            "usco",
            {
                1: _fields(
                    "Version",
                    "SharingNotice",
                    *_SALE_TA,
                    _sensitive(7),
                    _KIDS,
                    *_MSPA,
                )
            },
        ),
        SectionLayout(
            11,
            "usut",
            {
                1: _fields(
                    "Version",
                    "SharingNotice",
                    "SaleOptOutNotice",
                    "TargetedAdvertisingOptOutNotice",
                    "SensitiveDataProcessingOptOutNotice",
                    "SaleOptOut",
                    "TargetedAdvertisingOptOut",
                    _sensitive(8),
                    _KIDS,
                    *_MSPA,
                )
            },
            optional_segment=None,
        ),
        SectionLayout(
            12,
            "usct",
            {
                1: _fields(
                    "Version",
                    "SharingNotice",
                    *_SALE_TA,
                    _sensitive(8),
                    _kids(3),
                    *_MSPA,
                )
            },
        ),
        SectionLayout(13, "usfl", _state(8, _kids(3)), optional_segment=None),
        SectionLayout(
            14,
            "usmt",
            {
                1: _fields(
                    "Version",
                    "SharingNotice",
                    *_SALE_TA,
                    _sensitive(8),
                    _kids(3),
                    "AdditionalDataProcessingConsent",
                    *_MSPA,
                )
            },
        ),
        SectionLayout(15, "usor", _state(11, _kids(3))),
        SectionLayout(16, "ustx", _state(8, _KIDS)),
        SectionLayout(17, "usde", _state(9, _kids(5))),
        SectionLayout(
            18,
            "usia",
            {
                1: _fields(
                    "Version",
                    "ProcessingNotice",
                    "SaleOptOutNotice",
                    "TargetedAdvertisingOptOutNotice",
                    "SensitiveDataOptOutNotice",
                    "SaleOptOut",
                    "TargetedAdvertisingOptOut",
                    _sensitive(8),
                    _KIDS,
                    *_MSPA,
                )
            },
        ),
        SectionLayout(19, "usne", _state(8, _KIDS)),
        SectionLayout(20, "usnh", _state(8, _kids(3))),
        SectionLayout(21, "usnj", _state(10, _kids(5))),
        SectionLayout(22, "ustn", _state(8, _KIDS)),
        SectionLayout(23, "usmn", _state(8, _KIDS)),
        SectionLayout(24, "usmd", {1: _fields(*_MSPA_FIRST, "AdditionalDataProcessingConsent")}),
        *(
            SectionLayout(
                section_id,
                prefix,
                {
                    1: _fields(
                        *_MSPA_FIRST,
                        _KIDS,
                        "AdditionalDataProcessingConsent",
                    )
                },
                optional_segment="sensitive",
            )
            for section_id, prefix in ((25, "usin"), (26, "usky"), (27, "usri"))
        ),
    )
}

# Segment following the core segment in IN, KY and RI.
SENSITIVE_SEGMENT = _fields(_sensitive(8))

# Known sections we deliberately leave undecoded (TCF is EU/Canada consent, not US opt-out).
UNDECODED_SECTIONS: dict[int, str] = {2: "tcfeuv2", 5: "tcfcav1"}

USPV1_ID = 6
USPV1_PREFIX = "uspv1"
