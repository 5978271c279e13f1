"""The gate's decision: levels, baseline, waivers and their expiry, exit codes, and its explanation."""

from __future__ import annotations

import datetime as dt
import json

from report_factory import finding, report

from auditor.config import GateConfig
from auditor.gate import EXIT_GATE_FAILED, EXIT_OK, EXIT_UNREACHABLE, decide, explain, load_baseline, printable

TODAY = dt.date(2026, 11, 2)


def config(**data) -> GateConfig:
    return GateConfig.model_validate(data)


def site_with_wording_failure():
    return report(
        "www.shop.com",
        [finding("ccpa.dns-link", "pass"), finding("ccpa.dns-link-wording", "fail", "medium", "Old wording.")],
    )


def test_a_new_failure_fails_the_gate_and_says_where_and_why():
    result = decide([site_with_wording_failure()], config(), today=TODAY)
    assert result.exit_code == EXIT_GATE_FAILED
    assert [(i.site, i.rule) for i in result.failing] == [("www.shop.com", "ccpa.dns-link-wording")]
    text = "\n".join(explain(result))
    assert "Gate FAILED" in text and "ccpa.dns-link-wording" in text and "Old wording." in text
    assert "[[waivers]]" in text and "--baseline" in text and '"ccpa.dns-link-wording" = "warn"' in text


def test_a_failure_known_from_the_baseline_passes(tmp_path):
    base = tmp_path / "report.json"
    base.write_text(site_with_wording_failure().to_json(), encoding="utf-8")
    result = decide([site_with_wording_failure()], config(), load_baseline(base), today=TODAY)
    assert result.exit_code == EXIT_OK
    assert [i.rule for i in result.known] == ["ccpa.dns-link-wording"]
    assert "Known from the baseline (not new): 1" in explain(result)


def test_baseline_may_be_a_run_folder_or_a_list(tmp_path):
    (tmp_path / "www.shop.com").mkdir()
    (tmp_path / "www.shop.com" / "report.json").write_text(site_with_wording_failure().to_json(), encoding="utf-8")
    assert load_baseline(tmp_path)[("www.shop.com", "ccpa.dns-link-wording")] == "fail"
    listed = tmp_path / "list.json"
    listed.write_text(json.dumps([json.loads(site_with_wording_failure().to_json())]), encoding="utf-8")
    assert ("www.shop.com", "ccpa.dns-link") in load_baseline(listed)


def test_a_new_failure_beside_a_known_one_still_fails(tmp_path):
    base = tmp_path / "report.json"
    base.write_text(site_with_wording_failure().to_json(), encoding="utf-8")
    now = report(
        "www.shop.com",
        [finding("ccpa.dns-link", "fail", "high"), finding("ccpa.dns-link-wording", "fail", "medium")],
    )
    result = decide([now], config(), load_baseline(base), today=TODAY)
    assert result.exit_code == EXIT_GATE_FAILED
    assert [i.rule for i in result.failing] == ["ccpa.dns-link"] and len(result.known) == 1
    assert "1 new finding at error level" in result.reason


def test_a_waived_failure_passes_until_its_expiry_then_fails_and_says_so():
    waiver = {"rule": "ccpa.dns-link-wording", "sites": "www.shop.com", "reason": "WEB-12", "expires": "2026-12-31"}
    before = decide([site_with_wording_failure()], config(waivers=[waiver]), today=dt.date(2026, 12, 30))
    assert before.exit_code == EXIT_OK and [i.rule for i in before.waived] == ["ccpa.dns-link-wording"]
    assert "waived until 2026-12-31: WEB-12" in "\n".join(explain(before))
    after = decide([site_with_wording_failure()], config(waivers=[waiver]), today=dt.date(2026, 12, 31))
    assert after.exit_code == EXIT_GATE_FAILED and not after.waived
    assert after.expired_waivers and "expired on 2026-12-31" in after.expired_waivers[0]
    assert "no longer waived" in "\n".join(explain(after))


def test_config_today_overrides_the_clock():
    waiver = {"rule": "ccpa.*", "reason": "r", "expires": "2020-01-01"}
    cfg = config(waivers=[waiver], today="2019-06-01")
    assert decide([site_with_wording_failure()], cfg).exit_code == EXIT_OK


def test_a_warn_level_failure_passes_with_a_warning():
    result = decide([site_with_wording_failure()], config(assertions={"ccpa.dns-link-wording": "warn"}), today=TODAY)
    assert result.exit_code == EXIT_OK
    assert [i.rule for i in result.warnings] == ["ccpa.dns-link-wording"]
    text = "\n".join(explain(result))
    assert "Gate passed" in text and "Warnings, which do not fail the gate: 1 failing at warn level" in text


def test_fail_on_threshold_and_off_level():
    assert decide([site_with_wording_failure()], config(**{"fail-on": "high"}), today=TODAY).exit_code == EXIT_OK
    off = decide([site_with_wording_failure()], config(assertions={"ccpa.*": "off"}), today=TODAY)
    assert off.exit_code == EXIT_OK and not off.warnings


def test_review_and_not_assessable_warn_by_default_and_can_be_made_errors():
    site = report("a.com", [finding("x.review", "review"), finding("x.na", "not_assessable"), finding("x.p", "pass")])
    default = decide([site], config(), today=TODAY)
    assert default.exit_code == EXIT_OK and {i.rule for i in default.warnings} == {"x.review", "x.na"}
    strict = decide([site], config(review="error"), today=TODAY)
    assert strict.exit_code == EXIT_GATE_FAILED and [i.rule for i in strict.failing] == ["x.review"]


def test_every_site_unassessable_is_exit_3():
    site = report("down.com", [finding("ccpa.dns-link", "not_assessable")])
    result = decide([site, report("down2.com", [finding("x.y", "not_assessable")])], config(), today=TODAY)
    assert result.exit_code == EXIT_UNREACHABLE and "no site could be audited" in explain(result)[0]


def test_site_text_cannot_send_terminal_escapes():
    hostile = report("evil.com", [finding("ccpa.dns-link-wording", "fail", "medium", "Old \x1b[2J\x1b[31mred\x07")])
    lines = explain(decide([hostile], config(), today=TODAY))
    assert not any("\x1b" in line or "\x07" in line for line in lines)
    assert printable("a\x1b[0mb\u009bc") == "a?[0mb?c"


def test_gate_result_serialises_to_json():
    data = json.loads(decide([site_with_wording_failure()], config(), today=TODAY).to_json())
    assert data["exit_code"] == 1 and data["failing"][0]["rule"] == "ccpa.dns-link-wording"
