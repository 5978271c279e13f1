"""Domain lists: the built-in JSON list, plain user lists, and lookup by host suffix.

A plain list has one entry a line: ``example.com``; ``example.com,advertising,Example Inc.`` (CSV:
domain, category, owner; the owner may contain commas); or a hosts-file line ``0.0.0.0 example.com``.
``#`` starts a comment. A line ``# category: analytics`` gives the category of the bare-domain lines
that follow it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from auditor.domains import host_of, is_public_suffix
from auditor.trackers.model import BUILTIN, Category, TrackerEntry, TrackerMatch, parse_category

_CATEGORY_DIRECTIVE = re.compile(r"^#\s*category\s*:\s*(\S+)\s*$", re.IGNORECASE)
# Host names as browsers put them in URLs (punycode, so ASCII), or an IPv4 address.
_DOMAIN_SYNTAX = re.compile(r"^[a-z0-9_-]+(\.[a-z0-9_-]+)*$")
_HOSTS_FILE_ADDRESSES = frozenset({"0.0.0.0", "127.0.0.1", "::", "::1"})


class BuiltinList(BaseModel):
    """The shape of ``data/trackers.json``."""

    model_config = ConfigDict(extra="forbid")

    meta: dict[str, Any] = Field(alias="_meta")
    entries: list[TrackerEntry]

    @classmethod
    def load(cls) -> BuiltinList:
        """Read and validate the list that ships inside the package."""
        text = resources.files("auditor.trackers").joinpath("data", "trackers.json").read_text("utf-8")
        return cls.model_validate_json(text)


def normalise_domain(text: str) -> str:
    """An entry's domain in the form hosts are compared: lower-case, no scheme, port, ``*.`` or dots."""
    cleaned = text.strip()
    if cleaned.startswith("*."):
        cleaned = cleaned[2:]
    return host_of(cleaned)


class ListedDomain(BaseModel):
    """An entry together with where it came from."""

    model_config = ConfigDict(frozen=True)

    entry: TrackerEntry
    source: str


class DomainTable:
    """Entries keyed by domain; a host matches its longest listed suffix.

    Entries added later replace earlier ones for the same domain, unless the later one knows neither
    category nor owner (a bare line in a plain list must not erase what the built-in list knows).
    """

    def __init__(self) -> None:
        self._by_domain: dict[str, ListedDomain] = {}

    def __len__(self) -> int:
        return len(self._by_domain)

    def add(self, entry: TrackerEntry, source: str) -> None:
        """Add one entry from ``source`` (``"builtin"`` or a list path)."""
        known = self._by_domain.get(entry.domain)
        if known is not None and entry.category is None and not entry.owner:
            return
        self._by_domain[entry.domain] = ListedDomain(entry=entry, source=source)

    def add_all(self, entries: Iterable[TrackerEntry], source: str) -> None:
        """Add every entry of one list."""
        for entry in entries:
            self.add(entry, source)

    def lookup(self, host: str) -> ListedDomain | None:
        """The entry for ``host`` itself or its nearest listed parent domain, or None."""
        labels = host.split(".") if host else []
        for start in range(len(labels)):
            listed = self._by_domain.get(".".join(labels[start:]))
            if listed is not None:
                return listed
        return None

    def classify(self, url_or_host: str) -> TrackerMatch | None:
        """A match for the host of ``url_or_host``, or None when no listed domain covers it."""
        listed = self.lookup(host_of(url_or_host))
        if listed is None:
            return None
        entry = listed.entry
        return TrackerMatch(
            domain=entry.domain,
            owner=entry.owner,
            category=entry.category,
            source=listed.source,
            rule=entry.domain,
        )

    @classmethod
    def builtin(cls) -> DomainTable:
        """A table holding the list that ships with the package."""
        table = cls()
        table.add_all(BuiltinList.load().entries, BUILTIN)
        return table


def _entry(line: str, default_category: Category | None, where: str) -> TrackerEntry:
    fields = line.split(",", 2)
    tokens = fields[0].split()
    if len(tokens) == 2 and tokens[0] in _HOSTS_FILE_ADDRESSES:
        tokens = tokens[1:]
    if len(tokens) != 1:
        raise ValueError(f"{where}: expected a domain, got {line!r}")
    domain = normalise_domain(tokens[0])
    if not _DOMAIN_SYNTAX.match(domain) or is_public_suffix(domain):
        raise ValueError(f"{where}: {tokens[0]!r} is not a domain a party can own")
    category = (parse_category(fields[1], where) if len(fields) > 1 else None) or default_category
    owner = fields[2].strip() if len(fields) > 2 else ""
    try:
        return TrackerEntry(domain=domain, owner=owner, category=category)
    except ValidationError as exc:
        raise ValueError(f"{where}: {exc}") from exc


def parse_plain_list(text: str, name: str) -> Iterator[TrackerEntry]:
    """Entries of a plain domain list; ``name`` (the path) appears in error messages.

    Raises ValueError naming the line for an unknown category or a line that is not a domain.
    """
    default_category: Category | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        where = f"{name}:{number}"
        directive = _CATEGORY_DIRECTIVE.match(raw.strip())
        if directive:
            default_category = parse_category(directive.group(1), where)
            continue
        line = raw.split("#", 1)[0].strip()
        if line:
            yield _entry(line, default_category, where)


def load_plain_list(path: Path) -> list[TrackerEntry]:
    """Read a plain domain list from ``path`` (see the module docstring for the format)."""
    return list(parse_plain_list(path.read_text("utf-8"), str(path)))
