"""Which third parties a site talks to, and what kind they are.

``classify(url_or_host)`` looks a host up in the list that ships with the package
(``data/trackers.json``: advertising, marketing, social, analytics, data-broker, tag-manager and consent
third parties by domain). ``TrackerClassifier.from_lists(paths)`` adds a user's plain domain lists and
Adblock Plus / EasyList filter lists; the latter need the optional ``adblock`` package.
Everything here is offline: no list is ever fetched.
"""

from __future__ import annotations

from functools import lru_cache

from auditor.trackers.abp import AbpUnavailableError
from auditor.trackers.classifier import TrackerClassifier
from auditor.trackers.model import (
    ADVERTISING_LIKE,
    CATEGORIES,
    Category,
    TrackerEntry,
    TrackerMatch,
    advertising_like,
)

__all__ = [
    "ADVERTISING_LIKE",
    "CATEGORIES",
    "AbpUnavailableError",
    "Category",
    "TrackerClassifier",
    "TrackerEntry",
    "TrackerMatch",
    "advertising_like",
    "classify",
    "default_classifier",
]


@lru_cache(maxsize=1)
def default_classifier() -> TrackerClassifier:
    """The classifier over the built-in list alone, built once per process."""
    return TrackerClassifier.builtin()


def classify(url_or_host: str) -> TrackerMatch | None:
    """The built-in entry covering the host of ``url_or_host`` (a URL or a bare host), or None.

    ``classify("https://securepubads.g.doubleclick.net/tag/js/gpt.js")`` gives domain
    ``doubleclick.net``, owner ``Google``, category ``advertising``, source ``builtin``.
    """
    return default_classifier().classify(url_or_host)
