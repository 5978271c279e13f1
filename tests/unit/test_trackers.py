"""Third-party classification: the shipped list, user domain lists and Adblock Plus filter lists."""

from __future__ import annotations

import json
import socket
import sys
from importlib import resources
from pathlib import Path

import pytest

from auditor.domains import is_public_suffix, registrable_domain
from auditor.trackers import (
    CATEGORIES,
    AbpUnavailableError,
    TrackerClassifier,
    TrackerMatch,
    advertising_like,
    classify,
)
from auditor.trackers.abp import looks_like_filter_list, request_type
from auditor.trackers.domain_lists import normalise_domain


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to open a connection or resolve a name fails the test."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def _shipped() -> dict:
    text = resources.files("auditor.trackers").joinpath("data", "trackers.json").read_text("utf-8")
    return json.loads(text)


# --- the shipped list -------------------------------------------------------------------------------


def test_shipped_list_has_meta_with_version_and_sources() -> None:
    meta = _shipped()["_meta"]
    assert meta["version"]
    assert "public" in meta["sources"].lower()


def test_shipped_entries_are_valid() -> None:
    entries = _shipped()["entries"]
    assert len(entries) >= 250
    domains = [entry["domain"] for entry in entries]
    assert len(domains) == len(set(domains)), "duplicate domains"
    for entry in entries:
        assert set(entry) == {"domain", "owner", "category"}, entry
        assert entry["category"] in CATEGORIES, entry
        assert entry["owner"].strip() == entry["owner"] and entry["owner"], entry
        assert normalise_domain(entry["domain"]) == entry["domain"], entry
        assert not is_public_suffix(entry["domain"]), entry


def test_shipped_host_entries_are_not_shadowed_by_their_registrable_domain() -> None:
    """Most entries are registrable domains; a host entry (bat.bing.com) only makes sense when its
    registrable domain is not listed too."""
    domains = {entry["domain"] for entry in _shipped()["entries"]}
    for domain in domains:
        parent = registrable_domain(domain, include_private=False)
        assert parent == domain or parent not in domains, domain


# Named in the brief for this list: the major exchanges, SSPs, DSPs, pixels, analytics and data brokers.
_MAJOR_THIRD_PARTIES_TEXT = (
    "doubleclick.net googlesyndication.com googleadservices.com adnxs.com rubiconproject.com "
    "pubmatic.com openx.net criteo.com criteo.net taboola.com outbrain.com amazon-adsystem.com "
    "casalemedia.com indexexchange.com adsrvr.org demdex.net everesttech.net bluekai.com krxd.net "
    "rlcdn.com quantserve.com scorecardresearch.com moatads.com doubleverify.com adsafeprotected.com "
    "3lift.com sharethrough.com yieldmo.com media.net smartadserver.com teads.tv lijit.com gumgum.com "
    "tapad.com id5-sync.com crwdcntrl.net bidswitch.net mathtag.com turn.com agkn.com exelator.com "
    "eyeota.net facebook.net facebook.com tiktok.com ads-twitter.com twitter.com t.co linkedin.com "
    "licdn.com snapchat.com sc-static.net pinterest.com pinimg.com redditstatic.com hubspot.com "
    "hs-analytics.net marketo.net klaviyo.com braze.com google-analytics.com googletagmanager.com "
    "hotjar.com segment.com segment.io mixpanel.com amplitude.com newrelic.com fullstory.com "
    "clarity.ms acxiom.com liveramp.com epsilon.com experian.com "
)
MAJOR_THIRD_PARTIES = _MAJOR_THIRD_PARTIES_TEXT.split()


@pytest.mark.parametrize("domain", MAJOR_THIRD_PARTIES)
def test_shipped_list_covers_the_major_third_parties(domain: str) -> None:
    match = classify(domain)
    assert match is not None and match.domain == domain


@pytest.mark.parametrize(
    ("url", "domain", "owner", "category"),
    [
        ("https://securepubads.g.doubleclick.net/tag/js/gpt.js", "doubleclick.net", "Google", "advertising"),
        ("https://ib.adnxs.com/ut/v3/prebid", "adnxs.com", "Microsoft (Xandr)", "advertising"),
        ("https://connect.facebook.net/en_US/fbevents.js", "facebook.net", "Meta", "social"),
        ("https://www.google-analytics.com/g/collect?v=2", "google-analytics.com", "Google", "analytics"),
        ("www.googletagmanager.com", "googletagmanager.com", "Google", "tag_manager"),
        ("bluekai.com", "bluekai.com", "Oracle (BlueKai)", "data_broker"),
        ("https://bat.bing.com/bat.js", "bat.bing.com", "Microsoft", "advertising"),
    ],
)
def test_fixture_hosts_classify(url: str, domain: str, owner: str, category: str) -> None:
    match = classify(url)
    assert match == TrackerMatch(domain=domain, owner=owner, category=category, source="builtin", rule=domain)


@pytest.mark.parametrize(
    "url",
    [
        "https://www.example.com/",
        "https://notdoubleclick.net/x.js",  # a suffix match respects label boundaries
        "https://doubleclick.net.attacker.example/x.js",
        "https://www.bing.com/search?q=x",  # only bat.bing.com is listed
        "about:blank",
        "",
    ],
)
def test_unknown_hosts_do_not_classify(url: str) -> None:
    assert classify(url) is None


def test_advertising_like_categories() -> None:
    assert all(advertising_like(c) for c in ("advertising", "marketing", "social", "data_broker"))
    assert not any(advertising_like(c) for c in ("analytics", "tag_manager", "consent", "cdn", None))
    assert TrackerClassifier.advertising_like("social")


def test_match_serialises_to_json() -> None:
    match = classify("ib.adnxs.com")
    assert match is not None
    assert TrackerMatch.model_validate_json(match.model_dump_json()) == match


# --- plain user lists -------------------------------------------------------------------------------


def test_plain_user_list_adds_and_overrides(tmp_path: Path) -> None:
    path = tmp_path / "extra.txt"
    path.write_text(
        "# our own list\n"
        "tracker.example\n"
        "cdn.vendor.example,cdn,Vendor Inc.\n"
        "ads.vendor.example,advertising,Vendor, Inc.  # owner keeps its comma\n"
        "0.0.0.0 hostsfile.example\n"
        "doubleclick.net,analytics,Someone Else\n"
        "*.wildcard.example\n"
        "# category: marketing\n"
        "mailer.example\n"
        "\n",
        encoding="utf-8",
    )
    classifier = TrackerClassifier.from_lists([path])
    source = str(path)
    assert classifier.classify("https://a.tracker.example/p.gif") == TrackerMatch(
        domain="tracker.example", source=source, rule="tracker.example"
    )
    assert classifier.classify("x.cdn.vendor.example").category == "cdn"
    ads = classifier.classify("ads.vendor.example")
    assert (ads.owner, ads.category) == ("Vendor, Inc.", "advertising")
    assert classifier.classify("hostsfile.example").domain == "hostsfile.example"
    assert classifier.classify("x.wildcard.example").domain == "wildcard.example"
    assert classifier.classify("mailer.example").category == "marketing"
    overridden = classifier.classify("securepubads.g.doubleclick.net")
    assert (overridden.owner, overridden.category, overridden.source) == ("Someone Else", "analytics", source)
    assert classifier.classify("ib.adnxs.com").source == "builtin"
    # The module-level classify keeps using the built-in list only.
    assert classify("tracker.example") is None


def test_longest_listed_suffix_wins(tmp_path: Path) -> None:
    path = tmp_path / "nested.csv"
    path.write_text("vendor.example,analytics,Vendor\nads.vendor.example,advertising,Vendor Ads\n", "utf-8")
    classifier = TrackerClassifier.from_lists([path])
    assert classifier.classify("x.ads.vendor.example").category == "advertising"
    assert classifier.classify("www.vendor.example").category == "analytics"


def test_bare_user_line_keeps_what_the_builtin_list_knows(tmp_path: Path) -> None:
    path = tmp_path / "bare.txt"
    path.write_text("doubleclick.net\n", "utf-8")
    match = TrackerClassifier.from_lists([path]).classify("doubleclick.net")
    assert (match.owner, match.category, match.source) == ("Google", "advertising", "builtin")


def test_later_user_lists_take_precedence(tmp_path: Path) -> None:
    first, second = tmp_path / "first.txt", tmp_path / "second.txt"
    first.write_text("vendor.example,analytics,First\n", "utf-8")
    second.write_text("vendor.example,advertising,Second\n", "utf-8")
    assert TrackerClassifier.from_lists([first, second]).classify("vendor.example").owner == "Second"
    assert TrackerClassifier.from_lists([str(second), str(first)]).classify("vendor.example").owner == "First"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("vendor.example,adverts,Vendor", "unknown category 'adverts'"),
        ("co.uk", "not a domain a party can own"),
        ("two words.example here", "expected a domain"),
    ],
)
def test_malformed_plain_list_names_the_line(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_text(f"# header\n{line}\n", "utf-8")
    with pytest.raises(ValueError, match=message) as excinfo:
        TrackerClassifier.from_lists([path])
    assert f"{path}:2" in str(excinfo.value)


def test_from_no_lists_is_the_builtin_list() -> None:
    classifier = TrackerClassifier.from_lists([])
    assert classifier.filter_lists == []
    assert classifier.classify("ib.adnxs.com") == classify("ib.adnxs.com")
    page = "https://news.example/"
    assert classifier.classify_request("https://ib.adnxs.com/ut/v3", page, "xhr") == classify("ib.adnxs.com")
    assert classifier.classify_request("https://news.example/app.js", page, "script") is None


# --- Adblock Plus filter lists ----------------------------------------------------------------------

ABP_LIST = """[Adblock Plus 2.0]
! Title: test list
! Category: advertising
||tracker-example.com^$third-party
@@||tracker-example.com/allowed/
/pixel.gif?
||adnxs.com^
||frames.example^$subdocument
##.ad-banner
"""


def test_filter_list_detection() -> None:
    assert looks_like_filter_list(ABP_LIST)
    assert looks_like_filter_list("||ads.example^\n")
    assert looks_like_filter_list("# plain comment\nexample.com##.ad\n")
    assert not looks_like_filter_list("# plain\nexample.com\nvendor.example,advertising,Vendor / Ads\n")
    assert not looks_like_filter_list("0.0.0.0 ads.example\n")
    assert not looks_like_filter_list("*.wildcard.example\n")


@pytest.mark.parametrize(
    ("resource_type", "url", "expected"),
    [
        ("script", "https://a.example/x.js", "script"),
        ("fetch", "https://a.example/api", "xhr"),
        ("XHR", "https://a.example/api", "xhr"),
        ("eventsource", "https://a.example/s", "other"),
        ("document", "https://news.example/", "document"),
        ("document", "https://frames.example/ad.html", "sub_frame"),
        ("beacon", "https://a.example/b", "ping"),
    ],
)
def test_request_type_mapping(resource_type: str, url: str, expected: str) -> None:
    assert request_type(resource_type, url, "https://news.example/") == expected


@pytest.fixture
def abp_classifier(tmp_path: Path) -> tuple[TrackerClassifier, str]:
    pytest.importorskip("adblock")
    path = tmp_path / "easylist-like.txt"
    path.write_text(ABP_LIST, "utf-8")
    return TrackerClassifier.from_lists([path]), str(path)


def test_filter_list_matches_requests(abp_classifier: tuple[TrackerClassifier, str]) -> None:
    classifier, source = abp_classifier
    page = "https://news.example/article"
    match = classifier.classify_request("https://cdn.tracker-example.com/t.js", page, "script")
    assert match == TrackerMatch(
        domain="tracker-example.com",
        category="advertising",
        source=source,
        rule="||tracker-example.com^$third-party",
    )
    pixel = classifier.classify_request("https://stats.other-example.com/pixel.gif?id=1", page, "image")
    assert (pixel.rule, pixel.domain) == ("/pixel.gif?", "other-example.com")


def test_filter_list_respects_third_party_option_and_exceptions(
    abp_classifier: tuple[TrackerClassifier, str],
) -> None:
    classifier, _ = abp_classifier
    own_page = "https://www.tracker-example.com/"
    assert classifier.classify_request("https://cdn.tracker-example.com/t.js", own_page, "script") is None
    allowed = "https://cdn.tracker-example.com/allowed/widget.js"
    assert classifier.classify_request(allowed, "https://news.example/", "script") is None


def test_filter_list_frames_need_the_frame_type(abp_classifier: tuple[TrackerClassifier, str]) -> None:
    classifier, source = abp_classifier
    page = "https://news.example/"
    frame = classifier.classify_request("https://frames.example/ad.html", page, "document")
    assert frame is not None and frame.rule == "||frames.example^$subdocument"
    assert classifier.classify_request("https://frames.example/ad.js", page, "script") is None


def test_filter_match_takes_owner_and_category_from_the_domain_list(
    abp_classifier: tuple[TrackerClassifier, str],
) -> None:
    classifier, source = abp_classifier
    match = classifier.classify_request("https://ib.adnxs.com/ut/v3", "https://news.example/", "xhr")
    assert match == TrackerMatch(
        domain="adnxs.com",
        owner="Microsoft (Xandr)",
        category="advertising",
        source=source,
        rule="||adnxs.com^",
    )
    # Without a filter match the domain list still answers.
    ga = classifier.classify_request(
        "https://www.google-analytics.com/g/collect", "https://news.example/", "ping"
    )
    assert ga is not None and ga.source == "builtin" and ga.category == "analytics"


def test_unparseable_request_does_not_match(abp_classifier: tuple[TrackerClassifier, str]) -> None:
    classifier, _ = abp_classifier
    assert classifier.classify_request("not a url", "", "script") is None


def test_filter_list_without_adblock_package_names_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "easylist.txt"
    path.write_text(ABP_LIST, "utf-8")
    monkeypatch.setitem(sys.modules, "adblock", None)  # makes "import adblock" raise ImportError
    with pytest.raises(AbpUnavailableError, match="'adblock'"):
        TrackerClassifier.from_lists([path])
    # Plain lists still load without it.
    plain = tmp_path / "plain.txt"
    plain.write_text("tracker-example.com\n", "utf-8")
    assert TrackerClassifier.from_lists([plain]).classify("tracker-example.com") is not None


def test_filter_list_with_unknown_category_is_rejected(tmp_path: Path) -> None:
    pytest.importorskip("adblock")
    path = tmp_path / "bad.txt"
    path.write_text("! Category: adverts\n||ads.example^\n", "utf-8")
    with pytest.raises(ValueError, match="unknown category 'adverts'"):
        TrackerClassifier.from_lists([path])
