"""No host name, however crafted, puts a file outside the output folder.

A site's folder is named by its site id (DESIGN.md: the host, plus ``_PORT``). Hosts that cannot name a folder
safely are refused before anything is written; the odd hosts that are valid (international names, upper case, a
trailing dot, the longest legal name, an IPv6 address) become one plain path component.
"""

from __future__ import annotations

import pytest

from auditor.targets import SITE_ID, TargetError, parse_target
from tests.conftest import run_cli
from tests.hostile.conftest import run_auditor

LONGEST = ".".join(["a" * 63, "b" * 63, "c" * 63, "d" * 57, "com"])  # 253 characters, the most DNS allows
CRAFTED = [
    "http://../",
    "http://%2e%2e/",
    "http://%2e%2e%2f%2e%2e%2fetc/",
    "http://..%2f..%2ftmp/",
    "http://a/../../../tmp/x",
    "http://./",
    "http://.hidden.example/",
    "http://exa mple.com/",
    "http://exa%00mple.com/",
    "http://\uff0e\uff0e/",  # fullwidth dots: ".." once normalised
    "http://a\u2025b.example/",  # two-dot leader: "a..b" once normalised
    "http://exa\u202emple.com/",  # a right-to-left override in the name
    "http://" + "a" * 64 + ".example/",  # a label longer than DNS allows
    "http://" + LONGEST + "x/",  # 254 characters
    "http://" + "a" * 5000 + "/",
    "http://user:pass@/",
    "http://[::1%2f..]/",
]
ODD_BUT_VALID = {
    "http://BÜCHER-laden.example/": "xn--bcher-laden-thb.example",
    "http://WWW.Upper-Case.EXAMPLE./": "www.upper-case.example",
    f"http://{LONGEST}/": LONGEST,
    "http://[::1]:8080/": "0000-0000-0000-0000-0000-0000-0000-0001_8080",
    "http://127.0.0.1:8080/": "127.0.0.1_8080",
}


@pytest.mark.parametrize("raw", CRAFTED)
def test_a_crafted_host_is_refused_or_names_one_folder_inside_the_output(raw, tmp_path):
    try:
        target = parse_target(raw)
    except TargetError:
        return
    out = tmp_path / "out"
    folder = (out / target.site_id).resolve()
    assert SITE_ID.match(target.site_id) and folder.parent == out.resolve(), target.site_id


@pytest.mark.parametrize(("raw", "site_id"), list(ODD_BUT_VALID.items()))
def test_an_odd_but_valid_host_becomes_one_plain_folder_name(raw, site_id):
    assert parse_target(raw).site_id == site_id


def test_a_site_list_with_a_crafted_host_is_refused_before_anything_is_written(tmp_path):
    sites = tmp_path / "sites.txt"
    sites.write_text("https://www.fine-example.com/\n" + "\n".join(CRAFTED[:6]) + "\n", encoding="utf-8")
    out = tmp_path / "reports" / "out"
    result = run_cli(["audit", "--sites", str(sites), "--out", str(out)], timeout=120)
    assert result.returncode == 2, result.stdout + result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("auditor: error:"), result.stderr
    assert not (tmp_path / "reports").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sites.txt"]


@pytest.mark.browser
def test_odd_hosts_are_audited_into_folders_inside_the_output(servers_for, tmp_path):
    hosts = ["BÜCHER-laden.example", "WWW.Upper-Case.EXAMPLE.", LONGEST]
    servers = servers_for({})  # every host answers as an ordinary page
    out = tmp_path / "reports" / "out"
    run = run_auditor(servers, out, [f"http://{h}/" for h in hosts], "--timeout", "4", "--site-budget", "15")
    assert run.exit_code in (0, 1, 3), run.stderr
    expected = {ODD_BUT_VALID[f"http://{h}/"] for h in hosts}
    assert expected <= {p.name for p in out.iterdir() if p.is_dir()}
    for path in tmp_path.rglob("*"):
        assert path == tmp_path / "reports" or out in (path, *path.parents), path
