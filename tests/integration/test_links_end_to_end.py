"""End to end: `auditor audit` on fixture sites under real host names, judged on the homepage's links."""

from __future__ import annotations

import json

import pytest

from tests.conftest import run_cli

pytestmark = pytest.mark.browser

SITES = {
    "www.dnsfooter-news.com": {
        "ccpa.dns-link": "pass",
        "ccpa.dns-link-wording": "pass",
        "ccpa.privacy-policy-link": "pass",
    },
    "www.choices-outdoors.com": {
        "ccpa.dns-link": "pass",
        "ccpa.dns-link-wording": "pass",
        "ccpa.privacy-policy-link": "pass",
    },
    "www.oldwording-daily.com": {"ccpa.dns-link": "pass", "ccpa.dns-link-wording": "fail"},
    "www.nolink-recipes.com": {"ccpa.dns-link": "fail", "ccpa.privacy-policy-link": "fail"},
    "www.shadowfooter-shop.com": {"ccpa.dns-link": "pass", "ccpa.privacy-policy-link": "pass"},
    "www.quiet-blog.com": {"ccpa.dns-link": "not_applicable", "ccpa.privacy-policy-link": "pass"},
    "www.hiddenlink-store.com": {"ccpa.dns-link": "review"},
    "www.framefooter-news.com": {"ccpa.dns-link": "pass", "ccpa.dns-link-wording": "pass"},
}


@pytest.fixture(scope="module")
def run(site_server, tmp_path_factory):
    out = tmp_path_factory.mktemp("links-run")
    urls = [f"http://{host}/" for host in SITES]
    result = run_cli(
        ["audit", *urls, "--out", str(out), "--map-host", f"*=127.0.0.1:{site_server.port}", "--format", "html,json,md"]
    )
    return result, out


def _finding(out, site, rule):
    report = json.loads((out / site / "report.json").read_text())
    return next(f for f in report["findings"] if f["rule"] == rule)


@pytest.mark.parametrize(
    ("site", "rule", "expected"),
    [(site, rule, status) for site, rules in SITES.items() for rule, status in rules.items()],
)
def test_each_fixture_gets_the_expected_status(run, site, rule, expected):
    _, out = run
    finding = _finding(out, site, rule)
    assert finding["status"] == expected, finding["message"]


def test_gate_fails_the_run_and_the_summary_names_the_failures(run):
    result, out = run
    assert result.returncode == 1, result.stderr
    assert "www.nolink-recipes.com" in result.stdout
    assert "ccpa.dns-link" in result.stdout
    assert (out / "index.html").is_file()


def test_link_with_odd_whitespace_is_matched_and_located_in_the_footer(run):
    _, out = run
    finding = _finding(out, "www.dnsfooter-news.com", "ccpa.dns-link")
    element = finding["evidence"][0]
    assert element["kind"] == "element"
    assert element["in_footer"] is True
    assert element["text"] == "Do Not Sell or Share My Personal Information"
    assert element["box"]["width"] > 0 and element["screenshot"]["path"] == "evidence/baseline/full.png"


def test_link_inside_open_shadow_root_is_found(run):
    _, out = run
    element = _finding(out, "www.shadowfooter-shop.com", "ccpa.dns-link")["evidence"][0]
    assert element["in_shadow_root"] is True and element["in_footer"] is True


def test_link_inside_same_origin_frame_is_found_with_page_coordinates(run):
    _, out = run
    element = _finding(out, "www.framefooter-news.com", "ccpa.dns-link")["evidence"][0]
    assert element["frame_url"].endswith("/footer.html")
    assert element["box"]["y"] > 50  # offset by the frame's position on the page


def test_headline_mentioning_the_phrase_is_not_taken_for_the_link(run):
    _, out = run
    finding = _finding(out, "www.oldwording-daily.com", "ccpa.dns-link")
    assert all("January" not in item.get("text", "") for item in finding["evidence"])


def test_failing_link_rule_shows_the_advertising_requests_as_evidence(run):
    _, out = run
    finding = _finding(out, "www.nolink-recipes.com", "ccpa.dns-link")
    table = next(item for item in finding["evidence"] if item["kind"] == "table")
    domains = {row[1] for row in table["rows"]}
    assert {"adnxs.com", "criteo.net"} <= domains


def test_run_folder_has_the_layout_design_md_describes(run):
    _, out = run
    site = out / "www.dnsfooter-news.com"
    for name in (
        "report.json",
        "report.html",
        "report.md",
        "evidence/evidence.json",
        "evidence/manifest.json",
        "evidence/baseline/full.png",
        "evidence/baseline/viewport.png",
        "evidence/baseline/dom.html",
        "evidence/gpc/full.png",
    ):
        assert (site / name).is_file(), name
    manifest = json.loads((site / "evidence/manifest.json").read_text())
    listed = {a["path"] for a in manifest["artifacts"]}
    # Paths are relative to the site folder: the manifest covers the reports too.
    assert {"evidence/evidence.json", "evidence/baseline/full.png", "evidence/gpc/dom.html", "report.json"} <= listed
    assert manifest["tool"]["name"] == "auditor" and manifest["browser"]["version"]
    assert manifest["rule_packs"]["ccpa"]


def test_evidence_records_requests_cookies_and_gpc_header_per_profile(run, site_server):
    _, out = run
    evidence = json.loads((out / "www.nolink-recipes.com/evidence/evidence.json").read_text())
    baseline = evidence["profiles"]["baseline"]["homepage"]
    assert baseline["final_url"] == "http://www.nolink-recipes.com/"
    assert baseline["status"] == 200 and baseline["title"] == "No Link Recipes"
    third = [r for r in baseline["requests"] if r["third_party"]]
    assert any(r["registrable_domain"] == "adnxs.com" and r["resource_type"] == "image" for r in third)
    gpc_headers = [h for host, _, h in site_server.log if host == "www.nolink-recipes.com"]
    assert any(h.get("Sec-GPC") == "1" for h in gpc_headers)
    assert any("Sec-GPC" not in h for h in gpc_headers)
    assert not any("DNT" in h for h in gpc_headers)


def test_report_html_renders_in_chromium_offline_without_errors(run, tmp_path):
    import asyncio

    from playwright.async_api import async_playwright

    from auditor.browser import LaunchSettings, find_chromium

    _, out = run
    report = out / "www.nolink-recipes.com" / "report.html"

    async def open_report():
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=find_chromium().executable, args=LaunchSettings().args())
            page = await browser.new_page()
            problems, requests = [], []
            page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: problems.append(str(e)))
            page.on("request", lambda r: requests.append(r.url))
            await page.goto(report.as_uri())
            await page.wait_for_load_state("load")
            artifacts = tmp_path.parent / "test-artifacts"
            artifacts.mkdir(exist_ok=True)
            await page.screenshot(path=artifacts / "links-report.png", full_page=True)
            text = await page.inner_text("body")
            await browser.close()
            return problems, requests, text

    problems, requests, text = asyncio.run(open_report())
    assert problems == []
    assert all(url.startswith("file://") for url in requests), requests
    assert "Fail" in text and "ccpa.dns-link" in text and "Cal. Civ. Code 1798.135(a)" in text
