"""Pure parts of the crawl: page planning (sitemap, links, robots), resume completeness, progress events."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest

from auditor.capture.consent.classify import DEFAULT_DNS_LINK_VOCABULARY as WORDS
from auditor.capture.policy import DEFAULT_POLICY_LINK_VOCABULARY as POLICY_WORDS
from auditor.crawl.pages import SiteFiles, parse_sitemap, plan_pages
from auditor.crawl.resume import ReportLost, forget_report, load_complete_report, read_written_report
from auditor.evidence import Link, PageCapture
from auditor.progress import RunProgress
from auditor.textmatch import LinkVocabulary

SITE = "https://www.example-travel.com/"


def _link(text: str, href: str, **extra) -> Link:
    return Link(tag="a", text=text, href=href, visible=True, **extra)


def _homepage(*links: Link) -> PageCapture:
    return PageCapture(requested_url=SITE, final_url=SITE, links=list(links))


HOMEPAGE = _homepage(
    _link("Guides", "/guides/"),
    _link("Members", "/private/members"),
    _link("Partner deals", "https://partner.example-hotels.com/"),
    _link("Brochure", "/brochure.pdf"),
    _link("Privacy Policy", "/privacy", in_footer=True),
    _link("Your Privacy Choices", "/choices#top", in_footer=True),
    _link("Contact", "/contact"),
)
ROBOTS = "User-agent: *\nDisallow: /private/\n"
LINKS = {"dns_link": WORDS, "policy_link": POLICY_WORDS}  # the built-in pack's link words


def test_needed_pages_come_first_and_ignore_robots():
    plans = plan_pages(
        HOMEPAGE,
        set(),
        SiteFiles(robots_txt="User-agent: *\nDisallow: /\n"),
        0,
        True,
        dns_link=WORDS,
        policy_link=POLICY_WORDS,
    )
    assert [(p.key, p.url, p.needed) for p in plans] == [
        ("privacy_policy", "https://www.example-travel.com/privacy", True),
        ("dns_target", "https://www.example-travel.com/choices", True),
    ]


def test_pages_a_gatherer_already_captured_are_not_loaded_again():
    plans = plan_pages(HOMEPAGE, {"privacy_policy"}, SiteFiles(), 0, True, **LINKS)
    assert [p.key for p in plans] == ["dns_target"]


def test_the_opt_out_link_s_destination_is_the_link_the_vocabulary_counts():
    homepage = _homepage(_link("Opt out of sale", "/opt-out", in_footer=True), _link("Guides", "/guides/"))
    assert plan_pages(homepage, set(), SiteFiles(), 0, True, **LINKS) == []
    team_words = LinkVocabulary(phrases=("opt out of sale",))
    plans = plan_pages(homepage, set(), SiteFiles(), 0, True, dns_link=team_words, policy_link=POLICY_WORDS)
    assert [(p.key, p.url) for p in plans] == [("dns_target", SITE + "opt-out")]


def test_the_privacy_policy_s_destination_is_the_link_the_vocabulary_counts():
    homepage = _homepage(_link("Datenschutz", "/datenschutz", in_footer=True), _link("Guides", "/guides/"))
    assert plan_pages(homepage, set(), SiteFiles(), 0, True, **LINKS) == []
    team_words = LinkVocabulary(phrases=("datenschutz",))
    plans = plan_pages(homepage, set(), SiteFiles(), 0, True, dns_link=WORDS, policy_link=team_words)
    assert [(p.key, p.url) for p in plans] == [("privacy_policy", SITE + "datenschutz")]


def test_extra_pages_sitemap_first_same_site_only_within_budget_obeying_robots():
    files = SiteFiles(
        robots_txt=ROBOTS, sitemap_urls=[SITE, SITE + "private/a", SITE + "news/1", "https://other.com/x"]
    )
    plans = plan_pages(HOMEPAGE, set(), files, 3, obey_robots=True, **LINKS)
    extra = [p.url for p in plans if not p.needed]
    assert extra == [SITE + "news/1", SITE + "guides/", SITE + "contact"]
    assert [p.key for p in plans if not p.needed] == ["page_01", "page_02", "page_03"]


def test_robots_ignore_allows_disallowed_extra_pages():
    files = SiteFiles(robots_txt=ROBOTS, sitemap_urls=[SITE + "private/a"])
    extra = [p.url for p in plan_pages(HOMEPAGE, set(), files, 2, obey_robots=False, **LINKS) if not p.needed]
    assert extra == [SITE + "private/a", SITE + "guides/"]


def test_sitemap_and_sitemap_index_are_read_and_broken_xml_gives_nothing():
    urlset = '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>/a</loc></url></urlset>'
    index = '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>/s1.xml</loc></sitemap></sitemapindex>'
    assert parse_sitemap(urlset, SITE) == ([SITE + "a"], [])
    assert parse_sitemap(index, SITE) == ([], [SITE + "s1.xml"])
    assert parse_sitemap("<urlset><url><loc>", SITE) == ([], [])


def test_resume_needs_a_whole_report_every_format_and_the_manifest(tmp_path):
    assert load_complete_report(tmp_path, ["json"]) is None
    (tmp_path / "report.json").write_text('{"schema": "auditor.report/1", "tool"')  # cut off mid-write
    (tmp_path / "evidence").mkdir()
    (tmp_path / "evidence" / "manifest.json").write_text("{}")
    assert load_complete_report(tmp_path, ["json"]) is None
    forget_report(tmp_path)
    assert not (tmp_path / "report.json").exists()


SAVED_SITE = Path(__file__).parent / "saved_runs" / "www.pacificherald-news.com"


def test_a_report_written_during_the_run_is_read_back_whole_or_the_run_says_so(tmp_path):
    site_dir = tmp_path / "www.pacificherald-news.com"
    shutil.copytree(SAVED_SITE, site_dir)
    report = read_written_report(site_dir)
    assert report.site.site_id == "www.pacificherald-news.com" and report.findings
    (site_dir / "report.json").write_text('{"schema": "auditor.report/1", "tool"')  # damaged while the run went on
    with pytest.raises(ReportLost, match=r"report\.json: written during the run, but cannot be read back"):
        read_written_report(site_dir)
    (site_dir / "report.json").unlink()
    with pytest.raises(ReportLost, match="No such file"):
        read_written_report(site_dir)


def test_log_json_writes_one_object_per_event_with_counts_and_rate():
    stream = io.StringIO()
    with RunProgress(2, log_json=True, stream=stream) as progress:
        progress({"event": "site_started", "site": "a"})
        progress({"event": "site_done", "site": "a", "failed": False})
        progress({"event": "site_skipped", "site": "b"})
    events = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert [e["event"] for e in events] == ["run_started", "site_started", "site_done", "site_skipped", "run_finished"]
    assert events[2]["failed"] is False and events[2]["sites_done"] == 1 and events[2]["sites_per_minute"] > 0
    assert events[-1]["sites_remaining"] == 0 and events[-1]["sites_skipped"] == 1


def test_quiet_progress_prints_nothing():
    stream = io.StringIO()
    with RunProgress(1, quiet=True, stream=stream) as progress:
        progress({"event": "site_done", "site": "a", "failed": True})
    assert stream.getvalue() == "" and progress.failed == 1


def _slots_after_visits_end(tmp_path, concurrency: int):
    """A spider with two open sites: A started first with all its visits out, B with one visit out and two to go."""
    import asyncio

    from auditor.crawl.spider import AuditSpider
    from auditor.runner import RunRequest, build_options
    from auditor.targets import parse_target

    options = build_options(RunRequest(out_dir=tmp_path, concurrency=concurrency))
    spider = AuditSpider(options=options, browser_version="146.0.0.0")
    spider._free = asyncio.Semaphore(0)  # every slot is taken: A holds three, B one
    site_a = spider.begin_site(parse_target("https://www.a-shop.com/"), tmp_path / "a")
    site_b = spider.begin_site(parse_target("https://www.b-shop.com/"), tmp_path / "b")
    for _ in range(3):
        spider.next_visit(site_a)
    spider.next_visit(site_b)
    return spider, site_a, site_b


def _homepage_read(run, **page) -> None:
    """The site's baseline visit has read its homepage (the capture it fills as it goes)."""
    import datetime as dt

    from auditor.evidence import ProfileCapture

    moment = dt.datetime.now(dt.UTC)
    homepage = PageCapture(**{"requested_url": run.target.url, "final_url": run.target.url, "status": 200, **page})
    run.progress["baseline"].append(
        ProfileCapture(profile="baseline", gpc=False, started_at=moment, finished_at=moment, homepage=homepage)
    )


async def _visit_ends(spider, run) -> list:
    return [output async for output in spider._continue(run, None, f"{run.target.site_id}:optout")]


def test_a_slot_a_finished_site_gives_up_goes_to_an_open_site_s_next_visit_before_a_new_site(tmp_path):
    import asyncio

    import scrapy

    from auditor.crawl.site_run import AuditedSite

    spider, site_a, site_b = _slots_after_visits_end(tmp_path, concurrency=4)
    _homepage_read(site_b)
    outputs = asyncio.run(_visit_ends(spider, site_a))
    assert [type(o) for o in outputs] == [scrapy.Request]  # A still has two visits open: no item yet
    assert outputs[0].meta["auditor_site"] == site_b.target.site_id  # B's gpc visit, in A's slot
    assert outputs[0].meta["auditor_profile"].name == "gpc"
    assert spider._free._value == 0  # handed over, not given back for a new site
    assert site_b.visits_open == 2 and [p.name for p in site_b.profiles_todo] == ["optout"]

    asyncio.run(_visit_ends(spider, site_a))  # A's second visit: B's optout
    assert not site_b.profiles_todo and spider._free._value == 0
    outputs = asyncio.run(_visit_ends(spider, site_a))  # A's last visit: nothing waits, the slot is free again
    assert [type(o) for o in outputs] == [AuditedSite]
    assert spider._free._value == 1


def test_no_other_visit_of_a_site_starts_in_a_handed_over_slot_before_its_homepage_is_seen_usable(tmp_path):
    import asyncio

    spider, site_a, site_b = _slots_after_visits_end(tmp_path, concurrency=4)
    assert asyncio.run(_visit_ends(spider, site_a)) == []  # B's homepage not read yet: the slot is given back
    assert spider._free._value == 1 and len(site_b.profiles_todo) == 2

    spider, site_a, site_b = _slots_after_visits_end(tmp_path, concurrency=4)
    _homepage_read(site_b, status=403, bot_wall="a bot check (HTTP 403)")
    assert asyncio.run(_visit_ends(spider, site_a)) == []  # a bot wall is not asked again by a second visit
    assert spider._free._value == 1 and len(site_b.profiles_todo) == 2


def test_one_playwright_handler_serves_both_schemes_and_is_closed_once(monkeypatch):
    """Scrapy asks for a download handler per scheme; each scrapy-playwright handler would start its own driver and
    browser. The crawl's handler is built once per crawler and closed once (here scrapy-playwright's own building
    and closing are recorded instead of starting a driver)."""
    import asyncio

    from scrapy_playwright.handler import ScrapyPlaywrightDownloadHandler

    from auditor.crawl.handler import SharedPlaywrightHandler
    from auditor.crawl.settings import crawl_settings
    from auditor.runner import RunRequest, build_options

    built, closed = [], []

    def build(cls, crawler):
        handler = object.__new__(cls)
        built.append(crawler)
        return handler

    async def close(self):
        closed.append(self)

    monkeypatch.setattr(ScrapyPlaywrightDownloadHandler, "from_crawler", classmethod(build))
    monkeypatch.setattr(ScrapyPlaywrightDownloadHandler, "close", close)
    settings = crawl_settings(build_options(RunRequest(out_dir=None)))
    assert settings["DOWNLOAD_HANDLERS"]["http"] == settings["DOWNLOAD_HANDLERS"]["https"]
    assert settings["DOWNLOAD_HANDLERS"]["http"].endswith("SharedPlaywrightHandler")

    class Crawler:
        pass

    crawler, other = Crawler(), Crawler()
    http, https = SharedPlaywrightHandler.from_crawler(crawler), SharedPlaywrightHandler.from_crawler(crawler)
    assert http is https and built == [crawler]
    assert SharedPlaywrightHandler.from_crawler(other) is not http  # another crawl has its own

    async def close_both() -> None:
        await http.close()
        await https.close()

    asyncio.run(close_both())
    assert closed == [http]


def test_the_spare_context_opened_ahead_is_for_the_visit_known_to_come_next(tmp_path):
    from auditor.crawl.spider import AuditSpider
    from auditor.runner import RunRequest, build_options
    from auditor.targets import parse_target

    options = build_options(RunRequest(out_dir=tmp_path, concurrency=1))
    targets = [parse_target("https://www.a-shop.com/"), parse_target("https://www.b-shop.com/")]
    spider = AuditSpider(targets=targets, options=options, browser_version="146.0.0.0")
    site_a = spider.begin_site(targets[0], tmp_path / "a")
    spider.next_visit(site_a)  # baseline out: gpc and optout to come
    assert spider._gpc_of_the_visit_coming(site_a) is True
    spider.next_visit(site_a)
    assert spider._gpc_of_the_visit_coming(site_a) is False  # optout
    spider.next_visit(site_a)
    assert spider._gpc_of_the_visit_coming(site_a) is None  # nothing is coming: no context is opened for nothing
    spider._waiting_for_a_slot = True  # start() holds site B until a slot is free
    assert spider._gpc_of_the_visit_coming(site_a) is False  # B's baseline


def test_a_visit_takes_a_ready_spare_of_its_own_gpc_setting(tmp_path):
    from auditor.crawl.spider import SPARE_CONTEXT, AuditSpider
    from auditor.runner import RunRequest, build_options
    from auditor.targets import parse_target

    class Ready:
        def __init__(self) -> None:
            self.asked: list[bool] = []

        def take(self, gpc: bool):
            self.asked.append(gpc)
            return SimpleNamespace(context="the spare's context") if gpc else None

    options = build_options(RunRequest(out_dir=tmp_path, concurrency=1))
    spider = AuditSpider(options=options, browser_version="146.0.0.0")
    spider._spares = Ready()
    site = spider.begin_site(parse_target("https://www.a-shop.com/"), tmp_path / "a")
    baseline, gpc = spider.next_visit(site), spider.next_visit(site)
    assert spider._spares.asked == [False, True]
    assert "playwright_page" not in baseline.meta and SPARE_CONTEXT not in baseline.meta
    assert (
        gpc.meta[SPARE_CONTEXT] == "the spare's context"
        and gpc.meta["playwright_page"].context == gpc.meta[SPARE_CONTEXT]
    )
