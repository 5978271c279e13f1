"""The signals gatherer: read every privacy signal a visit exposes, raw, with where it was read.

Runs in every profile after the homepage settled. In each frame (top first): ``__uspapi('getUSPData')``,
``__gpp('ping')`` then a bounded, event-driven wait for ``signalStatus: 'ready'`` and ``getSection`` for
each section, ``__tcfapi('ping')``; frames without the function use the IAB locator-frame protocols
(``__uspapiLocator``, ``__gppLocator``). In the top document also OneTrust's globals and group names,
Google Consent Mode from ``dataLayer``, and recognised CMPs' local storage and JS getters. From the
context: US Privacy, OneTrust and recognised CMPs' cookies. From the homepage's requests: ``us_privacy=``,
``gpp=`` and ``gpp_sid=`` parameters. In the baseline visit only: ``/.well-known/gpc.json``.
Nothing here judges; ``auditor.checks.gpc`` does.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from importlib.resources import files
from urllib.parse import parse_qsl, urljoin, urlsplit

from playwright.async_api import BrowserContext, Frame, Page
from playwright.async_api import Error as PlaywrightError

from auditor.browser import gpc_mechanism
from auditor.capture.failures import one_line
from auditor.capture.visit import Visit
from auditor.evidence.core import PageCapture
from auditor.evidence.failures import CaptureFailure, FailureKind
from auditor.evidence.profiles import BASELINE
from auditor.evidence.signals import (
    ConsentMode,
    ConsentModeCommand,
    CookieValue,
    GppReading,
    OneTrustReading,
    SignalEvidence,
    SignalParam,
    SignalSource,
    StoredConsent,
    TcfPresence,
    UspReading,
    WellKnownGpc,
)
from auditor.signals import SignalDecodeError, decode_gpp, decode_usprivacy, gpp_to_dict
from auditor.signals.cmp_storage import rules_for_key, storage_locations

_SIGNALS_JS = files("auditor.capture").joinpath("js/signals.js").read_text(encoding="utf-8")

US_PRIVACY_COOKIES = ("usprivacy", "us_privacy", "us-privacy")
SIGNAL_PARAMS = ("us_privacy", "gpp", "gpp_sid")
GPP_WAIT_MS = 5000  # how long a GPP CMP may take to reach signalStatus 'ready' after the page settled
CALL_TIMEOUT_MS = 1500  # one API call
FRAME_BUDGET_S = (GPP_WAIT_MS + 6 * CALL_TIMEOUT_MS) / 1000 + 2  # one frame's whole read
MAX_FRAMES = 20
# The empty frames CMPs create so that other frames can find them; reading inside them repeats their parent.
LOCATOR_FRAMES = ("__gppLocator", "__uspapiLocator", "__tcfapiLocator", "__cmpLocator")
MAX_PARAMS = 200
WELL_KNOWN_PATH = "/.well-known/gpc.json"
WELL_KNOWN_TIMEOUT_MS = 10_000
_WAITS = ("ready-at-first-ping", "ready-event", "ready-after-wait", "timeout", "no-answer")


async def gather_signals(visit: Visit) -> None:
    """Fill ``visit.capture.signals``."""
    evidence = SignalEvidence(gpc_mechanism=gpc_mechanism(visit.context))
    visit.capture.signals = evidence
    unread = await read_signals_into(evidence, visit.context, visit.page, visit.capture.homepage)
    if unread is not None:  # the top document's APIs were not read: the rules that need them must not judge absence
        kind: FailureKind = "timeout" if unread.startswith("reading signals timed out") else "browser_error"
        message = f"the top document's signals could not be read: {unread}"
        visit.capture.failures.append(CaptureFailure(step="signals", kind=kind, message=message))
    if visit.profile == BASELINE:
        with _reader(evidence, "/.well-known/gpc.json"):
            evidence.well_known = await fetch_well_known(
                visit.context,
                visit.capture.homepage.final_url or visit.url,
                visit.limits.navigation_timeout,
                page=visit.page,
            )


async def read_signals(context: BrowserContext, page: Page, homepage: PageCapture) -> SignalEvidence:
    """Every privacy signal ``page`` (loaded as ``homepage``) exposes now: the opt-out flow reads them after its
    reload, as the gatherer does on the cold homepage."""
    evidence = SignalEvidence(gpc_mechanism=gpc_mechanism(context))
    await read_signals_into(evidence, context, page, homepage)
    return evidence


async def read_signals_into(
    evidence: SignalEvidence, context: BrowserContext, page: Page, homepage: PageCapture
) -> str | None:
    """Fill ``evidence`` from the page's frames, the context's cookies and the homepage's requests; return why the
    top document could not be read, if it could not (the other sources are still recorded)."""
    started = time.monotonic()
    where = storage_locations()
    frames = _frames(page.main_frame)
    options = {
        "gppWaitMs": GPP_WAIT_MS,
        "callTimeoutMs": CALL_TIMEOUT_MS,
        "localStorageKeys": where["local_storage"],
        "globals": where["global"],
    }
    results = await asyncio.gather(*(_read_frame(frame, options, frame is frames[0]) for frame in frames))
    for frame, result in zip(frames, results, strict=True):
        with _reader(evidence, f"signals of frame {frame.url[:200]}"):
            _record_frame(evidence, frame, result, top=frame is frames[0])
    evidence.frames_read = sum(1 for result in results if isinstance(result, dict))
    with _reader(evidence, "signal cookies"):
        await _record_cookies(evidence, context, where)
    with _reader(evidence, "request parameters"):
        evidence.request_params = request_params(homepage)
    evidence.read_ms = round((time.monotonic() - started) * 1000, 1)
    return results[0] if results and isinstance(results[0], str) else None


@contextlib.contextmanager
def _reader(evidence: SignalEvidence, what: str):
    """Keep one reader's unexpected failure (a value of a shape nobody foresaw) from losing the others."""
    try:
        yield
    except Exception as error:  # noqa: BLE001 - recorded in the evidence, never silent
        evidence.errors.append(f"{what} could not be recorded: {type(error).__name__}: {error}"[:500])


def _frames(main: Frame) -> list[Frame]:
    """The top frame, then its descendants breadth-first (locator frames left out), at most MAX_FRAMES."""
    frames: list[Frame] = []
    queue = [main]
    while queue and len(frames) < MAX_FRAMES:
        frame = queue.pop(0)
        if not frame.is_detached() and frame.name not in LOCATOR_FRAMES:
            frames.append(frame)
            queue.extend(frame.child_frames)
    return frames


async def _read_frame(frame: Frame, options: dict, top: bool) -> dict | str:
    """What signals.js found in one frame, or the reason it could not run."""
    try:
        return await asyncio.wait_for(frame.evaluate(_SIGNALS_JS, {**options, "main": top}), FRAME_BUDGET_S)
    except TimeoutError:
        return f"reading signals timed out after {FRAME_BUDGET_S:.0f} s"
    except PlaywrightError as error:
        return one_line(error, limit=300)


def _record_frame(evidence: SignalEvidence, frame: Frame, result: dict | str, *, top: bool) -> None:
    frame_url = "" if top else frame.url[:2000]
    where = "the top document" if top else f"frame {frame.url[:200]}"
    if isinstance(result, str):
        if top or "detached" not in result.lower():
            evidence.errors.append(f"signals in {where}: {result}")
        return
    evidence.errors.extend(f"{where}: {message}"[:500] for message in result.get("errors") or [])
    if top:
        evidence.navigator_gpc = result.get("navigatorGpc")
    _record_usp(evidence, result.get("usp"), frame_url, where)
    _record_gpp(evidence, result.get("gpp"), frame_url)
    if result.get("tcf"):
        source = SignalSource(method="api", detail="__tcfapi('ping', 2)", frame_url=frame_url)
        evidence.tcf.append(TcfPresence(source=source, ping=result["tcf"].get("ping")))
    if top:
        _record_top(evidence, result)


def _record_usp(evidence: SignalEvidence, usp: dict | None, frame_url: str, where: str) -> None:
    if not usp:
        return
    via = usp.get("via")
    detail = "__uspapi('getUSPData', 1)" if via == "api" else "__uspapiCall getUSPData via the __uspapiLocator frame"
    answer = usp.get("answer") or {}
    data = answer.get("data") if isinstance(answer, dict) else None
    value = data.get("uspString") if isinstance(data, dict) else None
    if isinstance(value, str):
        source = SignalSource(method="api" if via == "api" else "locator", detail=detail, frame_url=frame_url)
        evidence.usprivacy.append(UspReading(raw=value[:100], source=source, success=answer.get("success")))
    elif via == "api" or answer:
        reason = answer.get("error") if isinstance(answer, dict) and answer.get("error") else "no uspString"
        evidence.errors.append(f"{detail} in {where} answered without a US Privacy string ({reason})"[:500])


def _record_gpp(evidence: SignalEvidence, gpp: dict | None, frame_url: str) -> None:
    if not gpp:
        return
    locator = gpp.get("via") == "locator"
    detail = "__gppCall via the __gppLocator frame" if locator else "__gpp('ping') and addEventListener"
    evidence.gpp.append(
        GppReading(
            source=SignalSource(method="locator" if locator else "api", detail=detail, frame_url=frame_url),
            first_ping=gpp.get("firstPing") if isinstance(gpp.get("firstPing"), dict) else None,
            ping=gpp.get("ping") if isinstance(gpp.get("ping"), dict) else None,
            gpp_string=gpp.get("gppString") if isinstance(gpp.get("gppString"), str) else None,
            sections=gpp.get("sections") or {},
            events=[str(e)[:300] for e in gpp.get("events") or []],
            wait=gpp.get("wait") if gpp.get("wait") in _WAITS else "no-answer",
            waited_ms=round(float(gpp.get("waitedMs") or 0), 1),
            error=gpp.get("error"),
        )
    )


def _record_top(evidence: SignalEvidence, result: dict) -> None:
    onetrust = result.get("onetrust")
    if onetrust:
        evidence.onetrust = OneTrustReading(
            active_groups=onetrust.get("activeGroups"),
            group_names={str(k): str(v)[:300] for k, v in (onetrust.get("groupNames") or {}).items()},
            group_names_source=onetrust.get("groupNamesSource") or "",
            optout_signal_notice=onetrust.get("optoutSignalNotice"),
        )
    mode = result.get("consentMode")
    if mode:
        evidence.consent_mode = ConsentMode(
            commands=[ConsentModeCommand(**command) for command in mode.get("commands", [])],
            state={str(k): str(v) for k, v in (mode.get("state") or {}).items()},
        )
    for kind, found in (("local_storage", result.get("localStorage")), ("global", result.get("globals"))):
        for key, raw in (found or {}).items():
            for rule in rules_for_key(kind, key):
                detail = f"localStorage {key}" if kind == "local_storage" else f"{key}()"
                source = SignalSource(method=kind, detail=detail)
                evidence.stored_consent.append(StoredConsent(cmp=rule.cmp, key=key, raw=raw, source=source))


async def _record_cookies(evidence: SignalEvidence, context: BrowserContext, where: dict[str, list[str]]) -> None:
    try:
        cookies = await context.cookies()
    except PlaywrightError as error:
        evidence.errors.append(f"cookies could not be read: {error}"[:500])
        return
    onetrust = evidence.onetrust or OneTrustReading()
    found_onetrust = False
    for cookie in sorted(cookies, key=lambda c: (c["name"], c.get("domain", ""))):
        name = cookie["name"]
        value = CookieValue(
            name=name, value=cookie["value"][:8000], domain=cookie.get("domain", ""), path=cookie.get("path", "/")
        )
        source = SignalSource(method="cookie", detail=f"cookie {name} ({value.domain})")
        if name in US_PRIVACY_COOKIES:
            evidence.usprivacy.append(UspReading(raw=value.value[:100], source=source))
        elif name == "OptanonConsent":
            onetrust.optanon_consent, found_onetrust = value, True
        elif name.startswith("OTGPPConsent"):
            onetrust.otgpp_consent.append(value)
            found_onetrust = True
        elif name == "OneTrustWPCCPAGoogleOptOut":
            onetrust.google_opt_out, found_onetrust = value, True
        elif name == "OptanonAlertBoxClosed":
            onetrust.alert_box_closed, found_onetrust = value, True
        if name in where["cookie"] or any(name.startswith(prefix) for prefix in where["cookie_prefix"]):
            for rule in rules_for_key("cookie", name):
                evidence.stored_consent.append(StoredConsent(cmp=rule.cmp, key=name, raw=value.value, source=source))
    if found_onetrust or evidence.onetrust is not None:
        evidence.onetrust = onetrust


def request_params(page: PageCapture) -> list[SignalParam]:
    """Requests of the page that carry ``us_privacy=``, ``gpp=`` or ``gpp_sid=``, with decoded values."""
    found: list[SignalParam] = []
    seen: set[tuple[str, str, str]] = set()
    for request in page.requests:
        query = urlsplit(request.url).query
        if not query:
            continue
        for name, value in parse_qsl(query, keep_blank_values=True):
            if name not in SIGNAL_PARAMS or (request.host, name, value) in seen:
                continue
            seen.add((request.host, name, value))
            param = SignalParam(
                url=request.url[:2000],
                host=request.host,
                name=name,
                value=value[:4000],
                third_party=request.third_party,
            )
            param.decoded, param.decode_error = _decode_param(name, value)
            found.append(param)
            if len(found) >= MAX_PARAMS:
                return found
    return found


def _decode_param(name: str, value: str) -> tuple[dict | None, str | None]:
    try:
        if name == "us_privacy":
            usp = decode_usprivacy(value)
            return {**usp.model_dump(), "contradictions": usp.contradictions()}, None
        if name == "gpp":
            return gpp_to_dict(decode_gpp(value)), None
        ids = [int(part) for part in value.replace(" ", "").split(",") if part]
        return {"section_ids": ids}, None
    except (SignalDecodeError, ValueError) as error:
        return None, str(error)[:300]


# The file fetched from the open homepage (same origin): no new tab, no page load. ``credentials: 'omit'`` and
# ``cache: 'no-store'``, as a fresh request for the file would be; the body is cut in the page.
_WELL_KNOWN_FETCH_JS = """
async ({url, timeoutMs, maxChars}) => {
  if (new URL(url, location.href).origin !== location.origin) return {skipped: 'another origin than the page'};
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  try {
    const init = {credentials: 'omit', cache: 'no-store', redirect: 'follow', signal: abort.signal};
    const response = await fetch(url, init);
    const body = await response.text();
    return {status: response.status, final: response.url, type: response.headers.get('content-type') || '',
            body: body.slice(0, maxChars)};
  } catch (e) {
    return {skipped: String(e).slice(0, 200)};
  } finally { clearTimeout(timer); }
}
"""
WELL_KNOWN_BODY_CHARS = 4000


async def fetch_well_known(
    context: BrowserContext, site_url: str, timeout: float | None = None, page: Page | None = None
) -> WellKnownGpc:
    """GET ``/.well-known/gpc.json`` of the site's origin: with ``fetch()`` in ``page`` (the open homepage) when it
    is on that origin, else (another origin, a Content-Security-Policy refusing it, a page that broke ``fetch``) in
    a new page of the visit's context.

    ``timeout`` (seconds) is the visit's ``--timeout`` when it is longer than the 10 s default: on a loaded
    machine the fixed 10 s made a served file 'could not be fetched' (not_assessable) though the run allowed 60 s.

    Never ``context.request``: Playwright's request API does not go through Chromium's network stack, so
    ``--map-host`` (Chromium's host resolver rules) would not apply to it.
    """
    parts = urlsplit(site_url)
    url = urljoin(f"{parts.scheme}://{parts.netloc}/", WELL_KNOWN_PATH.lstrip("/"))
    budget_ms = max(WELL_KNOWN_TIMEOUT_MS, (timeout or 0) * 1000)
    if page is not None and not page.is_closed():
        record = await _fetch_in_page(page, url, budget_ms)
        if record is not None:
            return record
    return await _load_in_new_page(context, url, budget_ms)


async def _fetch_in_page(page: Page, url: str, budget_ms: float) -> WellKnownGpc | None:
    """The file fetched from ``page``; None when the page could not fetch it (then it is loaded in a new page)."""
    options = {"url": url, "timeoutMs": budget_ms, "maxChars": WELL_KNOWN_BODY_CHARS}
    try:
        found = await asyncio.wait_for(page.evaluate(_WELL_KNOWN_FETCH_JS, options), budget_ms / 1000 + 2)
    except (PlaywrightError, TimeoutError):
        return None
    if not isinstance(found, dict) or "skipped" in found or not isinstance(found.get("status"), int):
        return None
    return WellKnownGpc(
        url=url,
        final_url=str(found.get("final") or url),
        status=found["status"],
        content_type=str(found.get("type") or ""),
        body=str(found.get("body") or ""),
    )


async def _load_in_new_page(context: BrowserContext, url: str, budget_ms: float) -> WellKnownGpc:
    record = WellKnownGpc(url=url)
    page = None
    try:
        page = await context.new_page()
        response = await page.goto(url, wait_until="domcontentloaded", timeout=budget_ms)
        if response is None:
            record.error = "no response"
            return record
        record.final_url = response.url
        record.status = response.status
        record.content_type = (await response.all_headers()).get("content-type", "")
        body = await response.body()
        record.body = body[:WELL_KNOWN_BODY_CHARS].decode("utf-8", errors="replace")
    except PlaywrightError as error:
        record.error = one_line(error, limit=300)
    finally:
        if page is not None:
            with contextlib.suppress(PlaywrightError):
                await page.close()
    return record
