"""ccpa.gpc-honored, ccpa.gpc-status-display and gpc.well-known on hand-built evidence (checks are pure)."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from auditor.evidence.consent import ConsentEvidence, PreferenceCenter, StatusSurvey, TextBlock, Toggle
from auditor.evidence.core import CookieRecord, RequestRecord
from auditor.evidence.signals import (
    CookieValue,
    GppReading,
    OneTrustReading,
    SignalEvidence,
    SignalParam,
    SignalSource,
    StoredConsent,
    UspReading,
    WellKnownGpc,
)
from tests.unit.rule_evidence import SITE, evidence, judge, page

USP_API = SignalSource(method="api", detail="__uspapi('getUSPData', 1)")
GPP_API = SignalSource(method="api", detail="__gpp('ping') and addEventListener")
COOKIE = SignalSource(method="cookie", detail="cookie CookieConsent (www.example-store.com)")

# Strings from the shared reference (cmps.md 2.2), generated with the IAB reference encoder.
USCA_HONORED = "DBABBg~BVUAAACA.YA"
USCA_IGNORED_WITH_GPC = "DBABBg~BVoAAACA.YA"
USCA_NO_GPC = "DBABBg~BVoAAACA.QA"
USNAT_HONORED = "DBABLA~CVQVAAAAAACA.YA"
USNAT_NO_GPC = "DBABLA~BVQqAAAAAgA.QA"
ONETRUST_REAL = "DBABLA~BVQVAAAABgA.YA"
HONORED = "Opt-Out Preference Signal Honored"
SETTINGS = "Cookie Settings"


def signals(gpc: bool, **fields) -> SignalEvidence:
    return SignalEvidence(navigator_gpc=True if gpc else None, gpc_mechanism="native" if gpc else "off", **fields)


def usp(value: str, source: SignalSource = USP_API) -> UspReading:
    return UspReading(raw=value, source=source, success=True)


def gpp(value: str, *, wait: str = "ready-at-first-ping", status: str = "ready") -> GppReading:
    ping = {"gppVersion": "1.1", "signalStatus": status, "cmpStatus": "loaded", "gppString": value}
    return GppReading(source=GPP_API, first_ping=ping, ping=ping, gpp_string=value, wait=wait)  # type: ignore[arg-type]


def optanon(groups: str, *, gpc_enabled: int, browser_flag: int, gpp_count: int | None = None) -> CookieValue:
    value = f"isGpcEnabled={gpc_enabled}&browserGpcFlag={browser_flag}&interactionCount=0&groups={quote(groups)}"
    if gpp_count:
        value += f"&GPPCookiesCount={gpp_count}"
    return CookieValue(name="OptanonConsent", value=value, domain=".example-store.com")


def site(before: SignalEvidence | None, after: SignalEvidence | None, *, ads_before=True, ads_after=True, **kw):
    built = evidence(page(ads=ads_before), gpc_homepage=page(ads=ads_after), **kw)
    built.profiles["baseline"].signals = before
    built.profiles["gpc"].signals = after
    return built


def tables(finding) -> dict[str, list[list]]:
    return {item.label: item.rows for item in finding.evidence if item.kind == "table"}


def signal_rows(finding) -> list[list]:
    """The before/after table of every signal."""
    return next(rows for label, rows in tables(finding).items() if label.startswith("Privacy signals"))


# --- ccpa.gpc-honored: the US Privacy string --------------------------------------------------------------


def test_us_privacy_string_flipped_to_y_under_gpc_passes_with_a_before_after_table():
    finding = judge(
        "ccpa.gpc-honored", site(signals(False, usprivacy=[usp("1YNN")]), signals(True, usprivacy=[usp("1YYN")]))
    )
    assert finding.status == "pass"
    assert signal_rows(finding)[0][:4] == [
        "US Privacy string",
        "__uspapi('getUSPData', 1)",
        "1YNN (notice Y, opted out of sale N, LSPA N)",
        "1YYN (notice Y, opted out of sale Y, LSPA N)",
    ]
    assert "Request diff: advertising requests and cookies without and with GPC" in tables(finding)


def test_us_privacy_string_left_at_n_under_gpc_fails():
    finding = judge(
        "ccpa.gpc-honored", site(signals(False, usprivacy=[usp("1YNN")]), signals(True, usprivacy=[usp("1YNN")]))
    )
    assert finding.status == "fail"
    assert "3rd character N" in finding.message


def test_us_privacy_string_saying_the_ccpa_does_not_apply_goes_to_review():
    finding = judge(
        "ccpa.gpc-honored", site(signals(False, usprivacy=[usp("1---")]), signals(True, usprivacy=[usp("1---")]))
    )
    assert finding.status == "review"
    assert "does not apply" in finding.message


def test_one_failing_signal_fails_even_when_another_is_opted_out():
    after = signals(True, usprivacy=[usp("1YYN")], gpp=[gpp(USCA_IGNORED_WITH_GPC)])
    finding = judge("ccpa.gpc-honored", site(signals(False, usprivacy=[usp("1YNN")]), after))
    assert finding.status == "fail"


# --- GPP --------------------------------------------------------------------------------------------------


def test_gpp_california_section_opted_out_under_gpc_passes():
    finding = judge(
        "ccpa.gpc-honored", site(signals(False, gpp=[gpp(USCA_NO_GPC)]), signals(True, gpp=[gpp(USCA_HONORED)]))
    )
    assert finding.status == "pass"
    fields = tables(finding)[
        "Decoded fields, without and with GPC (GPP opt-outs: 0 = N/A, 1 = opted out, 2 = did not opt out)"
    ]
    assert ["GPP usca", "SaleOptOut", "2", "1"] in fields
    assert ["GPP usca", "Gpc", "0", "1"] in fields


def test_gpp_national_section_with_every_opt_out_at_1_passes():
    finding = judge(
        "ccpa.gpc-honored", site(signals(False, gpp=[gpp(USNAT_NO_GPC)]), signals(True, gpp=[gpp(USNAT_HONORED)]))
    )
    assert finding.status == "pass"


def test_gpp_gpc_flag_with_sale_opt_out_2_is_a_contradiction_and_fails():
    finding = judge(
        "ccpa.gpc-honored",
        site(signals(False, gpp=[gpp(USCA_NO_GPC)]), signals(True, gpp=[gpp(USCA_IGNORED_WITH_GPC)])),
    )
    assert finding.status == "fail"
    assert "contradicts itself" in finding.message


def test_gpp_that_never_became_ready_goes_to_review():
    stuck = GppReading(source=GPP_API, first_ping={"signalStatus": "not ready"}, ping={"signalStatus": "not ready"},
                       gpp_string="", wait="timeout", waited_ms=5000)  # fmt: skip
    finding = judge("ccpa.gpc-honored", site(signals(False, gpp=[stuck]), signals(True, gpp=[stuck])))
    assert finding.status == "review"
    assert "did not become 'ready'" in finding.message


def test_invalid_gpp_string_fails():
    finding = judge(
        "ccpa.gpc-honored", site(signals(False, gpp=[gpp("DBAB~zzz")]), signals(True, gpp=[gpp("DBAB~zzz")]))
    )
    assert finding.status == "fail"
    assert "not a valid GPP string" in finding.message


# --- OneTrust ---------------------------------------------------------------------------------------------

NAMES = {"C0001": "Strictly Necessary Cookies", "C0004": "Targeting Cookies", "SPD_BG": "Sale of Personal Data"}


def onetrust(groups: str, gpc_enabled: int, browser_flag: int, names: dict | None = None, **more) -> OneTrustReading:
    count = more.pop("gpp_count", None)
    return OneTrustReading(
        optanon_consent=optanon(groups, gpc_enabled=gpc_enabled, browser_flag=browser_flag, gpp_count=count),
        group_names=NAMES if names is None else names,
        group_names_source="OneTrust.GetDomainData().Groups",
        **more,
    )  # fmt: skip


def test_onetrust_sale_and_targeting_groups_switched_off_pass_and_say_how_they_were_identified():
    before = signals(False, onetrust=onetrust("C0001:1,C0004:1,SPD_BG:1", 0, 0))
    after = signals(True, onetrust=onetrust("C0001:1,C0004:0,SPD_BG:0", 1, 1))
    finding = judge("ccpa.gpc-honored", site(before, after))
    assert finding.status == "pass"
    row = next(r for r in signal_rows(finding) if r[0] == "OneTrust OptanonConsent")
    assert "by the group's header text" in row[4] and "SPD_BG (Sale of Personal Data)" in row[4]


def test_onetrust_saw_gpc_but_did_not_apply_it_fails():
    before = signals(False, onetrust=onetrust("C0001:1,C0004:1,SPD_BG:1", 0, 0))
    after = signals(True, onetrust=onetrust("C0001:1,C0004:1,SPD_BG:1", 0, 1))
    finding = judge("ccpa.gpc-honored", site(before, after))
    assert finding.status == "fail"
    assert "browserGpcFlag=1 with isGpcEnabled=0" in finding.message


def test_onetrust_is_gpc_enabled_with_the_group_still_active_is_not_an_opt_out():
    after = signals(True, onetrust=onetrust("C0001:1,C0004:1,SPD_BG:1", 1, 1))
    finding = judge("ccpa.gpc-honored", site(signals(False, onetrust=onetrust("C0004:1", 0, 0)), after))
    assert finding.status == "fail"
    assert "isGpcEnabled=1 although" in finding.message


def test_onetrust_groups_found_by_known_ids_when_no_header_text_was_read():
    after = signals(True, onetrust=onetrust("1:1,4:0,BG28:1", 1, 1, names={}))
    finding = judge("ccpa.gpc-honored", site(signals(False, onetrust=onetrust("1:1,4:1", 0, 0, names={})), after))
    assert finding.status == "pass"
    assert "commonly used group ids" in str(finding.evidence[0])


def test_onetrust_groups_found_by_the_consent_captures_preference_center_labels():
    center = PreferenceCenter(found_by="test", toggles=[
        Toggle(label="Do Not Sell My Data", kind="switch", state="off", governs=["sale"], group_id="C0099"),
        Toggle(label="Performance", kind="switch", state="on", group_id="C0002"),
    ])  # fmt: skip
    consent = ConsentEvidence(preference_center=center)
    after = signals(True, onetrust=onetrust("C0002:1,C0099:0", 1, 1, names={}))
    finding = judge("ccpa.gpc-honored", site(signals(False), after, gpc_consent=consent))
    assert finding.status == "pass"
    assert "preference-center header text (consent capture)" in str(finding.evidence[0])


def test_onetrust_groups_named_in_the_optout_visits_preference_center_are_used():
    center = PreferenceCenter(found_by="test", toggles=[
        Toggle(label="Targeting Cookies", kind="switch", state="on", governs=["targeting"], group_id="C0004"),
    ])  # fmt: skip
    after = signals(True, onetrust=onetrust("C0002:1,C0004:0", 1, 1, names={}))
    finding = judge(
        "ccpa.gpc-honored", site(signals(False), after, optout_consent=ConsentEvidence(preference_center=center))
    )
    assert finding.status == "pass"
    assert "C0004 (Targeting Cookies)" in signal_rows(finding)[0][4]


def test_onetrust_with_no_sale_group_to_read_goes_to_review():
    after = signals(True, onetrust=onetrust("C0001:1,C0002:1", 1, 1, names={"C0002": "Performance Cookies"}))
    finding = judge("ccpa.gpc-honored", site(signals(False), after))
    assert finding.status == "review"
    assert "isGpcEnabled=1 alone" in finding.message


def test_onetrust_google_opt_out_false_under_gpc_fails():
    google = CookieValue(name="OneTrustWPCCPAGoogleOptOut", value="false", domain=".example-store.com")
    after = signals(True, onetrust=onetrust("C0004:0,SPD_BG:0", 1, 1, google_opt_out=google))
    finding = judge("ccpa.gpc-honored", site(signals(False), after))
    assert finding.status == "fail"
    assert "OneTrust Google opt-out" in finding.message


def test_otgppconsent_chunks_are_joined_by_gpp_cookies_count():
    head, tail = ONETRUST_REAL[:10], ONETRUST_REAL[10:]
    chunks = [CookieValue(name="OTGPPConsent", value=head), CookieValue(name="OTGPPConsent_1", value=tail)]
    after = signals(True, onetrust=onetrust("C0004:0", 1, 1, otgpp_consent=chunks, gpp_count=2))
    finding = judge("ccpa.gpc-honored", site(signals(False), after))
    assert finding.status == "pass"
    rows = tables(finding)[
        "Privacy signals without and with GPC (GPC native; the page saw navigator.globalPrivacyControl = True)"
    ]
    assert any(r[0] == "OneTrust GPP usnat" and "SaleOptOut=1" in r[3] and "2 chunks" in r[1] for r in rows)


# --- other consent managers, requests ----------------------------------------------------------------------

COOKIEBOT = "{stamp:'abc',necessary:true,preferences:false,statistics:false,marketing:%s,method:'implied',ver:1}"


@pytest.mark.parametrize(("marketing", "status"), [("false", "pass"), ("true", "fail")])
def test_cookiebot_marketing_category_decides(marketing, status):
    stored = StoredConsent(cmp="Cookiebot", key="CookieConsent", raw=quote(COOKIEBOT % marketing), source=COOKIE)
    assert judge("ccpa.gpc-honored", site(signals(False), signals(True, stored_consent=[stored]))).status == status


def test_ad_request_telling_vendors_the_visitor_did_not_opt_out_fails():
    param = SignalParam(
        url="https://ib.adnxs.com/ut?us_privacy=1YNN", host="ib.adnxs.com", name="us_privacy", value="1YNN"
    )
    after = signals(True, usprivacy=[usp("1YYN")], request_params=[param])
    finding = judge("ccpa.gpc-honored", site(signals(False, usprivacy=[usp("1YNN")]), after))
    assert finding.status == "fail"
    assert "us_privacy= sent to a third party" in finding.message


def test_a_signal_read_without_gpc_but_gone_with_it_goes_to_review():
    cookie = usp("1YNN", SignalSource(method="cookie", detail="cookie usprivacy (www.example-store.com)"))
    before = signals(False, usprivacy=[usp("1YNN"), cookie])
    finding = judge("ccpa.gpc-honored", site(before, signals(True, usprivacy=[usp("1YYN")])))
    assert finding.status == "review"
    assert "read without GPC but not with it" in finding.message


# --- no signal at all --------------------------------------------------------------------------------------


def test_no_signal_and_ads_still_firing_under_gpc_goes_to_review_with_the_request_diff():
    finding = judge("ccpa.gpc-honored", site(signals(False), signals(True)))
    assert finding.status == "review"
    diff = tables(finding)["Request diff: advertising requests and cookies without and with GPC"]
    assert diff == [["advertising requests", "doubleclick.net (Google, advertising)", "1", "1"]]


def test_no_signal_and_ads_that_stop_under_gpc_pass():
    finding = judge("ccpa.gpc-honored", site(signals(False), signals(True), ads_after=False))
    assert finding.status == "pass"
    assert "did not fire" in finding.message


def test_no_sign_of_sale_or_sharing_is_not_applicable():
    finding = judge("ccpa.gpc-honored", site(signals(False), signals(True), ads_before=False, ads_after=False))
    assert finding.status == "not_applicable"


def test_advertising_cookies_seen_in_one_visit_only_are_in_the_diff():
    built = site(signals(False), signals(True))
    built.profiles["baseline"].homepage.cookies = [CookieRecord(name="_fbp", value="fb.1", domain=".example-store.com")]
    diff = tables(judge("ccpa.gpc-honored", built))[
        "Request diff: advertising requests and cookies without and with GPC"
    ]
    assert ["advertising cookie", "_fbp (example-store.com)", "set", "—"] in diff


# --- when the comparison cannot be made ---------------------------------------------------------------------


def test_gpc_visit_that_did_not_load_is_not_assessable():
    built = site(signals(False), signals(True))
    built.profiles["gpc"].homepage.error = "net::ERR_CONNECTION_RESET"
    assert judge("ccpa.gpc-honored", built).status == "not_assessable"


def test_gpc_visit_whose_page_did_not_see_gpc_is_not_assessable():
    finding = judge("ccpa.gpc-honored", site(signals(False), signals(False)))
    assert finding.status == "not_assessable"
    assert "navigator.globalPrivacyControl" in finding.message


def test_signals_not_read_is_not_assessable():
    assert judge("ccpa.gpc-honored", site(signals(False), None)).status == "not_assessable"


# --- another state's rule with the same check -----------------------------------------------------------------


def test_colorado_rule_reads_usnat_and_not_the_california_us_privacy_string():
    after = signals(True, usprivacy=[usp("1YYN")], gpp=[gpp(USNAT_HONORED)])
    finding = judge("co.opt-out-signal-honored", site(signals(False), after))
    assert finding.status == "pass"
    rows = signal_rows(finding)
    assert any(r[0] == "US Privacy string" and r[4].startswith("not judged") for r in rows)


def test_a_us_section_the_rule_does_not_read_still_fails_when_it_contradicts_itself():
    # Issue #14, class 10: Gpc=1 with SaleOptOut=2 tells partners the visitor did not opt out, whichever state's
    # section says it; Colorado's rule reads usco and usnat, and the site's usca section contradicts itself.
    after = signals(True, gpp=[gpp(USCA_IGNORED_WITH_GPC)])
    finding = judge("co.opt-out-signal-honored", site(signals(False, gpp=[gpp(USCA_NO_GPC)]), after))
    assert finding.status == "fail"
    assert "in the usca section: the string contradicts itself" in " ".join(str(r) for r in signal_rows(finding))


# --- ccpa.gpc-status-display ----------------------------------------------------------------------------------


def _display_site(text_before: str, text_after: str, *, ads: bool = True, after: SignalEvidence | None = None):
    built = evidence(page(text=text_before, ads=ads), gpc_homepage=page(text=text_after, ads=ads))
    built.profiles["baseline"].signals = signals(False)
    built.profiles["gpc"].signals = after or signals(True)
    return built


def test_status_text_shown_only_with_gpc_passes():
    finding = judge("ccpa.gpc-status-display", _display_site("Welcome.", "Welcome.\nOpt-Out Preference Signal Honored"))
    assert finding.status == "pass"
    assert finding.evidence[0].text == "Opt-Out Preference Signal Honored"


def test_status_text_that_reads_the_same_without_gpc_goes_to_review():
    text = "Welcome.\nWe honor GPC: GPC signal honored on this site."
    assert judge("ccpa.gpc-status-display", _display_site(text, text)).status == "review"


def test_no_status_shown_fails_when_the_site_sells_or_shares():
    finding = judge("ccpa.gpc-status-display", _display_site("Welcome.", "Welcome."))
    assert finding.status == "fail"
    assert "must" in finding.message


def test_onetrust_opt_out_signal_notice_counts_as_the_status():
    after = signals(True, onetrust=OneTrustReading(optout_signal_notice="Your Opt-Out Preference Signal is Honored"))
    assert judge("ccpa.gpc-status-display", _display_site("Welcome.", "Welcome.", after=after)).status == "pass"


def test_a_control_shown_opted_out_with_gpc_and_nothing_else_goes_to_a_person():
    # The regulation's examples include a toggle showing the consumer opted out; whether a switch in a preference
    # center, with no statement, displays the signal's status is for a person to judge.
    toggle = Toggle(label="Sale of Personal Data", kind="switch", state="off", governs=["sale"])
    built = _display_site("Welcome.", "Welcome.")
    built.profiles["gpc"].consent = ConsentEvidence(preference_center=PreferenceCenter(found_by="t", toggles=[toggle]))
    finding = judge("ccpa.gpc-status-display", built)
    assert finding.status == "review"
    assert "Sale of Personal Data (off)" in finding.message


@pytest.mark.parametrize(
    ("gpc_consent", "where"),
    [
        # In an open shadow root of the footer, read once the page was quiet.
        (
            ConsentEvidence(page_text=[TextBlock(where="shadow root of privacy-footer", text=HONORED)]),
            "the page (shadow root of privacy-footer)",
        ),
        # Only inside the preference center, which the GPC visit opened (as OneTrust shows it).
        (
            ConsentEvidence(
                status_survey=StatusSurvey(
                    texts=[TextBlock(where=f"the preference center (opened by the {SETTINGS} button)", text=HONORED)]
                )
            ),
            f"the preference center (opened by the {SETTINGS} button)",
        ),
        # On the page the opt-out link leads to.
        (
            ConsentEvidence(
                status_survey=StatusSurvey(texts=[TextBlock(where="the page the link leads to", text=HONORED)])
            ),
            "the page the link leads to",
        ),
        # In a frame of the page.
        (
            ConsentEvidence(page_text=[TextBlock(where="frame https://consent.example-cmp.com/", text=HONORED)]),
            "the page (frame https://consent.example-cmp.com/)",
        ),
    ],
)
def test_a_status_statement_anywhere_the_visitor_can_see_it_passes_and_says_where(gpc_consent, where):
    built = _display_site("Welcome.", "Welcome.")
    built.profiles["gpc"].consent = gpc_consent
    finding = judge("ccpa.gpc-status-display", built)
    assert finding.status == "pass"
    assert f"({where})" in finding.message
    assert finding.evidence[0].label == f"Shown with GPC on ({where})"


def test_a_sentence_naming_the_signal_and_saying_it_was_processed_counts_but_a_negated_one_does_not():
    shown = "We received your Global Privacy Control signal and opted you out of sale."
    assert judge("ccpa.gpc-status-display", _display_site("Welcome.", shown)).status == "pass"
    refused = "Your Global Privacy Control signal was not honored on this browser."
    assert judge("ccpa.gpc-status-display", _display_site("Welcome.", refused)).status == "review"


def test_no_status_where_the_look_into_the_preference_center_stopped_goes_to_a_person():
    built = _display_site("Welcome.", "Welcome.")
    built.profiles["gpc"].consent = ConsentEvidence(status_survey=StatusSurvey(notes=["stopped after 40 s"]))
    finding = judge("ccpa.gpc-status-display", built)
    assert finding.status == "review"
    assert "stopped after 40 s" in finding.message


def test_no_status_and_a_preference_center_never_opened_with_gpc_is_not_proof():
    # A saved run from before the GPC visit opened the preference center: the site has one (the opt-out visit saw
    # it), so the status may be shown there; "not shown" is not proven.
    built = evidence(
        page(text="Welcome."),
        gpc_homepage=page(text="Welcome."),
        optout_consent=ConsentEvidence(preference_center=PreferenceCenter(found_by="dialog", text="Your choices")),
    )
    built.profiles["baseline"].signals = signals(False)
    built.profiles["gpc"].signals = signals(True)
    finding = judge("ccpa.gpc-status-display", built)
    assert finding.status == "review"
    assert "not opened with GPC on" in finding.message


def test_no_status_after_looking_everywhere_fails_and_lists_the_places():
    built = _display_site("Welcome.", "Welcome.")
    built.profiles["gpc"].consent = ConsentEvidence(
        page_text=[TextBlock(where="document", text="Welcome.")],
        status_survey=StatusSurvey(texts=[TextBlock(where="the preference center", text="Marketing cookies: on")]),
    )
    finding = judge("ccpa.gpc-status-display", built)
    assert finding.status == "fail"
    assert "Looked in: the page; the page, read once it was quiet; the preference center." in finding.message


def test_no_status_where_the_preference_center_is_a_frame_the_auditor_could_not_read_goes_to_a_person():
    # A cross-origin privacy manager drawn where a script cannot read it: the status may be shown there.
    frame = "https://cdn.cmp.example.net/privacy-manager/"
    built = evidence(
        page(text="Welcome."),
        gpc_homepage=page(text="Welcome."),
        optout_consent=ConsentEvidence(preference_center=PreferenceCenter(found_by="a frame", frame_url=frame)),
    )
    built.profiles["baseline"].signals = signals(False)
    built.profiles["gpc"].signals = signals(True)
    built.profiles["gpc"].consent = ConsentEvidence(status_survey=StatusSurvey())
    finding = judge("ccpa.gpc-status-display", built)
    assert finding.status == "review"
    assert f"the preference center is a frame from {frame} in which the auditor could read nothing" in finding.message


def test_status_display_is_not_applicable_without_sale_or_sharing():
    assert judge("ccpa.gpc-status-display", _display_site("Hi.", "Hi.", ads=False)).status == "not_applicable"


def test_status_display_is_not_in_force_before_2026():
    import datetime as dt

    finding = judge("ccpa.gpc-status-display", _display_site("Welcome.", "Welcome."), dt.date(2025, 12, 31))
    assert finding.status == "not_applicable"


# --- gpc.well-known ---------------------------------------------------------------------------------------------


def _well_known(status: int | None, body: str = "", content_type: str = "application/json", error: str | None = None):
    built = site(signals(False), signals(True))
    built.profiles["baseline"].signals.well_known = WellKnownGpc(  # type: ignore[union-attr]
        url=f"{SITE}.well-known/gpc.json", status=status, content_type=content_type, body=body, error=error
    )
    return judge("gpc.well-known", built)


@pytest.mark.parametrize(
    ("status", "body", "content_type", "expected", "words"),
    [
        (200, '{"gpc": true, "lastUpdate": "2026-01-15"}', "application/json", "pass", '"gpc": true'),
        (200, '{"gpc": true, "lastUpdate": "last week"}', "application/json", "pass", "not an RFC 3339 date"),
        (200, '{"gpc": false}', "application/json", "fail", "does not intend to honor"),
        (200, '{"gpc": "yes"}', "application/json", "fail", "must be true or false"),
        (200, '{"gpc": true}', "text/plain", "fail", "not application/json"),
        (200, "[true]", "application/json", "fail", "not a JSON object"),
        (200, "<!doctype html><p>app</p>", "text/html", "not_applicable", "HTML page"),
        (404, "<h1>Not found</h1>", "text/html", "not_applicable", "serves no"),
        (503, "", "text/plain", "not_assessable", "server error"),
    ],
)
def test_well_known_gpc_json(status, body, content_type, expected, words):
    finding = _well_known(status, body, content_type)
    assert finding.status == expected
    assert words in finding.message
    assert "declaration, not proof" in finding.message or expected == "not_assessable"


def test_well_known_fetch_error_is_not_assessable():
    assert _well_known(None, error="net::ERR_NAME_NOT_RESOLVED").status == "not_assessable"


def test_unrelated_request_records_do_not_count_as_ads():
    built = site(signals(False), signals(True), ads_before=False, ads_after=False)
    built.profiles["gpc"].homepage.requests = [
        RequestRecord(url="https://cdn.example-cdn.net/app.js", host="cdn.example-cdn.net", third_party=True)
    ]
    assert judge("ccpa.gpc-honored", built).status == "not_applicable"
