"""The vocabulary of tracker classification: categories, list entries, and the match a lookup returns."""

from __future__ import annotations

from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field

Category = Literal["advertising", "marketing", "social", "analytics", "data_broker", "tag_manager", "consent", "cdn"]
CATEGORIES: frozenset[str] = frozenset(get_args(Category))

# Third parties whose presence suggests the site sells or shares personal information (CCPA
# §1798.140(ad), (ah)): cross-context behavioural advertising, marketing, social pixels, data brokers.
# Analytics, tag managers, consent platforms and CDNs serve the site itself and do not count.
ADVERTISING_LIKE: frozenset[str] = frozenset({"advertising", "marketing", "social", "data_broker"})

BUILTIN = "builtin"


def advertising_like(category: str | None) -> bool:
    """True for the categories that suggest sale or sharing under the CCPA.

    ``advertising``, ``marketing``, ``social`` and ``data_broker``; False for ``analytics``,
    ``tag_manager``, ``consent``, ``cdn`` and for an unknown category (``None``).
    """
    return category in ADVERTISING_LIKE


def parse_category(value: str, where: str) -> Category | None:
    """A category named in a user's list: None when empty; ValueError naming ``where`` when unknown."""
    value = value.strip().lower()
    if not value:
        return None
    if value not in CATEGORIES:
        raise ValueError(f"{where}: unknown category {value!r}; use one of {', '.join(sorted(CATEGORIES))}")
    return value  # type: ignore[return-value]  # checked against CATEGORIES just above


class TrackerEntry(BaseModel):
    """One line of a domain list: a domain, who operates it and what kind of third party it is.

    The domain matches itself and every host under it. ``category`` and ``owner`` may be unknown in a
    user's plain domain list (``None`` and ``""``).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    domain: str = Field(min_length=1)
    owner: str = ""
    category: Category | None = None


class TrackerMatch(BaseModel):
    """Why a request or host was classified as a known third party.

    ``domain`` is the list entry that matched (or, for a filter-list match with no domain entry, the
    registrable domain of the request). ``source`` is ``"builtin"`` or the path of the user list that
    matched; ``rule`` the matched text: the domain entry, or the Adblock Plus filter.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    domain: str
    owner: str = ""
    category: Category | None = None
    source: str
    rule: str
