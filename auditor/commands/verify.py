"""``auditor verify RUN_DIR``: recompute every hash of the evidence manifests; name what changed or is missing."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from auditor.commands.shared import console
from auditor.errors import UserError
from auditor.manifest import verify_manifest


@click.command("verify")
@click.argument("run_dir", type=click.Path(path_type=Path))
def command(run_dir: Path) -> None:
    """Recompute the evidence manifest's hashes; name any artifact changed or missing."""
    manifests = sorted(run_dir.glob("evidence/manifest.json")) or sorted(run_dir.glob("*/evidence/manifest.json"))
    if not manifests:
        raise UserError(f"no evidence/manifest.json under {run_dir}")
    broken = 0
    for manifest in manifests:
        result = verify_manifest(manifest.parent)
        site = manifest.parent.parent.name
        if result.ok:
            console.print(f"ok       {site}: {result.checked} artifacts match")
            continue
        broken += 1
        for label, names in (("changed", result.changed), ("missing", result.missing), ("unlisted", result.unlisted)):
            for name in names:
                console.print(f"{label:<8} {site}: evidence/{name}")
    sys.exit(1 if broken else 0)
