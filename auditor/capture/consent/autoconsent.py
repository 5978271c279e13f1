"""Drive DuckDuckGo autoconsent (``duckduckgo-autoconsent-py``) from Playwright, in detect-only mode.

The bundle must run in every frame before the page's own scripts, so :meth:`AutoconsentDriver.install`
is called on the context before the first navigation. The page talks to us through the
``autoconsentSendMessage`` binding; we answer by calling ``window.autoconsentReceiveMessage`` in the
frame that sent the message. ``autoAction`` is null: autoconsent only reports what it finds
(``cmpDetected``, ``popupFound``). The opt-out flow acts itself, so that each click is logged; it may
ask autoconsent to opt out (:meth:`request`) as a fallback.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import time
from functools import lru_cache
from typing import Any

from duckduckgo_autoconsent import __version__ as AUTOCONSENT_VERSION  # noqa: N812 - a constant
from duckduckgo_autoconsent import bundle, rules_json
from playwright.async_api import BrowserContext, Frame
from playwright.async_api import Error as PlaywrightError

from auditor.evidence.consent import AutoconsentEvent

__all__ = ["AUTOCONSENT_VERSION", "AutoconsentDriver", "friendly_cmp_name"]

# Prehide and cosmetic rules hide banners with CSS: they would hide the very banner we must photograph.
CONFIG: dict[str, Any] = {
    "enabled": True,
    "autoAction": None,
    "disabledCmps": [],
    "enablePrehide": False,
    "enableCosmeticRules": False,
    "enableGeneratedRules": True,
    "enableHeuristicDetection": False,
    "detectRetries": 20,
    "isMainWorld": True,
    "prehideTimeout": 2000,
    "logs": {
        "lifecycle": False,
        "rulesteps": False,
        "detectionsteps": False,
        "evals": False,
        "errors": False,
        "messages": False,
        "waits": False,
    },
}
_RECORDED = {
    "cmpDetected",
    "popupFound",
    "optOutResult",
    "optInResult",
    "autoconsentDone",
    "selfTestResult",
    "autoconsentError",
}
MAX_EVENTS = 200
# Frames nested deeper than this get no autoconsent rules: a page nesting dozens of frames would otherwise keep its
# renderer busy answering autoconsent in every one of them (CMP frames sit at depth 1 or 2).
MAX_FRAME_DEPTH = 3

# autoconsent's rule names -> the vendor's own name, for the report.
_NAMES = (
    (r"^onetrust", "OneTrust"),
    (r"^cookiebot", "Cookiebot"),
    (r"^trustarc", "TrustArc"),
    (r"^sourcepoint", "Sourcepoint"),
    (r"^didomi", "Didomi"),
    (r"^usercentrics", "Usercentrics"),
    (r"^(quantcast|qc-cmp)", "Quantcast Choice"),
    (r"^osano", "Osano"),
    (r"^ketch", "Ketch"),
    (r"^termly", "Termly"),
    (r"^(cookieyes|cky)", "CookieYes"),
    (r"^complianz", "Complianz"),
    (r"^cookieconsent[23]", "vanilla-cookieconsent"),
    (r"^klaro", "Klaro"),
    (r"^tarteaucitron", "tarteaucitron"),
    (r"^evidon", "Evidon"),
)


def friendly_cmp_name(rule_name: str) -> str:
    """The vendor name for an autoconsent rule name (``Onetrust`` -> ``OneTrust``); the rule name otherwise."""
    for pattern, name in _NAMES:
        if re.search(pattern, rule_name, re.IGNORECASE):
            return name
    return rule_name


@lru_cache(maxsize=1)
def _all_rules() -> list[tuple[re.Pattern[str] | None, dict[str, Any]]]:
    """Every declarative rule with its compiled ``urlPattern`` (None: no pattern, or a JS-only regex that
    autoconsent decides on). Compiled once: the ~700 patterns overflow ``re``'s own cache of 512, so
    ``re.search(pattern, url)`` compiled them all again for every frame (30 ms each)."""
    rules = []
    for rule in json.loads(rules_json()):
        pattern = (rule.get("runContext") or {}).get("urlPattern")
        compiled = None
        if pattern:
            with contextlib.suppress(re.error):
                compiled = re.compile(pattern)
        rules.append((compiled, rule))
    return rules


@lru_cache(maxsize=256)
def _rules_kept(url: str) -> tuple[int, ...]:
    """Which of :func:`_all_rules` can apply to ``url`` (their positions)."""
    return tuple(i for i, (pattern, _) in enumerate(_all_rules()) if pattern is None or pattern.search(url))


def _rules_for(url: str) -> list[dict[str, Any]]:
    """The declarative rules that can apply to ``url``: site-specific rules for other sites are dropped, which
    keeps the message to each frame small (most of the 1,010 rules are generated for single sites)."""
    rules = _all_rules()
    return [rules[i][1] for i in _rules_kept(url)]


def _init_response(url: str) -> str:
    """autoconsent's ``initResp`` for a frame at ``url``, as JSON text: a few hundred rules, about 220 kB."""
    return _init_response_of(_rules_kept(url))


@lru_cache(maxsize=8)
def _init_response_of(kept: tuple[int, ...]) -> str:
    # Keyed by the rules kept, not the URL: nearly every URL keeps the same generic rules, and one text per URL
    # would hold up to 256 copies of 220 kB.
    rules = _all_rules()
    return json.dumps({"type": "initResp", "config": CONFIG, "rules": {"autoconsent": [rules[i][1] for i in kept]}})


# autoconsent's detection polls with ``setTimeout`` (a 500 ms wait, again and again). The page's quiet tracker
# (capture/quiet.py, added to the context first) counted those timers as the page's own, so every settle and quiet wait
# of every page waited about a second for the auditor's own script. Inside the bundle the bare names resolve to the
# tracker's untracked timers; ``window.setTimeout`` (its one-off call deadlines, cleared when answered) is left alone.
_UNTRACKED_TIMERS = """(() => {
  "use strict";
  const quiet = window.__auditorQuiet;
  const setTimeout = quiet
    ? (handler, delay, ...args) => quiet.setTimer(() => handler(...args), delay)
    : window.setTimeout.bind(window);
  const clearTimeout = quiet ? (id) => quiet.clearTimer(id) : window.clearTimeout.bind(window);
/*BUNDLE*/
})();
"""


class AutoconsentDriver:
    """One visit's autoconsent: answers its messages and records what it reports."""

    def __init__(self) -> None:
        self.t0 = time.monotonic()
        self.events: list[AutoconsentEvent] = []
        self.detected = asyncio.Event()
        self.popup = asyncio.Event()
        self.popup_frame: Frame | None = None
        self.detected_frame: Frame | None = None
        self._results: dict[str, asyncio.Future] = {}
        self._tasks: set[asyncio.Task] = set()
        self._changed = asyncio.Event()

    async def install(self, context: BrowserContext) -> None:
        """Expose the message binding and add the bundle to every frame; call before the first navigation."""
        await context.expose_binding("autoconsentSendMessage", self._on_message)
        await context.add_init_script(_UNTRACKED_TIMERS.replace("/*BUNDLE*/", bundle()))

    def _ms(self) -> float:
        return round((time.monotonic() - self.t0) * 1000, 1)

    async def _on_message(self, source: dict, message: Any) -> None:
        if not isinstance(message, dict):
            return
        frame: Frame | None = source.get("frame")
        kind = message.get("type", "")
        if frame is None:
            return
        if kind == "init":
            if _depth(frame) > MAX_FRAME_DEPTH:
                return  # no rules, so autoconsent stays idle there: CMPs live in the page or a frame near the top
            self._spawn(self._post(frame, _init_response(str(message.get("url") or frame.url))))
        elif kind == "eval":
            self._spawn(self._answer_eval(frame, message))
        elif kind in _RECORDED:
            self._record(frame, message)

    def _record(self, frame: Frame, message: dict) -> None:
        kind = message["type"]
        main = _is_main(frame)
        detail = ""
        if kind == "autoconsentError":
            detail = json.dumps(message.get("details"), default=str)[:500]
        elif kind == "autoconsentDone":
            detail = f"{message.get('totalClicks', '?')} clicks in {message.get('duration', '?')} ms"
        if len(self.events) < MAX_EVENTS:
            self.events.append(
                AutoconsentEvent(
                    type=kind,
                    cmp=str(message.get("cmp") or ""),
                    url=str(message.get("url") or frame.url)[:2000],
                    main_frame=main,
                    t_ms=self._ms(),
                    result=message.get("result") if isinstance(message.get("result"), bool) else None,
                    detail=detail,
                )
            )
        if kind == "cmpDetected":
            self.detected_frame = self.detected_frame or frame
            self.detected.set()
        elif kind == "popupFound":
            self.popup_frame = self.popup_frame or frame
            self.popup.set()
        waiter = self._results.get(kind)
        if waiter is not None and not waiter.done():
            waiter.set_result(message)
        self._changed.set()
        self._changed = asyncio.Event()

    async def wait_for_event(self, kinds: set[str], since: int, timeout: float) -> AutoconsentEvent | None:
        """The first event of one of ``kinds`` recorded at index ``since`` or later; waits up to ``timeout`` s."""
        deadline = time.monotonic() + timeout
        while True:
            for event in self.events[since:]:
                if event.type in kinds:
                    return event
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            try:
                await asyncio.wait_for(self._changed.wait(), remaining)
            except TimeoutError:
                return None

    async def _answer_eval(self, frame: Frame, message: dict) -> None:
        try:
            result = bool(
                await frame.evaluate(
                    f"() => {{ try {{ return !!({message.get('code')}); }} catch (e) {{ return false; }} }}"
                )
            )
        except PlaywrightError:
            result = False
        await self._post(frame, {"type": "evalResp", "id": message.get("id"), "result": result})

    async def _post(self, frame: Frame, message: dict | str) -> None:
        """Hand ``message`` (a dict, or JSON text already made) to autoconsent in ``frame``.

        It crosses as JSON text: Playwright serialises and validates an object argument value by value in Python,
        which for the rules of ``initResp`` took about 0.1 s of CPU and 0.3 s per frame on a busy machine."""
        text = message if isinstance(message, str) else json.dumps(message)
        # A frame that navigated or was detached fails here; autoconsent starts over in the new document.
        with contextlib.suppress(PlaywrightError):
            await frame.evaluate(
                "m => window.autoconsentReceiveMessage && window.autoconsentReceiveMessage(JSON.parse(m))", text
            )

    def _spawn(self, coroutine) -> None:
        task = asyncio.ensure_future(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def detected_cmps(self) -> list[AutoconsentEvent]:
        """The ``cmpDetected`` events, first one per rule."""
        seen: set[str] = set()
        out = []
        for event in self.events:
            if event.type == "cmpDetected" and event.cmp not in seen:
                seen.add(event.cmp)
                out.append(event)
        return out

    async def request(self, action: str, timeout: float = 15.0) -> dict | None:
        """Ask autoconsent to ``optOut`` or ``optIn`` in the frame where it found the popup; wait for its result."""
        frame = self.popup_frame or self.detected_frame
        if frame is None:
            return None
        result_type = "optOutResult" if action == "optOut" else "optInResult"
        waiter: asyncio.Future = asyncio.get_running_loop().create_future()
        self._results[result_type] = waiter
        await self._post(frame, {"type": action})
        try:
            return await asyncio.wait_for(waiter, timeout)
        except TimeoutError:
            return None
        finally:
            self._results.pop(result_type, None)


def _depth(frame: Frame) -> int:
    depth = 0
    with contextlib.suppress(PlaywrightError):
        while frame.parent_frame is not None and depth <= MAX_FRAME_DEPTH:
            frame = frame.parent_frame
            depth += 1
    return depth


def _is_main(frame: Frame) -> bool:
    try:
        return frame.parent_frame is None
    except PlaywrightError:
        return False
