"""The habits a user brings from other tools (issue 15, item 6), the ones that need no ``auditor`` process: an ETA
only once there is a rate; exit 3's reasons capped; ``.auditor/`` ignored by git; Playwright's own Chromium path;
the distribution's name, licence and dependencies. (tests/integration/test_cli_habits.py runs the command itself.)
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import tomllib
from pathlib import Path

from auditor.findings import SiteReport
from auditor.gate import EXIT_UNREACHABLE, GateResult, explain
from auditor.history import HistoryStore
from auditor.progress import RunProgress

REPO = Path(__file__).resolve().parents[2]
SAVED = Path(__file__).parent / "saved_runs"
BOT_WALL = "www.botwall-outlet.com"


# --- progress ETA -------------------------------------------------------------------------------------------------


def rendered_bar(events: list[dict], total: int, monkeypatch) -> str:
    monkeypatch.setenv("FORCE_COLOR", "1")  # draw the bar although the stream is not a terminal
    monkeypatch.delenv("NO_COLOR", raising=False)
    stream = io.StringIO()
    with RunProgress(total, stream=stream) as progress:
        for event in events:
            progress(event)
    return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", stream.getvalue())


def test_the_eta_appears_once_a_site_finishes_not_before(monkeypatch):
    started = [{"event": "site_skipped", "site": "old"}, {"event": "site_started", "site": "a"}]
    before = rendered_bar(started, 3, monkeypatch)
    assert "Auditing" in before and "ETA" not in before  # a skipped site is no rate: no "ETA 0:00:00"
    done = [*started, {"event": "site_done", "site": "a", "failed": False}]
    assert re.search(r"ETA \d+:\d\d:\d\d", rendered_bar(done, 3, monkeypatch))
    progress = RunProgress(3, quiet=True)
    progress({"event": "site_started", "site": "a"})
    assert progress.eta_seconds() is None


# --- exit 3 -------------------------------------------------------------------------------------------------------


def test_exit_3_lists_at_most_eight_sites_and_says_how_many_more():
    report = SiteReport.model_validate_json((SAVED / BOT_WALL / "report.json").read_text(encoding="utf-8"))
    reports = [
        report.model_copy(update={"site": report.site.model_copy(update={"site_id": f"s{i}"})}) for i in range(11)
    ]
    lines = explain(GateResult(EXIT_UNREACHABLE, "no site could be audited"), None, reports)
    assert len(lines) == 1 + 8 + 1 and lines[-1] == "  … and 3 more sites (each one's report.json says why)"
    assert all(line.startswith(f"  s{i}: The homepage showed a bot check") for i, line in enumerate(lines[1:9]))


# --- .auditor/.gitignore ------------------------------------------------------------------------------------------


def test_the_history_folder_is_ignored_by_git_when_the_auditor_creates_it(tmp_path):
    HistoryStore(tmp_path / ".auditor" / "history.db").close()
    assert (tmp_path / ".auditor" / ".gitignore").read_text(encoding="utf-8").splitlines()[-1] == "*"
    if shutil.which("git"):
        subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
        status = subprocess.run(["git", "status", "--porcelain"], cwd=tmp_path, capture_output=True, text=True)
        assert ".auditor" not in status.stdout
    mine = tmp_path / "ci" / "history"  # a folder the user named is theirs: no .gitignore in it
    HistoryStore(mine / "h.db").close()
    assert not (mine / ".gitignore").exists()


# --- Playwright's Chromium ----------------------------------------------------------------------------------------


def test_the_playwright_chromium_is_the_one_playwright_names_not_a_glob_of_its_cache(tmp_path, monkeypatch):
    from auditor import browser

    monkeypatch.setenv("PLAYWRIGHT_BROWSERS_PATH", str(tmp_path))
    monkeypatch.delenv("AUDITOR_CHROMIUM", raising=False)
    decoy = tmp_path / "chromium-99999" / "chrome-linux" / "chrome"  # what a glob of the folder would pick
    decoy.parent.mkdir(parents=True)
    decoy.write_text("#!/bin/sh\n", encoding="utf-8")
    decoy.chmod(0o755)
    monkeypatch.setattr(browser, "_PLAYWRIGHT_LOOKUP", browser._PlaywrightLookup())  # asked again, in this test
    browser.start_finding_chromium()  # in the background, as a command starts it
    assert browser._playwright_chromium() is None  # this Playwright's own build is not installed here
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        expected = Path(playwright.chromium.executable_path)
    assert tmp_path in expected.parents
    expected.parent.mkdir(parents=True, exist_ok=True)
    expected.write_text("#!/bin/sh\n", encoding="utf-8")
    expected.chmod(0o755)
    monkeypatch.setattr(browser, "_PLAYWRIGHT_LOOKUP", browser._PlaywrightLookup())
    assert browser.find_chromium() == browser.BrowserChoice(str(expected), "playwright")


def test_browser_commands_without_browser_start_looking_for_playwright_s_chromium_before_their_imports(monkeypatch):
    from auditor import browser, cli

    monkeypatch.delenv("AUDITOR_CHROMIUM", raising=False)
    for argv, starts in (
        (["audit", "https://www.example.com/"], True),
        (["worker", "--redis", "redis://localhost:6379/0"], True),
        (["demo"], True),
        (["audit", "https://www.example.com/", "--browser", "/usr/bin/chromium"], False),
        (["audit", "https://www.example.com/", "--browser=/usr/bin/chromium"], False),
        (["audit", "--help"], False),
        (["decode", "1YNN"], False),
        ([], False),
    ):
        lookup = browser._PlaywrightLookup()
        monkeypatch.setattr(browser, "_PLAYWRIGHT_LOOKUP", lookup)
        cli._start_finding_chromium(argv)
        assert (lookup._thread is not None) is starts, argv
        if starts:
            lookup.executable()  # let the driver it started finish before the next case
    monkeypatch.setenv("AUDITOR_CHROMIUM", "/usr/bin/chromium")  # the browser is known: nothing to ask
    lookup = browser._PlaywrightLookup()
    monkeypatch.setattr(browser, "_PLAYWRIGHT_LOOKUP", lookup)
    cli._start_finding_chromium(["audit", "https://www.example.com/"])
    assert lookup._thread is None


# --- packaging ----------------------------------------------------------------------------------------------------

IMPORT_NAMES = {
    "scrapy-playwright": "scrapy_playwright",
    "pyyaml": "yaml",
    "duckduckgo-autoconsent-py": "duckduckgo_autoconsent",
}


def test_every_declared_dependency_is_used_by_the_auditor():
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["name"] == "privacy-notice-auditor" and project["license"] == "Apache-2.0"
    assert (REPO / "LICENSE").read_text(encoding="utf-8").lstrip().startswith("Apache License")
    source = "\n".join(p.read_text(encoding="utf-8") for p in (REPO / "auditor").rglob("*.py"))
    for requirement in project["dependencies"]:
        name = re.split(r"[<>=!~\[ ;]", requirement, maxsplit=1)[0].lower()
        module = IMPORT_NAMES.get(name, name.replace("-", "_"))
        # imported, named by dotted path as Scrapy loads its components ("scrapy_playwright.handler..."), or read as
        # package data (axe-core's script from files("axe_playwright_python"))
        used = rf"^\s*(import|from) {module}\b|[\"']{module}\.|files\([\"']{module}[\"']\)"
        assert re.search(used, source, re.M), f"{name} is declared but never used"
