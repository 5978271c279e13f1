"""Sites to audit: URL validation, site ids (folder names) and site lists."""

from __future__ import annotations

import csv
import io
import ipaddress
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

DEFAULT_PORTS = {"http": 80, "https": 443}
_HOST_CHARS = re.compile(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*\.?$")
MAX_HOST_LENGTH = 253  # DNS: at most 253 characters, labels of at most 63
MAX_LABEL_LENGTH = 63
# A site id is one path component: ASCII letters, digits, dots, hyphens and underscores, starting with a letter or
# digit (so never "." or ".."), short enough for any file system.
SITE_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{0,259}$")


class TargetError(ValueError):
    """A site URL or site list is not usable; the message is one line for the user."""


@dataclass(frozen=True)
class Target:
    """One site to audit."""

    url: str
    host: str
    port: int | None

    @property
    def site_id(self) -> str:
        """The site's folder name: the host, plus ``_PORT`` for a non-default port (an IPv6 address's colons
        become hyphens). Always one safe path component: no host, however crafted, leaves the output folder."""
        host = ipaddress.ip_address(self.host).exploded.replace(":", "-") if ":" in self.host else self.host
        site_id = host + (f"_{self.port}" if self.port else "")
        if not SITE_ID.match(site_id):  # parse_target lets no such host through; this guards every other caller
            raise TargetError(f"{self.host!r} cannot name a folder")
        return site_id


def parse_target(raw: str) -> Target:
    """Validate a site URL (http or https, with a host name); a bare host gets ``https://``."""
    text = raw.strip()
    if not text:
        raise TargetError("empty site URL")
    if "://" not in text and not re.match(r"^[a-z][a-z0-9+.-]*:", text, re.IGNORECASE):
        text = "https://" + text
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as error:
        raise TargetError(f"{raw!r} is not a valid URL ({error})") from None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        raise TargetError(f"{raw!r}: unsupported scheme {scheme!r}; only http and https sites can be audited")
    host = _ascii_host((parts.hostname or "").lower().rstrip("."), raw)
    if not host:
        raise TargetError(f"{raw!r} has no host name")
    if _is_ip(host):
        netloc = f"[{host}]" if ":" in host else host
    elif _HOST_CHARS.match(host) and _host_lengths_ok(host):
        netloc = host
    else:
        raise TargetError(f"{raw!r}: {host[:80]!r} is not a valid host name")
    if port == DEFAULT_PORTS[scheme]:
        port = None
    path = parts.path or "/"
    url = f"{scheme}://{netloc}" + (f":{port}" if port else "") + path + (f"?{parts.query}" if parts.query else "")
    target = Target(url=url, host=host, port=port)
    target.site_id  # noqa: B018 - raises TargetError now, before anything is written, if it cannot name a folder
    return target


def _ascii_host(host: str, raw: str) -> str:
    """The host as the browser asks for it: an international name in its ASCII (punycode) form."""
    if host.isascii():
        return host
    try:
        return host.encode("idna").decode("ascii").lower().rstrip(".")
    except UnicodeError:
        raise TargetError(f"{raw!r}: {host[:80]!r} is not a valid international host name") from None


def _host_lengths_ok(host: str) -> bool:
    return len(host) <= MAX_HOST_LENGTH and all(len(label) <= MAX_LABEL_LENGTH for label in host.split("."))


def _is_ip(host: str) -> bool:
    if "%" in host:  # an IPv6 zone id names an interface of this machine, not a site
        return False
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def read_site_list(path: Path) -> list[str]:
    """URLs from a file: one per line (``#`` comments), or a CSV with a ``url`` column."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise TargetError(f"cannot read site list {path}: {error.strerror or error}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise TargetError(f"site list {path} is not UTF-8 text") from None
    lines = [line.strip() for line in text.splitlines()]
    lines = [line for line in lines if line and not line.startswith("#")]
    if not lines:
        raise TargetError(f"site list {path} contains no sites")
    header = [h.strip().lower() for h in next(csv.reader([lines[0]]))]
    if "url" in header and len(header) > 1 or lines[0].lower() == "url":
        rows = csv.DictReader(io.StringIO("\n".join(lines)))
        urls = [(row.get("url") or row.get("URL") or "").strip() for row in rows]
        urls = [u for u in urls if u]
        if not urls:
            raise TargetError(f"site list {path} has a url column but no URLs")
        return urls
    return lines


def unique_targets(raw_urls: list[str]) -> list[Target]:
    """Validate every URL and drop duplicate sites (same site id), keeping the first."""
    targets: dict[str, Target] = {}
    for raw in raw_urls:
        target = parse_target(raw)
        targets.setdefault(target.site_id, target)
    return list(targets.values())
