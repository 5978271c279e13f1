"""One visit profile: a cold context, the homepage, then every gatherer on the open page.

A gatherer is ``async def gather(visit: Visit) -> None``: it reads the live page and fills its part of
``visit.capture`` (consent, signals, extra pages). Gatherers never judge; checks do that later.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.async_api import Browser, BrowserContext, Page, Response
from playwright.async_api import Error as PlaywrightError

from auditor.browser import new_visit_context
from auditor.capture.failures import capture_failure, step_of
from auditor.capture.page import PageLimits, capture_page, homepage_unusable
from auditor.evidence import CaptureFailure, ProfileCapture
from auditor.evidence.failures import step_titled


@dataclass
class Visit:
    """The live state a gatherer works on."""

    name: str
    gpc: bool
    url: str
    context: BrowserContext
    page: Page
    capture: ProfileCapture
    site_dir: Path
    limits: PageLimits
    state: dict[str, Any] = field(default_factory=dict)  # what preparers left for gatherers (e.g. autoconsent)

    @property
    def artifact_prefix(self) -> str:
        """Where this profile's artifacts go, relative to the site folder."""
        return f"evidence/{self.name}"


Gatherer = Callable[[Visit], Awaitable[None]]
# A preparer sets up the fresh context before the first navigation (bindings, init scripts): (context, profile, state).
Preparer = Callable[[BrowserContext, str, dict[str, Any]], Awaitable[None]]


def default_preparers() -> list[Preparer]:
    """What every profile installs on its context before the homepage loads."""
    from auditor.capture.consent import prepare_consent

    return [prepare_consent]


def default_gatherers() -> list[Gatherer]:
    """The gatherers every profile runs, in order."""
    # Imported here: gatherer modules import Visit from this module.
    from auditor.capture.choice_links import gather_choice_links
    from auditor.capture.consent import gather_consent
    from auditor.capture.policy import gather_policy
    from auditor.capture.signals import gather_signals

    # choice_links reads the untouched homepage, so it goes first; consent only looks (and waits for late
    # CMPs); policy opens new pages, so it goes last.
    # signals reads after consent's wait for late CMPs, before anything opens other pages.
    return [gather_choice_links, gather_consent, gather_signals, gather_policy]


def profile_gatherers(name: str) -> list[Gatherer]:
    """A profile's gatherers: every profile's, then the profile's own flow (last: it clicks and reloads)."""
    from auditor.capture.consent import run_optout_flow

    own: dict[str, list[Gatherer]] = {"optout": [run_optout_flow]}
    return default_gatherers() + own.get(name, [])


async def capture_profile(
    browser: Browser,
    url: str,
    *,
    name: str,
    gpc: bool,
    site_dir: Path,
    limits: PageLimits,
    ignore_https_errors: bool = False,
    gatherers: list[Gatherer] | None = None,
) -> ProfileCapture:
    """Run one cold visit of ``url`` in profile ``name`` and return its capture."""
    context = await new_visit_context(browser, gpc=gpc, ignore_https_errors=ignore_https_errors)
    try:
        return await capture_profile_in(
            context, url, name=name, gpc=gpc, site_dir=site_dir, limits=limits, gatherers=gatherers
        )
    finally:
        await context.close()


async def capture_profile_in(
    context: BrowserContext,
    url: str,
    *,
    name: str,
    gpc: bool,
    site_dir: Path,
    limits: PageLimits,
    gatherers: list[Gatherer] | None = None,
    page: Page | None = None,
    navigate: Callable[[Page], Awaitable[Response | None]] | None = None,
) -> ProfileCapture:
    """One visit in a context the caller created, prepared and will close (the crawl's seam).

    ``page``/``navigate`` let a crawler that navigates the page itself (scrapy-playwright) hand it over;
    see :func:`auditor.capture.page.capture_page`.
    """
    started = dt.datetime.now(dt.UTC)
    state: dict[str, Any] = {}
    unprepared: list[CaptureFailure] = []
    for prepare in default_preparers():
        try:  # bounded: a context whose browser died can leave a call unanswered for ever
            await asyncio.wait_for(prepare(context, name, state), limits.step_timeout)
        except (TimeoutError, PlaywrightError) as error:
            unprepared.append(capture_failure(prepare, error, timeout=limits.step_timeout))
    homepage, page = await capture_page(
        context, url, site_dir=site_dir, artifact_prefix=f"evidence/{name}", limits=limits, page=page, navigate=navigate
    )
    capture = ProfileCapture(
        profile=name,
        gpc=gpc,
        started_at=started,
        finished_at=started,
        homepage=homepage,  # type: ignore[arg-type]
    )
    capture.failures += unprepared
    if page is not None and homepage_unusable(homepage) is None:  # an error page or a bot wall: nothing to gather
        visit = Visit(name, gpc, url, context, page, capture, site_dir, limits, state)
        steps = profile_gatherers(name) if gatherers is None else gatherers
        for index, gather in enumerate(steps):
            try:
                await gather(visit)
            except Exception as error:  # one gatherer's failure (a bug, the page crashing) must not lose the visit
                failure = capture_failure(gather, error)
                capture.failures.append(failure)
                if page.is_closed():  # the steps after it have no page to read: say so, rather than stay silent
                    why = f"not run: the page was closed during {step_titled(failure.step)}"
                    for later in steps[index + 1 :]:
                        capture.failures.append(CaptureFailure(step=step_of(later), kind="page_closed", message=why))
                    break
    capture.finished_at = dt.datetime.now(dt.UTC)
    return capture
