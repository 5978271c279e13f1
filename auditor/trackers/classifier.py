"""``TrackerClassifier``: the built-in list plus a user's domain and filter lists, behind one lookup."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from auditor.domains import registrable_domain
from auditor.trackers.abp import AbpList, looks_like_filter_list
from auditor.trackers.domain_lists import DomainTable, parse_plain_list
from auditor.trackers.model import TrackerMatch
from auditor.trackers.model import advertising_like as _advertising_like


class TrackerClassifier:
    """Says which known third party a host or request belongs to, and what kind it is.

    Domain entries (built-in and plain user lists) match a host and every host under it; the longest
    listed suffix wins, and a user's entry for the same domain replaces the built-in one. Filter lists
    (Adblock Plus / EasyList syntax) match whole requests: URL, page URL and resource type.
    """

    def __init__(self, domains: DomainTable, filter_lists: Iterable[AbpList] = ()) -> None:
        """Use ``domains`` for host lookups and ``filter_lists`` (in order) for request lookups."""
        self.domains = domains
        self.filter_lists = list(filter_lists)

    @classmethod
    def builtin(cls) -> TrackerClassifier:
        """The classifier with only the list that ships with the package."""
        return cls(DomainTable.builtin())

    @classmethod
    def from_lists(cls, paths: Iterable[Path | str]) -> TrackerClassifier:
        """The built-in list plus user lists, later lists taking precedence over earlier ones.

        Each file is read as an Adblock Plus filter list when it looks like one (``[Adblock`` header,
        ``!`` comments, filter syntax) and as a plain domain list otherwise. Raises ``AbpUnavailableError``
        for a filter list when the optional ``adblock`` package is missing, ValueError for a malformed
        plain list, OSError for an unreadable file.
        """
        domains = DomainTable.builtin()
        filter_lists: list[AbpList] = []
        for item in paths:
            path = Path(item)
            text = path.read_text("utf-8")
            if looks_like_filter_list(text):
                filter_lists.append(AbpList(text, str(path)))
            else:
                domains.add_all(parse_plain_list(text, str(path)), str(path))
        # Later user lists take precedence, also among filter lists.
        return cls(domains, reversed(filter_lists))

    def classify(self, url_or_host: str) -> TrackerMatch | None:
        """The domain-list entry covering the host of ``url_or_host``, or None.

        Filter lists are not consulted: they need the page URL and resource type (``classify_request``).
        """
        return self.domains.classify(url_or_host)

    def classify_request(self, url: str, page_url: str, resource_type: str) -> TrackerMatch | None:
        """Classify one request made while ``page_url`` was loaded; None when no list knows it.

        A filter-list match wins (its ``rule`` is the filter text, its ``source`` the list path) and takes
        owner and category from the domain entry covering the host, or the list's ``! Category:`` line.
        Without a filter-list match, the domain entry answers. First or third party is not judged here:
        combine with ``auditor.domains.is_third_party``.
        """
        by_domain = self.domains.classify(url)
        for filter_list in self.filter_lists:
            rule = filter_list.match(url, page_url, resource_type)
            if rule is None:
                continue
            if by_domain is not None:
                category = by_domain.category or filter_list.category
                return by_domain.model_copy(update={"source": filter_list.source, "rule": rule, "category": category})
            return TrackerMatch(
                domain=registrable_domain(url),
                category=filter_list.category,
                source=filter_list.source,
                rule=rule,
            )
        return by_domain

    @staticmethod
    def advertising_like(category: str | None) -> bool:
        """True for ``advertising``, ``marketing``, ``social`` and ``data_broker`` (see ``model``)."""
        return _advertising_like(category)
