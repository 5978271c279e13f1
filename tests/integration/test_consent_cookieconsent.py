"""A real open-source consent manager: vanilla-cookieconsent 3.1.0 from npm (orestbida/cookieconsent, MIT).

Installed at test time into ``tests/js/cookieconsent/`` (pinned by its package.json and lockfile, never
committed); its dist files are copied into a temporary folder served under ``cdn.jsdelivr.net`` by a second
HostFolderServer, next to a copy of the fixture site www.mesa-coffee-roasters.com. The library hides its banner
from ``navigator.webdriver`` by default (cmps.md trap 2) and runs here in its CCPA-style ``opt-out`` mode.
"""

from __future__ import annotations

import fcntl
import json
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from auditor.demo.server import HostFolderServer
from tests.integration.consent_runs import CONSENT_RULES, audit_sites

pytestmark = pytest.mark.browser

JS_DIR = Path(__file__).resolve().parents[1] / "js" / "cookieconsent"
SITES = Path(__file__).resolve().parents[1] / "sites"
SITE = "www.mesa-coffee-roasters.com"
PACKAGE = "vanilla-cookieconsent"


def _installed() -> Path:
    """The package's dist folder, installed with npm (from the lockfile) when missing."""
    npm = shutil.which("npm")
    if npm is None:
        pytest.skip("npm not found: vanilla-cookieconsent cannot be installed")
    pinned = json.loads((JS_DIR / "package.json").read_text())["dependencies"][PACKAGE]
    manifest = JS_DIR / "node_modules" / PACKAGE / "package.json"
    with open(Path(tempfile.gettempdir()) / "auditor-cookieconsent-npm.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # pytest-xdist workers may get here together
        if not manifest.is_file() or json.loads(manifest.read_text())["version"] != pinned:
            result = subprocess.run(
                [npm, "ci", "--no-audit", "--no-fund"],
                cwd=JS_DIR,
                capture_output=True,
                text=True,
                timeout=600,
                check=False,
            )
            if result.returncode != 0:
                pytest.fail(f"npm ci failed in {JS_DIR}:\n{result.stderr[-2000:]}")
    assert json.loads(manifest.read_text())["version"] == pinned
    return JS_DIR / "node_modules" / PACKAGE / "dist"


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    dist = _installed()
    root = tmp_path_factory.mktemp("cookieconsent-sites")
    cdn = root / "cdn.jsdelivr.net" / "npm" / f"{PACKAGE}@3.1.0" / "dist"
    cdn.mkdir(parents=True)
    for name in ("cookieconsent.umd.js", "cookieconsent.css"):
        shutil.copy(dist / name, cdn / name)
    shutil.copytree(SITES / SITE, root / SITE)
    server = HostFolderServer(root).start()
    try:
        yield audit_sites([SITE], server.port, tmp_path_factory.mktemp("consent-cookieconsent"))
    finally:
        server.stop()


@pytest.mark.parametrize("rule", CONSENT_RULES)
def test_every_consent_rule_passes_on_a_working_opt_out(run, rule):
    finding = run.finding(SITE, rule)
    assert finding["status"] == "pass", finding["message"]


def test_the_library_is_named_and_its_banner_read_despite_hide_from_bots(run):
    cmp = run.report(SITE)["cmp"]
    assert cmp["name"] == "vanilla-cookieconsent" and cmp["confidence"] == "high"
    assert "autoconsent rule cookieconsent3" in cmp["detected_by"]
    banner = run.consent(SITE)["banner"]
    assert {b["text"]: b["kind"] for b in banner["buttons"]} == {
        "Accept all": "accept",
        "Reject all": "reject",
        "Manage preferences": "settings",
    }


def test_switching_off_the_ads_category_is_stored_in_cc_cookie_and_stops_its_scripts(run):
    flow = run.consent(SITE)["flow"]
    assert flow["switched"] == ["Targeted advertising and sale of personal information"]
    toggles = {t["label"]: (t["group_id"], t["governs"]) for t in flow["toggles_before"]}
    assert toggles["Targeted advertising and sale of personal information"] == ("ads", ["sale", "targeting"])
    assert toggles["Analytics"] == ("analytics", [])
    stored = json.loads(__import__("urllib.parse").parse.unquote(flow["storage_after_reload"]["cookies"]["cc_cookie"]))
    assert "ads" not in stored["categories"] and "analytics" in stored["categories"]
    hosts = {r["host"] for r in run.profile(SITE)["pages"]["after_optout"]["requests"]}
    assert "securepubads.g.doubleclick.net" not in hosts and "connect.facebook.net" not in hosts
    assert "www.google-analytics.com" in hosts, "the category left on still runs"


def test_accordion_headers_are_not_taken_for_opt_out_buttons(run):
    paths = run.consent(SITE)["flow"]["paths"]
    assert all(len(p["steps"]) > 1 or p["entry"] == "banner" for p in paths)
    counted = [p for p in paths if p["entry"] == "dns_link" and p["direction"] == "opt-out" and not p["measured"]]
    assert [p["steps"][-1] for p in counted] == ['"Reject all"']
