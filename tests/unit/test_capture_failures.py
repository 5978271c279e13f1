"""Pure parts of hostile-page handling: failures in words, limits that follow --timeout, bodies cut safely,
and which homepages make the other visits of a site pointless."""

from __future__ import annotations

import pytest

from auditor.capture.failures import explain, one_line
from auditor.capture.page import PageLimits, cap_text, homepage_unusable
from auditor.evidence import PageCapture


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ("Page.goto: net::ERR_NAME_NOT_RESOLVED at http://shop-a.com/", "could not be resolved, a DNS failure"),
        ("Page.goto: net::ERR_CONNECTION_REFUSED at http://shop-a.com/", "refused the connection"),
        ("Page.goto: net::ERR_CERT_DATE_INVALID at https://shop-a.com/", "--ignore-https-errors"),
        ("Page.goto: net::ERR_SSL_PROTOCOL_ERROR at https://shop-a.com/", "TLS handshake"),
        ("Page.goto: net::ERR_TOO_MANY_REDIRECTS at http://shop-a.com/", "redirects in a loop"),
        ("Page.goto: net::ERR_SOMETHING_NEW at http://shop-a.com/", "could not be loaded"),
        ("Page.goto: Download is starting", "started a download"),
        ("Failed to download http://shop-a.com/: canceled", "started a download"),
        ("Page.goto: Timeout 4000ms exceeded.", "did not load within 4 s"),
        ("Page.title: Target crashed", "renderer crashed"),
        ("Page.content: Target page, context or browser has been closed", "was closed"),
    ],
)
def test_failures_are_explained_in_words_keeping_the_browsers_own(raw, words):
    text = explain(raw)
    assert words in text
    assert raw.split(": ", 1)[-1].split(" at ")[0] in text  # the browser's words, for a search engine


def test_one_line_drops_playwrights_call_log():
    assert one_line("Page.goto: Timeout 30000ms exceeded.\nCall log:\n  - navigating") == "Timeout 30000ms exceeded."
    assert one_line(TimeoutError()) == "TimeoutError"


@pytest.mark.parametrize(
    ("timeout", "settle", "step", "late_cmp"),
    [(30, 10, 15, 8), (4, 4 / 3, 5, 2), (2, 1, 5, 1), (120, 10, 15, 8)],
)
def test_limits_follow_the_page_timeout_within_reason(timeout, settle, step, late_cmp):
    limits = PageLimits.for_timeout(timeout, max_body_bytes=123_456)
    assert limits.navigation_timeout == timeout and limits.max_body_bytes == 123_456
    assert (limits.settle_max, limits.step_timeout, limits.late_cmp_wait) == pytest.approx((settle, step, late_cmp))


def test_text_is_cut_on_a_character_boundary():
    text = "é" * 10  # two bytes each
    assert cap_text(text, 100) == (text, False)
    cut, was_cut = cap_text(text, 5)
    assert was_cut and cut == "éé" and len(cut.encode()) <= 5


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"error": "loading the page: refused"}, "could not be loaded"),
        ({"final_url": "http://shop-a.com/", "bot_wall": "title looks like a bot check"}, "bot check"),
        ({"final_url": "http://shop-a.com/", "status": 503}, "HTTP 503"),
        ({"final_url": "http://shop-b.com/welcome", "status": 200}, "redirected to another site"),
        ({"final_url": "http://shop-a.com/", "status": 200, "incomplete": "never finished loading"}, "never finished"),
    ],
)
def test_an_unusable_homepage_says_why(fields, reason):
    page = PageCapture(requested_url="http://shop-a.com/", **fields)
    assert reason in (homepage_unusable(page) or "")


def test_a_good_homepage_is_usable():
    page = PageCapture(requested_url="http://shop-a.com/", final_url="http://www.shop-a.com/", status=200)
    assert homepage_unusable(page) is None
