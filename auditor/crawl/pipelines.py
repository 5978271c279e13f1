"""Item pipeline: the moment a site's evidence is complete, save it, evaluate the rules, write the reports."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from auditor.crawl.resume import load_complete_report
from auditor.crawl.site_run import AuditedSite, SkippedSite
from auditor.evidence.profiles import BASELINE
from auditor.findings import Status
from auditor.judging import SiteResult, report_site
from auditor.options import AuditOptions


class SiteReportPipeline:
    """Writes each site's evidence and reports, then tells ``AUDITOR_ON_RESULT`` and the event sink."""

    def __init__(self, options: AuditOptions, on_result: Callable[[SiteResult, bool], None] | None) -> None:
        self.options = options
        self.on_result = on_result

    @classmethod
    def from_crawler(cls, crawler) -> SiteReportPipeline:
        return cls(crawler.settings["AUDITOR_OPTIONS"], crawler.settings.get("AUDITOR_ON_RESULT"))

    async def process_item(self, item):
        if isinstance(item, SkippedSite):
            report = load_complete_report(item.site_dir, self.options.formats)
            if report is not None:
                self._emit({"event": "site_skipped", "site": item.target.site_id, "url": item.target.url})
                self._deliver(SiteResult(item.target, report, item.site_dir), skipped=True)
            return item
        if not isinstance(item, AuditedSite):
            return item
        # Rules and report rendering are pure Python: off the event loop, so the browsers keep being served.
        options = self.options
        started = time.monotonic()
        report = await asyncio.to_thread(
            report_site, item.evidence, item.site_dir, options.judging, options.formats, options.launch.executable
        )
        homepage = item.evidence.profiles.get(BASELINE.name)
        failed = bool(item.evidence.failure or (homepage and homepage.homepage.bot_wall))
        self._emit(
            {
                "event": "site_done",
                "site": item.target.site_id,
                "url": item.target.url,
                "status": report.summary.status.value,
                "failed": failed,
                "reason": item.evidence.failure
                or (homepage.homepage.bot_wall if homepage else None)
                or item.evidence.interrupted,
                "seconds": round(item.seconds, 2),
                "report_seconds": round(time.monotonic() - started, 3),
                "not_assessable": report.summary.status == Status.NOT_ASSESSABLE,
            }
        )
        self._deliver(SiteResult(item.target, report, item.site_dir), skipped=False)
        return item

    def _emit(self, event: dict) -> None:
        if self.options.on_event:
            self.options.on_event(event)

    def _deliver(self, result: SiteResult, skipped: bool) -> None:
        if self.on_result:
            self.on_result(result, skipped)
