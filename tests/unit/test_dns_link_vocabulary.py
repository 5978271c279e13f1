"""One vocabulary for the "Do Not Sell or Share" link: the opt-out flow follows exactly the links the rule counts.

The rule pack (``ccpa.dns-link``'s parameters) owns the words; the runner hands them to capture as data, and
capture's own copy is used only when no selected rule counts the link.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.capture.consent.classify import DEFAULT_DNS_LINK_VOCABULARY
from auditor.capture.consent.entry import dns_link_matches
from auditor.findings import Status
from auditor.runner import RunRequest, build_options, dns_link_vocabulary, load_rules
from tests.unit.rule_evidence import evidence, footer_links, judge, link, page

LINK_TEXTS = [
    "Do Not Sell or Share My Personal Information",
    "Do Not Sell My Info",
    "DO NOT SELL MY PERSONAL INFORMATION",
    "Your Privacy Choices",
    "Your California Privacy Choices",
    "California Privacy Choices",  # capture's old list followed it; the rule does not count it
    "Do Not Sell or Share",  # the same
    "Privacy Policy - Do Not Sell My Info",
    "Terms of Use and Do Not Sell My Information",
    "March archive: do not sell my info",  # the pack excludes headlines with a month; capture's old list did not
    "Do not sell my info " + "and more words " * 12,  # longer than the pack's max_length
    "Cookie Settings",
    "Privacy Policy",
]


def raw_link(text: str) -> dict:
    """A link as the page script ``findLinks`` reports it to the opt-out flow."""
    return {
        "tag": "a",
        "text": text,
        "aria_label": "",
        "title": "",
        "href": "https://www.example-store.com/privacy-choices",
        "visible": True,
        "in_footer": True,
        "in_shadow_root": False,
        "ref": "1",
    }


@pytest.fixture(scope="module")
def pack_vocabulary():
    _, rules = load_rules((), "")
    return dns_link_vocabulary(rules)


@pytest.mark.parametrize("text", LINK_TEXTS)
def test_the_opt_out_flow_follows_a_link_exactly_when_the_rule_counts_it(text, pack_vocabulary):
    follows = bool(dns_link_matches([raw_link(text)], pack_vocabulary))
    counted = judge("ccpa.dns-link", evidence(page(footer_links(link(text))))).status == Status.PASS
    assert follows == counted


def test_the_words_differ_from_capture_s_old_list_where_the_rule_disagreed(pack_vocabulary):
    # Pins the cases above that tell the two vocabularies apart: the flow no longer follows them.
    assert not dns_link_matches([raw_link("California Privacy Choices")], pack_vocabulary)
    assert not dns_link_matches([raw_link("March archive: do not sell my info")], pack_vocabulary)


def test_capture_s_fallback_is_the_built_in_pack_s_vocabulary(pack_vocabulary):
    assert pack_vocabulary == DEFAULT_DNS_LINK_VOCABULARY


def test_the_run_hands_capture_the_words_of_a_team_s_override(tmp_path: Path):
    pack = tmp_path / "acme.yaml"
    pack.write_text(
        "pack: acme\nversion: '1'\n"
        "overrides:\n"
        "  - id: ccpa.dns-link\n"
        "    reason: Acme's footer says it this way.\n"
        "    params:\n"
        "      phrases: [opt me out of the sale]\n",
        encoding="utf-8",
    )
    options = build_options(RunRequest(urls=("https://www.example.com/",), out_dir=tmp_path, rule_paths=(pack,)))
    assert options.dns_link.phrases == ("opt me out of the sale",)
    assert dns_link_matches([raw_link("Opt me out of the sale")], options.dns_link)
    assert not dns_link_matches([raw_link("Do Not Sell My Info")], options.dns_link)


def test_without_the_rule_capture_falls_back_to_its_own_words(tmp_path: Path):
    options = build_options(RunRequest(out_dir=tmp_path, jurisdictions="co"))
    assert all(rule.id != "ccpa.dns-link" for rule in options.judging.rules)
    assert options.dns_link == DEFAULT_DNS_LINK_VOCABULARY
