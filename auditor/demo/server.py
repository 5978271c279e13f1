"""A loopback web server that serves one folder per host name, for the demo and for fixture sites.

``root/<host>/<path>`` answers requests whose Host header is ``<host>``. Hosts with no folder answer
like a generic third party (an empty script, a 1x1 image, or 204), so pages that load ad tags work
offline and every request is still visible to the auditor. Used with ``--map-host '*=127.0.0.1:PORT'``.
"""

from __future__ import annotations

import mimetypes
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import unquote, urlsplit

from auditor.serve import LoopbackServer

_GIF = bytes.fromhex("47494638396101000100800000000000ffffff21f90401000000002c00000000010001000002024401003b")


class _Handler(BaseHTTPRequestHandler):
    server: HostFolderServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - stdlib signature
        return

    def do_GET(self) -> None:  # noqa: N802 - stdlib name
        self._respond(body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._respond(body=False)

    def do_POST(self) -> None:  # noqa: N802
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(min(length, 1 << 20))
        self._send(204, b"", "text/plain", body=False)

    def _respond(self, body: bool) -> None:
        host = (self.headers.get("Host") or "").split(":")[0].lower()
        self.server.log.append((host, self.path, dict(self.headers)))
        path = unquote(urlsplit(self.path).path)
        site = self.server.root / host
        if not site.is_dir():
            self._third_party(path, body)
            return
        target = (site / path.lstrip("/")).resolve()
        if site.resolve() not in target.parents and target != site.resolve():
            self._send(404, b"not found", "text/plain", body)
            return
        if target.is_dir():
            target = target / "index.html"
        if not target.is_file():
            missing = site / "404.html"
            page = missing.read_bytes() if missing.is_file() else b"<h1>Not found</h1>"
            self._send(404, page, "text/html; charset=utf-8", body)
            return
        kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if kind.startswith("text/") or kind in ("application/javascript", "application/json"):
            kind += "; charset=utf-8"
        self._send(200, target.read_bytes(), kind, body)

    def _third_party(self, path: str, body: bool) -> None:
        if path.endswith(".js"):
            self._send(200, b"/* third-party tag */", "application/javascript", body)
        elif path.endswith((".gif", ".png")) or "pixel" in path or "/tr" in path:
            self._send(200, _GIF, "image/gif", body)
        else:
            self._send(204, b"", "text/plain", body)

    def _send(self, status: int, payload: bytes, kind: str, body: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(payload)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if body:
            self.wfile.write(payload)


class HostFolderServer(LoopbackServer):
    """Serves ``root/<host>/`` by Host header on 127.0.0.1; ``port`` is chosen by the OS when 0."""

    thread_name = "host-folder-server"

    def __init__(self, root: Path, port: int = 0) -> None:
        self.root = root
        self.log: list[tuple[str, str, dict]] = []
        super().__init__(_Handler, port)
