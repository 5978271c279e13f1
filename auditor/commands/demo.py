"""``auditor demo``: serve the bundled demo sites on loopback and audit them under their real names."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.console import Console

from auditor.commands.audit import run_audit
from auditor.commands.shared import browser_option, console, out_option
from auditor.demo import DEMO_SITES, demo_root
from auditor.demo.server import HostFolderServer
from auditor.runner import RunRequest


def run_demo(out_dir: Path, executable: str | None, console: Console) -> int:
    """Audit the demo sites; returns 0 when the reports were written (the demo sites fail on purpose)."""
    server = HostFolderServer(demo_root()).start()
    try:
        console.print(f"Serving {len(DEMO_SITES)} demo sites on 127.0.0.1:{server.port} (mapped with --map-host)")
        request = RunRequest(
            urls=DEMO_SITES,
            out_dir=out_dir,
            map_hosts=(f"*=127.0.0.1:{server.port}",),
            executable=executable,
            formats="html,json,md",
        )
        run_audit(request, console)
    finally:
        server.stop()
    console.print(f"\nOpen the portfolio report: {(out_dir / 'index.html').resolve()}")
    return 0


@click.command("demo")
@out_option
@browser_option
def command(out_dir: Path, executable: str | None) -> None:
    """Serve the bundled demo sites on loopback and audit them."""
    sys.exit(run_demo(out_dir, executable, console))
