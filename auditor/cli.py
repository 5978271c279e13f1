"""The ``auditor`` command line: one group assembling the commands of :mod:`auditor.commands`."""

from __future__ import annotations

import atexit
import contextlib
import importlib
import logging
import os
import sys
from typing import Any, NoReturn, TextIO

import click
from rich.console import Console

from auditor import __version__
from auditor.errors import UserError
from auditor.extras import missing_extra
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
        if module is None:
            return None
        try:
            return importlib.import_module(module).command
        except ModuleNotFoundError as error:
            problem = missing_extra(error, f"auditor {cmd_name}")
            if problem is None:
                raise
            return _unavailable(cmd_name, problem)


def _unavailable(name: str, problem: UserError) -> click.Command:
    """A stand-in for a command whose optional dependencies are not installed: listed in ``--help``, and given
    any arguments, it says which extra to install (exit 2)."""

    def explain() -> None:
        raise problem

    return click.Command(
        name,
        callback=explain,
        help=f"(not installed) {problem}",
        context_settings={"ignore_unknown_options": True, "allow_extra_args": True, "help_option_names": []},
    )


class _CurrentStderr(logging.StreamHandler):
    """A log handler writing to whatever ``sys.stderr`` is at the time: the progress bar redirects it while it
    runs, so log lines print above the bar instead of through it."""

    @property
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, value: TextIO) -> None:
        return


def configure_logging(verbosity: int) -> None:
    """``-v``: each step of a run on stderr (and Scrapy's log at INFO); ``-vv``: DEBUG, every request too."""
    if verbosity <= 0:
        return
    level = logging.INFO if verbosity == 1 else logging.DEBUG
    handler = _CurrentStderr()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)-7s %(name)s: %(message)s", "%H:%M:%S"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(level)
    # Scrapy's loggers are silent unless AUDITOR_CRAWL_LOG names a level (auditor.crawl.runtime); a level set
    # there by the user wins.
    os.environ.setdefault("AUDITOR_CRAWL_LOG", logging.getLevelName(level))


@click.group(cls=CommandGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, "-V", "--version", prog_name="auditor")
@click.option(
    "-v",
    "--verbose",
    count=True,
    help="Log each step on stderr (-v); -vv also logs every request and Scrapy's debug messages.",
)
def cli(verbose: int) -> None:
    """Audit websites for CCPA/CPRA privacy-notice compliance in a real headless browser.

    \b
    Quick start:
      auditor demo                         audit the bundled demo sites
      auditor audit https://www.example.com
      auditor doctor                       which browser, what is missing
    """
    configure_logging(verbose)


class _ClosedPipeTolerant:
    """Standard output that survives its reader going away (``auditor audit … | head -1``): once the pipe is
    closed, the rest of the output goes to /dev/null and the command runs to its end, so the exit code is the
    gate's, not a BrokenPipeError traceback."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except BrokenPipeError:
            self._discard()
            return len(text)

    def flush(self) -> None:
        try:
            self._stream.flush()
        except BrokenPipeError:
            self._discard()

    def _discard(self) -> None:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, self._stream.fileno())  # what is still buffered is flushed there, too
        os.close(devnull)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


# Commands that launch a browser and find it themselves when ``--browser`` is not given.
BROWSER_COMMANDS = ("audit", "demo", "worker")


def _start_finding_chromium(argv: list[str]) -> None:
    """For ``audit``, ``demo`` and ``worker`` without ``--browser`` (and not ``--help``), start asking Playwright
    where its Chromium is now, while the command's modules import: starting Playwright's driver to ask takes ~0.4 s,
    a sixteenth of a one-site CI audit, and it used to be waited for after them. ``find_chromium`` waits for the
    answer, or asks itself when nothing started the question (a command run without this entry point)."""
    if not argv or argv[0] not in BROWSER_COMMANDS:
        return
    flags = {arg.split("=", 1)[0] for arg in argv[1:]}
    if flags & {"--browser", "--help", "-h"}:
        return
    from auditor.browser import start_finding_chromium

    start_finding_chromium()


_EXIT_CODE: list[int] = []  # the code main() is leaving with, for _leave_without_teardown


def _leave_without_teardown() -> None:
    """The process's last step when it is the ``auditor`` program: once the exit handlers of everything the command
    imported have run (this one is registered before the command's modules import, and exit handlers run last-in
    first-out; the one registered before it, logging's, is called here), leave with main()'s exit code and skip the
    interpreter's teardown. Freeing the heap of Scrapy, Twisted, Playwright and the rule packs object by object
    took 0.35-0.45 s after the last report was written, a twentieth of a one-site CI audit (measured with strace:
    only ``munmap`` between the last exit handler and ``exit_group``). Nothing is lost: reports and logs are written
    and closed by then, non-daemon threads were joined before exit handlers run, and the crawl's browser and
    driver have stopped. An uncaught exception leaves no code here, so the interpreter exits as usual."""
    if not _EXIT_CODE:
        return
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(_EXIT_CODE[0])


def _leave(code: int) -> NoReturn:
    _EXIT_CODE[:] = [code]
    sys.exit(code)


def main(argv: list[str] | None = None) -> None:
    """Entry point: every user error is one line on stderr and exit code 2, never a traceback.

    Run as the program (``argv`` from the command line), the process leaves without the interpreter's teardown
    (:func:`_leave_without_teardown`); called with ``argv``, it exits as any Python program does."""
    if sys.stdout is not None and not isinstance(sys.stdout, _ClosedPipeTolerant):
        sys.stdout = _ClosedPipeTolerant(sys.stdout)
    if argv is None:
        atexit.register(_leave_without_teardown)
    _start_finding_chromium(sys.argv[1:] if argv is None else argv)
    try:
        code = cli.main(args=argv, prog_name="auditor", standalone_mode=False)
    except SystemExit as leaving:  # a command's own sys.exit(code)
        if leaving.code is not None and not isinstance(leaving.code, int):
            raise
        code = leaving.code
    except click.exceptions.Abort:
        err_console.print("auditor: interrupted")
        _leave(130)
    except click.exceptions.NoArgsIsHelpError as asked:  # `auditor`, `auditor rules`: the help, as click shows it
        asked.show()
        _leave(EXIT_USAGE)
    except click.ClickException as error:
        err_console.print(f"auditor: error: {error.format_message()}", markup=False, highlight=False, soft_wrap=True)
        _leave(EXIT_USAGE)
    except UserError as error:
        # One line whatever its length, and the user's text (a URL with "[/]") printed as it is, not as markup.
        err_console.print(f"auditor: error: {error}", markup=False, highlight=False, soft_wrap=True)
        _leave(EXIT_USAGE)
    _leave(code or 0)


if __name__ == "__main__":
    main()
