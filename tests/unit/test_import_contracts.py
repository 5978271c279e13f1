"""The package's imports run one way (DESIGN.md): the contracts of pyproject.toml hold, and nothing is circular.

Imports inside functions count: grimp reads every import statement, wherever it stands.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[2]
# In a process of its own: import-linter's reading of the configuration is upset by what other tests imported.
LINT_IMPORTS = (
    "import sys; from importlinter.cli import lint_imports; sys.exit(lint_imports(no_cache=True, no_logo=True))"
)


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("auditor", cache_dir=None)


def _within(package: str, module: str) -> bool:
    return module == package or module.startswith(package + ".")


def test_the_import_contracts_of_pyproject_hold():
    # capture never imports checks/engine/rulepacks/report; checks never import capture/browser/crawl/report;
    # report never imports capture/browser/crawl; no two packages (or modules) import each other.
    result = subprocess.run([sys.executable, "-c", LINT_IMPORTS], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_the_contracts_cover_every_package_they_name(graph):
    # A contract about a module that does not exist (a renamed package, or a folder without __init__.py, which
    # grimp does not see) would pass while checking nothing.
    for package in ("capture", "checks", "report", "crawl", "evidence", "browser", "engine", "rulepacks"):
        assert f"auditor.{package}" in graph.modules


def test_no_module_imports_one_that_imports_it_back(graph):
    cycles = []
    for module in sorted(graph.modules):
        for imported in graph.find_modules_directly_imported_by(module):
            back = graph.find_shortest_chain(importer=imported, imported=module)
            if back is not None:
                cycles.append(" -> ".join((module, *back)))
    assert not cycles, "\n".join(cycles)


def test_evidence_imports_nothing_of_the_auditor_but_evidence(graph):
    evidence = {m for m in graph.modules if _within("auditor.evidence", m)}
    outside = {
        (module, imported)
        for module in evidence
        for imported in graph.find_modules_directly_imported_by(module)
        if imported not in evidence
    }
    assert not outside, sorted(outside)
