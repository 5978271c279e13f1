"""The signals gatherer on live fixture pages, called right after the page opens (before any CMP is ready).

Unlike the end-to-end run (where other gatherers wait for late consent managers first), these tests read
signals at ``domcontentloaded``, so the GPP wait for ``signalStatus: 'ready'`` really happens.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

import pytest
from playwright.async_api import async_playwright

from auditor.browser import HostMapping, LaunchSettings, launch, new_visit_context
from auditor.capture.consent.classify import DEFAULT_DNS_LINK_VOCABULARY
from auditor.capture.page import PageLimits
from auditor.capture.policy import DEFAULT_POLICY_LINK_VOCABULARY
from auditor.capture.signals import GPP_WAIT_MS, gather_signals
from auditor.capture.visit import Visit
from auditor.evidence import PageCapture, ProfileCapture
from auditor.evidence.profiles import profile_named
from auditor.evidence.signals import SignalEvidence
from auditor.signals import decode_gpp
from tests.integration.gpc_sites import serving

pytestmark = pytest.mark.browser


async def _read(browser, url: str, *, gpc: bool, profile: str, site_dir: Path, until: str) -> SignalEvidence:
    """Open ``url`` in a fresh visit context, wait for ``until``, and run the signals gatherer at once."""
    context = await new_visit_context(browser, gpc=gpc)
    try:
        page = await context.new_page()
        await page.goto(url, wait_until=until)  # type: ignore[arg-type]
        moment = dt.datetime.now(dt.UTC)
        homepage = PageCapture(requested_url=url, final_url=page.url, status=200)
        capture = ProfileCapture(profile=profile, gpc=gpc, started_at=moment, finished_at=moment, homepage=homepage)  # type: ignore[arg-type]
        await gather_signals(
            Visit(
                profile_named(profile),
                url,
                context,
                page,
                capture,
                site_dir,
                PageLimits(),
                DEFAULT_DNS_LINK_VOCABULARY,
                policy_link=DEFAULT_POLICY_LINK_VOCABULARY,
            )
        )
    finally:
        await context.close()
    assert capture.signals is not None
    return capture.signals


@pytest.fixture(scope="module")
def readings(tmp_path_factory) -> dict[str, SignalEvidence]:
    root = tmp_path_factory.mktemp("gpc-capture-sites")
    site_dir = tmp_path_factory.mktemp("gpc-capture-out")

    async def read_all(port: int) -> dict[str, SignalEvidence]:
        settings = LaunchSettings(host_map=[HostMapping.parse(f"*=127.0.0.1:{port}")])
        # The late GPP page is read as soon as its document is parsed; the others once loaded, frames and all.
        visits = {
            "late gpp": ("http://www.riverbend-recipes.com/", True, "gpc", "domcontentloaded"),
            "frames": ("http://www.cedarpoint-weather.com/", True, "gpc", "load"),
            "onetrust": ("http://www.bayshore-market.com/", True, "gpc", "load"),
            "well-known": ("http://www.pinecrest-outdoor-news.com/", False, "baseline", "load"),
        }
        found = {}
        async with async_playwright() as playwright:
            browser = await launch(playwright, settings)
            try:
                for name, (url, gpc, profile, until) in visits.items():
                    found[name] = await _read(browser, url, gpc=gpc, profile=profile, site_dir=site_dir, until=until)
            finally:
                await browser.close()
        return found

    with serving(root) as server:
        return asyncio.run(read_all(server.port))


def test_gpp_read_before_ready_waits_for_the_signal_status_event(readings) -> None:
    (gpp,) = readings["late gpp"].gpp
    assert gpp.first_ping is not None and gpp.first_ping["signalStatus"] == "not ready"
    assert gpp.wait == "ready-event"
    assert 500 < gpp.waited_ms < GPP_WAIT_MS
    assert any(event.startswith("signalStatus:ready") for event in gpp.events)
    section = decode_gpp(gpp.gpp_string or "").section("usca")
    assert section is not None and section.fields["SaleOptOut"] == 1 and section.gpc is True
    assert "usca" in gpp.sections  # getSection answered too


def test_signals_in_frames_are_read_directly_and_through_locator_frames(readings) -> None:
    signals = readings["frames"]
    places = {(r.source.method, r.source.frame_url, r.raw) for r in signals.usprivacy}
    assert places == {
        ("api", "http://consent.cedarpoint-privacy.net/hub.html", "1YYN"),
        ("locator", "http://display.coastline-adnet.com/slot.html", "1YYN"),
    }
    locator = [g for g in signals.gpp if g.source.method == "locator"]
    assert locator and locator[0].gpp_string and locator[0].sections.get("usca")
    assert signals.navigator_gpc is True


def test_onetrust_state_group_names_and_notice_are_read(readings) -> None:
    onetrust = readings["onetrust"].onetrust
    assert onetrust is not None and onetrust.optanon_consent is not None
    assert "groups=C0001%3A1%2CC0002%3A1%2CC0003%3A1%2CC0004%3A0%2CSPD_BG%3A0" in onetrust.optanon_consent.value
    assert onetrust.group_names["SPD_BG"] == "Sale of Personal Data"
    assert onetrust.active_groups == ",C0001,C0002,C0003,"
    assert onetrust.optout_signal_notice == "Your Opt-Out Preference Signal is Honored"
    assert [c.name for c in onetrust.otgpp_consent] == ["OTGPPConsent"]


def test_well_known_gpc_json_is_fetched_through_the_mapped_host(readings) -> None:
    record = readings["well-known"].well_known
    assert record is not None and record.status == 200
    assert record.content_type.startswith("application/json")
    assert '"gpc": true' in record.body
    assert readings["late gpp"].well_known is None  # only the baseline visit fetches it
