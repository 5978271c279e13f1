"""What a gatherer works on: the live visit, and the shapes of gatherers and preparers.

A gatherer is ``async def gather(visit: Visit) -> None``: it reads the live page and fills its part of
``visit.capture`` (consent, signals, extra pages). Gatherers never judge; checks do that later. This module
imports no gatherer, so every gatherer can import it, and the registry (:mod:`auditor.capture.profile`) can
import every gatherer.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.async_api import BrowserContext, Page

from auditor.capture.page import PageLimits
from auditor.evidence import ProfileCapture
from auditor.evidence.profiles import VisitProfile
from auditor.textmatch import LinkVocabulary


@dataclass
class Visit:
    """The live state a gatherer works on."""

    profile: VisitProfile
    url: str
    context: BrowserContext
    page: Page
    capture: ProfileCapture
    site_dir: Path
    limits: PageLimits
    # The words of the "Do Not Sell or Share" link the opt-out flow follows: the rule pack's, handed in as data.
    dns_link: LinkVocabulary
    state: dict[str, Any] = field(default_factory=dict)  # what preparers left for gatherers (e.g. autoconsent)
    # The words of a link to the privacy policy, which the policy search follows first: the rule pack's, as data.
    policy_link: LinkVocabulary = field(kw_only=True)

    @property
    def artifact_prefix(self) -> str:
        """Where this profile's artifacts go, relative to the site folder."""
        return f"evidence/{self.profile.name}"


Gatherer = Callable[[Visit], Awaitable[None]]
# A preparer sets up the fresh context before the first navigation (bindings, init scripts): (context, profile
# name, state); what it leaves in ``state`` reaches the gatherers as ``Visit.state``.
Preparer = Callable[[BrowserContext, str, dict[str, Any]], Awaitable[None]]
