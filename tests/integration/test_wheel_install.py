"""A non-editable install of the wheel finds its rule packs, templates and schemas, and audits a site; the wheel is
the ``privacy-notice-auditor`` distribution, with its licence, installing the ``auditor`` command and package."""

from __future__ import annotations

import json
import site
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(work), str(REPO)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return next(work.glob("*.whl"))


def test_the_wheel_is_privacy_notice_auditor_with_its_licence_and_the_auditor_command(wheel):
    assert wheel.name.startswith("privacy_notice_auditor-")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        info = next(n.split("/")[0] for n in names if n.endswith(".dist-info/METADATA"))
        metadata = archive.read(f"{info}/METADATA").decode()
        entry_points = archive.read(f"{info}/entry_points.txt").decode()
        licence = archive.read(f"{info}/licenses/LICENSE").decode()
    assert "Name: privacy-notice-auditor\n" in metadata and "License-Expression: Apache-2.0" in metadata
    assert "Apache License" in licence and "Version 2.0" in licence
    assert "auditor = auditor.cli:main" in entry_points and "auditor/__main__.py" in names


@pytest.fixture(scope="module")
def wheel_python(wheel, tmp_path_factory) -> Path:
    work = wheel.parent
    venv = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    subprocess.run(
        [python, "-m", "pip", "install", "-q", "--no-deps", str(wheel)], check=True, timeout=300, capture_output=True
    )
    # Dependencies come from the test environment (appended after the venv's own site-packages, so the
    # wheel's copy of auditor is the one imported, not the checkout).
    venv_site = Path(
        subprocess.run(
            [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )
    deps = [p for p in site.getsitepackages() + [sysconfig.get_paths()["purelib"]] if Path(p).is_dir()]
    (venv_site / "zz_test_deps.pth").write_text("\n".join(dict.fromkeys(deps)) + "\n")
    return python


def run(python: Path, code: str, cwd: Path) -> str:
    result = subprocess.run([python, "-c", code], capture_output=True, text=True, cwd=cwd, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_installed_wheel_carries_rules_templates_and_schemas(wheel_python, tmp_path):
    out = run(
        wheel_python,
        (
            "import json, auditor; from auditor.resources import bundled_dir;"
            "from auditor.rulepacks import builtin_pack_paths, load_packs;"
            "packs = load_packs(builtin_pack_paths());"
            "print(json.dumps({'module': auditor.__file__, 'rules': str(bundled_dir('rules')),"
            " 'reports': sorted(p.name for p in bundled_dir('reports').iterdir()),"
            " 'packs': [p.pack for p in packs]}))"
        ),
        cwd=tmp_path,
    )
    info = json.loads(out)
    assert "site-packages" in info["module"] and str(REPO) not in info["module"]
    assert "_bundled" in info["rules"]
    assert "site.html.j2" in info["reports"]
    assert "ccpa" in info["packs"]


def test_installed_wheel_audits_a_site(wheel_python, tmp_path, site_server):
    result = subprocess.run(
        [
            wheel_python,
            "-m",
            "auditor.cli",
            "audit",
            "http://www.quiet-blog.com/",
            "--out",
            str(tmp_path / "out"),
            "--map-host",
            f"*=127.0.0.1:{site_server.port}",
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "out" / "www.quiet-blog.com" / "report.html").is_file()
