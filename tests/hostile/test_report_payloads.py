"""A site's text in every report format: shown as inert text, never markup, never run, never breaking the format.

The payloads here are those ``tests/integration/test_reports_render.py`` does not carry: a terminal escape sequence,
a right-to-left override, XML-breaking ``]]>`` and control characters, a Markdown ``javascript:`` link and an
``@mention``, captured live from a page (link text, a ``javascript:`` link target, a cookie value).
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest
from playwright.sync_api import sync_playwright

from auditor.browser import find_chromium
from tests.hostile.conftest import run_auditor
from tests.hostile.faults import COOKIE_PAYLOAD

pytestmark = pytest.mark.browser

SITE = "www.payload-market.com"
FORMATS = "html,json,md,sarif,junit"
VISIBLE = "<script>alert(1)</script>"  # the part of the payload a reader must see, literally


@pytest.fixture(scope="module")
def run(servers_for, tmp_path_factory):
    servers = servers_for({SITE: "payloads"})
    # "[/]" in the URL: the progress line prints it as it is (as terminal markup it would raise mid-run).
    url = f"http://{SITE}/?ref=[/]"
    # Every visit: the cookie value reaches the reports through the GPC rules' signal tables.
    out = tmp_path_factory.mktemp("payloads")
    return run_auditor(servers, out, [url], "--format", FORMATS, "--profiles", "baseline,gpc,optout")


def _texts(value) -> list[str]:
    """Every string inside a JSON value."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [t for v in value.values() for t in _texts(v)]
    if isinstance(value, list):
        return [t for v in value for t in _texts(v)]
    return []


def test_the_payloads_were_captured_and_reported(run):
    texts = _texts(run.report(SITE))
    assert any("{{7*7}}" in t and VISIBLE in t and "]]>" in t for t in texts), "link text should reach the report"
    assert any("javascript:alert('href')" in t for t in texts), "the link target should be shown as data"
    assert any(COOKIE_PAYLOAD[:30] in t for t in texts), "the cookie value should be shown as data"


def test_the_json_report_is_valid_and_keeps_the_text_as_data(run):
    raw = (run.site_dir(SITE) / "report.json").read_text(encoding="utf-8")
    assert "\x1b" not in raw  # JSON escapes control characters (\u001b)
    report = json.loads(raw)
    wording = next(f for f in report["findings"] if f["rule"] == "ccpa.dns-link-wording")
    assert wording["status"] == "fail" and "{{7*7}}" in wording["message"]


def test_the_html_report_runs_nothing_in_a_real_browser(run):
    path = run.site_dir(SITE) / "report.html"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=find_chromium().executable, args=["--no-sandbox"])
        page = browser.new_page()
        dialogs, errors, requests = [], [], []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("request", lambda r: requests.append(r.url))
        page.goto(path.as_uri())
        found = page.evaluate(
            """() => ({
                scripts: document.querySelectorAll('script').length,
                handlers: [...document.querySelectorAll('*')].filter(e =>
                    [...e.attributes].some(a => a.name.toLowerCase().startsWith('on'))).length,
                jsLinks: [...document.querySelectorAll('[href], [src]')].filter(e =>
                    /^\\s*(javascript|data:text\\/html)/i.test(e.getAttribute('href') || e.getAttribute('src') || '')
                ).length,
                text: document.body.innerText})"""
        )
        page.wait_for_timeout(300)  # let any injected timer fire before judging
        browser.close()
    assert not dialogs and not errors, (dialogs, errors)
    assert found["scripts"] == 0 and found["handlers"] == 0 and found["jsLinks"] == 0, found
    assert VISIBLE in found["text"] and "{{7*7}}" in found["text"]
    assert not [u for u in requests if not u.startswith(("file:", "data:"))], requests


def _tables(md: str) -> list[list[str]]:
    tables, current = [], []
    for line in md.splitlines() + [""]:
        if line.startswith("|"):
            current.append(line)
        elif current:
            tables.append(current)
            current = []
    return tables


def _cells(row: str) -> int:
    return len(re.findall(r"(?<!\\)\|", row))


def test_the_markdown_report_adds_no_markup(run):
    md = (run.site_dir(SITE) / "report.md").read_text(encoding="utf-8")
    assert "7*7" in md.replace("\\", ""), "the text should still be shown"
    assert "<script" not in md and "@all" not in md
    assert not re.search(r"(?<!\\)\]\(javascript:", md), "a site's text must not make a Markdown link"
    assert "\x1b" not in md and "\u202e" not in md  # no terminal escapes, no right-to-left override
    # Every row of a table has as many cell separators as its header: the site's "|" cannot add a column.
    tables = _tables(md)
    assert tables
    for table in tables:
        assert {_cells(row) for row in table} == {_cells(table[0])}, table


def test_sarif_and_junit_stay_valid(run):
    sarif = json.loads((run.site_dir(SITE) / "report.sarif").read_text(encoding="utf-8"))
    assert any("{{7*7}}" in t for t in _texts(sarif))
    junit = run.site_dir(SITE) / "report.junit.xml"
    root = ET.parse(junit).getroot()  # raises on control characters or a stray "]]>" breaking a CDATA section
    text = " ".join(root.itertext()) + " ".join(v for e in root.iter() for v in e.attrib.values())
    assert "{{7*7}}" in text and VISIBLE in text


def test_the_terminal_output_carries_no_escape_sequences_from_the_site(run):
    assert "Traceback" not in run.stderr, run.stderr
    assert f"http://{SITE}/?ref=[/]" in run.stdout
    assert "\x1b" not in run.stdout and "\x1b" not in run.stderr
    assert "\u202e" not in run.stdout
