"""Stored consent of recognised consent managers, and the request-parameter reader of the signals gatherer."""

from __future__ import annotations

import base64
import json
from urllib.parse import quote

import pytest

from auditor.capture.signals import request_params
from auditor.evidence.core import PageCapture, RequestRecord
from auditor.signals import SignalDecodeError
from auditor.signals.cmp_storage import read_stored_consent, rules_for_key, storage_locations


def _b64(data: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    ("cmp", "key", "raw", "allowed"),
    [
        ("Cookiebot", "CookieConsent", "{stamp:'x',necessary:true,statistics:true,marketing:false,ver:1}", False),
        ("Cookiebot", "CookieConsent", quote("{stamp:'x',necessary:true,marketing:true,ver:1}"), True),
        ("vanilla-cookieconsent", "cc_cookie", '{"categories":["necessary","analytics"],"revision":0}', False),
        ("vanilla-cookieconsent", "cc_cookie", '{"categories":["necessary","marketing"]}', True),
        ("vanilla-cookieconsent", "cc_cookie", '{"level":["necessary","ads"]}', True),
        ("CookieYes", "cookieyes-consent", "consentid:abc,consent:yes,necessary:yes,advertisement:no", False),
        ("CookieYes", "cookieyes-consent", "consent:yes,necessary:yes,advertisement:yes", True),
        ("CookieYes (legacy)", "cookieyes-advertisement", "no", False),
        ("Complianz", "cmplz_marketing", "deny", False),
        ("Complianz", "cmplz_marketing", "allow", True),
        ("TrustArc", "cmapi_cookie_privacy", "permit 1", False),
        ("TrustArc", "cmapi_cookie_privacy", "permit 1,2,3", True),
        ("Osano", "Osano.cm.getConsent", '{"ESSENTIAL":"ACCEPT","MARKETING":"DENY","OPT_OUT":"ACCEPT"}', False),
        (
            "Usercentrics",
            "UC_UI.getServicesBaseInfo",
            '[{"name":"Ads","categorySlug":"marketing","consent":{"status":false}}]',
            False,
        ),  # fmt: skip
        ("Didomi", "didomi_token", _b64({"purposes": {"enabled": ["analytics"], "disabled": ["marketing"]}}), False),
        ("Ketch", "_ketch_consent_v1_", _b64({"behavioral_advertising": {"status": "granted"}}), True),
    ],
)
def test_stored_consent_says_whether_advertising_is_allowed(cmp, key, raw, allowed):
    assert read_stored_consent(cmp, key, raw).advertising_allowed is allowed


def test_value_without_advertising_category_says_nothing():
    reading = read_stored_consent("Cookiebot", "CookieConsent", "{necessary:true,statistics:false}")
    assert reading.advertising_allowed is None
    assert reading.categories == {"necessary": True, "statistics": False}


def test_recorded_only_formats_are_kept_without_a_reading():
    assert read_stored_consent("Usercentrics", "uc_settings", '{"services":[]}').advertising_allowed is None


@pytest.mark.parametrize(
    ("cmp", "key", "raw"),
    [
        ("Cookiebot", "CookieConsent", "-1"),
        ("vanilla-cookieconsent", "cc_cookie", "not json"),
        ("TrustArc", "cmapi_cookie_privacy", "deny all"),
        ("Ketch", "_ketch_consent_v1_", "%%%"),
        ("Nobody", "x", "y"),
    ],
)
def test_unreadable_values_raise_a_decode_error(cmp, key, raw):
    with pytest.raises(SignalDecodeError):
        read_stored_consent(cmp, key, raw)


def test_capture_locations_come_from_the_table():
    where = storage_locations()
    assert {"CookieConsent", "cc_cookie", "cookieyes-consent", "didomi_token"} <= set(where["cookie"])
    assert "_ketch_consent_v1_" in where["cookie_prefix"]
    assert "UC_UI.getServicesBaseInfo" in where["global"]
    assert "uc_settings" in where["local_storage"]
    assert [r.cmp for r in rules_for_key("cookie", "_ketch_consent_v1_default")] == ["Ketch"]


def test_request_parameters_are_recorded_with_decoded_values():
    page = PageCapture(
        requested_url="https://www.example.com/",
        requests=[
            RequestRecord(url="https://ib.adnxs.com/ut?us_privacy=1YYN&x=1", host="ib.adnxs.com", third_party=True),
            RequestRecord(url="https://ib.adnxs.com/ut?us_privacy=1YYN&x=2", host="ib.adnxs.com", third_party=True),
            RequestRecord(url="https://ads.example.net/b?gpp=DBABBg~BVUAAACA.YA&gpp_sid=8", host="ads.example.net"),
            RequestRecord(url="https://ads.example.net/c?gpp=${GPP_STRING}", host="ads.example.net"),
        ],
    )
    params = request_params(page)
    assert [(p.host, p.name, p.value) for p in params] == [
        ("ib.adnxs.com", "us_privacy", "1YYN"),
        ("ads.example.net", "gpp", "DBABBg~BVUAAACA.YA"),
        ("ads.example.net", "gpp_sid", "8"),
        ("ads.example.net", "gpp", "${GPP_STRING}"),
    ]
    assert params[0].decoded["sale_opt_out"] is True
    assert params[1].decoded["sections"]["usca"]["fields"]["SaleOptOut"] == 1
    assert params[2].decoded == {"section_ids": [8]}
    assert params[3].decoded is None and "must start with 'D'" in params[3].decode_error
