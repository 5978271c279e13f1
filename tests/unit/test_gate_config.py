"""Gate configuration: where it is read from, what each key means, and one-line errors for mistakes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from auditor.config import GateConfig, load_config
from auditor.errors import UserError
from auditor.findings import Severity


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_no_file_gives_defaults(tmp_path):
    (tmp_path / ".git").mkdir()  # the repository root: the search stops here
    config = load_config(cwd=tmp_path)
    assert config.fail_on == "low" and config.runs == 1 and config.aggregation == "pessimistic"
    assert config.review == "warn" and config.not_assessable == "warn" and config.waivers == []


def test_auditor_toml_is_read_with_relative_paths_from_its_folder(tmp_path):
    write(
        tmp_path / "auditor.toml",
        'fail-on = "high"\nbaseline = "ci/base"\nruns = 3\naggregation = "median"\n'
        '[assertions]\n"gpc.well-known" = "off"\n'
        '[[waivers]]\nrule = "ccpa.dns-link"\nsites = "*.example.com"\nreason = "WEB-1"\nexpires = 2026-12-31\n',
    )
    config = load_config(cwd=tmp_path)
    assert config.fail_on == "high" and config.runs == 3 and config.aggregation == "median"
    assert config.baseline == tmp_path / "ci" / "base"
    assert config.assertions == {"gpc.well-known": "off"}
    assert config.waivers[0].expires == dt.date(2026, 12, 31)
    assert config.source == str(tmp_path / "auditor.toml")


def test_pyproject_tool_auditor_table_is_read(tmp_path):
    write(tmp_path / "pyproject.toml", '[project]\nname = "x"\n[tool.auditor]\nfail-on = "critical"\n')
    assert load_config(cwd=tmp_path).fail_on == "critical"


def test_pyproject_without_table_gives_defaults_but_explicit_one_is_an_error(tmp_path):
    (tmp_path / ".git").mkdir()
    path = write(tmp_path / "pyproject.toml", '[project]\nname = "x"\n')
    assert load_config(cwd=tmp_path).fail_on == "low"
    with pytest.raises(UserError, match=r"no \[tool.auditor\] table"):
        load_config(path)


def test_the_nearest_configuration_is_found_from_a_subfolder_up_to_the_repository_root(tmp_path):
    repo = tmp_path / "site"
    (repo / ".git").mkdir(parents=True)
    write(tmp_path / "auditor.toml", 'fail-on = "critical"\n')  # above the repository: never read
    deep = repo / "packages" / "web" / "src"
    deep.mkdir(parents=True)
    assert load_config(cwd=deep).source == ""  # nothing inside the repository: the defaults
    write(repo / "pyproject.toml", '[project]\nname = "site"\n[tool.auditor]\nfail-on = "high"\n')
    found = load_config(cwd=deep)
    assert (found.source, found.fail_on) == (str(repo / "pyproject.toml"), "high")
    write(repo / "packages" / "web" / "pyproject.toml", '[project]\nname = "web"\n')  # no [tool.auditor]: passed
    assert load_config(cwd=deep).source == str(repo / "pyproject.toml")
    write(repo / "packages" / "auditor.toml", 'fail-on = "medium"\n')  # nearer wins
    assert load_config(cwd=deep).fail_on == "medium"
    explicit = write(tmp_path / "team.toml", 'fail-on = "info"\n')
    assert load_config(explicit, cwd=deep).fail_on == "info"  # --config still wins


def test_the_search_stops_at_the_home_folder(tmp_path, monkeypatch):
    home = tmp_path / "home" / "me"
    (home / "work").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    write(tmp_path / "home" / "auditor.toml", 'fail-on = "critical"\n')
    assert load_config(cwd=home / "work").source == ""
    write(home / "auditor.toml", 'fail-on = "high"\n')
    assert load_config(cwd=home / "work").fail_on == "high"


def test_an_error_names_its_file_once(tmp_path):
    path = write(tmp_path / "auditor.toml", 'fial-on = "high"\n')
    with pytest.raises(UserError) as caught:
        load_config(path)
    assert str(caught.value).count("auditor.toml") == 1
    path = write(tmp_path / "pyproject.toml", "[tool.auditor]\nruns = 0\n")
    with pytest.raises(UserError) as caught:
        load_config(path)
    assert str(caught.value).startswith(f"{path}: [tool.auditor]: runs:") and str(caught.value).count("pyproject") == 1


def test_auditor_toml_wins_over_pyproject(tmp_path):
    write(tmp_path / "pyproject.toml", '[tool.auditor]\nfail-on = "critical"\n')
    write(tmp_path / "auditor.toml", 'fail-on = "medium"\n')
    assert load_config(cwd=tmp_path).fail_on == "medium"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('fial-on = "high"\n', r"unknown key 'fial-on' \(did you mean 'fail-on'\?\)"),
        (
            '[[waivers]]\nrule = "x.y"\nreason = "r"\nexpires = 2026-01-01\nsite = "a"\n',
            r"unknown key 'waivers.0.site'",
        ),
        ('[assertions]\n"ccpa.dns-link" = "fatal"\n', r"assertions.ccpa.dns-link"),
        ('[[waivers]]\nrule = "x.y"\nexpires = 2026-01-01\n', r"waivers.0.reason"),
        ('[[waivers]]\nrule = "x.y"\nreason = "r"\nexpires = "soon"\n', r"waivers.0.expires"),
        ("runs = 0\n", r"runs"),
        ("fail-on = \n", r"invalid TOML"),
    ],
)
def test_mistakes_are_one_line_errors_naming_file_and_key(tmp_path, text, expected):
    path = write(tmp_path / "auditor.toml", text)
    with pytest.raises(UserError, match=expected) as caught:
        load_config(path)
    assert "\n" not in str(caught.value) and str(path) in str(caught.value)


def test_missing_explicit_file_is_an_error(tmp_path):
    with pytest.raises(UserError, match="no such file"):
        load_config(tmp_path / "nope.toml")


def test_failure_level_from_assertions_exact_then_most_specific_glob_then_fail_on():
    config = GateConfig.model_validate(
        {"fail-on": "high", "assertions": {"*": "off", "ccpa.*": "warn", "ccpa.dns-link": "error"}}
    )
    assert config.level_for_failure("ccpa.dns-link", Severity.LOW) == "error"
    assert config.level_for_failure("ccpa.dns-link-wording", Severity.CRITICAL) == "warn"
    assert config.level_for_failure("gpc.well-known", Severity.CRITICAL) == "off"
    plain = GateConfig.model_validate({"fail-on": "high"})
    assert plain.level_for_failure("x.y", Severity.CRITICAL) == "error"
    assert plain.level_for_failure("x.y", Severity.MEDIUM) == "warn"
    assert GateConfig.model_validate({"fail-on": "never"}).level_for_failure("x.y", Severity.CRITICAL) == "warn"


def test_unknown_rule_ids_are_reported_with_a_suggestion():
    config = GateConfig.model_validate({"assertions": {"ccpa.dns-lnk": "warn", "gpc.*": "off"}})
    config.source = "auditor.toml"
    with pytest.raises(
        UserError, match=r"assertions.ccpa.dns-lnk: unknown rule 'ccpa.dns-lnk' \(did you mean 'ccpa.dns-link'"
    ):
        config.check_rule_ids({"ccpa.dns-link", "gpc.well-known"})
    GateConfig.model_validate({"assertions": {"gpc.*": "off"}}).check_rule_ids({"ccpa.dns-link"})


def test_waiver_matches_site_id_host_or_url_globs():
    config = GateConfig.model_validate(
        {"waivers": [{"rule": "ccpa.*", "sites": "*.example.com", "reason": "r", "expires": "2026-12-31"}]}
    )
    waiver = config.waivers[0]
    assert waiver.matches("ccpa.dns-link", "www.example.com_8080", "www.example.com", "http://www.example.com:8080/")
    assert not waiver.matches("gpc.well-known", "www.example.com", "www.example.com", "https://www.example.com/")
    assert not waiver.matches("ccpa.dns-link", "shop.other.com", "shop.other.com", "https://shop.other.com/")
    assert waiver.active(dt.date(2026, 12, 30)) and not waiver.active(dt.date(2026, 12, 31))
