"""Manifests: the SHA-256 of every file a run wrote, so a report can be tied to exactly what was seen.

Two levels, both JSON:

- the **site manifest** ``OUT/<site>/evidence/manifest.json`` (schema ``auditor.manifest/2``) hashes every file of
  the site folder — evidence, screenshots, ``report.json``, every report format, ``runs/<n>/`` of ``--runs`` — with
  paths relative to the site folder, and records how the findings were judged: the rule ids and the rule packs
  (name, version, SHA-256 of the pack file and, when the run kept one, its copy in ``OUT/rules/``);
- the **run manifest** ``OUT/manifest.json`` (schema ``auditor.run-manifest/1``) hashes each site manifest and every
  other file of the run folder (``gate.json``, ``summary.md``, the run-wide SARIF/JUnit/Code Quality, the
  portfolio, the copies of the rule packs in ``OUT/rules/``). A detached signature of it may sit beside it
  (``manifest.json.sig``, :mod:`auditor.signing`).

Whoever writes a site's files seals the site again (:func:`seal_site`), and whoever finishes a run writes the run
manifest (:func:`write_run_manifest`), so re-rendering (``auditor report``) and re-checking (``auditor check``)
leave manifests that match what they wrote. A manifest describes the folder as it was sealed: a reused ``--out``
that still holds an earlier run's files lists those too.

``auditor.manifest/1`` manifests (paths relative to ``evidence/``, evidence only) are still read by
:func:`verify_manifest`; they do not cover the reports, and :mod:`auditor.verify` says so.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import os
import tempfile
from dataclasses import asdict, dataclass, replace
from pathlib import Path

MANIFEST_SCHEMA = "auditor.manifest/2"
LEGACY_MANIFEST_SCHEMA = "auditor.manifest/1"
RUN_MANIFEST_SCHEMA = "auditor.run-manifest/1"
MANIFEST_NAME = "manifest.json"
EVIDENCE_DIR = "evidence"
RULES_STORE = "rules"  # OUT/rules/<pack>-<sha256 prefix>.yaml: the rule packs a run was judged with
SIGNATURE_SUFFIX = ".sig"
_VOLATILE = ("schema", "created_at", "algorithm", "artifacts", "paths", "judged")


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _entries(root: Path, paths: list[Path]) -> list[dict]:
    return [
        {"path": p.relative_to(root).as_posix(), "sha256": sha256_file(p), "bytes": p.stat().st_size}
        for p in sorted(paths)
    ]


def _write_json(path: Path, data: dict) -> None:
    """Write atomically: a reader (``verify``, a concurrent worker) never sees half a manifest."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        out.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    os.replace(temporary, path)


def read_json(path: Path) -> dict | None:
    """A JSON object from ``path``, or None when it is missing or unreadable."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    return data if isinstance(data, dict) else None


@dataclass(frozen=True)
class PackRecord:
    """One rule pack a site was judged with: enough to find the very same file again."""

    pack: str
    version: str
    sha256: str | None  # None: not known (a team's pack the writer had no file of)
    file: str | None = None  # the copy in the run folder, relative to it (``rules/acme-1a2b3c4d5e6f.yaml``)

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> PackRecord:
        return cls(str(data["pack"]), str(data["version"]), data.get("sha256"), data.get("file"))


@functools.lru_cache(maxsize=64)
def _pack_identity(path: Path, mtime_ns: int) -> tuple[str, str]:
    from auditor.rulepacks import load_pack

    pack = load_pack(path)
    return pack.pack, pack.version


def pack_identity(path: Path) -> tuple[str, str]:
    """(name, version) of a rule pack file (cached while the file is unchanged)."""
    return _pack_identity(path, path.stat().st_mtime_ns)


def builtin_packs() -> dict[tuple[str, str], Path]:
    """The packs shipped with this auditor by (name, version)."""
    from auditor.rulepacks import builtin_pack_paths

    return {pack_identity(path): path for path in builtin_pack_paths()}


def store_rule_packs(pack_files: list[Path], run_dir: Path) -> list[PackRecord]:
    """Copy the rule packs a run was judged with into ``run_dir/rules/`` (named by content); return their records.

    Built-in packs are copied too: a later auditor may ship other versions, and the run must stay re-judgeable.
    """
    records = []
    for path in pack_files:
        name, version = pack_identity(path)
        data = path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        target = run_dir / RULES_STORE / f"{name}-{digest[:12]}.yaml"
        if not target.is_file() or sha256_file(target) != digest:
            target.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temporary, target)
        records.append(PackRecord(name, version, digest, target.relative_to(run_dir).as_posix()))
    return records


def site_pack_records(packs: list[PackRecord], run_dir: Path, site_dir: Path) -> list[PackRecord]:
    """``packs`` as a site manifest names them: their copies relative to the site folder (``../rules/…``)."""
    return [replace(p, file=os.path.relpath(run_dir / str(p.file), site_dir)) for p in packs]


def _packs_for(rule_packs: dict[str, str], previous: list[PackRecord]) -> list[PackRecord]:
    """Pack records for a report's ``rule_packs`` when no pack files were given: the previous seal's, else the
    built-in pack of that name and version (hashed), else a record without a hash (a team's pack)."""
    if previous and [(p.pack, p.version) for p in previous] == list(rule_packs.items()):
        return previous
    shipped = builtin_packs()
    records = []
    for name, version in rule_packs.items():
        path = shipped.get((name, version))
        records.append(PackRecord(name, version, sha256_file(path) if path else None))
    return records


def site_manifest_path(site_dir: Path) -> Path:
    return site_dir / EVIDENCE_DIR / MANIFEST_NAME


def _in_flight(path: Path) -> bool:
    """A temporary file of an atomic write in progress (``.manifest.json.x1y2.tmp``), not part of the run."""
    return path.name.startswith(".") and path.name.endswith(".tmp")


def _site_files(site_dir: Path) -> list[Path]:
    own = {site_manifest_path(site_dir), site_manifest_path(site_dir).with_name(MANIFEST_NAME + SIGNATURE_SUFFIX)}
    return [p for p in site_dir.rglob("*") if p.is_file() and p not in own and not _in_flight(p)]


def seal_site(site_dir: Path, *, metadata: dict | None = None, packs: list[PackRecord] | None = None) -> Path:
    """Write the site manifest: the hash of every file in ``site_dir`` and how its findings were judged.

    ``metadata`` (tool, browser, site, times) is kept from the previous seal when not given. The judged rules
    come from the site's ``report.json``; ``packs`` default to the previous seal's when they still match the
    report's packs (see :func:`_packs_for`).
    """
    target = site_manifest_path(site_dir)
    previous = read_json(target) or {}
    kept = {k: v for k, v in previous.items() if k not in _VOLATILE}
    kept.update(metadata or {})
    report = read_json(site_dir / "report.json")
    judged: dict = {}
    if report is not None:
        previous_packs = [PackRecord.from_json(p) for p in (previous.get("judged") or {}).get("packs", [])]
        rule_packs = report.get("rule_packs") or {}
        chosen = packs if packs is not None else _packs_for(rule_packs, previous_packs)
        judged = {
            "audit_date": report.get("audit_date"),
            "rules": [f.get("rule") for f in report.get("findings", [])],
            "packs": [p.to_json() for p in chosen],
        }
    manifest = {
        "schema": MANIFEST_SCHEMA,
        "site_id": site_dir.name,
        **kept,
        "judged": judged,
        "created_at": _now(),
        "algorithm": "sha256",
        "paths": "relative to the site folder",
        "artifacts": _entries(site_dir, _site_files(site_dir)),
    }
    _write_json(target, manifest)
    return target


def write_manifest(evidence_dir: Path, *, metadata: dict) -> Path:
    """Seal a site when its evidence is saved (before its reports): ``metadata`` carries tool, browser and
    rule-pack versions and the run's UTC times."""
    return seal_site(evidence_dir.parent, metadata=metadata)


def is_site_folder(folder: Path) -> bool:
    return site_manifest_path(folder).is_file()


def run_site_folders(run_dir: Path) -> list[Path]:
    """The site folders of a run folder: its children with a site manifest."""
    return sorted(p for p in run_dir.iterdir() if p.is_dir() and is_site_folder(p))


def top_manifest(run_dir: Path) -> Path:
    """The manifest a signature covers: the run manifest, or the site manifest when ``run_dir`` is one site."""
    return site_manifest_path(run_dir) if is_site_folder(run_dir) else run_dir / MANIFEST_NAME


def run_files(run_dir: Path, sites: list[Path]) -> list[Path]:
    """Every file of a run folder outside its site folders, except the run manifest and its signature."""
    own = {MANIFEST_NAME, MANIFEST_NAME + SIGNATURE_SUFFIX}
    found: list[Path] = []
    for child in run_dir.iterdir():
        if child in sites:
            continue
        if child.is_file():
            if child.name not in own and not _in_flight(child):
                found.append(child)
        elif child.is_dir():
            found += [p for p in child.rglob("*") if p.is_file() and not _in_flight(p)]
    return found


def write_run_manifest(run_dir: Path, *, packs: list[PackRecord] | None = None) -> Path:
    """Write ``run_dir/manifest.json``: the hash of each site manifest and of every other file of the run.

    For a single site's folder (``auditor check SITE_DIR``) the site manifest is the top manifest: it is sealed
    again (it covers the run-wide files written into that folder) and returned.
    """
    if is_site_folder(run_dir):
        return seal_site(run_dir, packs=packs)
    target = run_dir / MANIFEST_NAME
    sites = run_site_folders(run_dir)
    others = run_files(run_dir, sites)
    from auditor import __version__

    previous = read_json(target) or {}
    manifest = {
        "schema": RUN_MANIFEST_SCHEMA,
        "tool": {"name": "auditor", "version": __version__},
        "created_at": _now(),
        "algorithm": "sha256",
        "rule_packs": [p.to_json() for p in packs] if packs is not None else previous.get("rule_packs", []),
        "sites": [
            {
                "site_id": site.name,
                "manifest": site_manifest_path(site).relative_to(run_dir).as_posix(),
                "sha256": sha256_file(site_manifest_path(site)),
            }
            for site in sites
        ],
        "files": _entries(run_dir, others),
    }
    _write_json(target, manifest)
    return target


@dataclass
class VerifyResult:
    checked: int
    changed: list[str]
    missing: list[str]
    unlisted: list[str]
    legacy: bool = False  # an auditor.manifest/1 manifest: evidence only, paths relative to evidence/

    @property
    def ok(self) -> bool:
        return not (self.changed or self.missing or self.unlisted)


def check_entries(root: Path, entries: list[dict], present: set[str]) -> VerifyResult:
    """Recompute listed hashes under ``root``; name changed, missing and unlisted (present but not listed) files."""
    listed = {e["path"]: e["sha256"] for e in entries}
    changed, missing = [], []
    for rel, expected in listed.items():
        path = root / rel
        if not path.is_file():
            missing.append(rel)
        elif sha256_file(path) != expected:
            changed.append(rel)
    return VerifyResult(len(listed), changed, missing, sorted(present - set(listed)))


def verify_manifest(evidence_dir: Path) -> VerifyResult:
    """Recompute the hashes of a site manifest (``<site>/evidence/manifest.json``); paths are the manifest's own
    (relative to the site folder, or to ``evidence/`` in an ``auditor.manifest/1`` manifest)."""
    manifest = json.loads((evidence_dir / MANIFEST_NAME).read_text(encoding="utf-8"))
    if manifest.get("schema") == LEGACY_MANIFEST_SCHEMA:
        present = {p.relative_to(evidence_dir).as_posix() for p in evidence_dir.rglob("*") if p.is_file()}
        result = check_entries(evidence_dir, manifest.get("artifacts", []), present - {MANIFEST_NAME})
        result.legacy = True
        return result
    site_dir = evidence_dir.parent
    present = {p.relative_to(site_dir).as_posix() for p in _site_files(site_dir)}
    return check_entries(site_dir, manifest.get("artifacts", []), present)
