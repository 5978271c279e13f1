"""Bad input, of every kind the issue names, is one line on stderr and exit code 2: no traceback, no run, no files.

(``tests/unit/test_inputs.py`` pins the parsers; these go through the real command line.)
"""

from __future__ import annotations

import pytest

from tests.conftest import run_cli


def _assert_one_line_exit_2(result) -> str:
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("auditor: error:"), result.stderr
    return lines[0]


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://", "no host name"),
        ("http://exa mple.com/", "not a valid"),
        ("https://example.com:99999/", "not a valid URL"),
        ("http://[::1/", "not a valid URL"),
        ("http://example..com/", "not a valid host name"),
        ("file:///etc/passwd", "unsupported scheme 'file'"),
        ("javascript:alert(1)", "unsupported scheme 'javascript'"),
        ("data:text/html,<script>alert(1)</script>", "unsupported scheme 'data'"),
        ("ftp://example.com/", "unsupported scheme 'ftp'"),
        ("ftp://example.com/[/]", "'ftp://example.com/[/]'"),  # printed as it is, not read as terminal markup
        ("gopher://example.com/" + "x" * 400, "unsupported scheme 'gopher'"),  # one line, however long
    ],
)
def test_a_malformed_url_or_unsupported_scheme(url, reason, tmp_path):
    line = _assert_one_line_exit_2(run_cli(["audit", url, "--out", str(tmp_path / "out")], timeout=60))
    assert reason in line, line
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "contains no sites"),
        (b"# nothing but comments\n\n   \n", "contains no sites"),
        (b"\xff\xfe\x00h\x00t\x00t\x00p", "not UTF-8"),
        (b"https://www.caf\xe9-example.com/\n", "not UTF-8"),
        (b"name,url\nShop,\n", "no URLs"),
    ],
)
def test_an_empty_or_non_utf8_site_list(content, reason, tmp_path):
    sites = tmp_path / "sites.txt"
    sites.write_bytes(content)
    line = _assert_one_line_exit_2(run_cli(["audit", "--sites", str(sites), "--out", str(tmp_path / "out")], 60))
    assert reason in line, line


def test_a_missing_site_list(tmp_path):
    line = _assert_one_line_exit_2(run_cli(["audit", "--sites", str(tmp_path / "nope.txt")], timeout=60))
    assert "nope.txt" in line


def test_duplicate_sites_are_audited_once(tmp_path):
    """Duplicates are not an error: the same site written three ways is one site (checked before a browser
    starts: a bad URL after the duplicates still stops the run, so nothing is audited here)."""
    from auditor.targets import unique_targets

    targets = unique_targets(["https://www.dup-example.com", "www.dup-example.com", "HTTPS://WWW.DUP-EXAMPLE.COM/"])
    assert [t.site_id for t in targets] == ["www.dup-example.com"]
    sites = tmp_path / "sites.txt"
    sites.write_text("https://www.dup-example.com\nwww.dup-example.com\nfile:///etc/passwd\n", encoding="utf-8")
    line = _assert_one_line_exit_2(run_cli(["audit", "--sites", str(sites), "--out", str(tmp_path / "o")], 60))
    assert "file" in line


@pytest.mark.parametrize(
    "args",
    [
        ["audit", "https://www.example.com", "--no-such-option"],
        ["audit", "https://www.example.com", "--timeout", "soon"],
        ["audit", "https://www.example.com", "--timeout", "0"],
        ["audit", "https://www.example.com", "--site-budget", "-5"],
        ["audit", "https://www.example.com", "--max-body-bytes", "12"],
        ["audit", "https://www.example.com", "--format", "html,docx"],
        ["audit", "https://www.example.com", "--profiles", "gpc"],
        ["audit", "https://www.example.com", "--profiles", "baseline,sideways"],
        ["audit", "https://www.example.com", "--map-host", "www.example.com"],
        ["audit", "https://www.example.com", "--map-host", "*=~nowhere"],
        ["frobnicate"],
    ],
)
def test_an_unknown_option_or_bad_value(args):
    _assert_one_line_exit_2(run_cli(args, timeout=60))


@pytest.mark.parametrize(
    ("toml", "reason"),
    [
        ("fail_on = 'low'\nno_such_key = 1\n", "no_such_key"),
        ("[assertions]\n'ccpa.no-such-rule' = 'error'\n", "no-such-rule"),
        ("fail_on = [\n", "invalid TOML"),
    ],
)
def test_an_unknown_config_key_or_broken_config(toml, reason, tmp_path):
    config = tmp_path / "auditor.toml"
    config.write_text(toml, encoding="utf-8")
    args = ["audit", "https://www.example.com", "--config", str(config), "--out", str(tmp_path / "out")]
    line = _assert_one_line_exit_2(run_cli(args, timeout=60))
    assert reason in line, line
