"""PDF through Chromium's print: the self-contained site report, printed offline in headless Chromium.

The report writers (:mod:`auditor.report`) only queue what to print (a ``PdfJob``): they never start a browser.

The page is loaded with ``set_content`` (no file or network access needed: its images are data URLs), with
JavaScript off and every request aborted, so printing a report can neither run nor fetch anything.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import html
from pathlib import Path

from playwright.async_api import async_playwright

from auditor.browser import LaunchSettings, launch
from auditor.manifest import seal_site
from auditor.report import PdfJob

PAGE_FORMAT = "Letter"


def _footer(title: str) -> str:
    # Chromium renders these templates as HTML: the title is escaped (it holds the site's host name).
    return (
        '<div style="font-size:8px;width:100%;padding:0 12mm;color:#475467;display:flex;justify-content:space-between">'
        f"<span>{html.escape(title)}</span>"
        '<span><span class="pageNumber"></span> / <span class="totalPages"></span></span></div>'
    )


async def _print_all(jobs: list[PdfJob], executable: str | None) -> None:
    async with async_playwright() as playwright:
        browser = await launch(playwright, LaunchSettings(executable=executable))
        try:
            context = await browser.new_context(java_script_enabled=False, offline=True)
            await context.route("**/*", lambda route: route.abort())
            for document, title, target in jobs:
                page = await context.new_page()
                await page.set_content(document, wait_until="load", timeout=60_000)
                await page.pdf(
                    path=str(target),
                    format=PAGE_FORMAT,
                    print_background=True,
                    display_header_footer=True,
                    header_template="<span></span>",
                    footer_template=_footer(title),
                    margin={"top": "14mm", "bottom": "16mm", "left": "12mm", "right": "12mm"},
                )
                await page.close()
        finally:
            await browser.close()


def print_pdfs(jobs: list[PdfJob], executable: str | None = None) -> list[Path]:
    """Print each ``(self-contained html, footer title, target path)`` to PDF; return the paths written.

    Each PDF's site folder is sealed again (its manifest then covers the PDF). Safe to call from inside a running
    event loop (the printing then runs on a worker thread).
    """
    if not jobs:
        return []
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        asyncio.run(_print_all(jobs, executable))
    else:
        with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
            pool.submit(asyncio.run, _print_all(jobs, executable)).result()
    for site_dir in dict.fromkeys(target.parent for _, _, target in jobs):
        seal_site(site_dir)
    return [target for _, _, target in jobs]
