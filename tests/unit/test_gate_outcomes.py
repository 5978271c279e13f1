"""One gate decision everywhere: the gate decides each finding once, and every output shows that decision.

The run here has one blocking failure, one failure waived until a date, one failure known from the baseline, one
finding that needs review (a warning) and passing rules. Every format must count what the gate counted: JUnit
failures, SARIF error results without a suppression, Code Quality blockers, ``::error`` annotations, "blocking"
in Markdown and HTML all equal the gate's "N findings at error level", and the exit code follows from it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import xml.etree.ElementTree as ET

from report_factory import finding, report
from sarif_validation import validate_sarif

from auditor.config import GateConfig
from auditor.findings import GateOutcome, SiteReport
from auditor.gate import EXIT_GATE_FAILED, EXIT_OK, explain, gate_reports, markdown_lines
from auditor.report.annotations import annotation_lines, escape_data, escape_property
from auditor.report.codequality import codequality_issues
from auditor.report.html import render_site_html
from auditor.report.junit import render_junit
from auditor.report.markdown import render_markdown
from auditor.report.sarif import sarif_log
from auditor.report.terminal import gate_tally

TODAY = dt.date(2026, 11, 2)
WAIVER = {"rule": "ccpa.dns-link-wording", "sites": "www.shop.com", "reason": "WEB-12 footer", "expires": "2026-12-31"}


def shop(wording_message: str = "Old wording.") -> SiteReport:
    return report(
        "www.shop.com",
        [
            finding("ccpa.dns-link", "pass"),
            finding("ccpa.dns-link-wording", "fail", "medium", wording_message),
            finding("ccpa.privacy-policy-link", "fail", "high", "No privacy policy link."),
            finding("ccpa.gpc-honored", "fail", "critical", "GPC ignored."),
            finding("ccpa.choice-symmetry", "review", "medium", "A person must compare the two paths."),
            finding("gpc.well-known", "not_applicable", "info"),
        ],
    )


def baseline() -> dict:
    # The policy link failed before too: known, not new.
    return {("www.shop.com", "ccpa.privacy-policy-link"): "fail", ("www.shop.com", "ccpa.dns-link"): "pass"}


def decided(**config):
    return gate_reports([shop()], GateConfig.model_validate({"waivers": [WAIVER], **config}), baseline(), TODAY)


def outcomes(reports: list[SiteReport]) -> dict[str, str]:
    return {f.rule: f.gate.outcome.value for r in reports for f in r.findings}


def test_each_finding_carries_the_gate_decision_in_report_json():
    reports, result = decided()
    assert outcomes(reports) == {
        "ccpa.dns-link": "off",
        "ccpa.dns-link-wording": "waived",
        "ccpa.privacy-policy-link": "known",
        "ccpa.gpc-honored": "blocking",
        "ccpa.choice-symmetry": "warning",
        "gpc.well-known": "off",
    }
    wording = next(f for f in reports[0].findings if f.rule == "ccpa.dns-link-wording")
    assert wording.gate.waived_until == dt.date(2026, 12, 31) and "WEB-12 footer" in wording.gate.note
    assert wording.gate.level == "error"  # the level before the waiver: medium is at or above fail-on "low"
    saved = json.loads(reports[0].to_json())
    assert saved["schema"] == "auditor.report/1"
    assert saved["findings"][3]["gate"] == {"outcome": "blocking", "level": "error", "note": "", "waived_until": None}
    # The run's verdict is made of the same decisions.
    assert result.exit_code == EXIT_GATE_FAILED and result.reason == "1 new finding at error level"
    assert [i.rule for i in result.failing] == ["ccpa.gpc-honored"]
    assert [i.outcome for i in result.waived + result.known] == ["waived", "known"]


def test_the_decision_reflects_the_configuration():
    reports, result = decided(assertions={"ccpa.gpc-honored": "warn"})
    assert outcomes(reports)["ccpa.gpc-honored"] == "warning" and result.exit_code == EXIT_OK
    reports, _ = decided(assertions={"ccpa.choice-symmetry": "off"})
    assert outcomes(reports)["ccpa.choice-symmetry"] == "off"
    reports, _ = gate_reports([shop()], GateConfig.model_validate({"waivers": [WAIVER]}), None, dt.date(2027, 1, 1))
    wording = next(f for f in reports[0].findings if f.rule == "ccpa.dns-link-wording")
    assert wording.gate.outcome == GateOutcome.BLOCKING and "waiver expired on 2026-12-31" in wording.gate.note


def count_blocking_words(text: str) -> int:
    return len(re.findall(r"\bblocking\b", text))


def test_every_format_agrees_with_the_gate(tmp_path):
    reports, result = decided()
    errors = len(result.failing)
    assert errors == 1 and result.exit_code == EXIT_GATE_FAILED
    assert f"{errors} new finding at error level" in result.reason

    junit = ET.fromstring(render_junit(reports))
    assert int(junit.get("failures")) == errors
    cases = {c.get("name").split(":")[0]: c for c in junit.iter("testcase")}
    assert cases["ccpa.gpc-honored"].find("failure") is not None
    assert cases["ccpa.dns-link-wording"].find("skipped").get("message").startswith("waived until 2026-12-31")
    assert cases["ccpa.privacy-policy-link"].find("skipped").get("message").startswith("known: fail in the baseline")
    review = cases["ccpa.choice-symmetry"]
    assert review.find("skipped") is None and review.find("failure") is None  # passed by the gate ...
    assert review.find("system-out").text.startswith("warning (does not fail the gate): needs review")  # ... noted

    log = sarif_log(reports)
    validate_sarif(log)
    results = {r["ruleId"]: r for r in log["runs"][0]["results"]}
    assert set(results) == {
        "ccpa.dns-link-wording",
        "ccpa.privacy-policy-link",
        "ccpa.gpc-honored",
        "ccpa.choice-symmetry",
    }
    unsuppressed_errors = [r for r in results.values() if r["level"] == "error" and not r.get("suppressions")]
    assert len(unsuppressed_errors) == errors
    assert results["ccpa.choice-symmetry"]["level"] == "warning" and results["ccpa.choice-symmetry"]["kind"] == "fail"
    assert results["ccpa.choice-symmetry"]["properties"]["status"] == "review"
    waived = results["ccpa.dns-link-wording"]["suppressions"]
    assert waived == [
        {"kind": "external", "status": "accepted", "justification": "waived until 2026-12-31: WEB-12 footer"}
    ]
    assert results["ccpa.privacy-policy-link"]["suppressions"][0]["justification"] == "known: fail in the baseline"
    omitted = sarif_log(reports, include_suppressed=False)
    validate_sarif(omitted)
    assert {r["ruleId"] for r in omitted["runs"][0]["results"]} == {"ccpa.gpc-honored", "ccpa.choice-symmetry"}

    quality = codequality_issues(reports, "audit-reports")
    assert sum(i["severity"] == "blocker" for i in quality) == errors
    assert {i["check_name"]: i["severity"] for i in quality} == {
        "ccpa.gpc-honored": "blocker",
        "ccpa.choice-symmetry": "minor",
    }

    annotations = annotation_lines(reports, "audit-reports")
    assert sum(line.startswith("::error ") for line in annotations) == errors
    assert sum(line.startswith("::warning ") for line in annotations) == 1 and len(annotations) == 2

    markdown = render_markdown(reports, markdown_lines(result))
    assert markdown.count("**blocking**") == errors
    assert "waived until 2026-12-31: WEB-12 footer" in markdown and "known: fail in the baseline" in markdown
    assert "**Gate ❌ failed**: 1 new finding at error level" in markdown

    html = render_site_html(reports[0], tmp_path)
    assert html.count('class="gate g-blocking"') == 2 * errors  # the at-a-glance row and the finding itself
    assert "waived until 2026-12-31: WEB-12 footer" in html and "known: fail in the baseline" in html

    terminal = "\n".join(explain(result))
    assert f"Failing the gate ({errors}):" in terminal and "Waived: 1" in terminal
    assert "Known from the baseline (not new): 1" in terminal and "ccpa.privacy-policy-link  [fail]" in terminal
    assert gate_tally(reports[0]) == "1 block, 1 warn, 1 waived, 1 known"


def test_a_report_without_gate_decisions_renders_by_status():
    legacy = shop()
    assert all(f.gate is None for f in legacy.findings)
    junit = ET.fromstring(render_junit([legacy]))
    assert junit.get("failures") == "3" and junit.get("skipped") == "2"
    levels = {r["ruleId"]: (r["kind"], r["level"]) for r in sarif_log([legacy])["runs"][0]["results"]}
    assert levels["ccpa.gpc-honored"] == ("fail", "error") and levels["ccpa.choice-symmetry"] == ("review", "none")
    assert len(codequality_issues([legacy])) == 3 and annotation_lines([legacy]) == []


def test_fingerprints_do_not_follow_the_message():
    one, _ = decided()
    two, _ = gate_reports(
        [shop("The wording changed its text.")], GateConfig.model_validate({"waivers": [WAIVER]}), baseline(), TODAY
    )

    def prints(reports):
        sarif = {r["ruleId"]: r["partialFingerprints"] for r in sarif_log(reports)["runs"][0]["results"]}
        quality = {i["check_name"]: i["fingerprint"] for i in codequality_issues(reports)}
        return sarif, quality

    assert prints(one) == prints(two)


def test_annotations_are_escaped_so_site_text_cannot_start_a_command():
    hostile = report("evil.com", [finding("ccpa.dns-link", "fail", "high", "50% off\n::error::forged\r,: x\x1b[2J")])
    reports, _ = gate_reports([hostile], GateConfig(), None, TODAY)
    (line,) = annotation_lines(reports, "out")
    assert line.count("\n") == 0 and line.startswith("::error title=ccpa.dns-link on evil.com [fail%2C high]::")
    # Line breaks and escapes in site text are replaced (as in the terminal); "%" is escaped, so nothing decodes
    # into a line break either.
    assert line.endswith("::50%25 off?::error::forged?,: x?[2J — report: out/evil.com/report.html#ccpa.dns-link")
    assert escape_property("a:b,c%") == "a%3Ab%2Cc%25" and escape_data("a:b,c") == "a:b,c"
