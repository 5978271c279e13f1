"""Hosts, registrable domains and first/third-party judgement, computed offline.

The registrable domain ("eTLD+1") comes from the Public Suffix List snapshot bundled inside tldextract:
the extractors below are built with ``suffix_list_urls=()`` (never fetch the list over HTTP) and
``cache_dir=None`` (never read or write a disk cache), so an audit gives the same answer on any machine,
with or without network, and two runs of the same tldextract version always agree.

Private suffixes count. The PSL's private section lists suffixes under which different owners get
names (``github.io``, ``myshopify.com``, ``cloudfront.net`` ...); browsers draw the *site* boundary for
cookies and storage with the whole list, so ``alice.github.io`` can neither read nor set cookies of
``bob.github.io``. They are different parties, and we judge third party the way the browser does:
``registrable_domain("foo.github.io") == "foo.github.io"``. Pass ``include_private=False`` for the
ICANN-only answer (``github.io``).
"""

from __future__ import annotations

import contextlib
import ipaddress
from functools import lru_cache
from urllib.parse import urlsplit

import tldextract

# suffix_list_urls=(): no HTTP fetch (an explicit empty tuple also overrides the
# TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS environment variable). cache_dir=None: no disk cache.
# fallback_to_snapshot=True: with nothing fetched and nothing cached, use the bundled snapshot.
_EXTRACT_WITH_PRIVATE = tldextract.TLDExtract(
    suffix_list_urls=(), cache_dir=None, fallback_to_snapshot=True, include_psl_private_domains=True
)
_EXTRACT_ICANN_ONLY = tldextract.TLDExtract(
    suffix_list_urls=(), cache_dir=None, fallback_to_snapshot=True, include_psl_private_domains=False
)

# URL schemes whose URLs name no network host; "blob:" wraps the URL of the document that made it.
_HOSTLESS_SCHEMES = frozenset({"about", "data", "javascript", "mailto", "tel", "file", "chrome", "edge"})


@lru_cache(maxsize=65536)
def host_of(url: str) -> str:
    """Return the host of a URL or bare host, lower-cased, without port, brackets or trailing dot.

    Accepts ``https://www.example.com:8443/x``, ``//cdn.example.com/a.js``, ``www.example.com``,
    ``www.example.com.:443``, a cookie domain such as ``.example.com``, ``[::1]:8080`` (gives ``::1``)
    and ``blob:https://example.com/uuid``. Internationalised names come back as punycode. Returns ``""``
    for URLs without a network host (``about:blank``, ``data:...``) and for empty input.
    """
    text = (url or "").strip()
    if not text:
        return ""
    bare_ip = _ip_text(text.strip("[]"))  # "::1" has colons that urlsplit would read as a port
    if bare_ip is not None:
        return bare_ip
    scheme, sep, rest = text.partition(":")
    if sep and scheme.lower() == "blob":
        return host_of(rest)
    if sep and scheme.lower() in _HOSTLESS_SCHEMES:
        return ""
    if "://" not in text and not text.startswith("//"):
        text = "//" + text  # a bare host (maybe with port or path): make urlsplit see it as the netloc
    try:
        host = urlsplit(text).hostname or ""
    except ValueError:  # e.g. an unbalanced "[" in the netloc
        return ""
    host = host.strip(".")
    if not host.isascii():
        # Names Python's IDNA 2003 codec cannot encode stay as they are.
        with contextlib.suppress(UnicodeError):
            host = host.encode("idna").decode("ascii")
    return host


def _ip_text(host: str) -> str | None:
    """The canonical text of ``host`` when it is an IPv4 or IPv6 address, else None."""
    try:
        return ipaddress.ip_address(host).compressed
    except ValueError:
        return None


@lru_cache(maxsize=65536)
def registrable_domain(host_or_url: str, *, include_private: bool = True) -> str:
    """Return the registrable domain (public suffix + one label) of a host or URL.

    ``www.bbc.co.uk`` gives ``bbc.co.uk``; ``a.b.example.com`` gives ``example.com``;
    ``foo.github.io`` gives ``foo.github.io`` (private suffixes count, see the module docstring; with
    ``include_private=False`` it gives ``github.io``). An IP address gives the IP itself; a host with no
    known public suffix (``localhost``, ``printer.corp.internal``) or a bare public suffix gives the host
    itself, so two such hosts are the same party only when they are the same host. ``""`` when the input
    has no host (``about:blank``).
    """
    host = host_of(host_or_url)
    if not host:
        return ""
    ip = _ip_text(host)
    if ip is not None:
        return ip
    extract = _EXTRACT_WITH_PRIVATE if include_private else _EXTRACT_ICANN_ONLY
    parts = extract(host)
    if parts.domain and parts.suffix:
        return f"{parts.domain}.{parts.suffix}"
    return host


@lru_cache(maxsize=4096)
def is_public_suffix(host: str) -> bool:
    """True when ``host`` is itself an ICANN public suffix (``com``, ``co.uk``), so nobody owns all of it."""
    name = host_of(host)
    if not name or _ip_text(name) is not None:
        return False
    parts = _EXTRACT_ICANN_ONLY(name)
    return bool(parts.suffix) and not parts.domain


def is_third_party(url_or_host: str, site_url_or_host: str) -> bool:
    """True when ``url_or_host`` belongs to a different registrable domain than the site.

    ``https://securepubads.g.doubleclick.net/x`` is third party on ``https://www.example.com``;
    ``https://static.example.com/app.js`` is not. False when either side has no host (``data:`` and
    ``about:blank`` requests contact no other party; without a site host there is nothing to compare).
    """
    request_domain = registrable_domain(url_or_host)
    site_domain = registrable_domain(site_url_or_host)
    if not request_domain or not site_domain:
        return False
    return request_domain != site_domain
