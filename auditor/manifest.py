"""The evidence manifest: the SHA-256 of every artifact, so a report can be tied to what was seen."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

MANIFEST_SCHEMA = "auditor.manifest/1"
MANIFEST_NAME = "manifest.json"


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def write_manifest(evidence_dir: Path, *, metadata: dict) -> Path:
    """Hash every file under ``evidence_dir`` (except the manifest) into ``manifest.json``.

    ``metadata`` carries tool, browser and rule-pack versions and the run's UTC times.
    """
    artifacts = []
    for path in sorted(p for p in evidence_dir.rglob("*") if p.is_file() and p.name != MANIFEST_NAME):
        artifacts.append(
            {
                "path": path.relative_to(evidence_dir).as_posix(),
                "sha256": sha256_file(path),
                "bytes": path.stat().st_size,
            }
        )
    manifest = {
        "schema": MANIFEST_SCHEMA,
        **metadata,
        "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "algorithm": "sha256",
        "artifacts": artifacts,
    }
    target = evidence_dir / MANIFEST_NAME
    target.write_text(json.dumps(manifest, indent=2, sort_keys=False), encoding="utf-8")
    return target


@dataclass
class VerifyResult:
    checked: int
    changed: list[str]
    missing: list[str]
    unlisted: list[str]

    @property
    def ok(self) -> bool:
        return not (self.changed or self.missing or self.unlisted)


def verify_manifest(evidence_dir: Path) -> VerifyResult:
    """Recompute the hashes listed in ``evidence_dir/manifest.json``; name changed, missing and extra files."""
    manifest = json.loads((evidence_dir / MANIFEST_NAME).read_text(encoding="utf-8"))
    listed = {a["path"]: a["sha256"] for a in manifest.get("artifacts", [])}
    changed, missing = [], []
    for rel, expected in listed.items():
        path = evidence_dir / rel
        if not path.is_file():
            missing.append(rel)
        elif sha256_file(path) != expected:
            changed.append(rel)
    present = {p.relative_to(evidence_dir).as_posix() for p in evidence_dir.rglob("*") if p.is_file()}
    unlisted = sorted(present - set(listed) - {MANIFEST_NAME})
    return VerifyResult(checked=len(listed), changed=changed, missing=missing, unlisted=unlisted)
