"""The GPC fixture sites, served with the IAB reference GPP CMP API copied in at test time.

The GPP fixtures import ``/vendor/iabgpp-cmpapi/index.js``: the browser build (ES modules) of
``@iabgpp/cmpapi``, installed from npm into ``tests/js/node_modules`` (pinned in ``tests/js/package.json``,
never committed). :func:`build_root` copies the fixture folders and that build into a temporary root, which a
second :class:`HostFolderServer` serves; module scripts must be same-origin, so each GPP site gets its own copy.
"""

from __future__ import annotations

import fcntl
import json
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parents[1]
SITES = TESTS / "sites"
JS_DIR = TESTS / "js"
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


def _installed_version() -> str | None:
    manifest = JS_DIR / "node_modules" / PACKAGE / "package.json"
    return json.loads(manifest.read_text())["version"] if manifest.is_file() else None


def reference_cmpapi() -> Path:
    """The browser build of the pinned ``@iabgpp/cmpapi``, installed with npm when missing."""
    pinned = json.loads((JS_DIR / "package.json").read_text())["dependencies"][PACKAGE]
    npm = shutil.which("npm")
    # pytest-xdist workers (and the round-trip tests) may get here at once; let one of them install.
    with open(Path(tempfile.gettempdir()) / "auditor-gpp-vectors-npm.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if _installed_version() != pinned:
            if npm is None:
                pytest.skip("npm not found: the @iabgpp/cmpapi reference CMP API cannot be installed")
            result = subprocess.run(
                [npm, "install", "--no-audit", "--no-fund"], cwd=JS_DIR, capture_output=True, text=True, timeout=600
            )
            if result.returncode != 0:
                pytest.fail(f"npm install failed in {JS_DIR}:\n{result.stderr[-2000:]}")
    assert _installed_version() == pinned, f"{PACKAGE} {_installed_version()} != pinned {pinned}"
    return JS_DIR / "node_modules" / PACKAGE / "lib" / "mjs"


def build_root(root: Path) -> Path:
    """Copy the GPC fixture sites into ``root``, with the reference CMP API where a site loads it."""
    library = reference_cmpapi()
    for host, needs_gpp in {**FIXTURES, **SUPPORT}.items():
        target = root / host
        shutil.copytree(SITES / host, target)
        if needs_gpp:
            shutil.copytree(library, target / VENDOR)
    return root
