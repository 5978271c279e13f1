"""Registrable domains and third-party judgement: offline, from the bundled Public Suffix List."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from auditor import domains
from auditor.domains import host_of, is_public_suffix, is_third_party, registrable_domain


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to open a connection or resolve a name fails the test."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


@pytest.mark.parametrize(
    ("host_or_url", "expected"),
    [
        ("www.bbc.co.uk", "bbc.co.uk"),
        ("https://www.bbc.co.uk/news", "bbc.co.uk"),
        ("a.b.example.com", "example.com"),
        ("HTTPS://A.B.Example.COM/Path", "example.com"),
        ("securepubads.g.doubleclick.net", "doubleclick.net"),
        ("foo.github.io", "foo.github.io"),
        ("https://acme.myshopify.com/cart", "acme.myshopify.com"),
        ("192.168.1.10", "192.168.1.10"),
        ("http://127.0.0.1:8000/index.html", "127.0.0.1"),
        ("http://[2001:DB8::1]:8080/x", "2001:db8::1"),
        ("::1", "::1"),
        ("localhost", "localhost"),
        ("http://localhost:5000/privacy", "localhost"),
        ("www.example.com:8443", "example.com"),
        ("www.example.com.", "example.com"),
        ("https://www.bbc.co.uk.:443/news", "bbc.co.uk"),
        (".doubleclick.net", "doubleclick.net"),
        ("//cdn.example.org/lib.js", "example.org"),
        ("printer.corp.internal", "printer.corp.internal"),
        ("co.uk", "co.uk"),
        ("bücher.de", "xn--bcher-kva.de"),
        ("about:blank", ""),
        ("data:text/html,<p>hi</p>", ""),
        ("", ""),
    ],
)
def test_registrable_domain(host_or_url: str, expected: str) -> None:
    assert registrable_domain(host_or_url) == expected


def test_private_suffixes_count_by_default_and_can_be_left_out() -> None:
    assert registrable_domain("foo.github.io") == "foo.github.io"
    assert registrable_domain("foo.github.io", include_private=False) == "github.io"
    assert registrable_domain("www.bbc.co.uk", include_private=False) == "bbc.co.uk"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.example.com:8443/a?b#c", "www.example.com"),
        ("https://user:secret@host.example.org:99/", "host.example.org"),
        ("www.example.com.:443", "www.example.com"),
        ("//cdn.example.com/a.js", "cdn.example.com"),
        ("http://[::1]:8080/", "::1"),
        ("blob:https://Example.com/5f3c", "example.com"),
        ("javascript:void(0)", ""),
        ("mailto:privacy@example.com", ""),
        ("http://[unbalanced", ""),
    ],
)
def test_host_of(url: str, expected: str) -> None:
    assert host_of(url) == expected


@pytest.mark.parametrize(
    ("request_url", "site", "expected"),
    [
        ("https://securepubads.g.doubleclick.net/tag/js/gpt.js", "https://www.example.com/", True),
        ("https://static.example.com/app.js", "https://www.example.com/", False),
        ("https://www.example.com/", "example.com", False),
        ("https://bar.github.io/x.js", "https://foo.github.io/", True),
        ("http://localhost:9000/x", "http://localhost:8000/", False),
        ("http://127.0.0.1:8000/x", "http://localhost:8000/", True),
        ("data:image/png;base64,AAAA", "https://www.example.com/", False),
        ("https://www.example.com/", "about:blank", False),
    ],
)
def test_is_third_party(request_url: str, site: str, expected: bool) -> None:
    assert is_third_party(request_url, site) is expected


def test_is_public_suffix() -> None:
    assert is_public_suffix("com")
    assert is_public_suffix("co.uk")
    assert not is_public_suffix("github.io")  # a private suffix: a party (GitHub) owns it
    assert not is_public_suffix("example.com")
    assert not is_public_suffix("127.0.0.1")
    assert not is_public_suffix("")


def test_extractors_never_fetch_and_never_cache() -> None:
    for extract in (domains._EXTRACT_WITH_PRIVATE, domains._EXTRACT_ICANN_ONLY):
        assert extract.suffix_list_urls == ()
        assert extract.fallback_to_snapshot is True
        assert extract._cache.enabled is False


def test_lookups_are_cached() -> None:
    registrable_domain.cache_clear()
    registrable_domain("www.bbc.co.uk")
    registrable_domain("www.bbc.co.uk")
    assert registrable_domain.cache_info().hits >= 1


_FRESH_PROCESS = """
import json, socket, sys

def refuse(*args, **kwargs):
    raise OSError("network access attempted")

socket.socket.connect = refuse
socket.socket.connect_ex = refuse
socket.getaddrinfo = refuse
from auditor.domains import registrable_domain
hosts = sys.argv[1:]
print(json.dumps([registrable_domain(h) for h in hosts]))
"""


def test_fresh_process_answers_offline_and_writes_no_cache(tmp_path: Path) -> None:
    """The suffix list loads lazily on first use: check that first use in a new process, with the
    network refused, the tldextract cache pointed at an empty folder and the PSL-URL variable set."""
    cache = tmp_path / "tldextract-cache"
    cache.mkdir()
    env = dict(os.environ)
    env["TLDEXTRACT_CACHE"] = str(cache)
    env["XDG_CACHE_HOME"] = str(tmp_path / "xdg")
    env["TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS"] = "https://publicsuffix.invalid/list.dat"
    hosts = [
        "www.bbc.co.uk",
        "a.b.example.com",
        "foo.github.io",
        "10.0.0.1",
        "localhost",
        "www.example.com.:8080",
    ]
    result = subprocess.run(
        [sys.executable, "-c", _FRESH_PROCESS, *hosts],
        capture_output=True,
        text=True,
        env=env,
        cwd=Path(__file__).resolve().parents[2],
        check=True,
        timeout=60,
    )
    assert json.loads(result.stdout) == [
        "bbc.co.uk",
        "example.com",
        "foo.github.io",
        "10.0.0.1",
        "localhost",
        "example.com",
    ]
    assert "network access attempted" not in result.stderr
    assert list(cache.iterdir()) == []
    assert not (tmp_path / "xdg").exists()
