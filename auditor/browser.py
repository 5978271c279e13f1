"""Find and launch Chromium; build one cold browser context per visit profile.

The browser must talk only to the audited site: background networking, component updates and sync are
off. A visitor from California: locale en-US, timezone America/Los_Angeles. GPC behaves the way a browser
that supports it behaves: ``Sec-GPC: 1`` on every request and ``navigator.globalPrivacyControl === true``
in pages, frames and workers. DNT is never sent.

Two ways to get there (:func:`gpc_mechanism` says which one a context used):

- ``native``: Chromium's own GPC (``--enable-blink-features=GlobalPrivacyControl`` plus the feature
  ``GlobalPrivacyControlTest``, which enables the W3C automation hook ``Browser.setGlobalPrivacyControl``).
  The browser then sends the header and exposes the property itself, in every frame and every worker, from
  the worker's first line. The switch is browser-wide, so :func:`new_visit_context` lets contexts that
  need different values take turns (:class:`NativeGpc`).
- ``emulated`` (a Chromium without that hook, or contexts created by someone else, e.g. scrapy-playwright):
  the header through ``extra_http_headers``, the property through an init script in pages and frames, and
  for dedicated workers a CDP session that pauses each new worker before its first script
  (``Debugger.setInstrumentationBreakpoint``) and defines the property there. Playwright resumes new
  workers on its own session, so this is a race it usually wins; a late ``worker.evaluate`` covers the rest.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import json
import os
import re
import shutil
import threading
from dataclasses import dataclass, field
from pathlib import Path

from playwright.async_api import Browser, BrowserContext, CDPSession, Page, Playwright
from playwright.async_api import Error as PlaywrightError

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
# Chromium's native GPC (see the module docstring).
NATIVE_GPC_BLINK_FEATURE = "GlobalPrivacyControl"
NATIVE_GPC_FEATURE = "GlobalPrivacyControlTest"
# Chromium keeps only the last --enable-features and the last --disable-features switch, and Playwright passes its
# own lists first; so ours repeat Playwright's (1.65; a unit test compares them with the installed driver's).
PLAYWRIGHT_ENABLED_FEATURES = ("CDPScreenshotNewSurface", "SkipListAccountsWithoutGaiaCookies")
PLAYWRIGHT_DISABLED_FEATURES = (
    "AvoidUnnecessaryBeforeUnloadCheckSync",
    "DestroyProfileOnBrowserClose",
    "HttpsUpgrades",
    "HttpsFirstBalancedModeAutoEnable",
    "LensOverlay",
    "MediaRouter",
    "PaintHolding",
    "ThirdPartyStoragePartitioning",
    "AvoidCorsURLLoaderRestartOnRedirect",
    "TcpPortRandomizationWin",
    "OptimizationHints",
    "NetworkTimeServiceQuerying",
    "AimEnabled",
    "PreconnectToSearch",
    "msForceBrowserSignIn",
    "msEdgeUpdateLaunchServicesPreferredVersion",
)
# Headless Chromium (the full browser, not the headless shell) builds a browser window for every context, and every
# window loads two omnibox pop-up pages (chrome://omnibox-popup.top-chrome/), each in a renderer of its own. Nobody
# sees them; they took a third of an audit's CPU (about 3 of 9 CPU seconds a site, measured by process kind).
AUDITOR_DISABLED_FEATURES = ("WebUIOmniboxPopup", "WebUIOmniboxAimPopup")
NATIVE_GPC_WAIT = 600.0  # seconds a context waits for contexts with the other GPC value to close
# Playwright turns Chromium's pop-up blocker off; a visitor's browser has it on, and with it off a page could
# open any other site in a new window without a click. Pop-ups a click opens still open (and are closed).
IGNORED_DEFAULT_ARGS = ("--disable-popup-blocking",)
VIEWPORT = {"width": 1280, "height": 800}
LOCALE = "en-US"
TIMEZONE = "America/Los_Angeles"

# Runs before any page script, in every frame. Without native GPC the property is defined here; `webdriver`
# is masked because some CMPs hide their banner from automated browsers.
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


# Chromium's host-resolver-rules target that makes a host fail to resolve, as a real DNS failure would.
NOT_FOUND = "~NOTFOUND"


@dataclass(frozen=True)
class HostMapping:
    """One ``HOST=ADDR[:PORT]`` rule, as curl's ``--resolve`` but with Chromium's host patterns.

    ``HOST=~NOTFOUND`` (Chromium's own syntax) makes HOST fail to resolve. Chromium applies the first rule
    that matches a host, so specific rules go before a catch-all ``*``.
    """

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
        if target.upper() == NOT_FOUND:
            return cls(pattern=host.lower(), address=NOT_FOUND)
        address, port = _split_address(target, text)
        return cls(pattern=host.lower(), address=address, port=port)

    def chromium_rule(self) -> str:
        """The rule in Chromium's ``--host-resolver-rules`` syntax."""
        if self.address == NOT_FOUND:
            return f"MAP {self.pattern} {NOT_FOUND}"
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
        found = shutil.which(name)
        if found:
            return BrowserChoice(found, "system")
    raise BrowserNotFound(install_hint())


PLAYWRIGHT_LOOKUP_TIMEOUT = 20.0  # seconds to start Playwright's driver and ask it; no browser is launched


class _PlaywrightLookup:
    """Asks Playwright where the Chromium it installs (``playwright install chromium``) is: ``executable_path``, which
    honours ``PLAYWRIGHT_BROWSERS_PATH``, so it is the build this Playwright drives, not whichever version a cache
    folder happens to hold. Starting Playwright's driver to ask takes about 0.4 s, so the question is asked
    once a process, in a thread of its own (the sync API then works inside a running event loop too), as soon as
    a command knows it will need a browser (:func:`start_finding_chromium`); the answer is waited for, bounded, only
    when :func:`find_chromium` needs it."""

    def __init__(self) -> None:
        self._found: list[str] = []
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def start(self) -> None:
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._ask, name="playwright-executable-path", daemon=True)
                self._thread.start()

    def _ask(self) -> None:
        from playwright.sync_api import sync_playwright

        with contextlib.suppress(Exception), sync_playwright() as playwright:  # no driver, no answer
            self._found.append(playwright.chromium.executable_path)

    def executable(self) -> str | None:
        self.start()
        assert self._thread is not None
        self._thread.join(PLAYWRIGHT_LOOKUP_TIMEOUT)
        found = self._found[0] if self._found else None
        if found and Path(found).is_file() and os.access(found, os.X_OK):
            return found
        return None


_PLAYWRIGHT_LOOKUP = _PlaywrightLookup()


def start_finding_chromium() -> None:
    """Start looking for Playwright's Chromium in the background, for a command that will call :func:`find_chromium`
    without a browser of its own (unless ``$AUDITOR_CHROMIUM`` names one), so the lookup overlaps its preparations."""
    if not os.environ.get("AUDITOR_CHROMIUM"):
        _PLAYWRIGHT_LOOKUP.start()


def _playwright_chromium() -> str | None:
    """Playwright's own Chromium when it is installed (see :class:`_PlaywrightLookup`), else None."""
    return _PLAYWRIGHT_LOOKUP.executable()


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
    native_gpc: bool = True  # ask Chromium for its own GPC; False forces the emulation

    def args(self) -> list[str]:
        """Chromium command-line flags for these settings."""
        args = list(BASE_ARGS)
        if os.geteuid() == 0:
            args.append("--no-sandbox")
        rules = host_resolver_rules(self.host_map)
        if rules:
            args.append(f"--host-resolver-rules={rules}")
        extra = list(self.extra_args)
        disabled = PLAYWRIGHT_DISABLED_FEATURES + AUDITOR_DISABLED_FEATURES
        enabled = PLAYWRIGHT_ENABLED_FEATURES + ((NATIVE_GPC_FEATURE,) if self.native_gpc else ())
        args += [_one_feature_switch("--disable-features", disabled, extra)]
        args += [_one_feature_switch("--enable-features", enabled, extra)]
        if self.native_gpc:
            args.append(f"--enable-blink-features={NATIVE_GPC_BLINK_FEATURE}")
        return args + extra


def _one_feature_switch(switch: str, ours: tuple[str, ...], extra: list[str]) -> str:
    """``switch`` (``--enable-features`` or ``--disable-features``) with Playwright's features, ours and those of the
    user's own ``switch`` arguments, which are taken out of ``extra``: Chromium keeps only the last one."""
    features = list(ours)
    for arg in [a for a in extra if a.startswith(f"{switch}=")]:
        extra.remove(arg)
        features += [f for f in arg.split("=", 1)[1].split(",") if f and f not in features]
    return f"{switch}=" + ",".join(features)


async def launch(playwright: Playwright, settings: LaunchSettings) -> Browser:
    """Launch headless Chromium with the auditor's flags."""
    choice = find_chromium(settings.executable)
    options: dict = {
        "executable_path": choice.executable,
        "headless": True,
        "args": settings.args(),
        "ignore_default_args": list(IGNORED_DEFAULT_ARGS),
    }
    if settings.proxy:
        options["proxy"] = {"server": settings.proxy}
    return await playwright.chromium.launch(**options)


def user_agent_for(version: str) -> str:
    """A desktop Chrome user agent for the browser version (headless UAs are routinely blocked)."""
    return f"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{version} Safari/537.36"


def visit_context_options(
    browser_version: str, *, gpc: bool, ignore_https_errors: bool = False, native_gpc: bool = False
) -> dict:
    """Keyword arguments of ``browser.new_context`` for a cold visit (also handed to scrapy-playwright).

    With ``native_gpc`` the browser sends ``Sec-GPC`` itself, so the header is not added a second time.
    """
    return {
        "viewport": dict(VIEWPORT),
        "locale": LOCALE,
        "timezone_id": TIMEZONE,
        "user_agent": user_agent_for(browser_version),
        "extra_http_headers": {"Sec-GPC": "1"} if gpc and not native_gpc else {},
        "ignore_https_errors": ignore_https_errors,
        "accept_downloads": False,
        "service_workers": "allow",
    }


async def prepare_visit_context(context: BrowserContext, *, gpc: bool, native_gpc: bool = False) -> None:
    """Install the visit's init scripts before any navigation: the webdriver mask, and GPC unless native.

    New windows load nothing (see :func:`keep_new_windows_empty`): the visit stays on the audited site.
    """
    emulate = gpc and not native_gpc
    if context.browser is not None:
        await keep_new_windows_empty(context.browser)
    await context.add_init_script(_MASK_WEBDRIVER_JS + (GPC_PROPERTY_JS if emulate else ""))
    _GPC_MECHANISM[id(context)] = ("native" if native_gpc else "emulated") if gpc else "off"
    context.on("close", lambda _: _forget_gpc_mechanism(context))
    if emulate:
        context.on("page", lambda page: _schedule(_hook_workers(page)))
        for page in context.pages:  # a page that exists already (scrapy-playwright's) is hooked before it navigates
            await _hook_workers(page)


async def keep_new_windows_empty(browser: Browser) -> None:
    """Make every window a page opens load nothing; installed once per browser, before its first visit.

    Chromium's pop-up blocker stops windows a page opens on its own, but not one opened in answer to a click (a
    ``target=_blank`` link or form, ``window.open`` in a click handler), and every ``page.evaluate`` of the audit
    counts as one (Playwright runs it with a user gesture). Such a window would load another site. A browser-wide
    CDP session learns of each new page as it is created (a window a page opened has an opener) and holds every
    document request, in any context, until it has said yes or no: a request for the main frame of a window a page
    opened fails (``BlockedByClient``), every other goes on. Only documents pass through Python (a few a page), and
    the HTTP cache stays on (a route turns it off); the interception itself still costs the browser process about
    what a route over every request did (measured: see the README's benchmark section). The window itself is
    recorded and closed by the capture.
    """
    guard = getattr(browser, "_auditor_window_guard", None)
    if guard is None:
        guard = asyncio.ensure_future(_WindowGuard.install(browser))
        browser._auditor_window_guard = guard  # type: ignore[attr-defined]
    await asyncio.shield(guard)


class _WindowGuard:
    """The browser-wide session behind :func:`keep_new_windows_empty`."""

    def __init__(self, session: CDPSession) -> None:
        self.session = session
        self.opened_windows: set[str] = set()  # target ids; a page's main frame has its target's id

    @classmethod
    async def install(cls, browser: Browser) -> _WindowGuard:
        session = await browser.new_browser_cdp_session()
        guard = cls(session)
        # Both are told in the order the browser sends them: a window is created before its first request.
        session.on("Target.targetCreated", guard.created)
        session.on("Target.targetDestroyed", lambda event: guard.opened_windows.discard(event.get("targetId")))
        session.on("Fetch.requestPaused", guard.paused)
        await session.send("Target.setDiscoverTargets", {"discover": True})
        documents = {"urlPattern": "*", "resourceType": "Document", "requestStage": "Request"}
        await session.send("Fetch.enable", {"patterns": [documents]})
        return guard

    def created(self, event: dict) -> None:
        info = event.get("targetInfo", {})
        if info.get("type") == "page" and info.get("openerId"):
            self.opened_windows.add(info["targetId"])

    def paused(self, event: dict) -> None:
        """Decided at once, in the order of the browser's messages; the answer is sent in the background."""
        request = {"requestId": event["requestId"]}
        if event.get("frameId") in self.opened_windows:
            _schedule(self._answer("Fetch.failRequest", {**request, "errorReason": "BlockedByClient"}))
        else:
            _schedule(self._answer("Fetch.continueRequest", request))

    async def _answer(self, method: str, params: dict) -> None:
        with contextlib.suppress(PlaywrightError):  # the page (or the browser) has gone meanwhile
            await self.session.send(method, params)


async def new_visit_context(browser: Browser, *, gpc: bool, ignore_https_errors: bool = False) -> BrowserContext:
    """A fresh, cold context for one visit profile: no cookies, no storage, a California visitor.

    Uses Chromium's native GPC when the browser has it (waiting, if need be, until contexts that need the
    other value have closed), else the emulation.
    """
    native = await NativeGpc.of(browser)
    if native is not None:
        await native.hold(gpc)
    try:
        options = visit_context_options(
            browser.version, gpc=gpc, ignore_https_errors=ignore_https_errors, native_gpc=native is not None
        )
        context = await browser.new_context(**options)
    except BaseException:
        if native is not None:
            native.release()
        raise
    if native is not None:
        context.on("close", lambda _: native.release())
    await prepare_visit_context(context, gpc=gpc, native_gpc=native is not None)
    return context


_GPC_MECHANISM: dict[int, str] = {}


def gpc_mechanism(context: BrowserContext) -> str:
    """How GPC reaches this context: ``native``, ``emulated``, ``off`` (no GPC), or ``unknown``."""
    return _GPC_MECHANISM.get(id(context), "unknown")


def _forget_gpc_mechanism(context: BrowserContext) -> None:
    _GPC_MECHANISM.pop(id(context), None)


class NativeGpc:
    """Chromium's own GPC switch for one browser. It is browser-wide, so contexts take turns by value.

    Every open context made by :func:`new_visit_context` holds the value it needs; a context that needs the
    other value waits until they have all closed. Contexts in one visit flow are opened one after another,
    so in practice nobody waits.
    """

    def __init__(self, session: CDPSession) -> None:
        self.session = session
        self.value: bool | None = None
        self.holders = 0
        self._changed = asyncio.Event()
        self._lock = asyncio.Lock()

    @classmethod
    async def of(cls, browser: Browser) -> NativeGpc | None:
        """The browser's switch, or None when this Chromium has no native GPC (checked once per browser)."""
        if not hasattr(browser, "_auditor_native_gpc"):
            native: NativeGpc | None = None
            with contextlib.suppress(PlaywrightError, AttributeError):
                session = await browser.new_browser_cdp_session()
                await session.send("Browser.setGlobalPrivacyControl", {"gpc": False})
                native = cls(session)
                native.value = False
            browser._auditor_native_gpc = native  # type: ignore[attr-defined]
        return browser._auditor_native_gpc  # type: ignore[attr-defined]

    async def hold(self, value: bool, timeout: float = NATIVE_GPC_WAIT) -> None:
        """Wait until the switch can be (or is) ``value``, set it, and count one more holder."""
        async with asyncio.timeout(timeout):
            while True:
                async with self._lock:
                    if self.holders == 0 or self.value == value:
                        if self.value != value:
                            result = await self.session.send("Browser.setGlobalPrivacyControl", {"gpc": value})
                            if bool(result.get("gpc")) != value:
                                raise RuntimeError(f"Chromium kept Global Privacy Control at {result.get('gpc')}")
                            self.value = value
                        self.holders += 1
                        return
                    self._changed.clear()
                await self._changed.wait()

    def release(self) -> None:
        """One holder closed its context."""
        self.holders = max(0, self.holders - 1)
        self._changed.set()


async def _hook_workers(page: Page) -> None:
    """Emulation only: define ``navigator.globalPrivacyControl`` in dedicated workers before their code runs.

    A CDP session on the page auto-attaches to new workers (``waitForDebuggerOnStart``), sets an
    instrumentation breakpoint before the first script, defines the property while paused, and resumes.
    Playwright resumes workers on its own session as well, which can beat this hook; ``worker.evaluate``
    then defines the property late, so later reads see it.
    """
    page.on("worker", lambda worker: _schedule(worker.evaluate(GPC_PROPERTY_JS)))
    try:
        session = await page.context.new_cdp_session(page)
        hook = _WorkerHook(session)
        session.on("Target.attachedToTarget", hook.attached)
        session.on("Target.receivedMessageFromTarget", hook.message)
        await session.send(
            "Target.setAutoAttach", {"autoAttach": True, "waitForDebuggerOnStart": True, "flatten": False}
        )
    except PlaywrightError:
        return


class _WorkerHook:
    """Talks to auto-attached targets through ``Target.sendMessageToTarget`` (non-flat CDP sessions)."""

    def __init__(self, session: CDPSession) -> None:
        self.session = session
        self.next_id = 0

    def send(self, target_session: str, method: str, params: dict | None = None) -> None:
        self.next_id += 1
        message = json.dumps({"id": self.next_id, "method": method, "params": params or {}})
        _schedule(self.session.send("Target.sendMessageToTarget", {"sessionId": target_session, "message": message}))

    def attached(self, event: dict) -> None:
        target_session = event["sessionId"]
        if event.get("targetInfo", {}).get("type") == "worker":
            # Sent back to back: the worker handles them in order, before its script if it is still paused.
            self.send(target_session, "Debugger.enable")
            self.send(
                target_session, "Debugger.setInstrumentationBreakpoint", {"instrumentation": "beforeScriptExecution"}
            )
        self.send(target_session, "Runtime.runIfWaitingForDebugger")

    def message(self, event: dict) -> None:
        try:
            method = json.loads(event.get("message", "{}")).get("method")
        except ValueError:
            return
        if method == "Debugger.paused":
            self.send(event["sessionId"], "Runtime.evaluate", {"expression": GPC_PROPERTY_JS})
            self.send(event["sessionId"], "Debugger.disable")  # removes the breakpoint and resumes


def _schedule(coro) -> None:
    task = asyncio.ensure_future(coro)
    task.add_done_callback(lambda t: t.cancelled() or t.exception())
