"""IAB Global Privacy Platform (GPP) strings: header plus US sections.

A GPP string is ``header~section~section...``.  The header (section id 3)
is base64url: Type Int(6) = 3, Version Int(6), SectionIds as a Fibonacci
integer range; one ``~``-part follows per listed id, in the same order.
Inside a section, '.' separates the core segment from optional sub-sections.
Field layouts live in :mod:`auditor.signals.gpp_sections`.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from auditor.signals.bits import BASE64URL_ALPHABET, BitReader, base64url_to_bits
from auditor.signals.errors import SignalDecodeError, preview
from auditor.signals.gpp_sections import (
    LAYOUTS,
    SENSITIVE_SEGMENT,
    UNDECODED_SECTIONS,
    USPV1_ID,
    USPV1_PREFIX,
    FieldSpec,
    SectionLayout,
)
from auditor.signals.usprivacy import decode_usprivacy

HEADER_TYPE = 3
MAX_SECTION_ID = 4095  # generous; the registry is in the twenties
MAX_LENGTH = 1_000_000  # a TCF-heavy GPP string is tens of KB; this only stops absurd input
GPC_SUBSECTION_TYPE = 1
_SECTION_CHARS = frozenset(BASE64URL_ALPHABET + ".")

FieldValue = int | bool | str | list[int]


class GppHeader(BaseModel):
    """The decoded header section."""

    model_config = ConfigDict(frozen=True)

    type: int
    version: int
    section_ids: list[int]


class GppSection(BaseModel):
    """One section of a GPP string.

    ``decoded`` is False for sections we recognise but do not decode (TCF),
    for unknown section ids and for unknown versions of a known section; the
    ``note`` then says why and ``raw`` keeps the text for later.
    """

    model_config = ConfigDict(frozen=True)

    id: int
    prefix: str
    version: int | None = None
    decoded: bool = True
    fields: dict[str, FieldValue] = {}
    gpc_segment: dict[str, bool | int] | None = None
    other_segments: list[str] = []
    note: str | None = None
    raw: str

    @property
    def gpc(self) -> bool | None:
        """The GPC sub-section's ``Gpc`` flag, or None when there is no GPC sub-section."""
        if self.gpc_segment is None:
            return None
        return bool(self.gpc_segment["Gpc"])


class GppString(BaseModel):
    """A decoded GPP string."""

    model_config = ConfigDict(frozen=True)

    raw: str
    header: GppHeader
    sections: list[GppSection]

    def section(self, key: int | str) -> GppSection | None:
        """Find a section by numeric id (``8``) or API prefix (``"usca"``)."""
        for section in self.sections:
            if key in (section.id, section.prefix):
                return section
        return None


def decode_gpp(value: str) -> GppString:
    """Decode a GPP string such as ``DBABBg~BVUAAACA.YA``; raise SignalDecodeError if invalid."""
    if not isinstance(value, str):
        raise SignalDecodeError(f"GPP string must be text, got {type(value).__name__}")
    text = value.strip()
    if len(text) > MAX_LENGTH:
        raise SignalDecodeError(f"GPP string is {len(text)} characters long (max {MAX_LENGTH})")
    if not text.startswith("D"):
        hint = " (looks like a TCF v2 string)" if text.startswith("C") else ""
        raise SignalDecodeError(f"GPP string must start with 'D'{hint}: {preview(text)}")
    header_text, *parts = text.split("~")
    header = _decode_header(header_text)
    if len(parts) != len(header.section_ids):
        raise SignalDecodeError(
            f"GPP header lists {len(header.section_ids)} section(s) "
            f"{header.section_ids} but the string has {len(parts)}"
        )
    sections = [_decode_section(section_id, part) for section_id, part in zip(header.section_ids, parts, strict=True)]
    return GppString(raw=text, header=header, sections=sections)


def _decode_header(text: str) -> GppHeader:
    reader = BitReader(base64url_to_bits(text, "GPP header"), "GPP header")
    header_type = reader.int(6)
    if header_type != HEADER_TYPE:
        raise SignalDecodeError(f"GPP header type is {header_type}, expected {HEADER_TYPE}")
    version = reader.int(6)
    return GppHeader(type=header_type, version=version, section_ids=reader.fibonacci_range(MAX_SECTION_ID))


def _decode_section(section_id: int, text: str) -> GppSection:
    if not text.strip():
        raise SignalDecodeError(f"GPP section {section_id} is empty")
    if section_id == USPV1_ID:
        usp = decode_usprivacy(text)
        fields: dict[str, FieldValue] = {
            "Version": usp.version,
            "Notice": usp.notice,
            "OptOutSale": usp.opt_out_sale,
            "LspaCovered": usp.lspa,
        }
        return GppSection(id=section_id, prefix=USPV1_PREFIX, version=1, fields=fields, raw=text)
    layout = LAYOUTS.get(section_id)
    if layout is None:
        prefix = UNDECODED_SECTIONS.get(section_id, f"section{section_id}")
        known = section_id in UNDECODED_SECTIONS
        note = "recorded, not decoded" if known else "unsupported section"
        return GppSection(id=section_id, prefix=prefix, decoded=False, note=note, raw=text)
    return _decode_us_section(layout, text)


def _decode_us_section(layout: SectionLayout, text: str) -> GppSection:
    what = f"GPP section {layout.prefix} ({layout.id})"
    if not set(text) <= _SECTION_CHARS:
        bad = next(char for char in text if char not in _SECTION_CHARS)
        raise SignalDecodeError(f"{what}: invalid character {bad!r}")
    core_text, *extra_texts = text.split(".")
    bits = base64url_to_bits(core_text, what)
    version = BitReader(bits, what).int(6)
    specs = layout.core.get(version)
    if specs is None:
        return GppSection(
            id=layout.id,
            prefix=layout.prefix,
            version=version,
            decoded=False,
            raw=text,
            note=f"unsupported {layout.prefix} version {version} (known: {sorted(layout.core)})",
        )
    fields = _read_fields(BitReader(bits, f"{what} core segment"), specs)
    gpc_segment: dict[str, bool | int] | None = None
    other_segments: list[str] = []
    for extra in extra_texts:
        reader = BitReader(base64url_to_bits(extra, what), f"{what} sub-section")
        if layout.optional_segment == "sensitive":
            fields.update(_read_fields(reader, SENSITIVE_SEGMENT))
        elif layout.optional_segment == "gpc" and reader.int(2) == GPC_SUBSECTION_TYPE:
            gpc_segment = {"GpcSegmentType": GPC_SUBSECTION_TYPE, "Gpc": reader.bool()}
        else:
            other_segments.append(extra)
    return GppSection(
        id=layout.id,
        prefix=layout.prefix,
        version=version,
        fields=fields,
        gpc_segment=gpc_segment,
        other_segments=other_segments,
        raw=text,
    )


def _read_fields(reader: BitReader, specs: tuple[FieldSpec, ...]) -> dict[str, FieldValue]:
    # Trailing bits are padding to a byte/base64 boundary and are ignored.
    return {
        spec.name: reader.int(spec.bits) if spec.count is None else reader.int_list(spec.bits, spec.count)
        for spec in specs
    }
