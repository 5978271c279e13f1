"""Report formats rendered from findings alone: JUnit, Markdown, portfolio CSV, HTML safety, the JSON Schema."""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import re
import xml.etree.ElementTree as ET

from report_factory import finding, report

from auditor.findings import BoxRef, ElementEvidence, ImageEvidence, ScreenshotRef, TableEvidence, TextEvidence
from auditor.report.html import render_site_html, safe_artifact_path
from auditor.report.junit import render_junit
from auditor.report.markdown import escape, render_markdown
from auditor.report.portfolio import render_portfolio_csv, render_portfolio_html
from auditor.report.schema import schema_text
from auditor.resources import bundled_dir

PAYLOAD = "<script>alert(1)</script><img src=x onerror=alert(2)> {{ 7*7 }} {% raw %} ${7*7} @everyone [x](http://evil)"
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


def hostile_report():
    shot = ScreenshotRef(path="evidence/baseline/full.png", width=1280, height=800)
    evidence = [
        ElementEvidence(
            label="Link",
            tag="a",
            text=PAYLOAD,
            href="javascript:alert(3)",
            box=BoxRef(x=10, y=20, width=100, height=15),
            screenshot=shot,
        ),
        TableEvidence(
            label="Cookies",
            columns=["name", "before", "after"],
            rows=[["usprivacy", PAYLOAD, "1YYN"], ["x", True, True]],
        ),
        TextEvidence(label="Banner", text=PAYLOAD),
        ImageEvidence(label="Banner shot", screenshot=shot, box=BoxRef(x=0, y=0, width=50, height=50)),
    ]
    return report(
        "evil.example.com",
        [
            finding(
                "ccpa.dns-link-wording",
                "fail",
                "medium",
                f"The link reads {PAYLOAD}",
                evidence=evidence,
                citation_links=["javascript:alert(4)"],
            ),
            finding("ccpa.dns-link", "pass", "high"),
        ],
        url="https://evil.example.com/?q={{7*7}}<b>",
    )


def test_junit_one_case_per_site_and_rule_and_parses_back():
    reports = [
        report("a.com", [finding("r.pass", "pass"), finding("r.fail", "fail", "high", "Broken \x00 <thing>")]),
        report(
            "b.com",
            [finding("r.review", "review"), finding("r.na", "not_applicable"), finding("r.nass", "not_assessable")],
        ),
    ]
    root = ET.fromstring(render_junit(reports))
    assert root.tag == "testsuites" and root.get("tests") == "5" and root.get("failures") == "1"
    assert root.get("skipped") == "3" and root.get("errors") == "0"
    cases = {(c.get("classname"), c.get("name").split(":")[0]): c for c in root.iter("testcase")}
    assert set(cases) == {
        ("a.com", "r.pass"),
        ("a.com", "r.fail"),
        ("b.com", "r.review"),
        ("b.com", "r.na"),
        ("b.com", "r.nass"),
    }
    failure = cases[("a.com", "r.fail")].find("failure")
    assert failure.get("type") == "high" and "<thing>" in failure.get("message") and "How to fix" in failure.text
    assert cases[("b.com", "r.review")].find("skipped").get("message").startswith("needs review: ")
    assert cases[("b.com", "r.nass")].find("skipped").get("message").startswith("not assessable: ")
    assert cases[("a.com", "r.pass")].find("failure") is None and cases[("a.com", "r.pass")].find("skipped") is None
    props = {p.get("name"): p.get("value") for p in root.find("testsuite").iter("property")}
    assert props["url"] == "https://a.com/" and props["verdict"] == "fail"


def test_markdown_escapes_site_text_for_a_pull_request_comment():
    text = render_markdown([hostile_report()], ["**Gate ❌ failed**"])
    assert "<script>" not in text and "<img" not in text and "@everyone" not in text
    assert "[x](http" not in text and "\\[x\\]" in text and "&lt;script&gt;" in text
    assert text.startswith("## 🔒 Privacy compliance audit\n\n**Gate ❌ failed**")
    assert "<details><summary>1 other rules" in text
    assert escape("a|b\nc") == "a\\|b c"


def test_markdown_lists_sites_when_several_and_stays_under_the_comment_limit():
    many = [report(f"s{i}.com", [finding(f"r.{j}", "fail", message="x" * 250) for j in range(30)]) for i in range(40)]
    text = render_markdown(many)
    assert len(text) < 65_536 and "more sites: see the HTML reports" in text
    assert "| Site | Verdict |" in text


def test_portfolio_csv_has_a_column_per_rule_and_defuses_formulas():
    reports = [
        report("a.com", [finding("r.one", "fail"), finding("r.two", "pass")], url="https://a.com/=HYPERLINK(1)"),
        report("b.com", [finding("r.one", "pass")]),
    ]
    rows = list(csv.DictReader(io.StringIO(render_portfolio_csv(reports))))
    assert [r["site_id"] for r in rows] == ["a.com", "b.com"]
    assert rows[0]["r.one"] == "fail" and rows[0]["r.two"] == "pass" and rows[1]["r.two"] == ""
    assert rows[0]["verdict"] == "fail" and rows[0]["fail"] == "1" and rows[0]["report"] == "a.com/report.html"
    formula = report("c.com", [finding("r.one", "pass")], url="=cmd|' /C calc'!A0")
    assert "'=cmd" in render_portfolio_csv([formula])


def csp_of(page: str) -> str:
    return re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page).group(1).replace("&#39;", "'")


def inline_hash(page: str, tag: str) -> str:
    body = re.search(rf"<{tag}>(.*?)</{tag}>", page, re.S).group(1)
    return "'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'"


def test_site_html_escapes_everything_and_allows_only_its_own_hashed_style(tmp_path):
    page = render_site_html(hostile_report(), tmp_path)
    assert "<script" not in page and "<img" not in page and "onerror=alert(2)>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "{{ 7*7 }}" in page and "{% raw %}" in page
    assert ' style="' not in page  # geometry lives in the hashed stylesheet
    assert 'href="javascript:' not in page  # neither the site's href nor a bad citation link becomes a link
    csp = csp_of(page)
    assert "default-src 'none'" in csp and "script-src" not in csp and "unsafe-inline" not in csp
    assert f"style-src {inline_hash(page, 'style')}" in csp
    assert "evidence/baseline/full.png" in page  # linked relatively by default


def test_self_contained_html_inlines_our_screenshots_only(tmp_path):
    (tmp_path / "evidence" / "baseline").mkdir(parents=True)
    (tmp_path / "evidence" / "baseline" / "full.png").write_bytes(PNG)
    page = render_site_html(hostile_report(), tmp_path, self_contained=True)
    assert "data:image/png;base64," + base64.b64encode(PNG).decode() in page
    assert page.count("data:image/png;base64,") == 1  # one stylesheet rule per image, however often it is used
    assert 'href="evidence/' not in page and "img-src data:" in csp_of(page)


def test_artifact_paths_outside_the_site_folder_are_never_drawn(tmp_path):
    for bad in ("../secret.png", "/etc/x.png", "evidence/../../x.png", "javascript:alert(1).png", "a.svg", "./x.png"):
        assert safe_artifact_path(bad) is None, bad
    assert safe_artifact_path("runs/2/evidence/gpc/full.png") == "runs/2/evidence/gpc/full.png"


def test_portfolio_allows_its_script_by_hash_only():
    page = render_portfolio_html([hostile_report(), report("b.com", [finding("ccpa.dns-link", "fail")])])
    csp = csp_of(page)
    assert f"script-src {inline_hash(page, 'script')}" in csp and "unsafe-inline" not in csp
    assert f"style-src {inline_hash(page, 'style')}" in csp
    assert "<script>alert" not in page and page.count("<script>") == 1
    assert 'href="portfolio.csv"' in page


def test_published_report_schema_matches_the_models():
    published = (bundled_dir("schemas") / "report.schema.json").read_text(encoding="utf-8")
    assert published == schema_text(), "schemas/report.schema.json is stale: run python -m auditor.report.schema"


def test_what_could_not_be_seen_lists_each_reason_once_with_its_rules(tmp_path):
    failed = "In the baseline visit, the search for the privacy policy did not finish (it ran out of time): timed out"
    site = report(
        "shop.example",
        [
            finding("ccpa.privacy-policy-updated", "not_assessable", message=failed),
            finding("ccpa.policy-right-to-know", "not_assessable", message=failed),
            finding("ccpa.gpc-honored", "not_assessable", message="The gpc visit was not captured."),
            finding("ccpa.dns-link", "pass"),
        ],
    )
    page = render_site_html(site, tmp_path)
    section = page[
        page.index("What could not be seen") : page.index("</section>", page.index("What could not be seen"))
    ]
    assert section.count(failed) == 1 and "2 rules:" in section and 'href="#ccpa.policy-right-to-know"' in section
    assert "The gpc visit was not captured." in section and "ccpa.dns-link" not in section
    text = render_markdown([site])
    listed = text[text.index("**What could not be seen**") :].split("\n\n")[1].splitlines()
    assert listed == [  # in rule order, as the rest of the comment
        "- The gpc visit was not captured. — `ccpa.gpc-honored`",
        f"- {escape(failed)} — `ccpa.policy-right-to-know`, `ccpa.privacy-policy-updated`",
    ]


def test_a_report_where_everything_was_seen_has_no_such_section(tmp_path):
    site = report("shop.example", [finding("ccpa.dns-link", "pass"), finding("ccpa.dns-link-wording", "fail")])
    assert "What could not be seen" not in render_site_html(site, tmp_path)
    assert "What could not be seen" not in render_markdown([site])
