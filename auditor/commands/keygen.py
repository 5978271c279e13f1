"""``auditor keygen``: an Ed25519 key pair, to sign runs (``--sign-key``) and check them (``verify --public-key``)."""

from __future__ import annotations

from pathlib import Path

import click

from auditor.commands.shared import console
from auditor.signing import PRIVATE_KEY_NAME, PUBLIC_KEY_NAME, generate_key_pair


@click.command("keygen")
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path),
    default=Path("."),
    show_default=True,
    help=f"Folder for {PRIVATE_KEY_NAME} (private, mode 0600) and {PUBLIC_KEY_NAME}.",
)
def command(out_dir: Path) -> None:
    """Make an Ed25519 key pair for signing runs (--sign-key) and checking them (verify --public-key)."""
    private, public = generate_key_pair(out_dir)
    console.print(
        f"private key: {private} (keep it secret, e.g. in your CI's secret store)", markup=False, soft_wrap=True
    )
    console.print(
        f"public key:  {public} (give it to whoever runs auditor verify --public-key)", markup=False, soft_wrap=True
    )
