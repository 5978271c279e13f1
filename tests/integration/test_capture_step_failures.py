"""A capture step that fails, on a live page: recorded with its kind and reason, the visit kept, the rules that need
it ``not_assessable`` saying why, and the report's "What could not be seen" naming it."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

import pytest
from playwright.async_api import async_playwright

from auditor.browser import HostMapping, LaunchSettings, launch, new_visit_context
from auditor.capture.consent.gather import gather_consent as real_gather_consent
from auditor.capture.page import PageLimits
from auditor.capture.profile import capture_profile_in
from auditor.capture.signals import gather_signals as read_signals
from auditor.capture.visit import Gatherer, Visit
from auditor.engine import default_context, evaluate
from auditor.evidence import BrowserInfo, ProfileCapture, SiteEvidence, SiteInfo, ToolInfo, Vantage
from auditor.evidence.profiles import BASELINE
from auditor.findings import SiteRef, SiteReport, summarize
from auditor.report.html import render_site_html
from auditor.rulepacks import builtin_pack_paths, load_packs, resolve_rules

pytestmark = pytest.mark.browser
SITE = "http://www.harborlight-outfitters.com/"


# The step id comes from the function's name, as for the real gatherers.
async def gather_policy(visit: Visit) -> None:
    raise IndexError("list index out of range")  # a bug in a step


async def gather_signals(visit: Visit) -> None:
    await read_signals(visit)  # the real step works...


async def gather_consent(visit: Visit) -> None:
    await visit.page.close()  # ... then a step loses the page
    await visit.page.title()


async def gather_choice_links(visit: Visit) -> None:
    raise AssertionError("never runs: the page is gone")


def baseline_visit(site_server, site_dir: Path, gatherers: list[Gatherer]) -> ProfileCapture:
    """The baseline visit of SITE, served by ``site_server``, with ``gatherers`` instead of the profile's own."""

    async def visit() -> ProfileCapture:
        settings = LaunchSettings(host_map=[HostMapping.parse(f"*=127.0.0.1:{site_server.port}")])
        async with async_playwright() as playwright:
            browser = await launch(playwright, settings)
            try:
                context = await new_visit_context(browser, gpc=False)
                return await capture_profile_in(
                    context,
                    SITE,
                    profile=BASELINE,
                    site_dir=site_dir,
                    limits=PageLimits.for_timeout(20),
                    gatherers=gatherers,
                )
            finally:
                await browser.close()

    return asyncio.run(visit())


@pytest.fixture(scope="module")
def capture(site_server, tmp_path_factory) -> ProfileCapture:
    gatherers = [gather_policy, gather_signals, gather_consent, gather_choice_links]
    return baseline_visit(site_server, tmp_path_factory.mktemp("failing-steps"), gatherers)


def test_each_failed_step_is_recorded_with_its_kind_and_the_visit_is_kept(capture):
    assert capture.homepage.status == 200 and capture.homepage.links
    assert capture.signals is not None  # the step between the failures ran
    assert [(f.step, f.kind) for f in capture.failures] == [
        ("policy", "bug"),
        ("consent", "page_closed"),
        ("choice_links", "page_closed"),
    ]
    assert capture.failures[0].message == "IndexError: list index out of range"
    assert "has been closed" in capture.failures[1].message
    assert (
        capture.failures[2].message
        == "not run: the page was closed during the consent capture (consent manager and banner)"
    )


def test_rules_needing_a_failed_step_say_why_and_the_report_lists_it(capture, tmp_path):
    moment = dt.datetime.now(dt.UTC)
    evidence = SiteEvidence(
        site=SiteInfo(url=SITE, host="www.harborlight-outfitters.com", site_id="www.harborlight-outfitters.com"),
        tool=ToolInfo(version="test"),
        browser=BrowserInfo(),
        vantage=Vantage(),
        started_at=moment,
        finished_at=moment,
        profiles={"baseline": capture},
        interrupted="the gpc, optout visits were not requested (--profiles)",
    )
    findings = {
        f.rule: f for f in evaluate(resolve_rules(load_packs(builtin_pack_paths())), evidence, default_context())
    }
    policy = findings["ccpa.privacy-policy-updated"]
    assert policy.status == "not_assessable"
    assert policy.message == (
        "In the baseline visit, the search for the privacy policy did not finish (an error in the auditor): "
        "IndexError: list index out of range"
    )
    assert findings["ccpa.banner-no-ask-later"].status == "not_assessable"
    assert "the page went away" in findings["ccpa.banner-no-ask-later"].message
    assert findings["ccpa.dns-link"].status in ("pass", "fail", "not_applicable")  # needs only the homepage
    report = SiteReport(
        tool={"version": "test"},
        site=SiteRef(url=SITE, host="www.harborlight-outfitters.com"),
        started_at=moment,
        finished_at=moment,
        audit_date=moment.date().isoformat(),
        browser={"version": ""},
        findings=list(findings.values()),
        summary=summarize(list(findings.values())),
    )
    page = render_site_html(report, tmp_path)
    unseen = page[page.index("What could not be seen") :]
    assert "IndexError: list index out of range" in unseen[: unseen.index("</section>")]


def test_the_consent_capture_on_a_page_that_went_away_is_a_failure_not_an_absent_banner(site_server, tmp_path):
    # The consent gatherer's reads each answer "nothing" on a closed page; without the failure, the banner rules
    # would judge a site whose banner was never looked at as a site without one.
    async def close_then_gather_consent(visit: Visit) -> None:
        await visit.page.close()
        await real_gather_consent(visit)

    capture = baseline_visit(site_server, tmp_path, [close_then_gather_consent])
    assert capture.consent is not None and capture.consent.banner is None
    assert [(f.step, f.kind) for f in capture.failures] == [("consent", "page_closed")]
    assert "closed during the consent capture" in capture.failures[0].message
