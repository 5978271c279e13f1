"""The rule-pack format: built-in packs, malformed packs (file, line, reason), overrides, schema, effective dates."""

from __future__ import annotations

import datetime as dt
import json
import textwrap
from pathlib import Path

import jsonschema
import pytest
import yaml

from auditor.checks import CHECKS
from auditor.engine import default_context, evaluate_rule
from auditor.rulepacks import (
    RulePackError,
    all_rules,
    builtin_pack_paths,
    load_pack,
    load_packs,
    resolve_rules,
    rulepack_json_schema,
)
from tests.unit.rule_evidence import evidence, footer_links, link, page

REPO = Path(__file__).resolve().parents[2]
UOOM_STATES = {"co", "ct", "tx", "mt", "ne", "nh", "nj", "or", "de", "md", "mn"}
RULE = """\
  - id: team.rule
    title: A team rule
    severity: low
    jurisdictions: [ca]
    citations: [{text: Team standard 1}]
    check: homepage_link
    params: {phrases: [cookie settings]}
"""


def _pack(tmp_path: Path, text: str, name: str = "team.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_builtin_packs_load_and_every_rule_names_a_known_check():
    rules = all_rules(load_packs(builtin_pack_paths()))
    assert {r.check for r in rules.values()} <= set(CHECKS)
    assert all(r.citations for r in rules.values())
    # Every rule decides a requirement of the legal catalog, except informational ones (gpc.well-known).
    assert [r.id for r in rules.values() if not r.catalog and r.severity != "info"] == []


def test_uoom_pack_has_one_dated_signal_rule_per_state_and_marks_uncertainty():
    pack = load_pack(REPO / "rules" / "us-uoom.yaml")
    assert {j for r in pack.rules for j in r.jurisdictions} == UOOM_STATES
    for rule in pack.rules:
        assert rule.check == "gpc_honored" and rule.effective.from_ is not None
        params = rule.check_params()
        assert params.state == rule.jurisdictions[0] and params.gpp_sections[-1] == "usnat"
        if rule.confidence != "high":
            assert "[verify]" in rule.notes, rule.id
    oregon = next(r for r in pack.rules if r.id == "or.opt-out-signal-honored")
    assert oregon.effective.from_ == dt.date(2026, 1, 1)


def test_jurisdiction_selects_rules():
    packs = load_packs(builtin_pack_paths())
    assert [r.id for r in resolve_rules(packs, {"co"})] == ["co.notices-accessible", "co.opt-out-signal-honored"]
    assert all("ca" in r.jurisdictions for r in resolve_rules(packs, {"ca"}))


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        ("pack: team\nversion: '1'\nrules: [\n", 4, "invalid YAML"),
        ("- just\n- a list\n", 1, "a rule pack is a mapping"),
        ("", 1, "a rule pack is a mapping"),
        ("pack: team\nversion: '1'\nrules:\n" + RULE.replace("    severity: low\n", "    severity: extreme\n"), 6,
         "rules.0.severity"),
        ("pack: team\nversion: '1'\nrules:\n" + RULE.replace("    title: A team rule\n", ""), 4, "rules.0.title"),
        ("pack: team\nversion: '1'\nrules:\n" + RULE + "    colour: blue\n", 11, "rules.0.colour: Extra inputs"),
        ("pack: team\nversion: '1'\nrules:\n" + RULE + "    effective: {from: 2026-13-01}\n", 11, "not a date"),
        ("pack: team\nversion: '1'\nrules:\n" + RULE + "    check: other\n", 11, "duplicate key 'check'"),
        ("pack: team\nversion: '1'\nrules:\n" + RULE + RULE, 11, "duplicate id 'team.rule'"),
        ("pack: team\nversion: '1'\nrules:\n" + RULE + "    catalog: [l1]\n", 11, "catalog id 'l1'"),
        ("pack: Team Pack\nversion: '1'\n", 1, "pack: String should match"),
    ],
)  # fmt: skip
def test_malformed_pack_names_file_line_and_reason(tmp_path, text, line, reason):
    path = _pack(tmp_path, text)
    with pytest.raises(RulePackError) as raised:
        load_pack(path)
    message = str(raised.value)
    assert message.startswith(f"{path}:{line}: "), message
    assert reason in message


def test_override_of_an_unknown_rule_names_the_override_line(tmp_path):
    path = _pack(tmp_path, "pack: team\nversion: '1'\noverrides:\n  - id: ccpa.nonexistent\n    enabled: false\n")
    with pytest.raises(RulePackError, match=rf"^{path}:4: overrides.0.id: no rule 'ccpa.nonexistent'"):
        resolve_rules(load_packs([*builtin_pack_paths(), path]))


def test_rule_defined_again_in_another_pack_is_an_error_pointing_at_overrides(tmp_path):
    text = "pack: team\nversion: '1'\nrules:\n" + RULE.replace("team.rule", "ccpa.dns-link")
    path = _pack(tmp_path, text)
    with pytest.raises(RulePackError, match=rf"^{path}:4: rule 'ccpa.dns-link' is already defined in .*overrides"):
        resolve_rules(load_packs([*builtin_pack_paths(), path]))


def test_catalog_reference_to_an_unknown_requirement_is_an_error(tmp_path):
    path = _pack(tmp_path, "pack: team\nversion: '1'\nrules:\n" + RULE + "    catalog: [CA-Z9]\n")
    with pytest.raises(RulePackError, match=rf"^{path}:11: .*CA-Z9 not in any pack's requirements"):
        resolve_rules(load_packs([*builtin_pack_paths(), path]))


def test_overrides_disable_regrade_and_reparametrise_builtin_rules(tmp_path):
    path = _pack(
        tmp_path,
        """\
        pack: team
        version: '1'
        overrides:
          - {id: ccpa.limit-spi-link, enabled: false, reason: no sensitive data}
          - {id: ccpa.privacy-policy-updated, severity: critical}
          - {id: ccpa.dns-link-conspicuous, params: {phrases: [opt out], fail_below_ratio: 0.5}}
        """,
    )
    rules = {r.id: r for r in resolve_rules(load_packs([*builtin_pack_paths(), path]))}
    assert "ccpa.limit-spi-link" not in rules
    assert rules["ccpa.privacy-policy-updated"].severity == "critical"
    assert rules["ccpa.dns-link-conspicuous"].params == {"phrases": ["opt out"], "fail_below_ratio": 0.5}
    untouched = {r.id: r for r in resolve_rules(load_packs(builtin_pack_paths()))}
    assert untouched["ccpa.privacy-policy-updated"].severity == "medium"


def test_merge_keys_let_a_rule_extend_shared_parameters(tmp_path):
    text = """\
    pack: team
    version: '1'
    rules:
      - id: team.rule
        title: A team rule
        severity: low
        jurisdictions: [ca]
        citations: [{text: Team standard 1}]
        check: homepage_link
        params: &shared {phrases: [cookie settings], missing_status: fail}
      - id: team.other
        title: Another
        severity: low
        jurisdictions: [ca]
        citations: [{text: Team standard 2}]
        check: homepage_link
        params: {<<: *shared, missing_status: review}
    """
    rules = load_pack(_pack(tmp_path, text)).rules
    assert rules[1].params == {"phrases": ["cookie settings"], "missing_status": "review"}


def test_published_schema_matches_the_models_and_validates_the_builtin_packs():
    published = json.loads((REPO / "schemas" / "rulepack.schema.json").read_text(encoding="utf-8"))
    assert published == rulepack_json_schema(), "schemas/rulepack.schema.json drifted: run `make schemas`"
    for path in builtin_pack_paths():
        data = json.loads(json.dumps(yaml.safe_load(path.read_text(encoding="utf-8")), default=str))
        jsonschema.validate(data, published)


def test_schema_rejects_what_the_loader_rejects():
    bad = {"pack": "team", "version": "1", "rules": [{"id": "team.x", "title": "T", "severity": "extreme"}]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, rulepack_json_schema())


# --- effective dates, on both sides of each boundary ---------------------------------------------------


@pytest.mark.parametrize(
    ("rule_id", "last_day_out", "first_day_in"),
    [
        ("or.opt-out-signal-honored", dt.date(2025, 12, 31), dt.date(2026, 1, 1)),
        ("nj.opt-out-signal-honored", dt.date(2025, 7, 14), dt.date(2025, 7, 15)),
        ("ccpa.dns-link-wording", dt.date(2022, 12, 31), dt.date(2023, 1, 1)),
        ("ccpa.gpc-no-extra-info", dt.date(2023, 3, 28), dt.date(2023, 3, 29)),
    ],
)
def test_rule_is_not_applicable_the_day_before_it_takes_effect(rule_id, last_day_out, first_day_in):
    rule = all_rules(load_packs(builtin_pack_paths()))[rule_id]
    site = evidence(page(footer_links(link("Do Not Sell My Personal Information"))))
    before = evaluate_rule(rule, site, default_context(last_day_out))
    after = evaluate_rule(rule, site, default_context(first_day_in))
    assert before.status == "not_applicable" and last_day_out.isoformat() in before.message
    assert after.status != "not_applicable", after.message


def test_rule_with_an_until_date_stops_applying_that_day(tmp_path):
    path = _pack(tmp_path, "pack: team\nversion: '1'\nrules:\n" + RULE + "    effective: {until: 2026-01-01}\n")
    rule = load_pack(path).rules[0]
    site = evidence()
    assert evaluate_rule(rule, site, default_context(dt.date(2025, 12, 31))).status != "not_applicable"
    finding = evaluate_rule(rule, site, default_context(dt.date(2026, 1, 1)))
    assert finding.status == "not_applicable" and "until 2026-01-01" in finding.message


# --- what a rule names is checked when the pack loads --------------------------------------------------


CHECK_LINE, PARAMS_LINE = "    check: homepage_link\n", "    params: {phrases: [cookie settings]}\n"


@pytest.mark.parametrize(
    ("old", "new", "line", "reason"),
    [
        (CHECK_LINE, "    check: homepage_lnk\n", 9, "rules.0.check: unknown check 'homepage_lnk'; this auditor has: "),
        (PARAMS_LINE, "    params: {phrase: [cookie settings]}\n", 10,
         "rules.0.params.phrase: Extra inputs are not permitted; did you mean 'phrases'? (check 'homepage_link')"),
        (PARAMS_LINE, "    params:\n      phrases: [a]\n      missing_status: maybe\n", 12,
         "rules.0.params.missing_status: Input should be 'fail', 'review' or 'not_applicable' (check 'homepage_link')"),
        (PARAMS_LINE, "    params: {phrases: cookie settings}\n", 10, "rules.0.params.phrases: Input should be"),
        (PARAMS_LINE, "    params: {}\n", 10, "rules.0.params.phrases: Field required"),
        (PARAMS_LINE, PARAMS_LINE + "    requires: [optout.consnet.flow]\n", 11,
         "rules.0.requires.0: 'optout.consnet.flow': a visit has no field 'consnet'; known: profile, gpc, "),
        (PARAMS_LINE, PARAMS_LINE + "    requires: [optuot.consent.flow]\n", 11,
         "rules.0.requires.0: unknown visit profile 'optuot'"),
        (PARAMS_LINE, PARAMS_LINE + "    requires: [baseline.consent.dns_target]\n", 11,
         "the opt-out flow runs only in the optout visit, so the baseline visit has none"),
        (PARAMS_LINE, PARAMS_LINE + "    requires: [gpc.policy]\n", 11, "runs only in the baseline visit"),
        (PARAMS_LINE, PARAMS_LINE + "    requires: [baseline.homepage.links.text.size]\n", 11, "text has no fields"),
    ],
)  # fmt: skip
def test_a_rule_with_a_wrong_check_params_or_requires_fails_to_load_naming_file_and_line(tmp_path, old, new, line,
                                                                                        reason):  # fmt: skip
    path = _pack(tmp_path, "pack: team\nversion: '1'\nrules:\n" + RULE.replace(old, new))
    with pytest.raises(RulePackError) as raised:
        load_pack(path)
    message = str(raised.value)
    assert message.startswith(f"{path}:{line}: "), message
    assert reason in message, message


def test_an_override_with_a_misspelt_parameter_names_the_override_line(tmp_path):
    path = _pack(
        tmp_path,
        "pack: team\nversion: '1'\noverrides:\n  - id: ccpa.privacy-policy-updated\n    params:\n      monhts: 6\n",
    )
    with pytest.raises(RulePackError) as raised:
        resolve_rules(load_packs([*builtin_pack_paths(), path]))
    assert str(raised.value).startswith(f"{path}:6: overrides.0.params.monhts: Extra inputs are not permitted")


def test_parameters_reach_the_check_validated_with_their_defaults():
    rules = all_rules(load_packs(builtin_pack_paths()))
    conspicuous = rules["ccpa.dns-link-conspicuous"].check_params()
    assert conspicuous.fail_below_ratio == 0.85 and "do not sell my info" in conspicuous.phrases
    assert rules["ccpa.policy-right-to-limit"].check_params().missing_status == "review"


def test_a_rule_may_require_more_evidence_than_its_check(tmp_path):
    rule = load_pack(
        _pack(tmp_path, "pack: team\nversion: '1'\nrules:\n" + RULE + "    requires: [optout.consent.flow]\n")
    )
    assert [str(p) for p in rule.rules[0].required_evidence()] == ["baseline.homepage.links", "optout.consent.flow"]


def test_schema_checks_each_rules_parameters_against_its_check():
    schema = rulepack_json_schema()
    good = {"pack": "team", "version": "1", "rules": [yaml.safe_load(textwrap.dedent(RULE))[0]]}
    jsonschema.validate(good, schema)
    misspelt = json.loads(json.dumps(good))
    misspelt["rules"][0]["params"] = {"phrase": ["cookie settings"]}
    with pytest.raises(jsonschema.ValidationError, match="phrase"):
        jsonschema.validate(misspelt, schema)
    unknown = json.loads(json.dumps(good))
    unknown["rules"][0]["check"] = "homepage_lnk"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(unknown, schema)
    other = json.loads(json.dumps(good))
    other["rules"][0]["check"], other["rules"][0]["params"] = "policy_updated", {"months": "twelve"}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(other, schema)
