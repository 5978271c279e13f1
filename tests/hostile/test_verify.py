"""Evidence integrity: ``auditor verify RUN_DIR`` recomputes the manifest's hashes and names any artifact that was
changed, deleted or added since the run."""

from __future__ import annotations

import json
import shutil

import pytest

from tests.conftest import run_cli
from tests.hostile.conftest import run_auditor

pytestmark = pytest.mark.browser

SITE = "www.verify-garden-supply.com"


@pytest.fixture(scope="module")
def run_dir(servers_for, tmp_path_factory):
    servers = servers_for({SITE: "site"})
    run = run_auditor(servers, tmp_path_factory.mktemp("verify") / "out", [f"http://{SITE}/"], "--site-budget", "20")
    assert (run.site_dir(SITE) / "evidence" / "manifest.json").is_file(), run.stderr
    return run.out_dir


@pytest.fixture
def copy(run_dir, tmp_path):
    target = tmp_path / "run"
    shutil.copytree(run_dir, target)
    return target


def _artifacts(run_dir) -> list[str]:
    """The files the site manifest lists, relative to the site folder."""
    manifest = json.loads((run_dir / SITE / "evidence" / "manifest.json").read_text(encoding="utf-8"))
    return [a["path"] for a in manifest["artifacts"]]


def test_an_untouched_run_verifies(copy):
    result = run_cli(["verify", str(copy)], timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"ok       {SITE}:" in result.stdout


def test_a_changed_deleted_and_added_artifact_are_each_named(copy):
    evidence = copy / SITE / "evidence"
    screenshots = [p for p in _artifacts(copy) if p.endswith(".png")]
    assert screenshots, _artifacts(copy)
    with (evidence / "evidence.json").open("a", encoding="utf-8") as handle:
        handle.write(" ")  # one byte
    (copy / SITE / screenshots[0]).unlink()
    (evidence / "baseline" / "planted.html").write_text("<script>alert(1)</script>", encoding="utf-8")
    result = run_cli(["verify", str(copy)], timeout=60)
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"changed  {SITE}: evidence/evidence.json" in result.stdout
    assert f"missing  {SITE}: {screenshots[0]}" in result.stdout
    assert f"unlisted {SITE}: evidence/baseline/planted.html" in result.stdout


def test_a_missing_manifest_is_one_line_and_exit_2(tmp_path):
    result = run_cli(["verify", str(tmp_path)], timeout=60)
    assert result.returncode == 2 and result.stderr.count("\n") == 1, result.stderr
