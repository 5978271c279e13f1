"""The ``auditor`` command line: one group assembling the commands of :mod:`auditor.commands`."""

from __future__ import annotations

import importlib
import sys

import click
from rich.console import Console

from auditor import __version__
from auditor.errors import UserError
from auditor.gate import EXIT_USAGE

# Command name -> the module defining it. A module is imported only when its command runs (or `--help` lists
# them all): the crawl pulls in Scrapy, Twisted and Playwright, about 1.5 s of imports that `auditor decode`,
# `verify` or `rules` do not need (measured with `python -X importtime`; see the CHANGELOG).
COMMANDS = {
    name: f"auditor.commands.{name}"
    for name in (
        "audit",
        "check",
        "collect",
        "decode",
        "demo",
        "doctor",
        "enqueue",
        "gate",
        "keygen",
        "report",
        "rules",
        "verify",
        "worker",
    )
}

err_console = Console(stderr=True, highlight=False)


class CommandGroup(click.Group):
    """The ``auditor`` group: each command is loaded from its module in :mod:`auditor.commands` when needed."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        module = COMMANDS.get(cmd_name)
        return importlib.import_module(module).command if module else None


@click.group(cls=CommandGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="auditor")
def cli() -> None:
    """Audit websites for CCPA/CPRA privacy-notice compliance in a real headless browser.

    \b
    Quick start:
      auditor demo                         audit the bundled demo sites
      auditor audit https://www.example.com
      auditor doctor                       which browser, what is missing
    """


def main(argv: list[str] | None = None) -> None:
    """Entry point: every user error is one line on stderr and exit code 2, never a traceback."""
    try:
        code = cli.main(args=argv, prog_name="auditor", standalone_mode=False)
    except click.exceptions.Abort:
        err_console.print("auditor: interrupted")
        sys.exit(130)
    except click.ClickException as error:
        err_console.print(f"auditor: error: {error.format_message()}", markup=False, highlight=False, soft_wrap=True)
        sys.exit(EXIT_USAGE)
    except UserError as error:
        # One line whatever its length, and the user's text (a URL with "[/]") printed as it is, not as markup.
        err_console.print(f"auditor: error: {error}", markup=False, highlight=False, soft_wrap=True)
        sys.exit(EXIT_USAGE)
    sys.exit(code or 0)


if __name__ == "__main__":
    main()
