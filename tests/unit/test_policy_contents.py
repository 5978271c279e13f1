"""CCPA policy-content topics (CA-P3) and the HTML-to-text step that feeds them."""

from __future__ import annotations

import re

import pytest

from auditor.policy import TOPICS, extract_text_from_html, find_policy_date, find_required_contents

CCPA_POLICY = """\
Example Outfitters Privacy Policy
Last Updated: January 5, 2026

Categories of Personal Information We Collect
In the preceding 12 months we have collected the following categories of personal information:
identifiers (such as name, email address and IP address); commercial information; internet or
other electronic network activity information; geolocation data; and inferences drawn from the
above to create a profile about your preferences.

Your California Privacy Rights
Right to Know. You have the right to request that we disclose the categories and specific pieces
of personal information we have collected about you.
Right to Delete. You have the right to request the deletion of personal information we collected
from you, subject to certain exceptions.
Right to Correct. You have the right to request that we correct inaccurate personal information
we maintain about you.
Right to Opt Out of Sale or Sharing. We share identifiers and internet activity with advertising
partners for cross-context behavioral advertising. You may opt out of the sale or sharing of your
personal information by clicking the "Do Not Sell or Share My Personal Information" link in our
website footer.
Right to Limit. We use sensitive personal information only for the purposes permitted by the CCPA
regulations, so we do not offer a right to limit beyond those purposes.
Non-Discrimination. We will not discriminate against you for exercising any of your CCPA rights.

Opt-Out Preference Signals
Our website recognizes the Global Privacy Control (GPC). If your browser sends an opt-out preference
signal, we treat it as a valid request to opt out of sale and sharing for that browser.

How to Submit a Request
To submit a request, call us toll-free at 1-800-555-0199, email privacy@example.com, or use our
online request form at example.com/privacy-request.
"""

VAGUE_POLICY = """\
Privacy Notice
We care about your privacy. Depending on where you live, you may have certain rights regarding
your personal information. We use cookies to improve our services, and you can opt out of our
marketing emails at any time by clicking unsubscribe. We take the security of your data seriously.
Questions? Contact us through the website.
"""


def test_every_topic_has_strong_patterns_that_compile() -> None:
    for topic, patterns in TOPICS.items():
        assert patterns.strong, topic
        for pattern in patterns.strong + patterns.weak:
            re.compile(pattern)


def test_a_complete_ccpa_policy_is_found_for_every_topic() -> None:
    results = find_required_contents(CCPA_POLICY)
    assert list(results) == list(TOPICS)
    assert {topic: m.status for topic, m in results.items()} == dict.fromkeys(TOPICS, "found")


@pytest.mark.parametrize(
    ("topic", "phrase_in_passage"),
    [
        ("right_to_know", "specific pieces"),
        ("right_to_delete", "request the deletion"),
        ("right_to_correct", "correct inaccurate personal information"),
        ("right_to_opt_out", "opt out of the sale or sharing"),
        ("right_to_limit", "sensitive personal information only"),
        ("non_discrimination", "will not discriminate"),
        ("opt_out_preference_signals", "Global Privacy Control"),
        ("categories_of_pi", "following categories of personal information"),
        ("contact_methods", "toll-free"),
    ],
)
def test_found_topics_quote_the_sentence_that_matched(topic: str, phrase_in_passage: str) -> None:
    match = find_required_contents(CCPA_POLICY)[topic]
    assert match.passage is not None and match.start is not None and match.end is not None
    assert phrase_in_passage in match.passage
    assert len(match.passage) <= 320
    # The span indexes the original text; the passage is that span with whitespace collapsed.
    assert " ".join(CCPA_POLICY[match.start : match.end].split()) == match.passage
    assert match.matched_phrases


def test_contact_methods_lists_each_method_found() -> None:
    phrases = find_required_contents(CCPA_POLICY)["contact_methods"].matched_phrases
    assert {"toll-free", "1-800-555-0199", "privacy@example.com", "online request form"} <= set(phrases)


def test_a_vague_policy_is_ambiguous_or_missing() -> None:
    statuses = {topic: m.status for topic, m in find_required_contents(VAGUE_POLICY).items()}
    assert statuses == {
        "right_to_know": "ambiguous",  # "you may have certain rights" names no right
        "right_to_delete": "ambiguous",
        "right_to_correct": "ambiguous",
        "right_to_opt_out": "ambiguous",  # "opt out" of emails, no sale/sharing nearby
        "right_to_limit": "missing",
        "non_discrimination": "missing",
        "opt_out_preference_signals": "missing",
        "categories_of_pi": "missing",
        "contact_methods": "ambiguous",  # "contact us", but no method to submit a request
    }


def test_ambiguous_match_quotes_the_weak_cue() -> None:
    match = find_required_contents(VAGUE_POLICY)["right_to_opt_out"]
    assert match.matched_phrases == ["opt out"]
    assert match.passage is not None and "marketing emails" in match.passage


def test_missing_topic_has_no_passage() -> None:
    match = find_required_contents(VAGUE_POLICY)["non_discrimination"]
    assert (match.passage, match.start, match.end, match.matched_phrases) == (None, None, None, [])


def test_empty_text_is_missing_everywhere() -> None:
    assert {m.status for m in find_required_contents("").values()} == {"missing"}


@pytest.mark.parametrize(
    ("sentence", "topic", "status"),
    [
        ("We do not sell or share your personal information.", "right_to_opt_out", "ambiguous"),
        (
            "To opt out of targeted advertising, visit our Your Privacy Choices page.",
            "right_to_opt_out",
            "found",
        ),
        ("Our site honors user-enabled global privacy controls.", "opt_out_preference_signals", "found"),
        ("Our site does not respond to Do Not Track signals.", "opt_out_preference_signals", "ambiguous"),
        ("You can delete your account from the settings page.", "right_to_delete", "ambiguous"),
        ("Click Limit the Use of My Sensitive Personal Information.", "right_to_limit", "found"),
        ("We may collect sensitive data such as precise geolocation.", "right_to_limit", "ambiguous"),
        ("We won't deny you goods or services for exercising your rights.", "non_discrimination", "found"),
        ("You may contact us at (415) 555-0100.", "contact_methods", "ambiguous"),
        ("Submit a verifiable consumer request through our privacy portal.", "contact_methods", "found"),
    ],
)
def test_single_sentences(sentence: str, topic: str, status: str) -> None:
    assert find_required_contents(sentence)[topic].status == status


def test_matching_ignores_case_line_wraps_nbsp_and_typographic_dashes() -> None:
    text = "YOU HAVE THE RIGHT\nTO  KNOW what we collect. Visitors may opt\u2011out of the\u00a0SALE of data."
    results = find_required_contents(text)
    assert results["right_to_know"].status == "found"
    assert results["right_to_know"].passage == "YOU HAVE THE RIGHT TO KNOW what we collect."
    assert results["right_to_opt_out"].status == "found"


def test_long_sentences_are_trimmed_around_the_match() -> None:
    filler = " ".join(["and other things we might do"] * 30)
    text = f"We collect data {filler} and you have the right to delete personal information {filler}."
    match = find_required_contents(text)["right_to_delete"]
    assert match.passage is not None
    assert "right to delete" in match.passage
    assert len(match.passage) <= 300
    assert not match.passage.startswith(" ") and text[match.start : match.end] == match.passage


def test_headings_without_periods_end_the_quoted_passage() -> None:
    text = "Your Rights\nYou have the right to know what we collect"
    match = find_required_contents(text)["right_to_know"]
    assert match.passage == "You have the right to know what we collect"


POLICY_HTML = """<!doctype html>
<html><head><title>Privacy | Example</title>
<style>.x { color: red }</style>
<script>var updated = "Last updated: January 1, 1999";</script>
</head>
<body>
<nav><a href="/">Home</a> <a href="/shop">Shop</a></nav>
<main>
  <h1>Privacy Policy <small>(updated March&nbsp;3, 2025)</small></h1>
  <p>We collect   the following
     categories of personal information: <b>identifiers</b> and
     <i>geolocation</i>.</p>
  <noscript>Please enable JavaScript.</noscript>
  <template><p>Template text</p></template>
  <h2><svg><title>icon</title><path d="M0"/></svg>Your Rights</h2>
  <div class="accordion" hidden><p>You have the right to delete personal information.</p></div>
  <ul><li>Email privacy@example.com</li><li>Call 1-800-555-0199</li></ul>
  <div role="heading" aria-level="3">Contact <span>Us</span></div>
</main>
</body></html>"""


def test_html_text_drops_unrendered_content_and_keeps_blocks_as_lines() -> None:
    text, _ = extract_text_from_html(POLICY_HTML)
    assert text.split("\n") == [
        "Home Shop",
        "Privacy Policy (updated March 3, 2025)",
        "We collect the following categories of personal information: identifiers and geolocation.",
        "Your Rights",
        "You have the right to delete personal information.",
        "Email privacy@example.com",
        "Call 1-800-555-0199",
        "Contact Us",
    ]


def test_html_headings_are_h1_to_h6_and_role_heading() -> None:
    _, headings = extract_text_from_html(POLICY_HTML)
    assert headings == ["Privacy Policy (updated March 3, 2025)", "Your Rights", "Contact Us"]


def test_html_feeds_date_and_contents_end_to_end() -> None:
    text, headings = extract_text_from_html(POLICY_HTML)
    found = find_policy_date(text, headings)
    assert found is not None and found.matched_text == "updated March 3, 2025"
    assert found.context == "heading"
    results = find_required_contents(text)
    assert results["right_to_delete"].status == "found"  # kept although the accordion is collapsed
    assert results["categories_of_pi"].status == "found"


def test_html_unclosed_tags_and_entities() -> None:
    # As in browsers, an h3 start tag closes an open h2, and a p start tag closes an open p.
    html = "<h2>Rights &amp; Choices<h3>Requests</h3><p>First<p>Second &mdash; third<br>fourth"
    text, headings = extract_text_from_html(html)
    assert text.split("\n") == ["Rights & Choices", "Requests", "First", "Second — third", "fourth"]
    assert headings == ["Rights & Choices", "Requests"]
