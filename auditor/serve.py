"""Serve the site under test for the length of an audit, as Lighthouse CI's ``staticDistDir`` and
``startServerCommand`` do, so a CI job needs no hand-written server and no ``curl`` loop.

- ``--static-dir DIR``: DIR is served on a free loopback port and the hosts of the audited URLs are mapped to it
  (put before the user's ``--map-host`` rules), so the browser sees the production host name while the requests
  go to the built site; every other host resolves as before.
- ``--start-server CMD``: CMD runs in the shell, in a process group of its own, its output in ``OUT/server.log``;
  ``--wait-for URL`` is polled until it answers (within ``--wait-timeout``), and after the audit the whole group
  is stopped — also when the audit fails or is interrupted.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from socketserver import BaseRequestHandler
from typing import Any, Self
from urllib.parse import urlsplit

from auditor.browser import HostMapping
from auditor.errors import UserError
from auditor.targets import Target

log = logging.getLogger(__name__)
SERVER_LOG = "server.log"
POLL_INTERVAL = 0.25  # seconds between two readiness probes
PROBE_TIMEOUT = 5.0  # seconds one probe may take
STOP_GRACE = 5.0  # seconds the server's process group has to exit after SIGTERM, before SIGKILL


@dataclass(frozen=True)
class ServePlan:
    """How the site under test is served during the audit, validated before anything starts."""

    hosts: tuple[str, ...] = ()  # the audited hosts, mapped to the static server
    static_dir: Path | None = None
    start_server: str | None = None
    wait_for: str | None = None
    wait_timeout: float = 60.0


def plan_serving(
    targets: list[Target],
    static_dir: Path | None,
    start_server: str | None,
    wait_for: str | None,
    wait_timeout: float,
) -> ServePlan:
    """Check the serving options against each other and the sites; raise :class:`UserError` (one line) if unusable."""
    if static_dir is not None and start_server:
        raise UserError("--static-dir and --start-server: choose one (the first serves files, the second runs an app)")
    if static_dir is not None and wait_for:
        raise UserError("--wait-for goes with --start-server (or a server started before the audit), not --static-dir")
    if start_server is not None and not start_server.strip():
        raise UserError("--start-server: the command is empty")
    if start_server and not wait_for:
        raise UserError("--start-server needs --wait-for URL: the address that answers once the server is up")
    if wait_for is not None:
        parts = urlsplit(wait_for)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise UserError(f"--wait-for {wait_for!r}: expected an http:// or https:// URL")
    if wait_timeout <= 0:
        raise UserError("--wait-timeout must be a positive number of seconds")
    if static_dir is not None:
        if not static_dir.is_dir():
            raise UserError(f"--static-dir {static_dir}: no such folder")
        secure = [t.url for t in targets if urlsplit(t.url).scheme == "https"]
        if secure:
            raise UserError(
                f"--static-dir serves plain HTTP on loopback: audit {secure[0].replace('https://', 'http://', 1)} "
                "instead of the https:// URL"
            )
    return ServePlan(
        hosts=tuple(dict.fromkeys(t.host for t in targets)),
        static_dir=static_dir,
        start_server=start_server,
        wait_for=wait_for,
        wait_timeout=wait_timeout,
    )


@dataclass(frozen=True)
class Served:
    """The site being served: the host mappings to put before the user's ``--map-host`` rules, and what to tell
    the user (empty when nothing is served)."""

    host_map: list[HostMapping]
    note: str = ""


@contextlib.contextmanager
def serve_site(plan: ServePlan, log_dir: Path) -> Iterator[Served]:
    """Serve the site as ``plan`` says for the duration of the ``with`` block. Whatever ends the block (the
    audit's end, an error, Ctrl-C), the server is stopped."""
    if plan.static_dir is not None:
        server = StaticSiteServer(plan.static_dir).start()
        try:
            mappings = [HostMapping(pattern=host, address="127.0.0.1", port=server.port) for host in plan.hosts]
            yield Served(mappings, f"Serving {plan.static_dir} on 127.0.0.1:{server.port} as {', '.join(plan.hosts)}")
        finally:
            server.stop()
        return
    log_path = log_dir / SERVER_LOG
    process = start_server(plan.start_server, log_path) if plan.start_server else None
    with _terminated_like_interrupted() if process is not None else contextlib.nullcontext():
        try:
            if plan.wait_for:
                waited = wait_until_answering(plan.wait_for, plan.wait_timeout, process, log_path)
                started = f"Started the server (output in {log_path}); " if process else ""
                yield Served([], f"{started}{plan.wait_for} answered after {waited:.1f} s")
            else:
                yield Served([])
        finally:
            if process is not None:
                stop_process_group(process)


@contextlib.contextmanager
def _terminated_like_interrupted() -> Iterator[None]:
    """While a server runs, SIGTERM (a cancelled CI job) unwinds like Ctrl-C, so the server is stopped before the
    auditor exits (with 143, as a process ended by SIGTERM); Python's default would leave it running."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def terminate(signum: int, frame: object) -> None:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # a second SIGTERM must not cut the server's stop short
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


class _StaticHandler(SimpleHTTPRequestHandler):
    """A built site as a static host serves it: ``index.html`` for a folder, ``/about`` from ``about.html``, no
    folder listings (a production host shows none, and a listing would read as a page of the site)."""

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        return

    def translate_path(self, path: str) -> str:
        found = super().translate_path(path)
        if not os.path.exists(found) and os.path.isfile(found + ".html"):
            return found + ".html"
        return found

    def list_directory(self, path: str | os.PathLike[str]) -> None:
        self.send_error(404, "Not found")
        return None

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()


class LoopbackServer(ThreadingHTTPServer):
    """An HTTP server on 127.0.0.1 that serves in a background thread between :meth:`start` and :meth:`stop`
    (the site under test here; the demo's and the tests' fixture sites in :mod:`auditor.demo.server`)."""

    daemon_threads = True
    thread_name = "loopback-server"

    def __init__(self, handler: Callable[..., BaseRequestHandler], port: int = 0) -> None:
        super().__init__(("127.0.0.1", port), handler)

    @property
    def port(self) -> int:
        """The port served (the one the OS chose when 0 was asked for)."""
        return self.server_address[1]

    def start(self) -> Self:
        """Serve in a background thread; returns self."""
        threading.Thread(target=self.serve_forever, name=self.thread_name, daemon=True).start()
        return self

    def stop(self) -> None:
        """Stop serving and close the socket."""
        self.shutdown()
        self.server_close()

    def handle_error(self, request: socket.socket | tuple[bytes, socket.socket], client_address: Any) -> None:
        """A browser that closes a connection mid-answer (a page closed while it loaded) is not an error of the
        server: say nothing, where the standard server printed a traceback to stderr in the middle of a run."""
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


class StaticSiteServer(LoopbackServer):
    """Serves one folder to every host name on 127.0.0.1, on a port the OS chooses."""

    thread_name = "static-site-server"

    def __init__(self, root: Path) -> None:
        super().__init__(partial(_StaticHandler, directory=str(root)))


def start_server(command: str, log_path: Path) -> subprocess.Popen[bytes]:
    """Run ``command`` in the shell, in a new process group (so stopping it stops what it started), with its
    output appended to ``log_path``."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log.info("starting the server: %s (output in %s)", command, log_path)
    with log_path.open("ab") as output:
        try:
            return subprocess.Popen(
                command,
                shell=True,
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group, out of reach of the terminal's Ctrl-C
            )
        except OSError as error:
            raise UserError(f"--start-server {command!r}: cannot start: {error.strerror or error}") from None


def probe(url: str) -> str | None:
    """None when ``url`` answers with an HTTP status below 500, else why not (a refused connection, a 503 ...)."""
    # Readiness only: a staging certificate must not make a running server look down.
    context = ssl._create_unverified_context() if url.startswith("https:") else None
    try:
        with urllib.request.urlopen(url, timeout=PROBE_TIMEOUT, context=context):
            return None
    except urllib.error.HTTPError as error:
        return None if error.code < 500 else f"HTTP {error.code}"
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        return getattr(reason, "strerror", None) or str(reason)


def wait_until_answering(url: str, timeout: float, process: subprocess.Popen[bytes] | None, log_path: Path) -> float:
    """Poll ``url`` until it answers and return the seconds that took; raise :class:`UserError` when the server
    exits first or ``timeout`` passes."""
    started = time.monotonic()
    deadline = started + timeout
    log_note = f"; its output is in {log_path}" if process is not None else ""
    while True:
        why = probe(url)
        log.debug("waiting for %s: %s", url, why or "answered")
        if why is None:
            return time.monotonic() - started
        if process is not None and process.poll() is not None:
            raise UserError(
                f"--start-server exited with code {process.returncode} before --wait-for {url} answered{log_note}"
            )
        if time.monotonic() >= deadline:
            raise UserError(f"--wait-for {url} did not answer within {timeout:g} s (last: {why}){log_note}")
        time.sleep(POLL_INTERVAL)


def stop_process_group(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM to the server's whole process group, SIGKILL to what is left after a grace period."""
    group = process.pid  # start_new_session: the shell leads a group with its own id
    log.info("stopping the server (process group %d)", group)
    for sig in (signal.SIGTERM, signal.SIGKILL):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(group, sig)
        deadline = time.monotonic() + STOP_GRACE
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=STOP_GRACE)
        while time.monotonic() < deadline and _group_alive(group):
            time.sleep(0.05)
        if not _group_alive(group):
            return


def _group_alive(group: int) -> bool:
    """Whether a process of the group still runs. Zombies do not count: in a container whose first process
    reaps nothing, the orphans of a killed group stay zombies for good."""
    proc = Path("/proc")
    if not proc.is_dir():
        try:
            os.killpg(group, 0)
        except (ProcessLookupError, PermissionError):
            return False
        return True
    for stat in proc.glob("[0-9]*/stat"):
        with contextlib.suppress(OSError):
            # "pid (name) state ppid pgrp ...": the name may hold spaces and parentheses, so split after the last ")"
            state, _ppid, pgrp = stat.read_text().rpartition(")")[2].split()[:3]
            if int(pgrp) == group and state != "Z":
                return True
    return False
