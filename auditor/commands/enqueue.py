"""``auditor enqueue``: put sites on the shared Redis queue for ``auditor worker`` processes."""

from __future__ import annotations

from pathlib import Path

import click

from auditor.commands.shared import console
from auditor.crawl.distributed import enqueue, redis_error
from auditor.errors import UserError
from auditor.targets import TargetError, read_site_list, unique_targets


@click.command("enqueue")
@click.argument("urls", nargs=-1)
@click.option("--redis", "redis_url", required=True, metavar="URL", help="Redis URL, e.g. redis://queue-host:6379/0.")
@click.option("--sites", "sites_file", type=click.Path(path_type=Path), help="File of sites (one URL a line, or CSV).")
def command(urls: tuple[str, ...], redis_url: str, sites_file: Path | None) -> None:
    """Put sites on a shared Redis queue for `auditor worker` processes on any machine."""
    try:
        raw = list(urls) + (read_site_list(sites_file) if sites_file else [])
        if not raw:
            raise UserError("no sites given: pass URLs or --sites FILE")
        targets = unique_targets(raw)
    except TargetError as error:
        raise UserError(str(error)) from None
    try:
        count = enqueue(redis_url, targets)
    except Exception as error:  # redis raises ConnectionError, TimeoutError, ResponseError ...
        raise redis_error(redis_url, error) from None
    console.print(f"Queued {count} site(s) on {redis_url}")
