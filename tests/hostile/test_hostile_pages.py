"""Hostile pages: each is bounded (the site keeps to its budget), recorded in the evidence, and leaves the next
site unaffected; a crashed renderer costs one site, a crashed browser is restarted for the next.

Renderer and browser crashes are made the way the operating system makes them: the fault server kills the
auditor's renderer (or browser) process with SIGKILL when the page asks it to (see ``faults.py``).
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from tests.hostile.conftest import run_auditor
from tests.hostile.faults import BIG_PAGE_BYTES

pytestmark = pytest.mark.browser

BUDGET = 60.0  # --site-budget of these runs (conftest.FAST)
SLACK = 20.0  # writing evidence and reports after the budget ends, on a busy machine
MAX_BODY = 500_000
# --timeout of the main run: generous, so that on a loaded 2-core machine the 10,000-link page and the 25 nested
# frames still load in time (at 8 s a busy CI saw them miss their load event), and short enough that the two
# pages that never load cost little.
TIMEOUT = 15
STEADY = "www.steady-after-chaos.com"
SITES = {
    "www.spinning-loop-news.com": "loop-after-load",
    "www.frozen-parser-daily.com": "loop-before-dcl",
    "www.nagging-dialogs-shop.com": "dialogs",
    "www.popup-storm-deals.com": "popups",
    "www.autodownload-catalog.com": "downloads",
    "www.download-only-files.com": "download-home",
    "www.stalled-download-files.com": "download-stalled-home",
    "www.enormous-page-market.com": "big-page",
    "www.tenthousand-links-wiki.com": "many-links",
    "www.nested-frames-portal.com": "nested-iframes",
    "www.wanders-off-travel.com": "navigates-away",
    "www.self-closing-promo.com": "closes-window",
    STEADY: "site",
}
CRASH_SITES = {"www.crashing-renderer-games.com": "crash-renderer", "www.calm-after-crash.com": "site"}
KILL_SITES = {"www.browser-killer-arcade.com": "kill-browser", "www.survivor-after-restart.com": "site"}
# Sites the hostile pages try to open as pages (pop-ups, a navigation away): the auditor must not load them
# as audited sites, and pop-ups must not load at all.
POPUP_TARGETS = {"www.popup-ads-elsewhere.com", "www.popup-offers-elsewhere.com"}


@pytest.fixture(scope="module")
def servers(servers_for):
    return servers_for({**SITES, **CRASH_SITES, **KILL_SITES})


@pytest.fixture(scope="module")
def run(servers, tmp_path_factory):
    urls = [f"http://{host}/" for host in SITES]
    limits = ("--max-body-bytes", str(MAX_BODY), "--timeout", str(TIMEOUT))
    return run_auditor(servers, tmp_path_factory.mktemp("hostile"), urls, *limits, "--concurrency", "2")


def _not_assessable(run, host: str, reason: str) -> None:
    report = run.report(host)
    assert report["summary"]["status"] == "not_assessable", report["summary"]
    assert not [f for f in report["findings"] if f["status"] in ("pass", "fail")]
    message = next(f["message"] for f in report["findings"] if f["rule"] == "ccpa.dns-link")
    assert re.search(reason, message), message


def _console(run, host: str, kind: str) -> list[str]:
    return [c["text"] for c in run.homepage(host)["console_errors"] if c["type"] == kind]


def test_the_run_completes_and_every_site_is_reported(run):
    assert "Traceback" not in run.stderr, run.stderr
    for host in SITES:
        assert (run.site_dir(host) / "report.json").is_file(), host
        assert (run.site_dir(host) / "report.html").is_file(), host


@pytest.mark.parametrize("host", sorted(SITES))
def test_every_site_keeps_to_its_budget(run, host):
    evidence = run.evidence(host)
    started, finished = (dt.datetime.fromisoformat(evidence[k]) for k in ("started_at", "finished_at"))
    assert (finished - started).total_seconds() <= BUDGET + SLACK


def test_the_site_after_the_hostile_ones_is_audited_normally(run):
    assert run.findings(STEADY)["ccpa.dns-link"]["status"] == "pass"


def test_an_infinite_loop_after_load_is_cut_off(run):
    _not_assessable(run, "www.spinning-loop-news.com", r"stopped responding")


def test_an_infinite_loop_before_domcontentloaded_is_cut_off(run):
    _not_assessable(run, "www.frozen-parser-daily.com", rf"did not load within {TIMEOUT} s")


def test_dialogs_are_answered_and_recorded(run):
    host = "www.nagging-dialogs-shop.com"
    assert run.findings(host)["ccpa.dns-link"]["status"] == "pass"
    dialogs = " | ".join(_console(run, host, "dialog"))
    for expected in ("alert: Welcome! <b>Accept</b> our terms", "confirm: Allow notifications?", "prompt: Your zip"):
        assert expected in dialogs, dialogs


def test_popups_without_a_click_are_blocked_and_recorded(run, servers):
    host = "www.popup-storm-deals.com"
    assert run.findings(host)["ccpa.dns-link"]["status"] == "pass"
    popups = " | ".join(_console(run, host, "popup"))
    assert "www.popup-ads-elsewhere.com/ (blocked: no user gesture)" in popups, popups
    assert "/newsletter (blocked: no user gesture)" in popups, popups
    assert not POPUP_TARGETS & servers.http.hosts_seen(documents_only=True)


def test_a_download_started_by_the_page_is_refused_and_recorded(run):
    host = "www.autodownload-catalog.com"
    assert run.findings(host)["ccpa.dns-link"]["status"] == "pass"
    assert not list(run.site_dir(host).rglob("catalog.pdf"))


def test_a_homepage_that_is_a_download_is_not_assessable(run):
    _not_assessable(run, "www.download-only-files.com", r"started a download instead of showing a page")


def test_a_homepage_whose_download_never_finishes_is_bounded_and_not_assessable(run):
    # Its time is bounded by test_every_site_keeps_to_its_budget; here, that it says why.
    _not_assessable(run, "www.stalled-download-files.com", r"started a download instead of showing a page")


def test_a_50_mb_page_is_bounded_and_says_what_was_cut(run):
    host = "www.enormous-page-market.com"
    page = run.homepage(host)
    assert not page["error"], page["error"]
    assert len(page["visible_text"].encode()) <= MAX_BODY
    dom = run.site_dir(host) / page["dom_path"]
    assert dom.stat().st_size <= MAX_BODY < BIG_PAGE_BYTES
    cut = " | ".join(page["truncated"])
    assert "DOM snapshot" in cut and "visible text" in cut and "full-page screenshot" in cut, cut
    if page["full_screenshot"] is None:
        # Photographing 16,384 px of a 50 MB page can outlast its step on a loaded machine: the capture then says
        # so, and goes on (a screenshot illustrates; it is never what a rule judges).
        assert "full-page screenshot: not taken: it took longer than" in cut, cut
    else:
        assert page["full_screenshot"]["height"] <= 16_384


def test_ten_thousand_links_are_capped_keeping_the_footer(run):
    host = "www.tenthousand-links-wiki.com"
    page = run.homepage(host)
    assert len(page["links"]) == 5000
    assert any(t.startswith("links: 10005 link-like elements") for t in page["truncated"]), page["truncated"]
    # The footer comes after 10,000 list items; the cap keeps the ends of the page, so the link is still seen.
    assert run.findings(host)["ccpa.dns-link"]["status"] == "pass"


def test_deeply_nested_frames_are_read(run):
    host = "www.nested-frames-portal.com"
    page = run.homepage(host)
    assert not page["error"], page["error"]
    frame_links = [link for link in page["links"] if not link["in_main_frame"]]
    if page["incomplete"]:  # a starved machine did not load every level within the timeout: then it says so
        assert frame_links, "the levels that did load are read"
        _not_assessable(run, host, r"never finished loading")
    else:
        assert len(frame_links) >= 10, len(frame_links)  # frames read, with their links, from many levels down
        assert run.findings(host)["ccpa.dns-link"]["status"] == "pass"


def test_a_page_that_navigates_itself_away_is_not_judged_on_another_site(run):
    _not_assessable(run, "www.wanders-off-travel.com", r"redirected to another site|navigated itself")


def test_a_page_that_tries_to_close_its_window_is_recorded_and_audited(run):
    # Chromium lets a script close only a window a script opened; the attempt is recorded and the audit goes on.
    # (Were the window to close, capture would say "the page closed its own window".)
    host = "www.self-closing-promo.com"
    warnings = _console(run, host, "warning")
    assert any("Scripts may close only the windows that were opened by them" in w for w in warnings), warnings
    assert run.findings(host)["ccpa.dns-link"]["status"] == "pass"


def test_a_renderer_crash_costs_one_site(servers, tmp_path):
    crash = run_auditor(servers, tmp_path / "out", [f"http://{h}/" for h in CRASH_SITES], "--concurrency", "1")
    assert servers.http.faults_done and servers.http.faults_done[-1][0] == "crash-renderer"
    _not_assessable(crash, "www.crashing-renderer-games.com", r"renderer crashed|crash")
    assert crash.findings("www.calm-after-crash.com")["ccpa.dns-link"]["status"] == "pass"


def test_a_crashed_browser_is_restarted_for_the_next_site(servers, tmp_path):
    killed = run_auditor(servers, tmp_path / "out", [f"http://{h}/" for h in KILL_SITES], "--concurrency", "1")
    assert ("kill-browser", []) not in servers.http.faults_done
    assert any(name == "kill-browser" for name, _ in servers.http.faults_done)
    _not_assessable(killed, "www.browser-killer-arcade.com", r"browser|closed|crash")
    assert killed.findings("www.survivor-after-restart.com")["ccpa.dns-link"]["status"] == "pass"
    assert killed.exit_code in (0, 1), killed.stderr
