"""Why a page could not be captured, in words a reader of the report understands.

Chromium reports network faults as ``net::ERR_*`` codes and Playwright as terse one-liners; a report says
what happened ("the host name could not be resolved") and keeps the browser's own words in brackets, so an
engineer can still search for them.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import TimeoutError as PlaywrightTimeout

from auditor.evidence.failures import CaptureFailure, step_id

# net::ERR_* code (or a prefix ending in "_") -> what it means for the audited site.
_NET_ERRORS: tuple[tuple[str, str], ...] = (
    ("ERR_NAME_NOT_RESOLVED", "the host name could not be resolved, a DNS failure"),
    ("ERR_NAME_RESOLUTION_FAILED", "the host name could not be resolved, a DNS failure"),
    ("ERR_CONNECTION_REFUSED", "the server refused the connection"),
    ("ERR_CONNECTION_RESET", "the server reset the connection"),
    ("ERR_CONNECTION_CLOSED", "the server closed the connection without answering"),
    ("ERR_EMPTY_RESPONSE", "the server closed the connection without answering"),
    ("ERR_CONNECTION_TIMED_OUT", "connecting to the server timed out"),
    ("ERR_TIMED_OUT", "the server did not answer in time"),
    ("ERR_ADDRESS_UNREACHABLE", "the server's address is unreachable"),
    ("ERR_INTERNET_DISCONNECTED", "this machine is not connected to the network"),
    ("ERR_PROXY_CONNECTION_FAILED", "the proxy could not be reached"),
    ("ERR_TUNNEL_CONNECTION_FAILED", "the proxy could not open a connection to the site"),
    ("ERR_TOO_MANY_REDIRECTS", "the site redirects in a loop"),
    ("ERR_UNSAFE_REDIRECT", "the site redirects to an address the browser refuses"),
    (
        "ERR_CERT_",
        "the site's TLS certificate is not valid for it (for a staging server, use --ignore-https-errors)",
    ),
    ("ERR_SSL_", "the TLS handshake with the server failed"),
    ("ERR_BAD_SSL_CLIENT_AUTH_CERT", "the server asks for a client certificate"),
    ("ERR_INVALID_RESPONSE", "the server sent an invalid HTTP response"),
    ("ERR_INVALID_HTTP_RESPONSE", "the server sent an invalid HTTP response"),
    ("ERR_CONTENT_LENGTH_MISMATCH", "the server's response was cut short"),
    ("ERR_INCOMPLETE_CHUNKED_ENCODING", "the server's response was cut short"),
    ("ERR_BLOCKED_BY_RESPONSE", "the server's headers forbid showing the page"),
    ("ERR_ABORTED", "the browser abandoned the page (it may have started a download or been replaced)"),
)
_NET_CODE = re.compile(r"net::(ERR_[A-Z0-9_]+)")
_TIMEOUT_MS = re.compile(r"Timeout (\d+)ms exceeded")
_API_PREFIX = re.compile(r"^(Page|Frame|BrowserContext|Browser|ElementHandle|Locator)\.\w+: ")


def one_line(error: BaseException | str, *, limit: int = 500, timeout: float | None = None) -> str:
    """The first line of an error's message (Playwright appends a multi-line call log), at most ``limit`` chars.

    Never empty: an error without a message says what it is; a ``TimeoutError`` (asyncio's has no message) says
    "timed out after ``timeout`` s" when the caller knows the limit it set.
    """
    text = str(error).strip().splitlines()
    if text:
        return _API_PREFIX.sub("", text[0])[:limit]
    if isinstance(error, TimeoutError):
        return f"timed out after {timeout:g} s" if timeout else "timed out"
    return type(error).__name__ if isinstance(error, BaseException) else "error"


async def stopped_within(step: Awaitable[object], budget: float, *, over_budget: str, failed: str) -> str | None:
    """Run ``step`` for at most ``budget`` seconds; None when it finished, else why it stopped, for the evidence.

    ``over_budget`` is the whole sentence for running out of time; ``failed`` starts the sentence for a browser
    error (its first line follows). Each caller words them as its evidence always has, so a saved run reads the same.
    """
    try:
        await asyncio.wait_for(step, budget)
    except TimeoutError:
        return over_budget
    except PlaywrightError as error:
        return f"{failed}: {one_line(error, limit=300)}"
    return None


def step_of(function: object) -> str:
    """The step id of a gatherer or preparer (``gather_policy`` -> ``policy``)."""
    return step_id(getattr(function, "__name__", "step"))


def capture_failure(step: object, error: BaseException, *, timeout: float | None = None) -> CaptureFailure:
    """A failed capture step as evidence: ``step`` is its id or its gatherer/preparer function."""
    name = step if isinstance(step, str) else step_of(step)
    message = one_line(error, timeout=timeout)
    if isinstance(error, TimeoutError | PlaywrightTimeout):
        kind = "timeout"
    elif isinstance(error, PlaywrightError):
        kind = "page_closed" if "has been closed" in message or "Target closed" in message else "browser_error"
    else:
        kind = "bug"
        message = f"{type(error).__name__}: {message}" if str(error).strip() else type(error).__name__
    return CaptureFailure(step=name, kind=kind, message=message)


def explain(error: BaseException | str, *, navigation_timeout: float | None = None) -> str:
    """A page failure in words, with the browser's message in brackets."""
    raw = one_line(error)
    code = _NET_CODE.search(raw)
    if code:
        for prefix, words in _NET_ERRORS:
            if code.group(1) == prefix or (prefix.endswith("_") and code.group(1).startswith(prefix)):
                return f"{words} ({raw})"
        return f"the page could not be loaded ({raw})"
    if "Download is starting" in raw or raw.startswith("Failed to download"):
        return f"the address started a download instead of showing a page ({raw})"
    timeout = _TIMEOUT_MS.search(raw)
    if timeout or "took longer than" in raw:
        seconds = int(timeout.group(1)) / 1000 if timeout else navigation_timeout
        within = f" within {seconds:g} s" if seconds else " in time"
        return (
            f"the page did not load{within}: the server stalled or sent it too slowly, or a script blocked it ({raw})"
        )
    if "Target crashed" in raw or "Page crashed" in raw:
        return f"the page's renderer crashed ({raw})"
    if "has been closed" in raw:
        return f"the page, its browser context or the browser was closed ({raw})"
    if "Execution context was destroyed" in raw or "navigat" in raw.lower() and "interrupted" in raw:
        return f"the page navigated away while it was being read ({raw})"
    return raw
