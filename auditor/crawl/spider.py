"""The audit spider: Scrapy schedules the sites, scrapy-playwright opens their pages, capture records them.

A site is its visit profiles (``AuditOptions.profiles``), each a cold visit in its own named browser context,
and after the baseline homepage the pages in its plan (:mod:`auditor.crawl.pages`), one after another in the
baseline context. The visits of a site are independent, so they run at the same time. When the last one is
done the site's evidence is yielded as an item; the pipeline judges and writes it. While a visit runs, the context
of the visit known to come next is opened ahead (:mod:`auditor.crawl.spares`).

``--concurrency`` is a global limit on open visit contexts: a visit takes a slot of ``_free`` before its
request is yielded and gives it back when its context is closed, or hands it to the next visit of its own site
or, when its site has none left, of the open site that waited longest (sites finish before new ones start). Only
:meth:`AuditSpider.start` waits for a slot, and it fills a site's visits before it opens the next site, so a
site holds at least one slot and nothing waits in a circle. Because no more contexts are ever asked for than
slots exist, a request never waits inside scrapy-playwright for a context while holding a download slot (with
``CONCURRENT_REQUESTS`` = concurrency, a site waiting for a context while holding a download slot another site
needs for its next page would deadlock); and a 100,000-site list is never read into the scheduler at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import scrapy
from playwright.async_api import BrowserContext, Page
from playwright.async_api import Error as PlaywrightError

from auditor.browser import visit_context_options
from auditor.capture.failures import one_line
from auditor.capture.page import Navigate, capture_page, homepage_unusable
from auditor.capture.profile import capture_profile_in, cut_short
from auditor.capture.timing import StepClock
from auditor.crawl.handover import META_KEY, NavigationFailed, PageHandover, init_page
from auditor.crawl.pages import PagePlan, fetch_site_files, plan_pages
from auditor.crawl.resume import forget_report, load_complete_report
from auditor.crawl.site_run import AuditedSite, SiteRun, SkippedSite, assemble_evidence, now_utc
from auditor.crawl.spares import SpareContexts, is_spare
from auditor.evidence import PageCapture, ProfileCapture
from auditor.evidence.profiles import BASELINE, VisitProfile
from auditor.options import AuditOptions
from auditor.targets import Target

CLOSE_TIMEOUT = 10.0  # seconds a page or context gets to close
SPARE_CONTEXT = "auditor_spare_context"  # request meta: the spare context a visit's request was given
FOLLOW_UP_PRIORITY = 10  # a site's next page goes before another site's first: finish sites, then start new ones


class AuditSpider(scrapy.Spider):
    """Audits a list of sites; ``site_source`` is the seam the distributed spider overrides."""

    name = "auditor"

    def __init__(
        self,
        *,
        targets: list[Target] | None = None,
        options: AuditOptions,
        browser_version: str,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.targets = list(targets or [])
        self.options = options
        self.browser_version = browser_version
        self.sites: dict[str, SiteRun] = {}
        self._free: asyncio.Semaphore | None = None
        self._spares = SpareContexts(browser_version, ignore_https_errors=options.launch.ignore_https_errors)
        self._waiting_for_a_slot = False  # start() holds the next site and waits for a slot to begin it

    # -- scheduling ------------------------------------------------------------------------------------
    async def site_source(self) -> AsyncIterator[Target]:
        """The sites to audit, in order."""
        for target in self.targets:
            yield target

    async def start(self) -> AsyncIterator[Any]:
        self._free = asyncio.Semaphore(max(1, self.options.concurrency))
        async for target in self.site_source():
            site_dir = self.options.out_dir / target.site_id
            if target.site_id in self.sites:
                continue  # the same site twice in one crawl: the first run stands
            if self.options.resume and load_complete_report(site_dir, self.options.formats) is not None:
                yield SkippedSite(target, site_dir)
                continue
            self._waiting_for_a_slot = True
            try:
                await self._free.acquire()
            finally:
                self._waiting_for_a_slot = False
            run = self.begin_site(target, site_dir)
            yield self.next_visit(run)
            # The site's other visits start now too, in the slots that are free now (the rest follow as its own
            # visits end): a lone site runs its three visits at once, a full crawl stays at `concurrency`.
            while run.profiles_todo and not self._free.locked():
                await self._free.acquire()
                yield self.next_visit(run)

    async def closed(self, reason: str) -> None:
        """Scrapy's end of the crawl: the contexts opened ahead that no visit took are closed."""
        await self._spares.close()

    def begin_site(self, target: Target, site_dir: Path) -> SiteRun:
        site_dir.mkdir(parents=True, exist_ok=True)
        forget_report(site_dir)
        run = SiteRun(target, site_dir, self.options.site_budget, profiles_todo=list(self.options.profiles))
        self.sites[target.site_id] = run
        self.emit({"event": "site_started", "site": target.site_id, "url": target.url})
        return run

    def next_visit(self, run: SiteRun) -> scrapy.Request:
        """The request of the site's next visit, in a slot the caller holds for it."""
        run.visits_open += 1
        return self.profile_request(run, run.profiles_todo.pop(0))

    def emit(self, event: dict) -> None:
        if self.options.on_event:
            self.options.on_event(event)

    # -- requests --------------------------------------------------------------------------------------
    def _meta(self, run: SiteRun, context_name: str, handover: PageHandover, gpc: bool) -> dict:
        navigation_ms = max(1.0, min(self.options.limits.navigation_timeout, run.remaining())) * 1000
        return {
            "playwright": True,
            "playwright_include_page": True,
            "playwright_context": context_name,
            "playwright_context_kwargs": visit_context_options(
                self.browser_version, gpc=gpc, ignore_https_errors=self.options.launch.ignore_https_errors
            ),
            "playwright_page_init_callback": init_page,
            "playwright_page_goto_kwargs": {"wait_until": "domcontentloaded", "timeout": navigation_ms},
            META_KEY: handover,
            "auditor_site": run.target.site_id,
            # Each visit is its own download slot: a site's visits load at the same time (politeness per host
            # would queue them behind each other), while one visit's pages still load one after another.
            "download_slot": context_name,
            # The site's budget starts when its first page opens (init_page calls auditor_begin), so its deadline
            # is asked for when needed, not fixed when the request is made.
            "auditor_begin": run.begin,
            "auditor_deadline": run.deadline,
            "dont_obey_robotstxt": True,  # robots.txt is applied to extra pages when they are planned
        }

    def profile_request(self, run: SiteRun, profile: VisitProfile) -> scrapy.Request:
        clock = run.clocks[profile.name] = StepClock()
        progress: list[ProfileCapture] = []  # the visit's capture as it is being filled (a site out of time keeps it)
        run.progress[profile.name] = progress

        async def start_capture(page: Page, navigate: Navigate) -> ProfileCapture:
            return await capture_profile_in(
                page.context,
                run.target.url,
                profile=profile,
                site_dir=run.site_dir,
                limits=self.options.limits,
                dns_link=self.options.dns_link,
                policy_link=self.options.policy_link,
                page=page,
                navigate=navigate,
                clock=clock,
                progress=progress,
            )

        handover = PageHandover(start_capture, gpc=profile.gpc)
        meta = self._meta(run, _context_name(run, profile), handover, profile.gpc)
        meta["auditor_profile"] = profile
        spare = self._spares.take(profile.gpc)
        if spare is not None:
            meta["playwright_page"] = spare
            meta[SPARE_CONTEXT] = spare.context  # closed with the visit, even when a retry opened another
        return scrapy.Request(
            run.target.url,
            callback=self.on_loaded,
            errback=self.on_failed,
            dont_filter=True,
            priority=FOLLOW_UP_PRIORITY,
            meta=meta,
        )

    def page_request(self, run: SiteRun, plan: PagePlan, context_name: str) -> scrapy.Request:
        clock = run.clocks.get(BASELINE.name) or StepClock()  # the extra pages are timed as part of the visit

        async def start_capture(page: Page, navigate: Navigate) -> PageCapture:
            clock.prefix = f"page {plan.key}: "
            capture, open_page = await capture_page(
                page.context,
                plan.url,
                site_dir=run.site_dir,
                artifact_prefix=f"evidence/{BASELINE.name}/pages/{plan.key}",
                limits=self.options.limits,
                page=page,
                navigate=navigate,
                clock=clock,
            )
            clock.prefix = ""
            if open_page is not None:
                await _close(open_page)
            return capture

        meta = self._meta(run, context_name, PageHandover(start_capture, gpc=False), False)
        meta["auditor_plan"] = plan
        return scrapy.Request(
            plan.url,
            callback=self.on_loaded,
            errback=self.on_failed,
            dont_filter=True,
            priority=FOLLOW_UP_PRIORITY,
            meta=meta,
        )

    # -- callbacks -------------------------------------------------------------------------------------
    async def on_loaded(self, response: Any) -> AsyncIterator[Any]:
        """The browser loaded the page: let its capture go on, then take the site's next step."""
        await _release(response.meta)
        async for output in self._after_load(response.request):
            yield output

    async def on_failed(self, failure: Any) -> AsyncIterator[Any]:
        """The page did not load: its capture records why, then the site's next step."""
        request = failure.request
        request.meta[META_KEY].failed(one_line(failure.value))
        async for output in self._after_load(request):
            yield output

    async def _after_load(self, request: scrapy.Request) -> AsyncIterator[Any]:
        run = self.sites[request.meta["auditor_site"]]
        page: Page | None = request.meta.get("playwright_page")
        context = page.context if page is not None else None
        handover: PageHandover = request.meta[META_KEY]
        if "auditor_plan" in request.meta:
            await self._record_page(run, request.meta["auditor_plan"], handover)
        else:
            coming = self._gpc_of_the_visit_coming(run)
            if coming is not None and context is not None:  # opened while this visit runs, taken when it ends
                self._spares.open_ahead(context.browser, coming)
            await self._record_visit(run, request.meta["auditor_profile"], handover, page)
        if page is not None and self._context_kept(run, request.meta["playwright_context"]):
            # Closing the context closes its pages; a page closed on its own, just before its context, sometimes took
            # the whole CLOSE_TIMEOUT after a site ran out of budget mid-click (a 3 s site ended after 13 s).
            await _close(page)
        spare = request.meta.get(SPARE_CONTEXT)
        if spare is not None and spare is not context:  # a retry's page was opened in a context of its own
            with contextlib.suppress(PlaywrightError, TimeoutError):
                await asyncio.wait_for(spare.close(), CLOSE_TIMEOUT)
        async for output in self._continue(run, context, request.meta["playwright_context"]):
            yield output

    def _gpc_of_the_visit_coming(self, run: SiteRun) -> bool | None:
        """Whether the visit that will most likely take the next free slot has GPC on (this site's next visit, an
        open site's, or the first of the site :meth:`start` holds until a slot is free); None when no visit is known
        to be coming (the last site's last visits: a lone site's audit opens no context for nothing)."""
        if run.profiles_todo:
            return run.profiles_todo[0].gpc
        waiting = self._site_waiting_for_a_visit()
        if waiting is not None:
            return waiting.profiles_todo[0].gpc
        if self._waiting_for_a_slot and self.options.profiles:
            return self.options.profiles[0].gpc
        return None

    def _context_kept(self, run: SiteRun, context_name: str) -> bool:
        """Whether this visit's context stays open for another page (the baseline's extra pages)."""
        return context_name == _context_name(run, BASELINE) and bool(run.plans) and not run.out_of_time()

    async def _record_visit(
        self,
        run: SiteRun,
        profile: VisitProfile,
        handover: PageHandover,
        page: Page | None,
    ) -> None:
        """Keep a visit's capture; an unusable homepage cancels the site's other visits. A visit the site's budget
        cut short keeps its homepage and the gatherers that finished; the others are recorded as timeouts."""
        try:
            try:
                capture = await self._bounded(run, handover.result())
                progress = run.progress[profile.name]
                if capture is None and progress:
                    capture = cut_short(progress[0], profile, run.clocks[profile.name], run.interrupted or "")
            except NavigationFailed as error:  # no page at all (e.g. the context could not be created)
                moment = now_utc()
                homepage = PageCapture(requested_url=run.target.url, error=f"navigation: {error}")
                capture = ProfileCapture(
                    profile=profile.name, gpc=profile.gpc, started_at=moment, finished_at=moment, homepage=homepage
                )
            if capture is not None:
                run.profiles[profile.name] = capture
                unusable = homepage_unusable(capture.homepage)
                if unusable:  # unreachable, walled, broken or never loading: the other visits would see the same
                    if run.profiles_todo:
                        run.interrupted = run.interrupted or f"the other visits were skipped: {unusable}"
                    run.profiles_todo.clear()
                elif profile == BASELINE and page is not None and not page.is_closed():
                    await self._plan(run, capture, page)
        except Exception as error:  # a bug must cost one site, never hang the crawl
            reason = f"internal error while capturing: {type(error).__name__}: {one_line(error)}"
            run.interrupted = run.interrupted or reason
            run.profiles_todo.clear()
            run.plans.clear()

    async def _record_page(self, run: SiteRun, plan: PagePlan, handover: PageHandover) -> None:
        """Keep an extra page's capture with the baseline visit; a failure costs the site's other extra pages."""
        try:
            try:
                capture = await self._bounded(run, handover.result())
            except NavigationFailed as error:
                capture = PageCapture(requested_url=plan.url, error=f"navigation: {error}")
            if capture is not None and BASELINE.name in run.profiles:
                visit = run.profiles[BASELINE.name]
                visit.pages[plan.key] = capture
                if BASELINE.name in run.clocks:
                    visit.timings = list(run.clocks[BASELINE.name].steps)
        except Exception as error:
            run.interrupted = run.interrupted or f"internal error while loading {plan.url}: {type(error).__name__}"
            run.plans.clear()

    async def _plan(self, run: SiteRun, capture: ProfileCapture, page: Page) -> None:
        want_more = self.options.extra_pages > 0
        files = await self._bounded(
            run, fetch_site_files(page, want_robots=want_more and self.options.obey_robots, want_sitemap=want_more)
        )
        if files is None:
            return
        already = set(capture.pages)
        if any(profile.opt_out_flow for profile in self.options.profiles):
            already.add("dns_target")  # the opt-out flow follows the link itself (consent.dns_target)
        run.plans = plan_pages(
            capture.homepage,
            already,
            files,
            self.options.extra_pages,
            self.options.obey_robots,
            dns_link=self.options.dns_link,
            policy_link=self.options.policy_link,
        )

    async def _continue(self, run: SiteRun, context: BrowserContext | None, context_name: str) -> AsyncIterator[Any]:
        """This visit's next page; else, with its context closed, the site's next visit in the same slot; else the
        slot back, and the site's item when it was the site's last visit."""
        if run.out_of_time():
            run.plans.clear()
            run.profiles_todo.clear()
        if context is not None and self._context_kept(run, context_name):
            request = self.page_request(run, run.plans.pop(0), context_name)
            if is_spare(context):  # scrapy-playwright does not know this context: the next page is opened here
                request.meta[SPARE_CONTEXT] = context
                with contextlib.suppress(PlaywrightError, TimeoutError):
                    request.meta["playwright_page"] = await asyncio.wait_for(context.new_page(), CLOSE_TIMEOUT)
            yield request
            return
        if context_name == _context_name(run, BASELINE):
            run.plans.clear()  # the baseline context closes: its extra pages cannot be loaded any more
        if context is not None:
            with contextlib.suppress(PlaywrightError, TimeoutError):
                await asyncio.wait_for(context.close(), CLOSE_TIMEOUT)  # a hung browser must not hold the crawl
        run.visits_open -= 1
        waiting = run if run.profiles_todo else self._site_waiting_for_a_visit()
        if waiting is not None:
            yield self.next_visit(waiting)
        elif self._free is not None:
            self._free.release()
        if run.visits_open == 0:
            yield self.finish_site(run)

    def _site_waiting_for_a_visit(self) -> SiteRun | None:
        """The open site that has waited longest for a slot for one of its visits, once one of its visits has read
        a usable homepage; None when there is none.

        A slot a finished site gives up goes to an open site's next visit before a new site starts: sites finish
        sooner (fewer open at once), and the last sites of a crawl run their visits side by side instead of one
        after another in the one slot each started with while the other slots stand empty (10 s of a 61 s crawl
        of 12 sites at ``--concurrency 2``). Not before its homepage is known to be usable: a bot wall or an error
        page cancels the site's other visits, and is not asked again."""
        for run in self.sites.values():  # in the order the sites started
            if run.profiles_todo and run.remaining() > 0 and run.homepage_seen_usable():
                return run
        return None

    def finish_site(self, run: SiteRun) -> AuditedSite:
        why = run.interrupted or self.options.profiles_not_requested()
        evidence = assemble_evidence(run.target, self.browser_version, self.options, run.started, run.profiles, why)
        del self.sites[run.target.site_id]
        return AuditedSite(run.target, run.site_dir, evidence, time.monotonic() - run.t0)

    async def _bounded(self, run: SiteRun, awaitable) -> Any:
        """Await within the site's remaining budget; None (and the site marked interrupted) when it runs out."""
        try:
            return await asyncio.wait_for(awaitable, max(run.remaining(), 0.001))
        except TimeoutError:
            run.out_of_time()
            run.interrupted = run.interrupted or f"the site took longer than its {run.budget:.0f} s budget"
            return None


def _context_name(run: SiteRun, profile: VisitProfile) -> str:
    """The browser context of one visit of a site (scrapy-playwright's ``playwright_context``)."""
    return f"{run.target.site_id}:{profile.name}"


async def _release(meta: dict) -> None:
    """The download is done: drop scrapy-playwright's request routing and let the capture go on.

    Its route handler awaits the driver (``all_headers()``) before it continues a request; unrouting under it
    handed the request on, and the handler's own ``continue_`` then failed with "Route is already handled!"
    (five tests under load). ``behavior="wait"`` lets the handlers in flight finish first; a handler stuck on a
    hung page is not waited for past ``CLOSE_TIMEOUT`` (its error is then ignored: the page is failing anyway).
    """
    page: Page | None = meta.get("playwright_page")
    if page is not None:
        with contextlib.suppress(PlaywrightError):
            try:
                await asyncio.wait_for(page.unroute_all(behavior="wait"), CLOSE_TIMEOUT)
            except TimeoutError:
                await page.unroute_all(behavior="ignoreErrors")
    meta[META_KEY].navigated()


async def _close(page: Page) -> None:
    with contextlib.suppress(PlaywrightError, TimeoutError):
        await asyncio.wait_for(page.close(run_before_unload=False), CLOSE_TIMEOUT)
