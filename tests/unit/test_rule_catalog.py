"""The catalog as users read it: ``auditor rules list|show|schema`` and docs/rules.md, kept in step with the packs."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from auditor.rulecatalog import in_force_words, markdown
from auditor.rulepacks import all_rules, builtin_pack_paths, load_packs
from tests.conftest import run_cli

REPO = Path(__file__).resolve().parents[2]


def test_docs_rules_md_is_generated_from_the_packs():
    generated = markdown(load_packs(builtin_pack_paths()))
    on_disk = (REPO / "docs" / "rules.md").read_text(encoding="utf-8")
    assert on_disk == generated, "docs/rules.md drifted from rules/*.yaml: run `make docs`"


def test_rules_list_shows_every_rule_and_the_whole_catalog():
    result = run_cli(["rules", "list", "--date", "2026-06-01"], timeout=60)
    assert result.returncode == 0, result.stderr
    rules = all_rules(load_packs(builtin_pack_paths()))
    for rule_id, rule in rules.items():
        line = next(line for line in result.stdout.splitlines() if line.startswith(rule_id + " "))
        assert rule.severity.value in line and ",".join(rule.jurisdictions) in line
    assert "IN FORCE 2026-06-01" in result.stdout
    catalog = run_cli(["rules", "list", "--catalog"], timeout=60)
    for requirement in ("CA-L1", "CA-L7", "CA-P4", "CA-D5", "CA-G5", "CA-O3", "CO-UOOM", "MN-UOOM"):
        assert requirement in catalog.stdout


def test_rules_list_says_what_is_not_yet_in_force():
    result = run_cli(["rules", "list", "--jurisdiction", "or,de", "--date", "2025-12-31"], timeout=60)
    lines = [line for line in result.stdout.splitlines() if line.startswith(("or.", "de."))]
    assert len(lines) == 2 and all("from 2026-01-01" in line for line in lines)
    assert "ccpa." not in result.stdout


def test_in_force_words_on_both_sides_of_the_dates():
    rule = all_rules(load_packs(builtin_pack_paths()))["or.opt-out-signal-honored"]
    assert in_force_words(rule, dt.date(2025, 12, 31)) == "from 2026-01-01"
    assert in_force_words(rule, dt.date(2026, 1, 1)) == "yes"


def test_rules_show_prints_citations_dates_and_parameters():
    result = run_cli(["rules", "show", "tx.opt-out-signal-honored"], timeout=60)
    assert result.returncode == 0, result.stderr
    for expected in ("Tex. Bus. & Com. Code 541.055(e)", "from 2025-01-01", "gpp_sections", "ustx", "TX-UOOM"):
        assert expected in result.stdout
    # The evidence the rule needs comes from its check; the optional evidence is said apart.
    assert "requires:      gpc.signals, baseline.signals, gpc.homepage.requests" in result.stdout
    assert "reads if there: gpc.consent, baseline.consent, optout.consent" in result.stdout
    missing = run_cli(["rules", "show", "ccpa.nope"], timeout=60)
    assert missing.returncode == 2 and "no rule 'ccpa.nope'" in missing.stderr


def test_rules_schema_prints_the_published_schema():
    result = run_cli(["rules", "schema"], timeout=60)
    published = json.loads((REPO / "schemas" / "rulepack.schema.json").read_text(encoding="utf-8"))
    assert json.loads(result.stdout) == published


def test_rules_list_with_a_team_pack_shows_its_rule_and_hides_the_disabled_one(tmp_path):
    pack = tmp_path / "team.yaml"
    pack.write_text(
        "pack: team\nversion: '1'\nrules:\n"
        "  - {id: team.rule, title: T, severity: low, jurisdictions: [ca], citations: [{text: X}],\n"
        "     check: homepage_link, params: {phrases: [cookie settings]}}\n"
        "overrides:\n  - {id: ccpa.limit-spi-link, enabled: false}\n",
        encoding="utf-8",
    )
    result = run_cli(["rules", "list", "--rules", str(pack)], timeout=60)
    assert "team.rule" in result.stdout and "ccpa.limit-spi-link" not in result.stdout
    everything = run_cli(["rules", "list", "--rules", str(pack), "--all"], timeout=60)
    assert "ccpa.limit-spi-link (disabled)" in everything.stdout


def test_rules_list_with_a_bad_override_is_a_one_line_error(tmp_path):
    pack = tmp_path / "team.yaml"
    pack.write_text(
        "pack: team\nversion: '1'\noverrides:\n  - {id: ccpa.privacy-policy-updated, params: {monhts: 6}}\n",
        encoding="utf-8",
    )
    result = run_cli(["rules", "list", "--rules", str(pack)], timeout=60)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.strip() == (
        f"auditor: error: {pack}:4: overrides.0.params.monhts: Extra inputs are not permitted; "
        "did you mean 'months'? (check 'policy_updated')"
    )
