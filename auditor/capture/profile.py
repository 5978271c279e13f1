"""One visit profile: a cold context, the homepage, then every gatherer of the profile on the open page.

The registry of gatherers: which ones a :class:`~auditor.evidence.profiles.VisitProfile` runs, in which order.
What a gatherer receives is :class:`~auditor.capture.visit.Visit`.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path
from typing import Any

from playwright.async_api import BrowserContext, Page
from playwright.async_api import Error as PlaywrightError

from auditor.capture.accessibility import gather_accessibility
from auditor.capture.choice_links import gather_choice_links
from auditor.capture.consent.classify import DEFAULT_DNS_LINK_VOCABULARY
from auditor.capture.consent.flow import run_optout_flow
from auditor.capture.consent.gather import gather_consent, prepare_consent
from auditor.capture.consent.status import gather_status_survey
from auditor.capture.failures import capture_failure, step_of
from auditor.capture.page import Navigate, PageLimits, capture_page, homepage_unusable
from auditor.capture.policy import DEFAULT_POLICY_LINK_VOCABULARY, gather_policy
from auditor.capture.signals import gather_signals
from auditor.capture.timing import StepClock
from auditor.capture.visit import Gatherer, Preparer, Visit
from auditor.evidence import CaptureFailure, ProfileCapture
from auditor.evidence.failures import step_titled
from auditor.evidence.profiles import BASELINE, VisitProfile
from auditor.textmatch import LinkVocabulary

# What every profile installs on its context before the homepage loads.
PREPARERS: tuple[Preparer, ...] = (prepare_consent,)
# The gatherers every profile runs, in order. choice_links reads the untouched homepage, so it goes first;
# consent only looks (and waits for late CMPs); signals reads after consent's wait for late CMPs, before anything
# opens other pages.
COMMON_GATHERERS: tuple[Gatherer, ...] = (gather_choice_links, gather_consent, gather_signals)
# The notices are read once, in the cold visit without GPC (the other visits show the same ones): policy opens new
# pages; accessibility opens the opt-out by keyboard, so it goes last.
BASELINE_GATHERERS: tuple[Gatherer, ...] = (gather_policy, gather_accessibility)


def profile_gatherers(profile: VisitProfile) -> list[Gatherer]:
    """A profile's gatherers: every profile's; the baseline's own; then (last: they click) the look for a GPC status
    display where GPC is on, and the opt-out flow where the profile drives it. ``CAPTURE_STEPS.runs_in`` (evidence)
    says the same for the rules, and a unit test holds the two together."""
    return [
        *COMMON_GATHERERS,
        *(BASELINE_GATHERERS if profile == BASELINE else ()),
        *([gather_status_survey] if profile.gpc else []),
        *([run_optout_flow] if profile.opt_out_flow else []),
    ]


async def capture_profile_in(
    context: BrowserContext,
    url: str,
    *,
    profile: VisitProfile,
    site_dir: Path,
    limits: PageLimits,
    dns_link: LinkVocabulary = DEFAULT_DNS_LINK_VOCABULARY,
    policy_link: LinkVocabulary = DEFAULT_POLICY_LINK_VOCABULARY,  # the policy link's words (the rule pack's)
    gatherers: list[Gatherer] | None = None,
    page: Page | None = None,
    navigate: Navigate | None = None,
    clock: StepClock | None = None,
    progress: list[ProfileCapture] | None = None,
) -> ProfileCapture:
    """One visit in a context the caller created, prepared and will close (the crawl's seam).

    ``page``/``navigate`` let a crawler that navigates the page itself (scrapy-playwright) hand it over;
    see :func:`auditor.capture.page.capture_page`. ``dns_link`` is the vocabulary of the opt-out link the
    opt-out flow follows (the rule pack's). ``gatherers`` replaces the profile's own (tests). ``clock`` times
    the visit's steps (the caller's, when it times more of the visit, such as the crawl's extra pages). The
    capture is appended to ``progress`` once the homepage is read, and filled in place from then on: a caller that
    stops the visit (its site ran out of time) keeps what was captured so far (see :func:`cut_short`).
    """
    clock = clock or StepClock()
    name = profile.name
    started = dt.datetime.now(dt.UTC)
    state: dict[str, Any] = {}
    unprepared: list[CaptureFailure] = []
    for prepare in PREPARERS:
        clock.begin(f"preparing: {step_of(prepare)}")
        try:  # bounded: a context whose browser died can leave a call unanswered for ever
            await asyncio.wait_for(prepare(context, name, state), limits.step_timeout)
        except (TimeoutError, PlaywrightError) as error:
            unprepared.append(capture_failure(prepare, error, timeout=limits.step_timeout))
    homepage, page = await capture_page(
        context,
        url,
        site_dir=site_dir,
        artifact_prefix=f"evidence/{name}",
        limits=limits,
        page=page,
        navigate=navigate,
        clock=clock,
    )
    capture = ProfileCapture(
        profile=name,
        gpc=profile.gpc,
        started_at=started,
        finished_at=started,
        homepage=homepage,
    )
    capture.failures += unprepared
    if progress is not None:
        progress.append(capture)
    if page is not None and homepage_unusable(homepage) is None:  # an error page or a bot wall: nothing to gather
        visit = Visit(profile, url, context, page, capture, site_dir, limits, dns_link, state, policy_link=policy_link)
        steps = profile_gatherers(profile) if gatherers is None else gatherers
        for index, gather in enumerate(steps):
            clock.begin(f"gatherer: {step_of(gather)}")
            try:
                await gather(visit)
            except Exception as error:  # one gatherer's failure (a bug, the page crashing) must not lose the visit
                capture.failures.append(capture_failure(gather, error))
            if page.is_closed() and index + 1 < len(steps):
                # The steps after it have no page to read (whether the gatherer failed or the page closed under it
                # without an error): say so, rather than let them read nothing and call it absence.
                why = f"not run: the page was closed during {step_titled(step_of(gather))}"
                for later in steps[index + 1 :]:
                    capture.failures.append(CaptureFailure(step=step_of(later), kind="page_closed", message=why))
                break
    clock.end()
    capture.timings = list(clock.steps)
    capture.finished_at = dt.datetime.now(dt.UTC)
    return capture


def cut_short(capture: ProfileCapture, profile: VisitProfile, clock: StepClock, why: str) -> ProfileCapture:
    """A visit stopped part-way (``why``): each gatherer that had not finished is recorded as a timeout failure, so
    the rules that need it say so, while those that need only the homepage are still judged."""
    finished = {timing.step for timing in clock.steps}
    for gather in profile_gatherers(profile):
        step = step_of(gather)
        if f"gatherer: {step}" not in finished and capture.failure_of(step) is None:
            capture.failures.append(CaptureFailure(step=step, kind="timeout", message=f"not finished: {why}"))
    clock.end()
    capture.timings = list(clock.steps)
    capture.finished_at = dt.datetime.now(dt.UTC)
    return capture
