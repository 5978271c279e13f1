"""``auditor verify RUN_DIR``: check every hash of a run, re-judge its evidence, and name what does not follow."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from auditor.commands.shared import console
from auditor.verify import verification_lines, verify_run


@click.command("verify")
@click.argument("run_dir", type=click.Path(path_type=Path))
@click.option(
    "--public-key",
    type=click.Path(path_type=Path),
    help="Ed25519 public key (PEM): also check the run manifest's signature (manifest.json.sig).",
)
def command(run_dir: Path, public_key: Path | None) -> None:
    """Check every hash of a run, re-judge each site's saved evidence, and name any report that does not follow.

    \b
    Exit codes: 0 verified; 1 a file, a report or the signature does not match; 2 not an auditor output folder.
    """
    result = verify_run(run_dir, public_key)
    for line in verification_lines(result):
        console.print(line, markup=False, highlight=False, soft_wrap=True)
    sys.exit(0 if result.ok else 1)
