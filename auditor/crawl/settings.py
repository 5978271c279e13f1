"""Scrapy settings for an audit crawl, from the run's options: one place for every knob."""

from __future__ import annotations

import dataclasses
import re
import subprocess
from typing import Any

from auditor.browser import IGNORED_DEFAULT_ARGS
from auditor.crawl.runtime import REACTOR
from auditor.options import AuditOptions

HANDLER = "auditor.crawl.handler.SharedPlaywrightHandler"  # one for http and https: see auditor.crawl.handler


def browser_version(executable: str) -> str:
    """The Chromium's version (``146.0.7680.80``), read from ``--version`` before the crawl launches it.

    Contexts need it up front: their user agent is a desktop Chrome one with the real version.
    """
    try:
        out = subprocess.run([executable, "--version"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return ""
    found = re.search(r"(\d+\.\d+\.\d+\.\d+)", out)
    return found.group(1) if found else ""


def crawl_settings(options: AuditOptions, **extra: Any) -> dict[str, Any]:
    """Settings for :class:`auditor.crawl.spider.AuditSpider` and its pipeline and middlewares."""
    # GPC is emulated per context (Sec-GPC header, navigator.globalPrivacyControl in pages and workers):
    # Chromium's native GPC switch is browser-wide, and concurrent sites have GPC and non-GPC contexts open.
    launch: dict[str, Any] = {
        "executable_path": options.launch.executable,
        "headless": True,
        "args": dataclasses.replace(options.launch, native_gpc=False).args(),
        "ignore_default_args": list(IGNORED_DEFAULT_ARGS),
    }
    if options.launch.proxy:
        launch["proxy"] = {"server": options.launch.proxy}
    concurrency = max(1, options.concurrency)
    settings: dict[str, Any] = {
        "TWISTED_REACTOR": REACTOR,
        "DOWNLOAD_HANDLERS": {"http": HANDLER, "https": HANDLER},
        "PLAYWRIGHT_BROWSER_TYPE": "chromium",
        "PLAYWRIGHT_LAUNCH_OPTIONS": launch,
        # One context per open site (the spider opens at most `concurrency` sites), one page at a time in each.
        "PLAYWRIGHT_MAX_CONTEXTS": concurrency,
        "PLAYWRIGHT_MAX_PAGES_PER_CONTEXT": 2,
        # How long scrapy-playwright waits for a download to start when a navigation is aborted (ms). Audits
        # accept no downloads, and a long wait here would hold a site whose page was closed mid-navigation.
        "PLAYWRIGHT_DOWNLOAD_TIMEOUT": 5_000,
        # The browser's own headers (desktop Chrome user agent, Sec-GPC) must reach the site, not Scrapy's.
        "PLAYWRIGHT_PROCESS_REQUEST_HEADERS": None,
        "CONCURRENT_REQUESTS": concurrency,
        # Politeness: one page at a time per host, AutoThrottle spacing requests by the host's latency.
        "CONCURRENT_REQUESTS_PER_DOMAIN": 1,
        "AUTOTHROTTLE_ENABLED": True,
        "AUTOTHROTTLE_START_DELAY": 0.5,
        "AUTOTHROTTLE_MAX_DELAY": 10.0,
        "AUTOTHROTTLE_TARGET_CONCURRENCY": 1.0,
        "DOWNLOAD_DELAY": 0.0,
        # robots.txt is applied by the spider to extra pages only (see auditor.crawl.pages).
        "ROBOTSTXT_OBEY": False,
        "RETRY_ENABLED": False,  # replaced by the backoff middleware below
        "RETRY_TIMES": 2,
        "DOWNLOADER_MIDDLEWARES": {"auditor.crawl.middlewares.BackoffRetryMiddleware": 550},
        "ITEM_PIPELINES": {"auditor.crawl.pipelines.SiteReportPipeline": 300},
        # The browser follows redirects and keeps cookies; non-2xx pages (403 bot walls, 404s) are evidence.
        "REDIRECT_ENABLED": False,
        "METAREFRESH_ENABLED": False,
        "COOKIES_ENABLED": False,
        "HTTPERROR_ALLOW_ALL": True,
        "DOWNLOAD_TIMEOUT": int(options.limits.navigation_timeout) + 30,
        "TELNETCONSOLE_ENABLED": False,
        "LOG_ENABLED": False,
        "MEMUSAGE_ENABLED": False,
        "SCHEDULER_PRIORITY_QUEUE": "scrapy.pqueues.DownloaderAwarePriorityQueue",
        "AUDITOR_OPTIONS": options,
        "AUDITOR_RETRY_BACKOFF_BASE": 1.0,
        "AUDITOR_RETRY_BACKOFF_MAX": 8.0,
    }
    settings.update(extra)
    return settings
