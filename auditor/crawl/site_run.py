"""One site in the crawl: its progress while its visits run, and the item it becomes when they are done."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from pathlib import Path

from auditor import __version__
from auditor.capture.page import homepage_unusable
from auditor.capture.timing import StepClock
from auditor.crawl.pages import PagePlan
from auditor.evidence import BrowserInfo, ProfileCapture, SiteEvidence, SiteInfo, ToolInfo, Vantage
from auditor.evidence.profiles import BASELINE, PROFILE_NAMES, VisitProfile
from auditor.options import AuditOptions
from auditor.targets import Target


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass
class AuditedSite:
    """The item a finished site becomes: its evidence, ready for the pipeline."""

    target: Target
    site_dir: Path
    evidence: SiteEvidence
    seconds: float


@dataclass
class SkippedSite:
    """A site ``--resume`` found complete on disk."""

    target: Target
    site_dir: Path


@dataclass
class SiteRun:
    """One site in progress."""

    target: Target
    site_dir: Path
    budget: float
    started: dt.datetime = field(default_factory=now_utc)
    t0: float = field(default_factory=time.monotonic)
    profiles_todo: list[VisitProfile] = field(default_factory=list)
    visits_open: int = 0  # visits whose request is out or whose context is still open, each holding a slot
    profiles: dict[str, ProfileCapture] = field(default_factory=dict)
    plans: list[PagePlan] = field(default_factory=list)
    clocks: dict[str, StepClock] = field(default_factory=dict)  # each visit's stopwatch, by profile name
    progress: dict[str, list[ProfileCapture]] = field(default_factory=dict)  # each visit's capture once it has one
    interrupted: str | None = None
    clock_started: bool = False

    def begin(self) -> None:
        """The site's first page is opening: its budget (and ``started``) run from now. The browser's launch and
        the first contexts, paid by the first sites of a run, are not theirs to pay: under load they took a 4 s
        budget whole before the homepage was asked for."""
        if not self.clock_started:
            self.clock_started = True
            self.t0 = time.monotonic()
            self.started = now_utc()

    def homepage_seen_usable(self) -> bool:
        """Whether one of the site's visits has read its homepage and found it usable (not a bot wall or error)."""
        return any(captures and homepage_unusable(captures[0].homepage) is None for captures in self.progress.values())

    def deadline(self) -> float:
        """When the site's budget runs out (``time.monotonic()``)."""
        return self.t0 + self.budget

    def remaining(self) -> float:
        return self.budget - (time.monotonic() - self.t0)

    def out_of_time(self) -> bool:
        if self.remaining() <= 0 and not self.interrupted:
            self.interrupted = f"the site took longer than its {self.budget:.0f} s budget"
        return self.remaining() <= 0


def assemble_evidence(
    target: Target,
    browser_version: str,
    options: AuditOptions,
    started: dt.datetime,
    profiles: dict[str, ProfileCapture],
    interrupted: str | None = None,
) -> SiteEvidence:
    """The site's evidence from the profiles captured so far; ``failure`` says why when nothing usable was seen."""
    baseline = profiles.get(BASELINE.name)
    failure = None
    if baseline is None:
        failure = interrupted or "the homepage was not captured"
    elif baseline.homepage.error and not baseline.homepage.final_url:
        failure = baseline.homepage.error
    return SiteEvidence(
        site=SiteInfo(
            url=target.url,
            host=target.host,
            site_id=target.site_id,
            final_url=baseline.homepage.final_url if baseline else "",
        ),
        tool=ToolInfo(version=__version__),
        browser=BrowserInfo(version=browser_version, executable=options.launch.executable or ""),
        vantage=Vantage(proxy=options.launch.proxy, host_map=[str(m) for m in options.launch.host_map]),
        started_at=started,
        finished_at=now_utc(),
        profiles={name: profiles[name] for name in PROFILE_NAMES if name in profiles},  # visits end in any order
        failure=failure,
        interrupted=interrupted,
    )
