"""Find and launch Chromium; build one cold browser context per visit profile.

The browser must talk only to the audited site: background networking, component updates and sync are
off. A visitor from California: locale en-US, timezone America/Los_Angeles. GPC is emulated the way a
browser that supports it behaves: ``Sec-GPC: 1`` on every request and
``navigator.globalPrivacyControl === true`` in pages, frames and workers. DNT is never sent.
"""

from __future__ import annotations

import ipaddress
import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from playwright.async_api import Browser, BrowserContext, Playwright

SYSTEM_CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
BASE_ARGS = (
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--no-first-run",
    "--disable-quic",
    "--disable-blink-features=AutomationControlled",
    "--hide-scrollbars",
)
VIEWPORT = {"width": 1280, "height": 800}
LOCALE = "en-US"
TIMEZONE = "America/Los_Angeles"

# Runs before any page script, in every frame. Chromium has no native GPC, so the property is defined
# here; `webdriver` is masked because some CMPs hide their banner from automated browsers.
_MASK_WEBDRIVER_JS = """
try { Object.defineProperty(Navigator.prototype, 'webdriver', {get: () => false, configurable: true}); }
catch (e) {}
"""
GPC_PROPERTY_JS = """
try { Object.defineProperty(Navigator.prototype, 'globalPrivacyControl',
                            {get: () => true, configurable: true, enumerable: true}); } catch (e) {}
try { if (typeof WorkerNavigator !== 'undefined')
        Object.defineProperty(WorkerNavigator.prototype, 'globalPrivacyControl',
                              {get: () => true, configurable: true, enumerable: true}); } catch (e) {}
"""


class BrowserNotFound(RuntimeError):
    """No usable Chromium was found; the message says how to install one."""


class HostMapError(ValueError):
    """A ``--map-host`` value is malformed; the message says which and why."""


_HOST_PATTERN = re.compile(
    r"^(\*|(\*\.)?[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*)$"
)


@dataclass(frozen=True)
class HostMapping:
    """One ``HOST=ADDR[:PORT]`` rule, as curl's ``--resolve`` but with Chromium's host patterns."""

    pattern: str
    address: str
    port: int | None = None

    @classmethod
    def parse(cls, text: str) -> HostMapping:
        """Parse ``HOST=ADDR[:PORT]``; raise :class:`HostMapError` with the reason when malformed."""
        host, sep, target = text.partition("=")
        host, target = host.strip(), target.strip()
        if not sep or not host or not target:
            raise HostMapError(f"--map-host {text!r}: expected HOST=ADDR[:PORT], e.g. '*.example.com=127.0.0.1:8080'")
        if not _HOST_PATTERN.match(host):
            raise HostMapError(f"--map-host {text!r}: {host!r} is not a host name or pattern ('*', '*.example.com')")
        address, port = _split_address(target, text)
        return cls(pattern=host.lower(), address=address, port=port)

    def chromium_rule(self) -> str:
        """The rule in Chromium's ``--host-resolver-rules`` syntax."""
        address = f"[{self.address}]" if ":" in self.address else self.address
        return f"MAP {self.pattern} {address}" + (f":{self.port}" if self.port else "")

    def __str__(self) -> str:
        return f"{self.pattern}={self.address}" + (f":{self.port}" if self.port else "")


def _split_address(target: str, original: str) -> tuple[str, int | None]:
    port_text: str | None = None
    if target.startswith("["):
        address, _, rest = target[1:].partition("]")
        if rest.startswith(":"):
            port_text = rest[1:]
        elif rest:
            raise HostMapError(f"--map-host {original!r}: cannot read {target!r} as [IPv6]:PORT")
    elif target.count(":") == 1:
        address, port_text = target.split(":")
    else:
        address = target
    try:
        ipaddress.ip_address(address)
    except ValueError:
        if not _HOST_PATTERN.match(address) or "*" in address:
            raise HostMapError(f"--map-host {original!r}: {address!r} is not an IP address or host name") from None
    port: int | None = None
    if port_text is not None:
        if not port_text.isdigit() or not 0 < int(port_text) < 65536:
            raise HostMapError(f"--map-host {original!r}: port {port_text!r} is not a number from 1 to 65535")
        port = int(port_text)
    return address, port


def host_resolver_rules(mappings: list[HostMapping]) -> str | None:
    """Chromium's ``--host-resolver-rules`` value for the mappings, or None when there are none."""
    if not mappings:
        return None
    return ", ".join(m.chromium_rule() for m in mappings)


@dataclass
class BrowserChoice:
    """The Chromium the auditor will use and how it was found."""

    executable: str
    source: str  # "playwright", "environment", "system"


def find_chromium(explicit: str | None = None) -> BrowserChoice:
    """Find a Chromium: ``explicit`` or ``$AUDITOR_CHROMIUM``, then Playwright's, then a system one."""
    for candidate, source in ((explicit, "option"), (os.environ.get("AUDITOR_CHROMIUM"), "environment")):
        if candidate:
            path = shutil.which(candidate) or candidate
            if Path(path).is_file() and os.access(path, os.X_OK):
                return BrowserChoice(path, source)
            raise BrowserNotFound(f"Chromium {candidate!r} ({source}) is not an executable file")
    managed = _playwright_chromium()
    if managed:
        return BrowserChoice(managed, "playwright")
    for name in SYSTEM_CHROMIUM_NAMES:
        path = shutil.which(name)
        if path:
            return BrowserChoice(path, "system")
    raise BrowserNotFound(install_hint())


def _playwright_chromium() -> str | None:
    root = Path(os.environ.get("PLAYWRIGHT_BROWSERS_PATH") or Path.home() / ".cache" / "ms-playwright")
    if not root.is_dir():
        return None
    for pattern in ("chromium-*/chrome-linux*/chrome", "chromium_headless_shell-*/chrome-linux*/headless_shell"):
        found = sorted(root.glob(pattern))
        if found:
            return str(found[-1])
    return None


def install_hint() -> str:
    """The one command that installs a Chromium on this machine."""
    if Path("/etc/debian_version").exists():
        prefix = "" if os.geteuid() == 0 else "sudo "
        return f"no Chromium found; install one with: {prefix}apt-get install -y chromium"
    return "no Chromium found; install one with: python -m playwright install chromium"


@dataclass
class LaunchSettings:
    """How to start the browser for a run."""

    host_map: list[HostMapping] = field(default_factory=list)
    executable: str | None = None
    proxy: str | None = None
    ignore_https_errors: bool = False
    extra_args: list[str] = field(default_factory=list)

    def args(self) -> list[str]:
        """Chromium command-line flags for these settings."""
        args = list(BASE_ARGS)
        if os.geteuid() == 0:
            args.append("--no-sandbox")
        rules = host_resolver_rules(self.host_map)
        if rules:
            args.append(f"--host-resolver-rules={rules}")
        return args + list(self.extra_args)


async def launch(playwright: Playwright, settings: LaunchSettings) -> Browser:
    """Launch headless Chromium with the auditor's flags."""
    choice = find_chromium(settings.executable)
    options: dict = {"executable_path": choice.executable, "headless": True, "args": settings.args()}
    if settings.proxy:
        options["proxy"] = {"server": settings.proxy}
    return await playwright.chromium.launch(**options)


def user_agent_for(version: str) -> str:
    """A desktop Chrome user agent for the browser version (headless UAs are routinely blocked)."""
    return f"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{version} Safari/537.36"


def visit_context_options(browser_version: str, *, gpc: bool, ignore_https_errors: bool = False) -> dict:
    """Keyword arguments of ``browser.new_context`` for a cold visit (also handed to scrapy-playwright)."""
    return {
        "viewport": dict(VIEWPORT),
        "locale": LOCALE,
        "timezone_id": TIMEZONE,
        "user_agent": user_agent_for(browser_version),
        "extra_http_headers": {"Sec-GPC": "1"} if gpc else {},
        "ignore_https_errors": ignore_https_errors,
        "accept_downloads": False,
        "service_workers": "allow",
    }


async def prepare_visit_context(context: BrowserContext, *, gpc: bool) -> None:
    """Install the visit's init scripts (webdriver mask, GPC in pages and workers) before any navigation."""
    await context.add_init_script(_MASK_WEBDRIVER_JS + (GPC_PROPERTY_JS if gpc else ""))
    if gpc:
        context.on("page", lambda page: _install_worker_gpc(page))
        for page in context.pages:
            _install_worker_gpc(page)


async def new_visit_context(browser: Browser, *, gpc: bool, ignore_https_errors: bool = False) -> BrowserContext:
    """A fresh, cold context for one visit profile: no cookies, no storage, a California visitor."""
    options = visit_context_options(browser.version, gpc=gpc, ignore_https_errors=ignore_https_errors)
    context = await browser.new_context(**options)
    await prepare_visit_context(context, gpc=gpc)
    return context


def _install_worker_gpc(page) -> None:
    """Make dedicated workers started by ``page`` see ``navigator.globalPrivacyControl === true``."""
    page.on("worker", lambda worker: _schedule(worker.evaluate(GPC_PROPERTY_JS)))


def _schedule(coro) -> None:
    import asyncio

    task = asyncio.ensure_future(coro)
    task.add_done_callback(lambda t: t.exception())
