"""Command-line inputs: host mappings, site URLs and site lists give one-line errors, never tracebacks."""

from __future__ import annotations

import pytest

from auditor.browser import HostMapError, HostMapping, host_resolver_rules
from auditor.targets import TargetError, parse_target, read_site_list, unique_targets


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("www.example.com=127.0.0.1", "MAP www.example.com 127.0.0.1"),
        ("*.example.com=127.0.0.1:8080", "MAP *.example.com 127.0.0.1:8080"),
        ("*=127.0.0.1:9000", "MAP * 127.0.0.1:9000"),
        ("shop.example.com=[::1]:8443", "MAP shop.example.com [::1]:8443"),
        ("Example.COM=staging.internal", "MAP example.com staging.internal"),
    ],
)
def test_host_mappings_become_chromium_rules(text, rule):
    assert HostMapping.parse(text).chromium_rule() == rule


@pytest.mark.parametrize(
    "text",
    [
        "",
        "example.com",
        "=127.0.0.1",
        "example.com=",
        "exa mple.com=1.2.3.4",
        "a.com=1.2.3.4:99999",
        "a.com=1.2.3.4:http",
        "**.a.com=1.2.3.4",
        "a.com=*.b.com",
    ],
)
def test_malformed_host_mappings_are_refused_with_the_reason(text):
    with pytest.raises(HostMapError, match="--map-host"):
        HostMapping.parse(text)


def test_several_mappings_join_into_one_flag():
    rules = host_resolver_rules([HostMapping.parse("a.com=1.2.3.4"), HostMapping.parse("*=127.0.0.1:8")])
    assert rules == "MAP a.com 1.2.3.4, MAP * 127.0.0.1:8"


@pytest.mark.parametrize(
    ("raw", "url", "site_id"),
    [
        ("https://www.example.com", "https://www.example.com/", "www.example.com"),
        ("www.example.com", "https://www.example.com/", "www.example.com"),
        ("http://WWW.Example.com:8080/path?q=1", "http://www.example.com:8080/path?q=1", "www.example.com_8080"),
        ("https://www.example.com:443/", "https://www.example.com/", "www.example.com"),
    ],
)
def test_site_urls_are_normalised_with_a_safe_site_id(raw, url, site_id):
    target = parse_target(raw)
    assert (target.url, target.site_id) == (url, site_id)


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "file:///etc/passwd",
        "javascript:alert(1)",
        "data:text/html,hi",
        "ftp://example.com/",
        "http://",
        "http://exa mple.com/",
        "http://../../etc/",
        "https://example.com:99999/",
    ],
)
def test_unusable_site_urls_are_refused(raw):
    with pytest.raises(TargetError):
        parse_target(raw)


def test_duplicate_sites_are_audited_once():
    targets = unique_targets(["https://a.com", "a.com", "https://a.com/"])
    assert [t.site_id for t in targets] == ["a.com"]


def test_site_lists_plain_and_csv(tmp_path):
    plain = tmp_path / "sites.txt"
    plain.write_text("# portfolio\nhttps://a.com\n\nb.com\n")
    assert read_site_list(plain) == ["https://a.com", "b.com"]
    table = tmp_path / "sites.csv"
    table.write_text("name,url\nA,https://a.com\nB,https://b.com\n")
    assert read_site_list(table) == ["https://a.com", "https://b.com"]


@pytest.mark.parametrize("content", [b"", b"# only a comment\n", b"\xff\xfe\x00bad"])
def test_empty_or_binary_site_lists_are_refused(tmp_path, content):
    path = tmp_path / "sites.txt"
    path.write_bytes(content)
    with pytest.raises(TargetError):
        read_site_list(path)
