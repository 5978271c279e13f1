"""``auditor demo``: serve the bundled demo sites on loopback and audit them under their real names."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from rich.console import Console

from auditor.runner import RunRequest, run_audit

DEMO_SITES = ("http://www.example-news.com/", "http://www.example-shop.com/", "http://www.example-recipes.com/")


def demo_root() -> Path:
    """The folder holding one sub-folder per demo host."""
    return Path(str(files("auditor.demo").joinpath("sites")))


def run_demo(out_dir: Path, executable: str | None, console: Console) -> int:
    """Audit the demo sites; returns 0 when the reports were written (the demo sites fail on purpose)."""
    from auditor.demo.server import HostFolderServer

    server = HostFolderServer(demo_root()).start()
    try:
        console.print(f"Serving {len(DEMO_SITES)} demo sites on 127.0.0.1:{server.port} (mapped with --map-host)")
        request = RunRequest(
            urls=list(DEMO_SITES),
            out_dir=out_dir,
            map_hosts=[f"*=127.0.0.1:{server.port}"],
            executable=executable,
            formats="html,json,md",
        )
        run_audit(request, console)
    finally:
        server.stop()
    console.print(f"\nOpen the portfolio report: {(out_dir / 'index.html').resolve()}")
    return 0
