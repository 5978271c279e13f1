"""Command-line options of the crawl, shared by ``auditor audit`` and ``auditor worker`` (click only: cheap)."""

from __future__ import annotations

import click

CRAWL_OPTIONS = (
    click.option(
        "--concurrency",
        type=click.IntRange(1, 64),
        default=2,
        show_default=True,
        help="Sites audited at once (one browser context each).",
    ),
    click.option(
        "--pages",
        type=click.IntRange(0, 1000),
        default=0,
        show_default=True,
        help="Extra same-site pages per site, from the sitemap and links (besides the homepage, the privacy "
        "policy and the opt-out link's destination, which are always loaded).",
    ),
    click.option(
        "--robots",
        type=click.Choice(["obey", "ignore"]),
        default="obey",
        show_default=True,
        help="Whether robots.txt may rule out the extra pages (the pages the audit needs are always loaded).",
    ),
    click.option("--resume", is_flag=True, help="Skip sites whose report in --out is already complete."),
    click.option("--log-json", is_flag=True, help="Instead of a progress bar, one JSON object per event on stderr."),
)


def crawl_options(command):
    """Decorate a click command with the crawl options (passed as ``concurrency``, ``pages``, ...)."""
    for option in reversed(CRAWL_OPTIONS):
        command = option(command)
    return command
