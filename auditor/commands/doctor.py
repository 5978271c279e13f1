"""``auditor doctor``: what the auditor will use, and the exact fix for anything missing."""

from __future__ import annotations

import importlib.metadata as metadata
import platform
import subprocess
import sys

import click
from rich.console import Console

from auditor import __version__
from auditor.browser import BrowserNotFound, find_chromium
from auditor.commands.shared import console
from auditor.rulepacks import RulePackError, builtin_pack_paths, load_packs


def _package(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def browser_version(executable: str) -> str:
    """The version line a Chromium prints, or why it could not."""
    try:
        out = subprocess.run([executable, "--version"], capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"cannot run: {error}"
    return (out.stdout or out.stderr).strip().splitlines()[-1] if (out.stdout or out.stderr).strip() else "unknown"


def run_doctor(console: Console) -> int:
    """Print a checklist; exit 0 when everything needed is present, 1 otherwise."""
    problems = 0

    def line(ok: bool, what: str, detail: str, fix: str = "") -> None:
        nonlocal problems
        problems += 0 if ok else 1
        mark = "[green]ok[/]     " if ok else "[red]missing[/]"
        console.print(f"{mark} {what:<22} {detail}")
        if fix and not ok:
            console.print(f"         fix: {fix}")

    line(True, "auditor", __version__)
    line(True, "python", platform.python_version())
    for package, fix in (
        ("playwright", "pip install playwright"),
        ("scrapy", "pip install scrapy"),
        ("scrapy-playwright", "pip install scrapy-playwright"),
        ("pydantic", "pip install 'pydantic>=2'"),
        ("tldextract", "pip install tldextract"),
        ("duckduckgo-autoconsent-py", "pip install --require-hashes -r requirements/autoconsent.txt"),
        ("axe-playwright-python", "pip install --require-hashes --no-deps -r requirements/axe.txt"),
    ):
        version = _package(package)
        line(version is not None, package, version or "not installed", fix)
    try:
        choice = find_chromium()
        line(True, "chromium", f"{choice.executable} ({choice.source}) — {browser_version(choice.executable)}")
    except BrowserNotFound as error:
        line(False, "chromium", "not found", str(error).split(": ", 1)[-1])
    try:
        packs = load_packs(builtin_pack_paths())
        total = sum(len(p.rules) for p in packs)
        line(True, "rule packs", ", ".join(f"{p.pack} {p.version}" for p in packs) + f" ({total} rules)")
    except (RulePackError, FileNotFoundError) as error:
        line(False, "rule packs", str(error), "reinstall the auditor package")
    return 0 if problems == 0 else 1


@click.command("doctor")
def command() -> None:
    """Which browser and versions the auditor will use, and how to fix anything missing."""
    sys.exit(run_doctor(console))
