"""Consent UI is read by visible text (never ids): buttons, toggle labels, states, not-found pages, login walls."""

from __future__ import annotations

import json

import pytest

from auditor.capture.consent.autoconsent import _all_rules, _init_response, _rules_for, friendly_cmp_name
from auditor.capture.consent.classify import (
    classify_button,
    governs,
    has_consent_wording,
    login_wall_reason,
    option_state,
    optout_state,
    says_always_active,
    soft_404_phrase,
)
from auditor.capture.consent.detect import UNRECOGNISED, choose
from auditor.capture.consent.dom import FRAME_LAYER, is_idle_layer
from auditor.evidence.consent import CmpDetection


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Accept All Cookies", "accept"),
        ("Accept Cookies", "accept"),
        ("Allow All", "accept"),
        ("I Agree", "accept"),
        ("Got it", "accept"),
        ("OK", "accept"),
        ("Reject All", "reject"),
        ("Decline", "reject"),
        ("Deny", "reject"),
        ("Accept only necessary", "reject"),
        ("Necessary cookies only", "reject"),
        ("Continue without accepting", "reject"),
        ("No, thanks", "reject"),
        ("Do Not Sell or Share My Personal Information", "do_not_sell"),
        ("Opt out", "do_not_sell"),
        ("Your Privacy Choices", "do_not_sell"),
        ("Cookie Settings", "settings"),
        ("Cookie Preferences", "settings"),
        ("Manage Choices", "settings"),
        ("Customize", "settings"),
        ("More information", "settings"),
        ("Confirm My Choices", "save"),
        ("Save Settings", "save"),
        ("Allow selection", "save"),
        ("Privacy Policy", "info"),
        ("✕", "close"),
        ("Close", "close"),
    ],
)
def test_buttons_are_classified_by_visible_text(text, kind):
    assert classify_button(text) == kind


def test_an_icon_button_is_read_from_its_aria_label():
    assert classify_button("", aria_label="Close") == "close"
    assert classify_button("", aria_label="Open Privacy Preferences") == "settings"


def test_a_link_to_the_policy_is_information_not_a_choice():
    assert classify_button("Learn more about cookies", href="/cookie-policy") == "info"


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("Sale of Personal Data", ["sale"]),
        ("Do Not Sell or Share My Personal Information", ["sale", "sharing"]),
        ("Sale and sharing of my personal information", ["sale", "sharing"]),
        ("Targeting Cookies", ["targeting"]),
        ("Targeted Advertising", ["targeting"]),
        ("Advertising Cookies", ["targeting"]),
        ("Marketing", ["targeting"]),
        ("Sale of Personal Data, Targeting & Social Media Cookies", ["sale", "targeting"]),
        ("Performance Cookies", []),
        ("Functional", []),
        ("Strictly Necessary Cookies", []),
        ("Analytics", []),
    ],
)
def test_what_a_control_governs_comes_from_its_label(label, expected):
    assert governs(label) == expected


def test_a_negative_label_is_opted_out_when_on():
    assert optout_state("Do Not Sell My Personal Information") == "on"
    assert optout_state("Opt out of targeted advertising") == "on"
    assert optout_state("Sale of Personal Data") == "off"


@pytest.mark.parametrize(
    ("option", "state"),
    [
        ("Allow", "on"),
        ("Yes", "on"),
        ("On", "on"),
        ("No", "off"),
        ("Off", "off"),
        ("Opt out", "off"),
        ("Do not sell", "off"),
        ("Maybe later", "unknown"),
        # the options of a <select> ("Sale or sharing of my personal information: [Allowed | Not allowed]")
        ("Allowed", "on"),
        ("Not allowed", "off"),
        ("Permitted", "on"),
        ("Not permitted", "off"),
        ("Opted in", "on"),
        ("Opted out", "off"),
        ("Disallowed", "off"),
    ],
)
def test_button_pair_radio_and_select_options_map_to_on_or_off(option, state):
    assert option_state(option) == state


def test_a_select_whose_options_say_what_they_do_is_opted_out_at_its_off_option():
    assert optout_state("Sale or sharing of my personal information", ["Allowed", "Not allowed"]) == "off"
    assert optout_state("Targeted advertising", ["Opted in", "Opted out"]) == "off"


def test_always_active_wording():
    assert says_always_active("Strictly Necessary Cookies Always Active")
    assert not says_always_active("Performance Cookies")


def test_soft_404_wording_is_found_in_title_or_first_lines():
    assert soft_404_phrase("Oops! | Shop", "Sorry, we couldn't find that page.") == "couldn't find"
    assert soft_404_phrase("Page Not Found", "") == "page not found"
    assert soft_404_phrase("Your Privacy Choices", "Opt out of the sale of your personal information.") is None


def test_login_walls():
    assert "password" in login_wall_reason("https://shop.example/privacy", "", 1)
    assert "sign-in page" in login_wall_reason("https://shop.example/account/login?next=/dns", "", 0)
    assert login_wall_reason("https://shop.example/x", "Please sign in to manage your privacy choices.", 0)
    assert login_wall_reason("https://shop.example/privacy-choices", "Switch the control off and save.", 0) is None


def test_consent_wording_of_the_banner_heuristic():
    assert has_consent_wording("We use cookies and share data with partners")
    assert not has_consent_wording("Free shipping on orders over $50")


def _sign(name: str, method: str, seen: str = "") -> CmpDetection:
    return CmpDetection(name=name, detected_by=seen or f"{method} sign", method=method, confidence="medium")


def test_a_cmp_is_named_only_when_two_independent_methods_agree():
    heuristic = CmpDetection(name=UNRECOGNISED, detected_by="banner heuristic", method="heuristic", confidence="low")
    cookie = _sign("OneTrust", "cookie", "cookie OptanonConsent")
    dom = _sign("OneTrust", "dom", "element #onetrust-consent-sdk")
    chosen = choose([heuristic, cookie, dom])
    assert (chosen.name, chosen.confidence) == ("OneTrust", "medium")
    assert "cookie OptanonConsent" in chosen.detected_by
    three = choose([cookie, dom, _sign("OneTrust", "global", "window.OneTrust")])
    assert (three.name, three.confidence) == ("OneTrust", "high")
    assert choose([cookie]) is None, "one sign alone names nothing"
    assert choose([cookie, _sign("OneTrust", "cookie", "cookie OptanonAlertBoxClosed")]) is None, "same method twice"
    assert choose([heuristic]) is None, "a banner nothing identifies is unnamed, never 'unrecognised'"
    assert choose([]) is None


def test_shared_markup_and_an_overreaching_rule_do_not_name_the_wrong_cmp():
    # Osano's open-source cookieconsent bar: autoconsent's Complianz rule matches its cc-window markup, but only the
    # library's own API, markup and script agree on a name.
    signs = [
        _sign("Complianz", "autoconsent", "autoconsent rule Complianz opt-out"),
        _sign("cookieconsent", "global", "window.cookieconsent.initialise"),
        _sign("cookieconsent", "dom", "element .cc-window"),
        _sign("cookieconsent", "source", "script /npm/cookieconsent@3.1.1/build/cookieconsent.min.js"),
    ]
    chosen = choose(signs)
    assert (chosen.name, chosen.confidence) == ("cookieconsent", "high")
    assert choose(signs[:2]) is None, "two names with one sign each: none is corroborated"


def test_a_generated_site_rule_is_too_weak_to_corroborate():
    weak = CmpDetection(name="Didomi", detected_by="rule auto_x", method="autoconsent", confidence="low")
    assert choose([weak, _sign("Didomi", "cookie")]) is None


def test_autoconsent_rule_names_become_vendor_names():
    assert friendly_cmp_name("Onetrust") == "OneTrust"
    assert friendly_cmp_name("cookieconsent3") == "vanilla-cookieconsent"
    assert friendly_cmp_name("usercentrics-api") == "Usercentrics"
    assert friendly_cmp_name("some-site-rule") == "some-site-rule"


def test_site_specific_autoconsent_rules_for_other_sites_are_not_sent():
    rules = _rules_for("https://www.pacificherald-news.com/")
    every = _rules_for("about:blank")
    assert any(r["name"] == "cookieconsent3" for r in rules), "generic rules are always sent"
    assert len(rules) < 600 and len(every) < 600
    assert all(
        not (r.get("runContext") or {}).get("urlPattern") or "pacificherald" in r["runContext"]["urlPattern"]
        for r in rules
    )


def test_the_init_response_carries_the_rules_for_its_url_and_is_made_once_per_rule_set():
    site_rule = next(
        rule for pattern, rule in _all_rules() if pattern is not None and pattern.pattern.endswith("ah\\.nl/")
    )
    site_url = "https://www.ah.nl/"
    assert site_rule in _rules_for(site_url)
    message = json.loads(_init_response(site_url))
    assert message["type"] == "initResp" and message["config"]["autoAction"] is None
    assert [r["name"] for r in message["rules"]["autoconsent"]] == [r["name"] for r in _rules_for(site_url)]
    # Two URLs that keep the same rules share one text (it is ~220 kB); the site with its own rule gets another.
    first, second = _init_response("https://www.a-shop.com/"), _init_response("https://news.b-site.org/x?y=1")
    assert first is second and first != _init_response(site_url)


def test_a_fixed_frame_read_for_its_consent_words_is_a_banner_only_when_its_buttons_offer_a_choice():
    def framed(*texts: str) -> dict:
        return {"found_by": FRAME_LAYER, "buttons": [{"text": t} for t in texts]}

    assert not is_idle_layer(framed("Accept all", "Manage options"))
    assert not is_idle_layer(framed("Reject all"))
    assert is_idle_layer(framed("Close", "Learn more"))  # a sticky ad slot or chat widget that mentions advertising
    assert not is_idle_layer({"found_by": "fixed element with consent wording and buttons", "buttons": []})
