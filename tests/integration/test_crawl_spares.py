"""Contexts opened ahead of the visits that take them (``auditor.crawl.spares``): each is prepared for its GPC
setting exactly as a visit's own context is, one of each kind waits at a time, a failed one is never handed out,
and the end of the crawl closes those nobody took; and a crawl at ``--concurrency 1``, where every visit after the
first takes one, audits as before."""

from __future__ import annotations

import asyncio
import json

import pytest
from playwright.async_api import async_playwright

from auditor.browser import LaunchSettings, gpc_mechanism, launch
from auditor.crawl.spares import SpareContexts, is_spare
from tests.conftest import run_cli

pytestmark = pytest.mark.browser


async def _ready(spares: SpareContexts, gpc: bool):
    for _ in range(300):
        page = spares.take(gpc)
        if page is not None:
            return page
        await asyncio.sleep(0.01)
    raise AssertionError("no spare within 3 s")


async def _spares() -> dict:
    async with async_playwright() as playwright:
        browser = await launch(playwright, LaunchSettings())
        try:
            spares = SpareContexts(browser.version)
            spares.open_ahead(browser, True)
            spares.open_ahead(browser, True)  # one of a kind at a time
            spares.open_ahead(browser, False)
            before_ready = spares.take(True)
            with_gpc, without = await _ready(spares, True), await _ready(spares, False)
            seen = {"before_ready": before_ready, "contexts": len(browser.contexts), "again": spares.take(True)}
            for name, page in (("gpc", with_gpc), ("no_gpc", without)):
                await page.goto("data:text/html,<title>t</title>")
                seen[name] = {
                    "spare": is_spare(page.context),
                    "pages": len(page.context.pages),
                    "navigator": await page.evaluate("navigator.globalPrivacyControl === true"),
                    "mechanism": gpc_mechanism(page.context),
                }
            spares.open_ahead(browser, False)  # nobody takes this one: the end of the crawl closes it
            await asyncio.sleep(0.5)
            opened = len(browser.contexts)
            await spares.close()
            seen["closed_at_the_end"] = opened - len(browser.contexts)
            await browser.close()
            spares.open_ahead(browser, True)  # the browser is gone: the spare fails, quietly
            await asyncio.sleep(0.2)
            seen["after_close"] = spares.take(True)
            return seen
        finally:
            if browser.is_connected():
                await browser.close()


def test_spares_are_prepared_for_their_gpc_setting_one_of_each_kind_at_a_time():
    seen = asyncio.run(_spares())
    assert seen["before_ready"] is None and seen["again"] is None
    assert seen["contexts"] == 2  # asked for twice with GPC: opened once
    assert seen["gpc"]["spare"] and seen["gpc"]["pages"] == 1
    assert seen["gpc"]["navigator"] is True and seen["gpc"]["mechanism"] == "emulated"
    assert seen["no_gpc"]["navigator"] is False and seen["no_gpc"]["mechanism"] == "off"
    assert seen["closed_at_the_end"] == 1
    assert seen["after_close"] is None


def test_a_crawl_at_concurrency_1_where_visits_take_spares_audits_each_site_as_before(site_server, tmp_path):
    """Two sites one visit at a time: every visit but the first runs in a spare. The extra page of the last site
    loads in its baseline visit's (spare) context (it carries the cookies its homepage set), and only each site's
    gpc visit sends the signal."""
    hosts = ["www.quiet-blog.com", "www.payload-pantry.com"]
    sites = tmp_path / "sites.txt"
    sites.write_text("\n".join(f"http://{host}/" for host in hosts) + "\n")
    seen_before = len(site_server.log)
    result = run_cli(
        ["audit", "--sites", str(sites), "--out", str(tmp_path / "out"), "--concurrency", "1", "--pages", "1"]
        + ["--no-history", "--map-host", f"*=127.0.0.1:{site_server.port}"]
    )
    assert result.returncode in (0, 1), result.stderr[-3000:]
    for host in hosts:
        evidence = json.loads((tmp_path / "out" / host / "evidence" / "evidence.json").read_text())
        visits = evidence["profiles"]
        assert set(visits) == {"baseline", "gpc", "optout"}, host
        for name, visit in visits.items():
            assert visit["homepage"]["status"] == 200 and not visit["homepage"].get("error"), (host, name)
            assert visit["signals"]["gpc_mechanism"] == ("emulated" if name == "gpc" else "off"), (host, name)
        if host == hosts[-1]:
            assert visits["baseline"]["pages"]["page_01"]["status"] == 200
            # page_01 is the homepage's other link to its policy; its request follows the crawl's sitemap.xml read
            assert visits["baseline"]["pages"]["page_01"]["requested_url"].startswith(f"http://{host}/privacy.html?")
            loads = [(path, h) for host_, path, h in site_server.log[seen_before:] if host_ == host]
            after_sitemap = loads[[path for path, _ in loads].index("/sitemap.xml") + 1 :]
            extra = next(h for path, h in after_sitemap if path.startswith("/privacy.html?"))
            assert "usprivacy=" in extra.get("Cookie", ""), extra
        homepage_loads = [h for host_, path, h in site_server.log[seen_before:] if host_ == host and path == "/"]
        with_signal = [h for h in homepage_loads if h.get("Sec-GPC") == "1"]
        assert with_signal and len(with_signal) < len(homepage_loads), host
