"""Adblock Plus / EasyList filter lists, matched by Brave's adblock-rust through the ``adblock`` package.

``adblock`` is an optional dependency (``pip install 'privacy-notice-auditor[abp]'``): the built-in domain list and
plain domain lists work without it; loading a filter list without it raises ``AbpUnavailableError``.

Only network filters take part; cosmetic filters (``##``) are parsed and ignored. Each list gets an
engine of its own so a match can name the list it came from; a list's ``@@`` exceptions therefore
apply to that list only. A comment line ``! Category: advertising`` gives the category of the list's
matches where no domain entry knows a better one.
"""

from __future__ import annotations

import re
from pathlib import Path
from types import ModuleType
from typing import Any

from auditor.trackers.model import Category, parse_category

ABP_PACKAGE = "adblock"
ABP_REQUIREMENT = "adblock==0.6.0"

_CATEGORY_DIRECTIVE = re.compile(r"^!\s*category\s*:\s*(\S+)\s*$", re.IGNORECASE | re.MULTILINE)
# Marks that occur in filter syntax and never in a plain domain list (which has no "/", "|", "^", "$").
_FILTER_MARKS = ("||", "|", "^", "$", "/", "*", "##", "#@#", "#?#", "@@")

# Playwright / Chrome DevTools resource types -> the request types adblock-rust understands.
_RESOURCE_TYPES = {
    "document": "document",
    "main_frame": "document",
    "sub_frame": "sub_frame",
    "subdocument": "sub_frame",
    "iframe": "sub_frame",
    "stylesheet": "stylesheet",
    "script": "script",
    "image": "image",
    "imageset": "image",
    "font": "font",
    "media": "media",
    "object": "object",
    "xhr": "xhr",
    "xmlhttprequest": "xhr",
    "fetch": "xhr",
    "websocket": "websocket",
    "ping": "ping",
    "beacon": "ping",
    "cspviolationreport": "csp_report",
    "csp_report": "csp_report",
}


class AbpUnavailableError(ImportError):
    """An Adblock Plus list was given but the optional ``adblock`` package is not installed."""


def looks_like_filter_list(text: str) -> bool:
    """True when ``text`` is in Adblock Plus syntax rather than a plain domain list.

    An ``[Adblock Plus ...]`` header, ``!`` comments, or filter syntax (``||``, ``^``, ``$``, ``/``, ``##``,
    ``@@`` ...) in the first field of any line.
    """
    for raw in text.splitlines():
        line = raw.strip()
        if not line or (line.startswith("#") and not line.startswith(("##", "#@#", "#?#"))):
            continue
        if line.startswith(("[Adblock", "!")):
            return True
        # A plain CSV line's owner may contain anything; "*.example.com" is a plain wildcard entry.
        first_field = line.split(",", 1)[0].removeprefix("*.")
        if any(mark in first_field for mark in _FILTER_MARKS):
            return True
    return False


def _adblock() -> ModuleType:
    try:
        import adblock
    except ImportError as exc:
        raise AbpUnavailableError(
            f"Adblock Plus / EasyList filter lists need the optional package {ABP_PACKAGE!r} "
            f"(Brave's adblock-rust): pip install '{ABP_REQUIREMENT}' (or 'privacy-notice-auditor[abp]')"
        ) from exc
    return adblock


def request_type(resource_type: str, url: str, page_url: str) -> str:
    """The adblock-rust request type for a browser's resource type.

    A ``document`` request for another URL than the page is a frame: browsers report iframe loads as
    documents too, and filter lists block frames with ``subdocument`` rules. Unknown types are ``other``.
    """
    kind = _RESOURCE_TYPES.get(resource_type.strip().lower(), "other")
    if kind == "document" and page_url and url != page_url:
        return "sub_frame"
    return kind


class AbpList:
    """One filter list compiled for network-request matching."""

    def __init__(self, text: str, source: str) -> None:
        """Compile ``text``; ``source`` names the list in matches. Needs the ``adblock`` package."""
        adblock = _adblock()
        # debug=True keeps each filter's text for the report; optimize=False keeps filters unmerged
        # (optimised engines fuse similar filters into one and report them joined with " <+> ").
        filter_set = adblock.FilterSet(debug=True)
        filter_set.add_filter_list(text)
        self._engine: Any = adblock.Engine(filter_set, optimize=False)
        self.source = source
        directive = _CATEGORY_DIRECTIVE.search(text)
        self.category: Category | None = parse_category(directive.group(1), source) if directive else None

    @classmethod
    def load(cls, path: Path) -> AbpList:
        """Read and compile the filter list at ``path``."""
        return cls(path.read_text("utf-8"), str(path))

    def match(self, url: str, page_url: str, resource_type: str) -> str | None:
        """The text of the filter that blocks ``url`` loaded by ``page_url``, or None.

        None also when an ``@@`` exception in this list allows the request, and for URLs the engine
        cannot parse.
        """
        kind = request_type(resource_type, url, page_url)
        result = self._engine.check_network_urls(url, page_url or url, kind)
        if not result.matched or result.exception:
            return None
        return str(result.filter or "")
