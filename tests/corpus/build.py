"""The accuracy corpus on disk: its sites, their labels, and the served root with the real consent managers.

Sites live in ``tests/corpus/sites/<host>/`` (the tuning set) and ``tests/corpus/holdout/<host>/`` (held out
from tuning), each with a ``label.yaml`` written from what a person sees. Hosts they call that are not sites of
their own (ad and analytics tags, request portals, consent-manager frames) live in ``tests/corpus/thirdparty/``.

The open-source consent managers are never committed: they are installed with ``npm ci`` from
``tests/js/corpus/package-lock.json`` and their dist files copied into the served root under the CDN address a
real site would use (``cdn.jsdelivr.net/npm/<pkg>@<version>/...``). The IAB GPP reference CMP API is bundled
into one classic script with esbuild, as a site's own build would.
"""

from __future__ import annotations

import fcntl
import json
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml

CORPUS = Path(__file__).resolve().parent
SET_FOLDERS = {"tuning": CORPUS / "sites", "holdout": CORPUS / "holdout"}
THIRD_PARTY = CORPUS / "thirdparty"
HALF_FILE = CORPUS / "half.txt"
JS_DIR = CORPUS.parent / "js" / "corpus"

CORE_RULES = (
    "ccpa.dns-link",
    "ccpa.dns-link-wording",
    "ccpa.dns-link-target",
    "ccpa.optout-toggle",
    "ccpa.optout-effective",
    "ccpa.gpc-honored",
    "ccpa.gpc-status-display",
    "ccpa.choice-symmetry",
    "ccpa.privacy-policy-link",
    "ccpa.privacy-policy-updated",
    "gpc.well-known",
)
STATUSES = {"pass", "fail", "review", "not_applicable", "not_assessable"}

# served path (under the root) <- file in node_modules; the versions match tests/js/corpus/package.json
VANILLA3, VANILLA2 = (
    "cdn.jsdelivr.net/npm/vanilla-cookieconsent@3.1.0",
    "cdn.jsdelivr.net/gh/orestbida/cookieconsent@v2.9.2",
)
VENDOR_FILES = {
    "cdn.jsdelivr.net/npm/klaro@0.7.22/dist/klaro.js": "klaro/dist/klaro.js",
    "cdn.jsdelivr.net/npm/orejime@3.2.1/dist/orejime-dsfr-en.js": "orejime/dist/orejime-dsfr-en.js",
    "cdn.jsdelivr.net/npm/orejime@3.2.1/dist/orejime-standard-en.js": "orejime/dist/orejime-standard-en.js",
    "cdn.jsdelivr.net/npm/orejime@3.2.1/dist/orejime-standard.css": "orejime/dist/orejime-standard.css",
    "cdn.jsdelivr.net/npm/cookieconsent@3.1.1/build/cookieconsent.min.js": "cookieconsent/build/cookieconsent.min.js",
    "cdn.jsdelivr.net/npm/cookieconsent@3.1.1/build/cookieconsent.min.css": "cookieconsent/build/cookieconsent.min.css",
    f"{VANILLA3}/dist/cookieconsent.umd.js": "vanilla-cookieconsent/dist/cookieconsent.umd.js",
    f"{VANILLA3}/dist/cookieconsent.css": "vanilla-cookieconsent/dist/cookieconsent.css",
    f"{VANILLA2}/dist/cookieconsent.js": "vanilla-cookieconsent-v2/dist/cookieconsent.js",
    f"{VANILLA2}/dist/cookieconsent.css": "vanilla-cookieconsent-v2/dist/cookieconsent.css",
}
# tarteaucitron loads its language, services and CSS files from beside itself: the whole package is served
VENDOR_FOLDERS = {"cdn.jsdelivr.net/npm/tarteaucitronjs@1.34.0": "tarteaucitronjs"}
# The GPP reference CMP API as one classic script exposing ``window.iabgpp.CmpApi``.
GPP_BUNDLE = "cdn.jsdelivr.net/npm/@iabgpp/cmpapi@3.2.0/dist/cmpapi.iife.js"


class CorpusError(Exception):
    """The corpus cannot be built or read (npm missing, a broken label): one line for the user."""


@dataclass(frozen=True)
class Site:
    """One labelled site of the corpus."""

    host: str
    set: str  # "tuning" or "holdout"
    folder: Path
    label: dict

    @property
    def url(self) -> str:
        return self.label["url"]

    @property
    def cmp(self) -> str | None:
        return self.label.get("cmp")

    def accepted(self, rule: str) -> list[str]:
        return list(self.label["expected"][rule]["accept"])


def load_site(folder: Path, set_name: str) -> Site:
    """Read and check one site's ``label.yaml``."""
    path = folder / "label.yaml"
    try:
        label = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise CorpusError(f"{path}: {error}") from None
    problems = label_problems(label, folder.name)
    if problems:
        raise CorpusError(f"{path}: {'; '.join(problems)}")
    return Site(folder.name, set_name, folder, label)


def label_problems(label: object, host: str) -> list[str]:
    """What is wrong with a label (empty when it is complete)."""
    if not isinstance(label, dict):
        return ["not a mapping"]
    problems = [
        f"missing {key}"
        for key in ("host", "url", "classes", "cmp", "what_a_person_sees", "expected")
        if key not in label
    ]
    if label.get("host") != host:
        problems.append(f"host {label.get('host')!r} is not the folder name {host!r}")
    expected = label.get("expected") or {}
    for rule in CORE_RULES:
        entry = expected.get(rule)
        if not isinstance(entry, dict) or not entry.get("accept") or not entry.get("why"):
            problems.append(f"{rule}: needs accept (a list of statuses) and why")
            continue
        unknown = set(entry["accept"]) - STATUSES
        if unknown:
            problems.append(f"{rule}: unknown status {sorted(unknown)}")
    extra = set(expected) - set(CORE_RULES)
    if extra:
        problems.append(f"unknown rules {sorted(extra)}")
    classes = label.get("classes") or []
    if not all(isinstance(c, int) and 1 <= c <= 11 for c in classes):
        problems.append("classes must be numbers 1-11")
    return problems


def site_folders() -> list[tuple[str, Path]]:
    """(set, folder) of every site, tuning set first, each set in host order."""
    return [
        (set_name, site_folder)
        for set_name, folder in SET_FOLDERS.items()
        for site_folder in sorted(p for p in folder.iterdir() if p.is_dir())
    ]


def all_sites() -> list[Site]:
    """Every labelled site, tuning set first, each set in host order."""
    return [load_site(folder, set_name) for set_name, folder in site_folders()]


def half_hosts() -> list[str]:
    """The fixed half of the corpus that ``make test`` scores (tests/corpus/half.txt)."""
    lines = HALF_FILE.read_text(encoding="utf-8").splitlines()
    return [line.split("#")[0].strip() for line in lines if line.split("#")[0].strip()]


def select(set_name: str) -> list[Site]:
    """The sites of ``tuning``, ``holdout``, ``all`` or ``half``."""
    sites = all_sites()
    if set_name == "all":
        return sites
    if set_name == "half":
        wanted = half_hosts()
        by_host = {site.host: site for site in sites}
        missing = [host for host in wanted if host not in by_host]
        if missing:
            raise CorpusError(f"{HALF_FILE}: no such site {', '.join(missing)}")
        return [by_host[host] for host in wanted]
    if set_name in SET_FOLDERS:
        return [site for site in sites if site.set == set_name]
    raise CorpusError(f"unknown set {set_name!r} (tuning, holdout, all or half)")


def _installed_version(package: str) -> str | None:
    manifest = JS_DIR / "node_modules" / package / "package.json"
    # vanilla-cookieconsent 2.9.2 spells its version "v2.9.2"
    return json.loads(manifest.read_text())["version"].lstrip("v") if manifest.is_file() else None


def _pinned() -> dict[str, str]:
    pins = json.loads((JS_DIR / "package.json").read_text())["dependencies"]
    return {name: spec.rsplit("@", 1)[-1] for name, spec in pins.items()}


def install_packages() -> Path:
    """``npm ci`` in tests/js/corpus when a pinned package is missing; returns its node_modules."""
    with open(Path(tempfile.gettempdir()) / "auditor-corpus-npm.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # two test workers or a test and `make accuracy` may get here at once
        if any(_installed_version(name) != version for name, version in _pinned().items()):
            npm = shutil.which("npm")
            if npm is None:
                raise CorpusError("npm not found: the corpus's consent managers are installed with `npm ci`")
            _run([npm, "ci", "--no-audit", "--no-fund"], timeout=900)
        wrong = {n: _installed_version(n) for n, v in _pinned().items() if _installed_version(n) != v}
        if wrong:
            raise CorpusError(f"npm ci in {JS_DIR} left the wrong versions: {wrong}")
    return JS_DIR / "node_modules"


def _run(command: list[str], timeout: int) -> None:
    try:
        result = subprocess.run(command, cwd=JS_DIR, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        raise CorpusError(f"{' '.join(command)} took over {timeout} s in {JS_DIR}") from None
    if result.returncode != 0:
        last = (result.stderr.strip().splitlines() or ["(no output)"])[-1]
        raise CorpusError(f"{' '.join(command)} failed in {JS_DIR}: {last}")


def build_root(root: Path, sites: list[Site]) -> Path:
    """Fill ``root`` with the chosen sites, every third-party host and the consent managers' files."""
    modules = install_packages()
    for site in sites:
        shutil.copytree(site.folder, root / site.host, ignore=shutil.ignore_patterns("label.yaml"))
    for host in sorted(p for p in THIRD_PARTY.iterdir() if p.is_dir()):
        shutil.copytree(host, root / host.name, dirs_exist_ok=True)
    for served, source in VENDOR_FILES.items():
        target = root / served
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(modules / source, target)
    for served, source in VENDOR_FOLDERS.items():
        shutil.copytree(modules / source, root / served, dirs_exist_ok=True)
    bundle = root / GPP_BUNDLE
    bundle.parent.mkdir(parents=True, exist_ok=True)
    entry = modules / "@iabgpp" / "cmpapi" / "lib" / "mjs" / "index.js"
    esbuild = modules / ".bin" / "esbuild"
    _run(
        [
            str(esbuild),
            str(entry),
            "--bundle",
            "--format=iife",
            "--global-name=iabgpp",
            "--log-level=warning",
            f"--outfile={bundle}",
        ],
        timeout=120,
    )
    return root
