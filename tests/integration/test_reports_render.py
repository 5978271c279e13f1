"""Reports of a real audit, opened in real Chromium: they render, run nothing, fetch nothing.

One audit of three fixture sites (two of them hostile: their link text, banner text, cookie values and URLs carry
``<script>``, ``onerror=`` and template-syntax payloads) feeds every test here. Screenshots of what was opened are
kept under ``test-artifacts/``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
from report_viewer import ReportBrowser
from sarif_validation import validate_sarif

from auditor.report.grouping import group_of, rule_groups
from auditor.resources import bundled_dir

pytestmark = pytest.mark.browser

SITES = {
    "www.gatecheck-outfitters.com": "http://www.gatecheck-outfitters.com/",
    "www.payload-pantry.com": "http://www.payload-pantry.com/?campaign={{7*7}}<b>x</b>",
    "www.payload-parlor.com": "http://www.payload-parlor.com/",
}
HOSTILE = ["www.payload-pantry.com", "www.payload-parlor.com"]


def auditor(*args: str, cwd: Path | None = None, timeout: float = 600) -> subprocess.CompletedProcess:
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "auditor.cli", *args], capture_output=True, text=True, timeout=timeout, env=env, cwd=cwd
    )


@pytest.fixture(scope="module")
def run(site_server, tmp_path_factory) -> Path:
    """One audit of the three sites in every format; returns the output folder."""
    work = tmp_path_factory.mktemp("reports")
    (work / "auditor.toml").write_text("", encoding="utf-8")  # defaults, whatever the repository's pyproject says
    out = work / "out"
    result = auditor(
        "audit",
        *SITES.values(),
        "--out",
        str(out),
        "--map-host",
        f"*=127.0.0.1:{site_server.port}",
        "--format",
        "html,json,md,sarif,junit,pdf",
        "--history",
        str(work / "history.db"),
        cwd=work,
    )
    assert result.returncode == 1, result.stdout + result.stderr  # the fixtures fail on purpose
    assert "Gate FAILED" in result.stdout
    return out


@pytest.fixture(scope="module")
def chromium():
    """One browser for every report view of this module."""
    with ReportBrowser() as browser:
        yield browser


@pytest.mark.parametrize("site_id", list(SITES))
def test_site_report_renders_offline_without_errors(run, chromium, site_id):
    # The whole page of the first site is kept for a person to read; the others' first screen.
    seen = chromium.view(
        run / site_id / "report.html",
        f"report-{site_id}.png",
        full_page=site_id == next(iter(SITES)),
        actions=lambda page: {"all_text": page.evaluate("() => document.body.textContent")},
    )
    report = json.loads((run / site_id / "report.json").read_text(encoding="utf-8"))
    assert seen.title.startswith(f"Privacy audit: {site_id}")
    assert not seen.errors() and not seen.dialogs and not seen.csp_violations
    assert not seen.foreign_requests(run), seen.requests
    # Every finding's title is on screen; a per-state rule's, in its group (folded when nothing in it needs a look),
    # whose own title is on screen.
    groups = rule_groups(report["findings"])
    for finding in report["findings"]:
        group = group_of(groups, finding)
        assert finding["title"] in (seen.extra["all_text"] if group else seen.text)
        if group:
            assert group.title in seen.text
    assert "what we observed" in seen.text.lower() and "why it matters" in seen.text.lower()


def test_outlined_element_screenshot_is_drawn(run, chromium):
    def crops(page):
        return page.evaluate(
            """() => [...document.querySelectorAll('.crop')].map(c => ({
                 image: getComputedStyle(c.querySelector('.shot')).backgroundImage,
                 box: !!c.querySelector('.box'), width: c.getBoundingClientRect().width}))"""
        )

    seen = chromium.view(
        run / "www.gatecheck-outfitters.com" / "report.html", actions=lambda page: {"crops": crops(page)}
    )
    drawn = seen.extra["crops"]
    assert drawn and all(c["image"].startswith('url("file://') and c["width"] > 50 for c in drawn)
    assert any(c["box"] for c in drawn)


@pytest.mark.parametrize("site_id", HOSTILE)
def test_hostile_site_content_never_runs_in_its_report(run, chromium, site_id):
    def inspect(page):
        return page.evaluate(
            """() => ({
                 active: document.querySelectorAll('script, img, iframe, object, embed, form, base, link').length,
                 handlers: [...document.querySelectorAll('*')].filter(e =>
                     [...e.attributes].some(a => a.name.startsWith('on'))).length,
                 jsLinks: [...document.querySelectorAll('a')].filter(a => a.href.startsWith('javascript:')).length,
                 payloadTexts: [...document.querySelectorAll('p, blockquote, td, div, h1')]
                     .filter(e => e.children.length === 0 && e.textContent.includes('7*7'))
                     .map(e => e.textContent)})"""
        )

    seen = chromium.view(run / site_id / "report.html", f"hostile-{site_id}.png", actions=inspect)
    assert not seen.dialogs and not seen.errors() and not seen.csp_violations
    assert not seen.foreign_requests(run), seen.requests
    found = seen.extra
    assert found["active"] == 0 and found["handlers"] == 0 and found["jsLinks"] == 0
    assert "{{ 7*7 }}" in seen.text or "{{7*7}}" in seen.text
    assert found["payloadTexts"], "the payload text should be shown, inert"
    for text in found["payloadTexts"]:
        assert "49" not in text, text
    assert "<script>alert(" in seen.text or "onerror=alert(" in seen.text  # shown literally, as text


def test_hostile_cookie_values_and_link_text_reach_the_report_as_text(run):
    pantry = (run / "www.payload-pantry.com" / "report.json").read_text(encoding="utf-8")
    parlor = (run / "www.payload-parlor.com" / "report.json").read_text(encoding="utf-8")
    assert "alert('cookie')" in pantry or "alert('gpp')" in pantry, "a hostile cookie value should be in evidence"
    assert "alert('dns')" in parlor
    html = (run / "www.payload-parlor.com" / "report.html").read_text(encoding="utf-8")
    assert "alert('dns')" not in html and "&lt;script&gt;alert(&#39;dns&#39;)&lt;/script&gt;" in html


def test_portfolio_renders_with_counts_sorting_filtering_and_csv(run, chromium):
    def use(page):
        before = page.evaluate("() => [...document.querySelectorAll('#matrix tbody tr')].map(r => r.dataset.verdict)")
        page.click("#matrix th:nth-child(3)")  # Fail count, ascending
        page.click("#matrix th:nth-child(3)")  # then descending
        fails = page.evaluate(
            "() => [...document.querySelectorAll('#matrix tbody tr td:nth-child(3)')].map(c => +c.dataset.v)"
        )
        page.select_option("#filter-verdict", "fail")
        shown = page.inner_text("#shown")
        page.fill("#filter-text", "pantry")
        narrowed = page.inner_text("#shown")
        page.fill("#filter-text", "")
        page.select_option("#filter-verdict", "")
        return {"before": before, "fails": fails, "shown": shown, "narrowed": narrowed}

    seen = chromium.view(run / "index.html", "portfolio.png", actions=use, full_page=True)
    assert not seen.errors() and not seen.dialogs and not seen.csp_violations
    assert not seen.foreign_requests(run), seen.requests
    assert "3 sites" in seen.title
    got = seen.extra
    assert got["fails"] == sorted(got["fails"], reverse=True)
    assert got["shown"] == f"{got['before'].count('fail')} of 3 sites"
    assert got["narrowed"] == "1 of 3 sites"
    rows = (run / "portfolio.csv").read_text(encoding="utf-8").splitlines()
    assert rows[0].startswith("site_id,url,final_url,verdict") and len(rows) == 4
    assert "ccpa.dns-link-wording" in rows[0]


def test_machine_formats_validate_and_parse_back(run):
    schema = json.loads((bundled_dir("schemas") / "report.schema.json").read_text(encoding="utf-8"))
    for site_id in SITES:
        report = json.loads((run / site_id / "report.json").read_text(encoding="utf-8"))
        jsonschema.Draft202012Validator(schema).validate(report)
        validate_sarif(json.loads((run / site_id / "report.sarif").read_text(encoding="utf-8")))
        suite = ET.parse(run / site_id / "report.junit.xml").getroot().find("testsuite")
        assert int(suite.get("tests")) == len(report["findings"])
        assert int(suite.get("failures")) == sum(f["status"] == "fail" for f in report["findings"])
        assert (run / site_id / "report.pdf").read_bytes().startswith(b"%PDF")
    combined = json.loads((run / "report.sarif").read_text(encoding="utf-8"))
    validate_sarif(combined)
    assert {r["properties"]["site"] for r in combined["runs"][0]["results"]} >= {"www.gatecheck-outfitters.com"}
    assert ET.parse(run / "report.junit.xml").getroot().get("tests")
    summary = (run / "summary.md").read_text(encoding="utf-8")
    assert summary.startswith("## 🔒 Privacy compliance audit") and "**Gate ❌ failed**" in summary
    assert "<script>" not in summary
    gate = json.loads((run / "gate.json").read_text(encoding="utf-8"))
    assert gate["exit_code"] == 1 and gate["failing"]


def test_report_command_rerenders_a_self_contained_single_file(run, chromium, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(run, copy)
    result = auditor("report", str(copy), "--self-contained", "--format", "html,md,sarif,junit")
    assert result.returncode == 0, result.stderr
    single = tmp_path / "alone.html"
    shutil.copy(copy / "www.gatecheck-outfitters.com" / "report.html", single)  # without its evidence folder
    text = single.read_text(encoding="utf-8")
    assert "data:image/png;base64," in text and 'href="evidence/' not in text

    def backgrounds(page):
        return page.evaluate(
            "() => [...document.querySelectorAll('.shot')].map(s => getComputedStyle(s).backgroundImage.slice(0, 20))"
        )

    seen = chromium.view(single, "self-contained.png", actions=lambda page: {"images": backgrounds(page)})
    assert seen.extra["images"] and all(i.startswith('url("data:image/png') for i in seen.extra["images"])
    assert not seen.errors() and not seen.csp_violations and not seen.foreign_requests(tmp_path)
    assert (copy / "index.html").is_file() and (copy / "summary.md").read_text(encoding="utf-8").count("Gate") >= 1


def test_report_command_rejects_a_folder_without_reports(tmp_path):
    result = auditor("report", str(tmp_path))
    assert result.returncode == 2 and "no report.json" in result.stderr


def test_contents_bar_groups_and_folded_findings_work_without_script(run, chromium):
    """The report's navigation in a real browser: contents links land on sections, the per-state rules are one
    group whose state links open the state, and a link to a folded finding unfolds it."""

    def navigate(page):
        contents = page.eval_on_selector_all(".contents a", "links => links.map(a => a.getAttribute('href'))")
        page.click(".contents a[href='#status-fail']")
        fail_section = page.evaluate("() => location.hash")
        page.click(".glance a[href^='#group-']")
        group_open = page.evaluate("() => document.querySelector('.target[id^=\"group-\"]').closest('details').open")
        page.click("table.states a[href='#tx.opt-out-signal-honored']")
        state_seen = page.evaluate("() => document.getElementById('tx.opt-out-signal-honored').checkVisibility()")
        folded = page.evaluate("() => [...document.querySelectorAll('details.finding.pass')].map(d => d.open)")
        target = page.evaluate("() => document.querySelector('details.finding.pass .target').id")
        page.click(f".glance a[href='#{target}']")
        unfolded = page.evaluate(f"() => document.getElementById('{target}').closest('details').open")
        return {
            "contents": contents,
            "fail": fail_section,
            "group_open": group_open,
            "state": state_seen,
            "folded": folded,
            "unfolded": unfolded,
        }

    seen = chromium.view(run / "www.gatecheck-outfitters.com" / "report.html", "navigation.png", actions=navigate)
    got = seen.extra
    assert "#status-fail" in got["contents"] and "#glance" in got["contents"] and got["fail"] == "#status-fail"
    assert got["group_open"] and got["state"]
    assert got["folded"] and not any(got["folded"]) and got["unfolded"]
    assert not seen.errors() and not seen.csp_violations and not seen.foreign_requests(run)
    html = (run / "www.gatecheck-outfitters.com" / "report.html").read_text(encoding="utf-8")
    assert "<script" not in html and html.count('<table class="states">') == 1
