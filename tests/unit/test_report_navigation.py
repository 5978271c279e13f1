"""Reports people can navigate: per-state variants of a rule as one row with a state table, a contents bar, and
findings that fold (``<details>``), with no script."""

from __future__ import annotations

import datetime as dt
import re

from report_factory import finding, report

from auditor.config import GateConfig
from auditor.gate import gate_reports
from auditor.report.grouping import rule_groups
from auditor.report.html import render_site_html
from auditor.report.markdown import render_markdown

STATES = [
    ("co", "Colorado", "C.R.S. 6-1-1306(1)(a)(IV)(B)", dt.date(2024, 7, 1), "fail"),
    ("ct", "Connecticut", "Conn. Gen. Stat. 42-520(e)(1)(A)(ii)", dt.date(2025, 1, 1), "fail"),
    ("tx", "Texas", "Tex. Bus. & Com. Code 541.055(e)", dt.date(2025, 1, 1), "pass"),
    ("or", "Oregon", "ORS 646A.578(5)(c)", dt.date(2026, 1, 1), "not_applicable"),
]


def uoom(code: str, state: str, citation: str, since: dt.date, status: str, message: str = ""):
    return finding(
        f"{code}.opt-out-signal-honored",
        status,
        "high",
        message or "Under GPC the US Privacy string still says not opted out.",
        title=f"{state}: an opt-out preference signal (GPC) opts the visitor out of sale and targeted advertising",
        citations=[citation],
        citation_links=[None],
        jurisdictions=[code],
        effective_from=since,
    )


def site(**messages):
    findings = [
        finding("ccpa.dns-link", "pass", jurisdictions=["ca"]),
        finding("ccpa.dns-link-wording", "fail", "medium", "Old wording.", jurisdictions=["ca"]),
        *(uoom(*row, messages.get(row[0], "")) for row in STATES),
    ]
    reports, _ = gate_reports([report("www.shop.com", findings)], GateConfig(), None, dt.date(2026, 11, 2))
    return reports[0]


def test_only_per_state_variants_are_grouped():
    groups = rule_groups(site().findings)
    assert list(groups) == ["opt-out-signal-honored"]
    group = groups["opt-out-signal-honored"]
    assert group.states == ["Colorado", "Connecticut", "Texas", "Oregon"]
    assert group.status == "fail" and group.tally() == "2 fail, 1 pass, 1 not applicable"
    assert group.title.startswith("An opt-out preference signal (GPC) opts") and group.title.endswith("— 4 states")
    two = [uoom(*STATES[0]), uoom(*STATES[1])]
    assert rule_groups(two) == {}  # two rules are not worth a table
    legacy = [uoom(*row).model_copy(update={"jurisdictions": []}) for row in STATES]  # a report before 0.2
    assert list(rule_groups(legacy)) == ["opt-out-signal-honored"]
    mismatched = [uoom(*row).model_copy(update={"jurisdictions": ["ca"]}) for row in STATES]
    assert rule_groups(mismatched) == {}  # the prefix must be the rule's own jurisdiction


def test_html_shows_one_row_and_a_state_table(tmp_path):
    page = render_site_html(site(), tmp_path)
    glance = page[page.index('id="glance"') : page.index("</table>", page.index('id="glance"'))]
    assert glance.count('href="#group-opt-out-signal-honored"') == 1
    assert "co.opt-out-signal-honored" not in glance and "2 fail, 1 pass, 1 not applicable" in glance
    table = page[page.index('<table class="states">') : page.index("</table>", page.index('<table class="states">'))]
    rows = re.findall(r"<tr><td>(.*?)</tr>", table, re.S)
    assert len(rows) == 4
    for (code, state, citation, since, status), row in zip(STATES, rows, strict=True):
        assert f'href="#{code}.opt-out-signal-honored">{state}</a>' in row
        assert f"s-{status}" in row and since.isoformat() in row
        assert citation.replace("&", "&amp;") in row
    assert 'class="gate g-blocking">blocking</span>' in rows[0]  # each state's gate decision
    for code, *_ in STATES:
        assert f'id="{code}.opt-out-signal-honored"' in page  # links to a state's rule still land
    # The same observation in every state is shown once.
    assert page.count("Under GPC the US Privacy string still says not opted out.") == 1
    different = render_site_html(site(co="Colorado differs."), tmp_path)
    assert "Colorado differs." in different and different.count("still says not opted out") == 3


def test_html_has_a_contents_bar_and_folding_findings_without_script(tmp_path):
    page = render_site_html(site(), tmp_path)
    nav = page[page.index('<nav class="contents"') : page.index("</nav>")]
    assert 'href="#status-fail" class="c-fail"><b>3</b> failing' in nav
    assert 'href="#status-pass" class="c-pass"><b>2</b> passing' in nav
    assert "<b>0</b> need review" in nav and 'href="#glance"' in nav and "s-fail" in nav  # the verdict
    for status in ("fail", "pass"):
        assert f'<section id="status-{status}"' in page
    # Oregon's "not applicable" sits in the group under "Fail": the contents bar links there.
    assert 'href="#group-opt-out-signal-honored" class="c-not_applicable"><b>1</b> not applicable' in nav
    assert re.search(r'<details class="finding fail" open>\s*<summary>', page)  # failing findings start open
    assert re.search(r'<details class="finding pass">\s*<summary>', page)  # passing ones start folded
    assert re.search(r'<details class="finding group fail" open>', page)
    assert "<script" not in page and "script-src" not in page
    printed = render_site_html(site(), tmp_path, expand_all=True)  # the PDF: nothing folded
    assert not re.search(r"<details(?![^>]*\bopen\b)[^>]*>", printed)


def test_markdown_shows_one_row_and_a_state_table():
    text = render_markdown([site()])
    assert text.count("`*.opt-out-signal-honored` (4 states)") == 1
    assert "`co.opt-out-signal-honored` |" not in text.split("<details><summary>An opt-out")[0]
    states = text[text.index("<details><summary>An opt-out") :]
    assert (
        "| Colorado `co.opt-out-signal-honored` | ❌ fail | **blocking** | C.R.S. 6-1-1306(1)(a)(IV)(B) | 2024-07-01 |"
        in states
    )
    assert (
        "| Oregon `or.opt-out-signal-honored` | ➖ not applicable | not gated | ORS 646A.578(5)(c) | 2026-01-01 |"
        in states
    )
    # Each state keeps its own gate decision: 2 blocking states + the wording rule.
    assert text.count("**blocking**") == 3
