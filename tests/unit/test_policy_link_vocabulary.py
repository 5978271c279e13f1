"""One vocabulary for the privacy-policy link: the policy search follows first exactly the links the rule counts.

The rule pack (``ccpa.privacy-policy-link``'s parameters) owns the words; the runner hands them to capture and to the
crawl's page plan as data, and capture's own copy is used only when no selected rule counts the link.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.capture.policy import DEFAULT_POLICY_LINK_VOCABULARY, link_candidates
from auditor.findings import Status
from auditor.runner import RunRequest, build_options, load_rules, policy_link_vocabulary
from tests.unit.rule_evidence import SITE, evidence, footer_links, judge, link, page

LINK_TEXTS = [
    "Privacy Policy",
    "Privacy Notice",
    "Privacy Center",
    "Privacy",
    "PRIVACY STATEMENT",
    "Your Privacy Choices",  # the opt-out link, not the policy
    "Privacy settings",
    "Cookie privacy",
    "Limit the use of my sensitive personal information",
    "Privacy opt-out",  # the crawl's old list excluded it; the rule counts it
    "Contact us",
]


def linked_by_text(text: str, vocabulary) -> bool:
    """Whether the policy search takes a homepage link with ``text`` (at an address that does not say "privacy")
    as a candidate for its words."""
    candidates = link_candidates([link(text, href=f"{SITE}legal/notice")], SITE, vocabulary)
    return any(how == "link_text" for _, how, _ in candidates)


@pytest.fixture(scope="module")
def pack_vocabulary():
    _, rules = load_rules((), "")
    return policy_link_vocabulary(rules)


@pytest.mark.parametrize("text", LINK_TEXTS)
def test_the_policy_search_follows_a_link_for_its_words_exactly_when_the_rule_counts_it(text, pack_vocabulary):
    follows = linked_by_text(text, pack_vocabulary)
    counted = judge("ccpa.privacy-policy-link", evidence(page(footer_links(link(text))))).status == Status.PASS
    assert follows == counted


def test_capture_s_fallback_is_the_built_in_pack_s_vocabulary(pack_vocabulary):
    assert pack_vocabulary == DEFAULT_POLICY_LINK_VOCABULARY


def test_the_run_hands_capture_the_words_of_a_team_s_override(tmp_path: Path):
    pack = tmp_path / "acme.yaml"
    pack.write_text(
        "pack: acme\nversion: '1'\n"
        "overrides:\n"
        "  - id: ccpa.privacy-policy-link\n"
        "    reason: Acme's footer is in German.\n"
        "    params:\n"
        "      phrases: [datenschutz]\n",
        encoding="utf-8",
    )
    options = build_options(RunRequest(urls=("https://www.example.com/",), out_dir=tmp_path, rule_paths=(pack,)))
    assert options.policy_link.phrases == ("datenschutz",)
    assert linked_by_text("Datenschutz", options.policy_link)
    assert not linked_by_text("Privacy Policy", options.policy_link)


def test_without_the_rule_capture_falls_back_to_its_own_words(tmp_path: Path):
    options = build_options(RunRequest(out_dir=tmp_path, jurisdictions="co"))
    assert all(rule.id != "ccpa.privacy-policy-link" for rule in options.judging.rules)
    assert options.policy_link == DEFAULT_POLICY_LINK_VOCABULARY
