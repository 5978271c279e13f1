"""A fault-injecting web server for the hostile tests: every way a real site can hurt a crawler, on 127.0.0.1.

A site's behaviour is chosen by its host name (``FaultServer(sites={"www.x.com": "drip"})``); any host can
also load the path faults under ``/_fault/`` (a subresource that never completes, a 50 MB body, nested
frames, a renderer crash). Hosts the server does not know answer like a generic third party. Every request
is logged with its host and Accept header, so a test can prove which sites the auditor loaded as pages.

Faults that need the browser's processes (a renderer crash, a browser crash) act on the processes of the
auditor run the test started: :attr:`FaultServer.auditor_pid` is that run's pid, and only its descendants
are touched, by pid, found through ``/proc``. Page JavaScript cannot crash a renderer on purpose (Chromium
refuses ``chrome://crash`` from pages) and CDP ``Page.crash`` would need the auditor's own connection, so a
crash is simulated the way the operating system causes one: the renderer (or the browser) is killed with
SIGKILL, exactly what Chromium sees when the OOM killer strikes.
"""

from __future__ import annotations

import datetime as dt
import html
import os
import signal
import socket
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

HANG_SECONDS = 120.0  # how long a hanging response waits at most (the server's stop releases it sooner)
DRIP_INTERVAL = 0.25
BIG_PAGE_BYTES = 50 * 1024 * 1024
MANY_LINKS = 10_000
NEST_DEPTH = 25
_GIF = bytes.fromhex("47494638396101000100800000000000ffffff21f90401000000002c00000000010001000002024401003b")


@dataclass(frozen=True)
class Hit:
    """One request the server saw."""

    host: str
    path: str
    accept: str

    @property
    def is_document(self) -> bool:
        """A page or frame load: Chromium asks for ``text/html`` only then (plain-HTTP origins get no
        ``Sec-Fetch-Dest``, so the Accept header is what tells a document from a script or an image)."""
        return self.accept.startswith("text/html")


def refusing_port() -> tuple[int, socket.socket]:
    """A loopback port that refuses connections: bound but never listening, so no other server can take it while
    the returned socket is held (a port bound and released could be reused by another test's server)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    return sock.getsockname()[1], sock


# --- pages -----------------------------------------------------------------------------------------------


def site_page(host: str, title: str = "", body: str = "", head: str = "") -> bytes:
    """A small, realistic homepage with a privacy policy link and a "Do Not Sell or Share" link."""
    name = title or host.removeprefix("www.").split(".")[0].replace("-", " ").title()
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{html.escape(name)}</title>{head}</head>'
        f"<body><header><h1>{html.escape(name)}</h1><nav><a href='/products'>Products</a> "
        f"<a href='/about'>About us</a></nav></header><main><p>Welcome to {html.escape(name)}. "
        f"Fresh stories and offers every week.</p>{body}</main>"
        "<footer><a href='/privacy'>Privacy Policy</a> <a href='/terms'>Terms of Use</a> "
        "<a href='/privacy-choices'>Do Not Sell or Share My Personal Information</a></footer></body></html>"
    ).encode()


def _script_page(host: str, head_script: str = "", body_script: str = "", body: str = "") -> bytes:
    head = f"<script>{head_script}</script>" if head_script else ""
    tail = f"<script>{body_script}</script>" if body_script else ""
    return site_page(host, head=head, body=body + tail)


# Text a hostile page puts where the auditor reads it (link text, cookie values): a terminal escape, a right-to-left
# override, XML and template syntax, a Markdown link, HTML, a mention. Short enough to still count as link text.
PAYLOAD = "\x1b[31m\u202e ]]></f><x> {{7*7}} ${7*7} | `c` [m](javascript:alert(1)) <script>alert(1)</script> @all"
COOKIE_PAYLOAD = "1YNN]]></failure>{{7*7}}<script>alert(2)</script>"


def payload_page(host: str) -> bytes:
    """A homepage whose opt-out link (old wording, so a rule fails and quotes it) carries :data:`PAYLOAD` and a
    ``javascript:`` target, and which sets a US Privacy cookie carrying :data:`COOKIE_PAYLOAD`."""
    text = html.escape(PAYLOAD)
    cookie = COOKIE_PAYLOAD.replace("</", "<\\/")  # inside <script>, "</" would end the element
    return (
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Payload Market {text}</title>"
        f"<script>document.cookie = 'usprivacy={cookie}; path=/; max-age=3600';</script></head>"
        f"<body><h1>Payload Market</h1><p>Deals of the week: {text}</p>"
        "<footer><a href='/privacy'>Privacy Policy</a> "
        f"<a href=\"javascript:alert('href')\">Do Not Sell My Personal Information {text}</a></footer></body></html>"
    ).encode()


OFFSITE_SITEMAP_HOST = "sitemaps.scope-elsewhere-cdn.com"
SCOPE_ELSEWHERE = (
    "www.scope-elsewhere-news.com",
    "social.scope-elsewhere-network.com",
    "www.scope-popup-elsewhere.com",
)


def scope_page(host: str) -> bytes:
    """A homepage that invites the auditor off the site: links and a pop-up to other sites, third-party tags
    (which it may load: they are the site's subresources), and on-site pages for the extra-page budget."""
    news, social, popup = SCOPE_ELSEWHERE
    return site_page(
        host,
        head="<script src='http://tags.scope-partner-cdn.com/tag.js'></script>",
        body="<img src='http://pixel.scope-ads-network.com/p.gif' alt=''>"
        f"<p>Read <a href='http://{news}/story'>the story</a> and follow us on "
        f"<a href='http://{social}/shop'>social</a>. See <a href='/catalog'>our catalog</a> and "
        "<a href='/stores'>our stores</a>.</p>"
        f"<script>window.open('http://{popup}/');</script>",
    )


def robots_txt(host: str) -> bytes:
    return f"User-agent: *\nDisallow: /private\nSitemap: http://{OFFSITE_SITEMAP_HOST}/sitemap.xml\n".encode()


def old_wording_page(host: str) -> bytes:
    """A homepage whose opt-out link still has the pre-2023 wording."""
    return site_page(host).replace(
        b"Do Not Sell or Share My Personal Information", b"Do Not Sell My Personal Information"
    )


def no_link_page(host: str) -> bytes:
    """A homepage with a privacy policy link, no opt-out link, and an advertising tag (so the link is required)."""
    page = site_page(host, head="<script async src='http://securepubads.g.doubleclick.net/tag/js/gpt.js'></script>")
    return page.replace(b" <a href='/privacy-choices'>Do Not Sell or Share My Personal Information</a>", b"")


PAGES: dict[str, Callable[[str], bytes]] = {
    "scope": scope_page,
    "site-old-wording": old_wording_page,
    "site-no-link": no_link_page,
    "payloads": payload_page,
    "site": site_page,
    # The loop starts once the page has loaded, while the auditor is reading it.
    "loop-after-load": lambda host: _script_page(
        host, body_script="addEventListener('load', () => setTimeout(() => { for (;;) {} }, 50));"
    ),
    # The loop runs while the document is parsed: DOMContentLoaded never fires.
    "loop-before-dcl": lambda host: _script_page(host, head_script="for (;;) {}"),
    "dialogs": lambda host: _script_page(
        host,
        head_script="alert('Welcome! <b>Accept</b> our terms'); confirm('Allow notifications?');"
        "prompt('Your zip code?', '94103');"
        "addEventListener('beforeunload', (e) => { e.preventDefault(); e.returnValue = 'Stay?'; });",
        body_script="addEventListener('load', () => setTimeout(() => alert('Thanks for visiting'), 20));",
    ),
    "popups": lambda host: _script_page(
        host,
        body="<a id='offer' href='http://www.popup-offers-elsewhere.com/deal' target='_blank'>Today's deal</a>",
        body_script="window.open('http://www.popup-ads-elsewhere.com/', 'promo', 'width=400,height=300');"
        "addEventListener('load', () => { window.open('/newsletter', '_blank');"
        " document.getElementById('offer').click(); });",
    ),
    "downloads": lambda host: _script_page(
        host,
        body="<a id='dl' href='/_fault/download' download='catalog.pdf'>Catalog</a>",
        body_script="addEventListener('load', () => { document.getElementById('dl').click();"
        " setTimeout(() => { location.href = '/_fault/download?again=1'; }, 50); });",
    ),
    "many-links": lambda host: site_page(
        host,
        body="<ul>" + "".join(f"<li><a href='/item/{i}'>Item {i}</a></li>" for i in range(MANY_LINKS)) + "</ul>",
    ),
    "nested-iframes": lambda host: site_page(
        host, body=f"<iframe src='/_fault/nest?depth={NEST_DEPTH}' width='600' height='400'></iframe>"
    ),
    "navigates-away": lambda host: _script_page(
        host,
        body_script="addEventListener('load', () => setTimeout("
        "() => { location.href = 'http://www.somewhere-else-entirely.com/'; }, 100));",
    ),
    "closes-window": lambda host: _script_page(
        host, body_script="addEventListener('load', () => setTimeout(() => window.close(), 100));"
    ),
    "crash-renderer": lambda host: _script_page(
        host, body_script="addEventListener('load', () => { new Image().src = '/_fault/crash-renderer'; });"
    ),
    "kill-browser": lambda host: _script_page(
        host, body_script="addEventListener('load', () => { new Image().src = '/_fault/kill-browser'; });"
    ),
    # load never fires: an image that never finishes keeps the document loading.
    "never-load": lambda host: site_page(host, body="<img src='/_fault/hang' alt='hero'>"),
}


def nested_frame(depth: int) -> bytes:
    """A frame holding a link and, until ``depth`` reaches 0, the next frame down."""
    inner = f"<iframe src='/_fault/nest?depth={depth - 1}' width='95%' height='90%'></iframe>" if depth > 0 else ""
    return f"<!doctype html><html><body><a href='/frame/{depth}'>Frame {depth}</a>{inner}</body></html>".encode()


# --- processes of the auditor run --------------------------------------------------------------------------


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        tree.setdefault(ppid, []).append(int(entry.name))
    return tree


def descendants(root: int) -> list[tuple[int, str]]:
    """(pid, command line) of every process below ``root``."""
    tree = _children()
    found, stack = [], list(tree.get(root, []))
    while stack:
        pid = stack.pop()
        try:
            cmdline = (Path("/proc") / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        found.append((pid, cmdline))
        stack.extend(tree.get(pid, []))
    return found


def _is_browser_main(cmdline: str) -> bool:
    return "--remote-debugging-pipe" in cmdline and "--type=" not in cmdline


def kill_renderers(root: int) -> list[int]:
    """SIGKILL every renderer process of the auditor run ``root``; returns their pids."""
    killed = []
    for pid, cmdline in descendants(root):
        if "--type=renderer" in cmdline:
            os.kill(pid, signal.SIGKILL)
            killed.append(pid)
    return killed


def kill_browser(root: int) -> list[int]:
    """SIGKILL the browser process (not the driver) of the auditor run ``root``; returns its pid."""
    killed = []
    for pid, cmdline in descendants(root):
        if _is_browser_main(cmdline):
            os.kill(pid, signal.SIGKILL)
            killed.append(pid)
    return killed


# --- the server ------------------------------------------------------------------------------------------


class _Handler(BaseHTTPRequestHandler):
    server: FaultServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - stdlib signature
        return

    def do_GET(self) -> None:  # noqa: N802 - stdlib name
        host = (self.headers.get("Host") or "").split(":")[0].lower()
        self.server.record(Hit(host, self.path, self.headers.get("Accept", "")))
        parts = urlsplit(self.path)
        try:
            if parts.path.startswith("/_fault/"):
                self._path_fault(parts.path.removeprefix("/_fault/"), parse_qs(parts.query), host)
            else:
                self._site(host, parts.path)
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError, TimeoutError):
            self.close_connection = True

    def do_POST(self) -> None:  # noqa: N802
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(min(length, 1 << 20))
        self._send(204, b"", "text/plain")

    def _site(self, host: str, path: str) -> None:
        behaviour = self.server.sites.get(host)
        if behaviour is None:
            self._third_party(path)
        elif path in ("/", "/index.html"):
            self._homepage(behaviour, host)
        elif path == "/loop-next":  # the other half of a redirect loop
            self._redirect("/")
        elif path == "/robots.txt" and behaviour == "scope":
            self._send(200, robots_txt(host), "text/plain")
        else:
            self._send(200, site_page(host, title=f"{host} {path}"), "text/html; charset=utf-8")

    def _homepage(self, behaviour: str, host: str) -> None:
        if behaviour in PAGES:
            self._send(200, PAGES[behaviour](host), "text/html; charset=utf-8")
        elif behaviour.startswith("status-"):
            code = int(behaviour.removeprefix("status-"))
            self._send(code, f"<h1>Error {code}</h1><p>Something went wrong.</p>".encode(), "text/html")
        elif behaviour == "hang-after-headers":
            self._hang_after_headers()
        elif behaviour == "drip":
            self._drip()
        elif behaviour == "redirect-loop":
            self._redirect("/loop-next")
        elif behaviour == "redirect-offsite":
            self._redirect("http://www.landing-elsewhere.com/welcome")
        elif behaviour == "download-home":
            self._download()
        elif behaviour == "download-stalled-home":
            self._download(stall=True)
        elif behaviour == "big-page":
            self._big_page(host)
        else:
            raise ValueError(f"unknown behaviour {behaviour!r} for {host}")

    def _path_fault(self, name: str, query: dict[str, list[str]], host: str) -> None:
        if name == "hang":
            self._hang_after_headers(kind="image/png")
        elif name == "drip":
            self._drip()
        elif name == "nest":
            depth = max(0, min(int(query.get("depth", ["0"])[0]), 200))
            self._send(200, nested_frame(depth), "text/html; charset=utf-8")
        elif name == "download":
            self._download()
        elif name == "crash-renderer":
            if self.server.auditor_pid:
                self.server.faults_done.append(("crash-renderer", kill_renderers(self.server.auditor_pid)))
            self._send(200, _GIF, "image/gif")
        elif name == "kill-browser":  # every time: the crawler's retries of the page crash the browser again
            if self.server.auditor_pid:
                self.server.faults_done.append(("kill-browser", kill_browser(self.server.auditor_pid)))
            self._send(200, _GIF, "image/gif")
        else:
            self._send(404, b"no such fault", "text/plain")

    def _third_party(self, path: str) -> None:
        if path.endswith(".js"):
            self._send(200, b"/* third-party tag */", "application/javascript")
        elif path.endswith((".gif", ".png")) or "pixel" in path:
            self._send(200, _GIF, "image/gif")
        else:
            self._send(200, site_page(self.headers.get("Host", "").split(":")[0]), "text/html; charset=utf-8")

    def _redirect(self, location: str) -> None:
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _hang_after_headers(self, kind: str = "text/html; charset=utf-8") -> None:
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", "100000")
        self.end_headers()
        self.wfile.flush()
        self.server.stopping.wait(HANG_SECONDS)
        self.close_connection = True

    def _drip(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", "10000000")
        self.end_headers()
        self.wfile.write(b"<!doctype html><html><head><title>Loading</title></head><body><p>")
        deadline = time.monotonic() + HANG_SECONDS
        while time.monotonic() < deadline and not self.server.stopping.wait(DRIP_INTERVAL):
            self.wfile.write(b".")
            self.wfile.flush()
        self.close_connection = True

    def _download(self, stall: bool = False) -> None:
        """A PDF sent as an attachment; with ``stall``, the download starts and its body never comes."""
        payload = b"%PDF-1.4\n% not really a catalog\n" + b"0" * 4096
        self.send_response(200)
        self.send_header("Content-Type", "application/pdf")
        self.send_header("Content-Disposition", 'attachment; filename="catalog.pdf"')
        self.send_header("Content-Length", str(len(payload) * (1000 if stall else 1)))
        self.end_headers()
        self.wfile.write(payload)
        if stall:
            self.wfile.flush()
            self.server.stopping.wait(HANG_SECONDS)
            self.close_connection = True

    def _big_page(self, host: str) -> None:
        """About 50 MB, generated as it is sent (never stored): 2 MB of article text, then the rest as inline
        hydration data (``<script type="application/json">``), as single-page apps embed their state."""
        head, tail = site_page(host, body="<!--big-->").split(b"<!--big-->")
        sentence = (
            b"Our stores carry seasonal produce, pantry staples and household goods. "
            b"Prices and availability vary by location; see the weekly circular for details. "
        )
        article = (b"<p>" + sentence * 6000 + b"</p>\n") * 2
        record = b'{"sku": "000000", "name": "Organic rolled oats", "price": 4.99, "aisle": 7},'
        records = (BIG_PAGE_BYTES - len(head) - len(tail) - len(article)) // len(record)
        opening, closing = b'<script type="application/json" id="state">[', b"{}]</script>"
        length = len(head) + len(article) + len(opening) + records * len(record) + len(closing) + len(tail)
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(length))
        self.end_headers()
        self.wfile.write(head + article + opening)
        block = record * 10_000
        for _ in range(records // 10_000):
            self.wfile.write(block)
        self.wfile.write(record * (records % 10_000) + closing + tail)

    def _send(self, status: int, payload: bytes, kind: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(payload)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(payload)


class FaultServer(ThreadingHTTPServer):
    """Serves fault behaviours by host name on 127.0.0.1 (HTTPS with a self-signed certificate when ``tls``)."""

    daemon_threads = True
    block_on_close = False

    def __init__(self, sites: dict[str, str], *, tls_files: tuple[Path, Path] | None = None) -> None:
        self.sites = {host.lower(): behaviour for host, behaviour in sites.items()}
        self.hits: list[Hit] = []
        self.faults_done: list[tuple[str, list[int]]] = []
        self.auditor_pid: int | None = None
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self._tls: ssl.SSLContext | None = None
        if tls_files:
            self._tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            self._tls.load_cert_chain(str(tls_files[0]), str(tls_files[1]))
        super().__init__(("127.0.0.1", 0), _Handler)

    @property
    def port(self) -> int:
        return self.server_address[1]

    def record(self, hit: Hit) -> None:
        with self._lock:
            self.hits.append(hit)

    def hosts_seen(self, documents_only: bool = False) -> set[str]:
        """Every host name requested so far (only page and frame loads with ``documents_only``)."""
        with self._lock:
            return {h.host for h in self.hits if h.is_document or not documents_only}

    def get_request(self):
        sock, address = super().get_request()
        if self._tls is not None:
            # The handshake happens in the handler's thread, so a client refusing the certificate blocks no one.
            sock = self._tls.wrap_socket(sock, server_side=True, do_handshake_on_connect=False)
        return sock, address

    def handle_error(self, request, client_address) -> None:
        return  # a browser that refuses our certificate or drops a hanging response is expected here

    def start(self) -> FaultServer:
        threading.Thread(target=self.serve_forever, name="fault-server", daemon=True).start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        self.shutdown()
        self.server_close()


def self_signed_certificate(host: str, folder: Path) -> tuple[Path, Path]:
    """A certificate for ``host`` signed by itself (no CA trusts it), made now; returns (cert, key) paths."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(host)]), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return cert_path, key_path
