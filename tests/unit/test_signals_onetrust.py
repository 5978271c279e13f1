"""OneTrust cookies: OptanonConsent, chunked OTGPPConsent, OneTrustWPCCPAGoogleOptOut."""

from __future__ import annotations

import pytest

from auditor.signals import (
    SignalDecodeError,
    decode_gpp,
    decode_optanon_consent,
    join_otgpp_chunks,
    parse_google_opt_out,
)

HONORED = (
    "isGpcEnabled=1&datestamp=Thu+Nov+27+2025+03%3A40%3A00+GMT-0800+(Pacific+Standard+Time)"
    "&version=202504.1.0&browserGpcFlag=1&isIABGlobal=false&hosts=&consentId=1b2c-3d"
    "&interactionCount=1&isAnonUser=1&landingPath=NotLandingPage"
    "&groups=C0001%3A1%2CSSPD_BG%3A0%2C4%3A0%2CC0003%3A1&GPPCookiesCount=1"
    "&geolocation=US%3BCA&AwaitingReconsent=false"
)


def test_honored_cookie_parses_flags_groups_and_metadata() -> None:
    consent = decode_optanon_consent(HONORED)
    assert consent.is_gpc_enabled is True and consent.browser_gpc_flag is True
    assert consent.groups == {"C0001": True, "SSPD_BG": False, "4": False, "C0003": True}
    assert list(consent.groups) == ["C0001", "SSPD_BG", "4", "C0003"]
    assert consent.geolocation == "US;CA"
    assert consent.interaction_count == 1 and consent.gpp_cookies_count == 1
    assert consent.version == "202504.1.0"
    assert consent.datestamp == "Thu Nov 27 2025 03:40:00 GMT-0800 (Pacific Standard Time)"
    assert consent.landing_path == "NotLandingPage"
    assert consent.fields["hosts"] == "" and consent.fields["isIABGlobal"] == "false"


def test_browser_sent_gpc_but_tenant_did_not_apply_it() -> None:
    consent = decode_optanon_consent(
        "isGpcEnabled=0&browserGpcFlag=1&groups=1%3A1%2C4%3A1%2CBG28%3A1"
    )
    assert (consent.is_gpc_enabled, consent.browser_gpc_flag) == (False, True)
    assert consent.groups == {"1": True, "4": True, "BG28": True}


def test_missing_gpc_keys_read_as_none() -> None:
    consent = decode_optanon_consent("groups=C0001:1,C0004:0&interactionCount=0")
    assert consent.is_gpc_enabled is None and consent.browser_gpc_flag is None
    assert consent.interaction_count == 0 and consent.groups == {"C0001": True, "C0004": False}


def test_cookie_name_prefix_is_accepted() -> None:
    assert decode_optanon_consent("OptanonConsent=isGpcEnabled=1").is_gpc_enabled is True


def test_non_numeric_counts_read_as_none() -> None:
    consent = decode_optanon_consent("interactionCount=%C2%B2&GPPCookiesCount=99999999999999")
    assert consent.interaction_count is None and consent.gpp_cookies_count is None


@pytest.mark.parametrize(
    "value",
    ["", "foo", "a=b&c=d", "groups=C0001", "groups=C0001:2", "groups=:1", "~~~", "1YNN", None],
)
def test_invalid_optanon_values_raise(value: object) -> None:
    with pytest.raises(SignalDecodeError):
        decode_optanon_consent(value)  # type: ignore[arg-type]


def test_chunks_are_joined_in_numeric_order() -> None:
    cookies = {"OTGPPConsent_10": "C", "OTGPPConsent": "DBABBg~BV", "OTGPPConsent_2": "AACA.Y",
               "OTGPPConsent_1": "U", "other": "x"}
    assert join_otgpp_chunks(cookies) == "DBABBg~BVUAACA.YC"
    assert join_otgpp_chunks(cookies, count=3) == "DBABBg~BVUAACA.Y"


def test_chunk_count_comes_from_optanon_consent_when_present() -> None:
    cookies = {"OTGPPConsent": "DBABBg~BVUA", "OTGPPConsent_1": "AACA.YA",
               "OptanonConsent": "isGpcEnabled=1&GPPCookiesCount=2"}
    joined = join_otgpp_chunks(cookies)
    assert joined == "DBABBg~BVUAAACA.YA"
    assert decode_gpp(joined).sections[0].fields["SaleOptOut"] == 1


def test_single_cookie_and_url_encoded_tilde() -> None:
    assert join_otgpp_chunks({"OTGPPConsent": "DBABLA%7EBVQVAAAABgA.YA"}) == "DBABLA~BVQVAAAABgA.YA"


def test_no_gpp_cookie_returns_none() -> None:
    assert join_otgpp_chunks({"OptanonConsent": "isGpcEnabled=1"}) is None


def test_missing_chunks_raise() -> None:
    with pytest.raises(SignalDecodeError, match="GPPCookiesCount=3 but 2"):
        join_otgpp_chunks({"OTGPPConsent": "DBABBg~BVUA", "OTGPPConsent_1": "AACA.YA"}, count=3)


@pytest.mark.parametrize(
    ("value", "expected"), [("true", True), ("false", False), (" TRUE ", True)]
)
def test_google_opt_out_cookie(value: str, expected: bool) -> None:
    assert parse_google_opt_out(value) is expected


@pytest.mark.parametrize("value", ["", "1", "yes", None])
def test_google_opt_out_cookie_rejects_other_values(value: object) -> None:
    with pytest.raises(SignalDecodeError):
        parse_google_opt_out(value)  # type: ignore[arg-type]
