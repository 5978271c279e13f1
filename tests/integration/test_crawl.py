"""The crawl end to end: page budget, robots for extra pages, bot walls, unreachable sites with retries,
--log-json progress events, --resume, a site's time budget, and Ctrl-C that loses nothing written."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from tests.conftest import REPO, run_cli

pytestmark = pytest.mark.browser

TRAVEL = "www.pagebudget-travel.com"
WALL = "www.botwall-outlet.com"
DOWN = "www.unreachable-crawl.com"
QUIET = "www.quiet-blog.com"


def _events(stderr: str) -> list[dict]:
    return [json.loads(line) for line in stderr.splitlines() if line.startswith("{")]


def _map(site_server) -> list[str]:
    # The first matching rule wins: the unreachable host goes to a closed port, everything else to the fixtures.
    return ["--map-host", f"{DOWN}=127.0.0.1:9", "--map-host", f"*=127.0.0.1:{site_server.port}"]


@pytest.fixture(scope="module")
def crawl(site_server, tmp_path_factory):
    out = tmp_path_factory.mktemp("crawl")
    sites = out.parent / "crawl-sites.txt"
    sites.write_text("url\n" + "\n".join(f"http://{h}/" for h in (TRAVEL, WALL, DOWN, QUIET)) + "\n")
    started = time.monotonic()
    first = run_cli(
        [
            "audit",
            "--sites",
            str(sites),
            "--out",
            str(out),
            "--concurrency",
            "2",
            "--pages",
            "3",
            "--log-json",
            "--timings",
            *_map(site_server),
        ]
    )
    first_seconds = time.monotonic() - started
    resumed = run_cli(["audit", "--sites", str(sites), "--out", str(out), "--resume", "--log-json", *_map(site_server)])
    return first, first_seconds, resumed, out


def _evidence(out, site) -> dict:
    return json.loads((out / site / "evidence" / "evidence.json").read_text())


def _report(out, site) -> dict:
    return json.loads((out / site / "report.json").read_text())


def test_every_site_gets_a_report(crawl):
    first, _, _, out = crawl
    assert first.returncode in (0, 1), first.stderr[-3000:]
    for site in (TRAVEL, WALL, DOWN, QUIET):
        assert (out / site / "report.json").is_file(), site
        assert (out / site / "evidence" / "manifest.json").is_file(), site
    assert (out / "index.html").is_file()


def test_every_visit_records_its_steps_in_order_and_timings_prints_them(crawl):
    first, _, _, out = crawl
    visits = _evidence(out, TRAVEL)["profiles"]
    for name, visit in visits.items():
        steps = [t["step"] for t in visit["timings"]]
        for expected in ("loading the page", "waiting for the page to settle", "collecting links", "gatherer: consent"):
            assert expected in steps, (name, steps)
        starts = [t["start_ms"] for t in visit["timings"]]
        assert starts == sorted(starts) and all(t["duration_ms"] >= 0 for t in visit["timings"]), visit["timings"]
    baseline_steps = [t["step"] for t in visits["baseline"]["timings"]]
    assert any(step.startswith("page ") for step in baseline_steps), baseline_steps  # the extra pages, in the visit
    assert "gatherer: optout_flow" in [t["step"] for t in visits["optout"]["timings"]]
    assert f"{TRAVEL}: capture " in first.stdout and "writing its reports" in first.stdout, first.stdout[-3000:]
    assert "gatherer: policy" in first.stdout


def test_page_budget_loads_policy_optout_target_and_n_more_same_site_pages_obeying_robots(crawl):
    out = crawl[3]
    evidence = _evidence(out, TRAVEL)
    pages = evidence["profiles"]["baseline"]["pages"]
    # The opt-out link's destination: loaded once, by the opt-out visit's flow when there is one, else by the crawl.
    optout = evidence["profiles"].get("optout")
    if optout is not None:
        assert "dns_target" not in pages
        assert optout["consent"]["dns_target"]["url"] == f"http://{TRAVEL}/privacy-choices.html"
    else:
        assert pages["dns_target"]["requested_url"] == f"http://{TRAVEL}/privacy-choices.html"
        assert pages["dns_target"]["status"] == 200 and pages["dns_target"]["full_screenshot"]
    assert "privacy-policy.html" in pages["privacy_policy"]["final_url"]
    extra = {key: page["requested_url"] for key, page in pages.items() if key.startswith("page_")}
    assert sorted(extra) == ["page_01", "page_02", "page_03"]
    # Sitemap first, then homepage links; robots.txt rules out /private/; no other site, no PDF.
    assert extra["page_01"].endswith("/guides/mendocino.html")
    assert extra["page_02"].endswith("/guides/san-diego.html")
    assert extra["page_03"].endswith("/guides/big-sur.html")
    assert not any("/private/" in url or "elsewhere" in url or url.endswith(".pdf") for url in extra.values())
    # Each extra page is evidence: hashed in the manifest.
    manifest = json.loads((out / TRAVEL / "evidence" / "manifest.json").read_text())
    assert any(a["path"] == "evidence/baseline/pages/page_01/full.png" for a in manifest["artifacts"])


def test_gpc_visit_sends_the_signal_and_baseline_does_not(crawl, site_server):
    out = crawl[3]
    evidence = _evidence(out, TRAVEL)
    assert set(evidence["profiles"]) >= {"baseline", "gpc"}
    gpc_headers = [h for host, path, h in site_server.log if host == TRAVEL and h.get("Sec-GPC") == "1"]
    assert gpc_headers, "the gpc visit must send Sec-GPC: 1"
    assert all("HeadlessChrome" not in h.get("User-Agent", "") for host, _, h in site_server.log if host == TRAVEL)


def test_bot_wall_is_not_assessable_and_not_visited_again(crawl):
    out = crawl[3]
    dns = next(f for f in _report(out, WALL)["findings"] if f["rule"] == "ccpa.dns-link")
    assert dns["status"] == "not_assessable" and "bot check" in dns["message"]
    assert list(_evidence(out, WALL)["profiles"]) == ["baseline"]


def test_unreachable_site_is_retried_with_backoff_then_not_assessable(crawl):
    first, _, _, out = crawl
    evidence = _evidence(out, DOWN)
    assert "ERR_CONNECTION_REFUSED" in evidence["failure"]
    dns = next(f for f in _report(out, DOWN)["findings"] if f["rule"] == "ccpa.dns-link")
    assert dns["status"] == "not_assessable" and "could not be audited" in dns["message"]
    done = next(e for e in _events(first.stderr) if e["event"] == "site_done" and e["site"] == DOWN)
    assert done["failed"] is True
    assert done["seconds"] >= 3.0  # two retries, after 1 s and 2 s


def test_log_json_reports_every_site_and_runs_two_sites_at_once(crawl):
    first = crawl[0]
    events = _events(first.stderr)
    assert all(line.startswith("{") for line in first.stderr.splitlines() if line.strip()), first.stderr[-2000:]
    assert events[0]["event"] == "run_started" and events[0]["total"] == 4
    assert events[-1]["event"] == "run_finished" and events[-1]["sites_remaining"] == 0
    done = [e for e in events if e["event"] == "site_done"]
    assert sorted(e["site"] for e in done) == sorted([TRAVEL, WALL, DOWN, QUIET])
    assert events[-1]["sites_done"] + events[-1]["sites_failed"] == 4 and events[-1]["sites_failed"] == 2
    kinds = [e["event"] for e in events]
    assert kinds.index("site_done") > 2 and kinds[1:3] == ["site_started", "site_started"]


def test_resume_skips_complete_sites_without_visiting_them(crawl):
    _, first_seconds, resumed, out = crawl
    assert resumed.returncode in (0, 1), resumed.stderr[-2000:]
    events = _events(resumed.stderr)
    assert sorted(e["site"] for e in events if e["event"] == "site_skipped") == sorted([TRAVEL, WALL, DOWN, QUIET])
    assert not [e for e in events if e["event"] == "site_started"]
    assert (out / "index.html").is_file()


def test_site_over_its_time_budget_keeps_what_it_captured(site_server, tmp_path):
    out = tmp_path / "out"
    result = run_cli(
        [
            "audit",
            "http://www.restless-ticker.com/",
            "--out",
            str(out),
            "--site-budget",
            "4",
            "--log-json",
            "--map-host",
            f"*=127.0.0.1:{site_server.port}",
        ]
    )
    # 3 when not even the homepage fit in the budget (a loaded machine): the site is then not assessable.
    assert result.returncode in (0, 1, 3), result.stderr[-2000:]
    evidence = json.loads((out / "www.restless-ticker.com" / "evidence" / "evidence.json").read_text())
    assert "4 s budget" in (evidence["interrupted"] or "")
    done = next(e for e in _events(result.stderr) if e["event"] == "site_done")
    assert done["seconds"] < 15


def _interruptible() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_ctrl_c_stops_cleanly_and_resume_finishes_the_rest(site_server, tmp_path):
    out = tmp_path / "out"
    hosts = ["www.queue-charlie-blog.com", "www.queue-bravo-shop.com"]
    args = [
        "audit",
        *[f"http://{h}/" for h in hosts],
        "--out",
        str(out),
        "--concurrency",
        "1",
        "--log-json",
        "--map-host",
        f"*=127.0.0.1:{site_server.port}",
    ]
    env = {**os.environ, "NO_COLOR": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "auditor.cli", *args],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
        env=env,
        cwd=REPO,
        # As in a terminal, where Ctrl-C reaches the foreground command: a test run started in the background
        # ('make test &' in a script) hands its children an ignored SIGINT, and the auditor then rightly ignores it.
        preexec_fn=_interruptible,
    )
    finished: list[str] = []
    try:
        for line in process.stderr:  # event-driven: wait for the first site to be written
            if line.startswith("{") and json.loads(line)["event"] == "site_done":
                finished.append(json.loads(line)["site"])
                process.send_signal(signal.SIGINT)
                break
        # Read on to the end: a reader that stops could leave the auditor blocked on a full pipe, and what it says
        # after the interrupt is the first thing to see when the exit code is not 130.
        rest = process.stderr.read()
        code = process.wait(timeout=90)
    finally:
        if process.poll() is None:
            process.kill()
    assert code == 130, rest[-3000:]
    assert finished
    written = [h for h in hosts if (out / h / "report.json").is_file()]
    assert finished[0] in written and len(written) < len(hosts)
    verify = run_cli(["verify", str(out / finished[0])])
    assert verify.returncode == 0, verify.stdout
    resumed = run_cli([*args, "--resume"])
    assert resumed.returncode in (0, 1), resumed.stderr[-2000:]
    events = _events(resumed.stderr)
    skipped = {e["site"] for e in events if e["event"] == "site_skipped"}
    audited = {e["site"] for e in events if e["event"] == "site_done"}
    assert set(written) == skipped and skipped | audited == set(hosts) and not skipped & audited
