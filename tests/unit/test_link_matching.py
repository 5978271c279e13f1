"""Link matching: the phrases and exclusions of the rule pack, read the way a person reads."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor import textmatch
from auditor.evidence import Link
from auditor.findings import Status
from auditor.rulepacks import load_pack
from auditor.textmatch import match_links
from tests.unit import rule_evidence

PACK = load_pack(Path(__file__).resolve().parents[2] / "rules" / "ccpa.yaml")
DNS = next(r for r in PACK.rules if r.id == "ccpa.dns-link").params
PHRASES = DNS["phrases"] + DNS["alternative_phrases"]


def link(text: str = "", aria: str = "", visible: bool = True) -> Link:
    return Link(tag="a", text=text, aria_label=aria, visible=visible)


@pytest.mark.parametrize(
    "text",
    [
        "Do Not Sell or Share My Personal Information",
        "DO NOT SELL OR SHARE MY PERSONAL INFORMATION",
        "do not sell or share my personal information",
        "Do Not Sell or\u00a0Share\n   My   Personal Information",
        "Do Not Sell\u200b or Share My Personal Information",
        "Do Not Sell My Info",
        "Do Not Sell My Personal Info",
        "Your Privacy Choices",
        "Your California Privacy Choices",
        "  your   privacy   choices  ",
        "California Residents: Do Not Sell or Share My Personal Information",
    ],
)
def test_opt_out_link_wordings_match(text):
    assert match_links([link(text)], PHRASES, DNS["exclusions"])


@pytest.mark.parametrize(
    "text",
    [
        "Privacy Policy",
        "Do Not Sell My Personal Information: what the law means, January 2020",
        "Terms and Do Not Sell My Personal Information",
        "Privacy Policy | Do Not Sell My Info",
        "Do Not Sell or Share My Personal Information archive",
        "We do not sell your data",
        "Cookie Settings",
        "Your privacy choicesXYZ",
    ],
)
def test_other_links_and_headlines_do_not_match(text):
    assert not match_links([link(text)], PHRASES, DNS["exclusions"])


def test_aria_label_counts_when_the_text_is_an_icon():
    matches = match_links([link("", aria="Your Privacy Choices")], PHRASES, DNS["exclusions"])
    assert matches and matches[0].read_from == "aria-label"


def test_very_long_text_is_not_a_link_label():
    text = "Do Not Sell or Share My Personal Information " + "lorem ipsum " * 20
    assert not match_links([link(text)], PHRASES, DNS["exclusions"])


CUT_LINKS = "links: 10005 link-like elements on the page; 5000 were kept, the first and last in document order"


@pytest.mark.parametrize(
    ("rule", "wanted"),
    [("ccpa.dns-link", "Do Not Sell"), ("ccpa.privacy-policy-link", "privacy policy")],
)
def test_a_link_absent_from_a_page_whose_links_were_cut_is_review_not_fail(rule, wanted):
    complete = rule_evidence.page(rule_evidence.footer_links())
    assert rule_evidence.judge(rule, rule_evidence.evidence(complete)).status == Status.FAIL
    cut = complete.model_copy(update={"truncated": [CUT_LINKS]})
    finding = rule_evidence.judge(rule, rule_evidence.evidence(cut))
    assert finding.status == Status.REVIEW, finding.message
    assert wanted in finding.message and "left out" in finding.message
    assert CUT_LINKS in str(finding.evidence)


def test_only_cut_links_make_an_absent_link_review():
    other_cuts = ["visible text: 1800185 characters; the first 500000 bytes kept", "DOM snapshot: 52428801 characters"]
    page = rule_evidence.page(rule_evidence.footer_links()).model_copy(update={"truncated": other_cuts})
    assert rule_evidence.judge("ccpa.dns-link", rule_evidence.evidence(page)).status == Status.FAIL


def test_long_texts_are_not_kept_beyond_a_few_sites() -> None:
    """A page's whole text is normalised for many phrases in one site's checks, then never again: a many-site run
    must not keep every site's texts (it grew by a quarter of a MiB a site when they shared the links' cache)."""
    textmatch._normalize_short.cache_clear()
    textmatch._normalize_long.cache_clear()
    for site in range(200):
        page_text = f"Site {site}: Do Not Sell or Share My Personal Information. " * 200
        assert textmatch.contains_phrase(page_text, "do not sell or share")
        assert textmatch.contains_phrase(f"Privacy {site}", "privacy")
    assert textmatch._normalize_long.cache_info().currsize <= 16
    assert textmatch._normalize_short.cache_info().currsize >= 200  # short texts are still cached
    assert textmatch.normalize("  Do\u00a0Not \u2019Sell\u2019 ") == "do not 'sell'"
    assert textmatch.normalize("x" * 600 + " Y") == "x" * 600 + " y"
