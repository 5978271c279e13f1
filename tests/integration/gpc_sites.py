"""The GPC fixture sites, served with the IAB reference GPP CMP API built in at test time.

The GPP fixtures import ``/vendor/iabgpp-cmpapi/index.js``: the browser (ES module) build of
``@iabgpp/cmpapi``, installed from npm into ``tests/js/gpc-fixtures`` (pinned by its package.json and
lockfile; node_modules is never committed) and bundled into one module with esbuild. Unbundled it is some
300 small modules per page, which a loopback test server serves too slowly when ten sites load at once.
:func:`build_root` copies the fixture folders and that file into a temporary root, which a second
:class:`HostFolderServer` serves; module scripts must be same-origin, so each GPP site gets its own copy.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from auditor.demo.server import HostFolderServer

TESTS = Path(__file__).resolve().parents[1]
SITES = TESTS / "sites"
JS_DIR = TESTS / "js" / "gpc-fixtures"
PACKAGE = "@iabgpp/cmpapi"
VENDOR = Path("vendor/iabgpp-cmpapi")

# host -> does it load the GPP reference CMP API
FIXTURES: dict[str, bool] = {
    "www.pinecrest-outdoor-news.com": False,  # US Privacy, honors GPC
    "www.harborview-daily.com": True,  # GPP usca, honors GPC
    "www.sierra-gear-exchange.com": True,  # GPP usnat, honors GPC, says so
    "www.bayshore-market.com": False,  # OneTrust-like groups, honors GPC
    "www.lakeside-furniture.com": False,  # OneTrust-like, browserGpcFlag=1&isGpcEnabled=0
    "www.northgate-tickets.com": True,  # GPP Gpc=1 with SaleOptOut=2
    "www.riverbend-recipes.com": True,  # GPP ready only 3 s after load
    "www.cedarpoint-weather.com": False,  # signals only inside a cross-site frame
    "www.oakridge-bikes.com": False,  # no signal, ad pixels
    "www.maplewood-library.org": False,  # no sale or sharing at all
}
SUPPORT: dict[str, bool] = {
    "cdn.tidepool-consent.com": False,  # the OneTrust-like SDK
    "consent.cedarpoint-privacy.net": True,  # the privacy frame of cedarpoint-weather
    "display.coastline-adnet.com": False,  # the ad slot inside that frame
}


def _installed(package: str) -> str | None:
    manifest = JS_DIR / "node_modules" / package / "package.json"
    return json.loads(manifest.read_text())["version"] if manifest.is_file() else None


def reference_cmpapi(build_dir: Path) -> Path:
    """The pinned ``@iabgpp/cmpapi`` as one ES module in ``build_dir`` (npm install and esbuild when needed)."""
    pinned = json.loads((JS_DIR / "package.json").read_text())["dependencies"]
    npm = shutil.which("npm")
    with open(Path(tempfile.gettempdir()) / "auditor-gpc-fixtures-npm.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # pytest-xdist workers may get here at once; let one of them install
        if any(_installed(name) != version for name, version in pinned.items()):
            if npm is None:
                pytest.skip("npm not found: the @iabgpp/cmpapi reference CMP API cannot be installed")
            _run([npm, "ci", "--no-audit", "--no-fund"], timeout=600)
    for name, version in pinned.items():
        assert _installed(name) == version, f"{name} {_installed(name)} != pinned {version}"
    bundle = build_dir / "iabgpp-cmpapi.js"
    entry = JS_DIR / "node_modules" / PACKAGE / "lib" / "mjs" / "index.js"
    esbuild = JS_DIR / "node_modules" / ".bin" / "esbuild"
    _run([str(esbuild), str(entry), "--bundle", "--format=esm", "--log-level=warning", f"--outfile={bundle}"], 120)
    return bundle


def _run(command: list[str], timeout: int) -> None:
    result = subprocess.run(command, cwd=JS_DIR, capture_output=True, text=True, timeout=timeout, check=False)
    if result.returncode != 0:
        pytest.fail(f"{' '.join(command)} failed in {JS_DIR}:\n{result.stderr[-2000:]}")


def build_root(root: Path) -> Path:
    """Copy the GPC fixture sites into ``root``, with the reference CMP API where a site loads it."""
    build = root / ".build"
    build.mkdir(parents=True, exist_ok=True)
    library = reference_cmpapi(build)
    for host, needs_gpp in {**FIXTURES, **SUPPORT}.items():
        target = root / host
        shutil.copytree(SITES / host, target)
        if needs_gpp:
            (target / VENDOR).mkdir(parents=True)
            shutil.copyfile(library, target / VENDOR / "index.js")
    return root


@contextlib.contextmanager
def serving(root: Path):
    """A HostFolderServer on ``root`` (built by :func:`build_root`) for the duration of the block."""
    server = HostFolderServer(build_root(root)).start()
    try:
        yield server
    finally:
        server.stop()
