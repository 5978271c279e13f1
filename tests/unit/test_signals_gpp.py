"""GPP decoding: the reference vectors from cmps.md, readings, contradictions, structure."""

from __future__ import annotations

import re

import pytest

from auditor.signals import (
    GppSection,
    SignalDecodeError,
    contradictions,
    decode_gpp,
    sale_share_reading,
)

# (string, prefix, version, SaleOptOut, SharingOptOut, TargetedAdvertisingOptOut,
#  MspaCoveredTransaction, Gpc) -- from /work/shared/reference/cmps.md section 2.2.
CMPS_VECTORS = [
    ("DBABBg~BVUAAACA.YA", "usca", 1, 1, 1, None, 2, True),
    ("DBABBg~BVoAAACA.YA", "usca", 1, 2, 2, None, 2, True),
    ("DBABBg~BVoAAACA.QA", "usca", 1, 2, 2, None, 2, False),
    ("DBABBg~BVUAAACA.QA", "usca", 1, 1, 1, None, 2, False),
    ("DBABLA~CVQVAAAAAACA.YA", "usnat", 2, 1, 1, 1, 2, True),
    ("DBABLA~CVQqAAAAAACA.YA", "usnat", 2, 2, 2, 2, 2, True),
    ("DBABLA~BVQVAAAABgA.YA", "usnat", 1, 1, 1, 1, 2, True),  # real OneTrust OTGPPConsent
]


@pytest.mark.parametrize(
    ("string", "prefix", "version", "sale", "sharing", "targeted", "mspa", "gpc"), CMPS_VECTORS
)
def test_cmps_reference_vectors_decode(
    string: str, prefix: str, version: int, sale: int, sharing: int,
    targeted: int | None, mspa: int, gpc: bool,
) -> None:
    decoded = decode_gpp(string)
    assert decoded.header.type == 3
    assert [section.prefix for section in decoded.sections] == [prefix]
    section = decoded.sections[0]
    assert section.decoded and section.version == version
    assert section.fields["SaleOptOut"] == sale
    assert section.fields["SharingOptOut"] == sharing
    assert section.fields.get("TargetedAdvertisingOptOut") == targeted
    assert section.fields["MspaCoveredTransaction"] == mspa
    assert section.gpc_segment == {"GpcSegmentType": 1, "Gpc": gpc}
    assert section.gpc is gpc


def test_usnat_v1_and_v2_have_different_sensitive_data_lengths() -> None:
    v1 = decode_gpp("DBABLA~BVQVAAAABgA.YA").sections[0].fields
    v2 = decode_gpp("DBABLA~CVQVAAAAAACA.YA").sections[0].fields
    assert len(v1["SensitiveDataProcessing"]) == 12
    assert len(v1["KnownChildSensitiveDataConsents"]) == 2
    assert len(v2["SensitiveDataProcessing"]) == 16
    assert len(v2["KnownChildSensitiveDataConsents"]) == 3
    assert v1["PersonalDataConsents"] == 1  # as @iabgpp/cmpapi 3.2.0 reads the real cookie


def test_uspv1_inside_gpp() -> None:
    section = decode_gpp("DBABTA~1YNN").section("uspv1")
    assert section is not None and section.id == 6
    assert section.fields == {"Version": 1, "Notice": "Y", "OptOutSale": "N", "LspaCovered": "N"}
    assert sale_share_reading(section)["sale_opt_out"] is False


def test_sections_can_be_found_by_id_or_prefix() -> None:
    decoded = decode_gpp("DBABBg~BVUAAACA.YA")
    assert decoded.section(8) is decoded.section("usca") is decoded.sections[0]
    assert decoded.section("usnat") is None


def test_reading_maps_one_to_opted_out_and_two_to_not() -> None:
    honored = decode_gpp("DBABLA~CVQVAAAAAACA.YA").sections[0]
    ignored = decode_gpp("DBABLA~CVQqAAAAAACA.YA").sections[0]
    assert sale_share_reading(honored) == {
        "sale_opt_out": True, "sharing_opt_out": True,
        "targeted_advertising_opt_out": True, "gpc": True,
    }
    assert sale_share_reading(ignored) == {
        "sale_opt_out": False, "sharing_opt_out": False,
        "targeted_advertising_opt_out": False, "gpc": True,
    }


def test_california_has_no_targeted_advertising_field() -> None:
    reading = sale_share_reading(decode_gpp("DBABBg~BVoAAACA.QA").sections[0])
    assert reading == {
        "sale_opt_out": False, "sharing_opt_out": False,
        "targeted_advertising_opt_out": None, "gpc": False,
    }


def test_gpc_ignored_is_reported_as_contradiction() -> None:
    assert contradictions(decode_gpp("DBABBg~BVoAAACA.YA").sections[0]) == [
        "Gpc is set but SaleOptOut=2 (did not opt out)",
        "Gpc is set but SharingOptOut=2 (did not opt out)",
    ]


@pytest.mark.parametrize(
    "string", ["DBABBg~BVUAAACA.YA", "DBABBg~BVoAAACA.QA", "DBABLA~BVQVAAAABgA.YA", "DBABTA~1YNN"]
)
def test_consistent_sections_have_no_contradictions(string: str) -> None:
    assert contradictions(decode_gpp(string).sections[0]) == []


def _usca(**fields: int) -> GppSection:
    return GppSection(id=8, prefix="usca", version=1, fields=fields, raw="")


def test_opt_out_without_matching_notice_is_a_contradiction() -> None:
    assert contradictions(_usca(SaleOptOutNotice=0, SaleOptOut=1)) == [
        "SaleOptOut=1 (opted out) but SaleOptOutNotice=0 (N/A)"
    ]
    assert contradictions(_usca(SharingOptOutNotice=2, SharingOptOut=2)) == [
        "SharingOptOut=2 (did not opt out) but SharingOptOutNotice=2 (notice not given)"
    ]


def test_undefined_opt_out_value_reads_none_and_is_reported() -> None:
    section = _usca(SaleOptOutNotice=1, SaleOptOut=3)
    assert sale_share_reading(section)["sale_opt_out"] is None
    assert contradictions(section) == ["SaleOptOut=3 is not a defined value (0, 1 or 2)"]


def _fibonacci(value: int) -> str:
    terms = [1, 2]
    while terms[-1] + terms[-2] <= value:
        terms.append(terms[-1] + terms[-2])
    bits = ["0"] * len(terms)
    for index in reversed(range(len(terms))):
        if terms[index] <= value:
            bits[index], value = "1", value - terms[index]
    return "".join(bits).rstrip("0") + "1"


def _header(*section_ids: int) -> str:
    """Encode a GPP header listing single (non-range) section ids, for structural tests."""
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    bits, last = "000011" + "000001" + format(len(section_ids), "012b"), 0
    for section_id in section_ids:
        bits += "0" + _fibonacci(section_id - last)
        last = section_id
    bits += "0" * (-len(bits) % 8)  # pad to a byte, then to a base64 digit, as the IAB encoder does
    bits += "0" * (-len(bits) % 6)
    return "".join(alphabet[int(bits[i : i + 6], 2)] for i in range(0, len(bits), 6))


def test_header_helper_matches_library_output() -> None:
    assert _header(8) == "DBABBg"
    assert _header(7) == "DBABLA"


def test_tcf_sections_are_recorded_but_not_decoded() -> None:
    tcf_string = "CPXxRfAPXxRfAAfKABENB-CgAAAAAAAAAAYgAAAAAAAA"
    tcf, usca = decode_gpp(f"{_header(2, 8)}~{tcf_string}~BVUAAACA.YA").sections
    assert (tcf.id, tcf.prefix, tcf.decoded) == (2, "tcfeuv2", False)
    assert tcf.note == "recorded, not decoded" and tcf.raw == tcf_string
    assert usca.decoded and usca.fields["SaleOptOut"] == 1


def test_unknown_section_ids_are_unsupported_not_guessed() -> None:
    section = decode_gpp(f"{_header(40)}~BVUAAACA").sections[0]
    assert (section.prefix, section.decoded) == ("section40", False)
    assert section.note == "unsupported section"
    assert section.raw == "BVUAAACA"
    assert sale_share_reading(section)["sale_opt_out"] is None


def test_unknown_version_of_a_known_section_is_left_undecoded() -> None:
    section = decode_gpp("DBABBg~CVUAAACA.YA").sections[0]  # usca with Version=2
    assert section.decoded is False and section.version == 2
    assert section.note == "unsupported usca version 2 (known: [1])"


def test_sub_section_of_unknown_type_is_kept_raw() -> None:
    section = decode_gpp("DBABBg~BVUAAACA.wA").sections[0]  # SubsectionType=3
    assert section.gpc_segment is None and section.other_segments == ["wA"]


@pytest.mark.parametrize(
    ("string", "message"),
    [
        ("", "GPP string must start with 'D'"),
        ("~~~", "GPP string must start with 'D'"),
        ("CPXxRfAPXxRfA", "looks like a TCF v2 string"),
        ("D", "GPP header: ran out of bits"),
        ("DBABBg~", "GPP section 8 is empty"),
        ("DBABBg", "lists 1 section(s) [8] but the string has 0"),
        ("DBABBg~BVUAAACA.YA~1YNN", "lists 1 section(s) [8] but the string has 2"),
        ("DBABBg~BVUA", "core segment: ran out of bits"),
        ("DBABBg~BVUAAACA.", "sub-section: ran out of bits"),
        ("DBABBg~BVU*AACA", "invalid character '*'"),
        ("DB*BBg~BVUAAACA", "GPP header: invalid base64url character '*'"),
        ("EBABBg~BVUAAACA", "GPP string must start with 'D'"),
        ("DBAB__~1YNN", "GPP header"),
        ("DBABTA~1YN", "US Privacy string must be 4 characters"),
    ],
)
def test_malformed_gpp_strings_raise_with_a_clear_message(string: str, message: str) -> None:
    with pytest.raises(SignalDecodeError, match=re.escape(message)):
        decode_gpp(string)
