"""Pure parts of hostile-page handling: failures in words, limits that follow --timeout, bodies cut safely,
and which homepages make the other visits of a site pointless."""

from __future__ import annotations

import asyncio
import datetime as dt
from types import SimpleNamespace

import pytest
from playwright.async_api import Error as PlaywrightError
from playwright.async_api import TimeoutError as PlaywrightTimeout

from auditor.capture.failures import capture_failure, explain, one_line, step_of, stopped_within
from auditor.capture.page import PageLimits, _screenshot_or_note, cap_text, homepage_unusable
from auditor.capture.policy import DEFAULT_POLICY_LINK_VOCABULARY, gather_policy
from auditor.capture.profile import PREPARERS, cut_short, profile_gatherers
from auditor.capture.timing import StepClock
from auditor.evidence import PageCapture, ProfileCapture
from auditor.evidence.failures import CAPTURE_STEPS
from auditor.evidence.profiles import BASELINE, OPTOUT, PROFILES


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ("Page.goto: net::ERR_NAME_NOT_RESOLVED at http://shop-a.com/", "could not be resolved, a DNS failure"),
        ("Page.goto: net::ERR_CONNECTION_REFUSED at http://shop-a.com/", "refused the connection"),
        ("Page.goto: net::ERR_CERT_DATE_INVALID at https://shop-a.com/", "--ignore-https-errors"),
        ("Page.goto: net::ERR_SSL_PROTOCOL_ERROR at https://shop-a.com/", "TLS handshake"),
        ("Page.goto: net::ERR_TOO_MANY_REDIRECTS at http://shop-a.com/", "redirects in a loop"),
        ("Page.goto: net::ERR_SOMETHING_NEW at http://shop-a.com/", "could not be loaded"),
        ("Page.goto: Download is starting", "started a download"),
        ("Failed to download http://shop-a.com/: canceled", "started a download"),
        ("Page.goto: Timeout 4000ms exceeded.", "did not load within 4 s"),
        ("Page.title: Target crashed", "renderer crashed"),
        ("Page.content: Target page, context or browser has been closed", "was closed"),
    ],
)
def test_failures_are_explained_in_words_keeping_the_browsers_own(raw, words):
    text = explain(raw)
    assert words in text
    assert raw.split(": ", 1)[-1].split(" at ")[0] in text  # the browser's words, for a search engine


def test_one_line_drops_playwrights_call_log():
    assert one_line("Page.goto: Timeout 30000ms exceeded.\nCall log:\n  - navigating") == "Timeout 30000ms exceeded."
    assert one_line("x" * 900, limit=200) == "x" * 200


def test_one_line_is_never_empty():
    assert one_line(TimeoutError()) == "timed out"
    assert one_line(TimeoutError(), timeout=15) == "timed out after 15 s"
    assert one_line(KeyError()) == "KeyError"


@pytest.mark.parametrize(
    ("error", "kind", "message"),
    [
        (TimeoutError(), "timeout", "timed out after 5 s"),
        (PlaywrightTimeout("Locator.click: Timeout 5000ms exceeded.\nCall log:"), "timeout",
         "Timeout 5000ms exceeded."),
        (PlaywrightError("Page.evaluate: Target page, context or browser has been closed"), "page_closed",
         "Target page, context or browser has been closed"),
        (PlaywrightError("Page.evaluate: SyntaxError: Unexpected token"), "browser_error",
         "SyntaxError: Unexpected token"),
        (IndexError("list index out of range"), "bug", "IndexError: list index out of range"),
        (IndexError(), "bug", "IndexError"),
    ],
)  # fmt: skip
def test_a_failed_step_is_recorded_with_its_kind_and_one_line(error, kind, message):
    async def gather_choice_links(_visit) -> None:  # the name gives the step id, as for the real gatherer
        raise error

    failure = capture_failure(gather_choice_links, error, timeout=5)
    assert (failure.step, failure.kind, failure.message) == ("choice_links", kind, message)


async def _hangs() -> None:
    await asyncio.sleep(3600)


async def _browser_refuses() -> None:
    raise PlaywrightError("Page.click: Element is not attached to the DOM\nCall log:\n  - waiting for locator")


async def _finishes() -> None:
    return None


@pytest.mark.parametrize(
    ("step", "why"),
    [
        (_hangs, "stopped after 0.05 s"),
        (_browser_refuses, "the step stopped: Element is not attached to the DOM"),
        (_finishes, None),
    ],
)
def test_a_step_within_a_budget_says_why_it_stopped_in_the_callers_words(step, why):
    stopped = stopped_within(step(), 0.05, over_budget="stopped after 0.05 s", failed="the step stopped")
    assert asyncio.run(stopped) == why


def test_each_step_runs_in_the_profiles_the_rules_are_told_it_runs_in():
    # CAPTURE_STEPS.runs_in (evidence, read by the engine) and profile_gatherers (capture) must say the same.
    for profile in PROFILES:
        runs_here = {step.id for step in CAPTURE_STEPS if profile.name in step.runs_in}
        assert {step_of(g) for g in profile_gatherers(profile)} == runs_here, profile.name


def test_every_gatherer_and_preparer_has_a_known_step_id():
    known = {step.id for step in CAPTURE_STEPS}
    functions = [*PREPARERS, *(gather for profile in PROFILES for gather in profile_gatherers(profile))]
    assert {step_of(f) for f in functions} == known


def test_old_evidence_with_errors_in_extra_reads_them_as_failures():
    capture = ProfileCapture.model_validate(
        {
            "profile": "baseline",
            "gpc": False,
            "started_at": "2026-05-01T00:00:00Z",
            "finished_at": "2026-05-01T00:00:00Z",
            "homepage": {"requested_url": "http://shop-a.com/"},
            "extra": {
                "preparer_errors": ["prepare_consent: timed out"],
                "gatherer_errors": [
                    "gather_policy: IndexError: list index out of range",
                    "gather_signals: Error: Target page, context or browser has been closed",
                ],
                "page_01": "http://shop-a.com/a.html",
            },
        }
    )
    assert [(f.step, f.kind, f.message) for f in capture.failures] == [
        ("consent", "timeout", "timed out"),
        ("policy", "bug", "IndexError: list index out of range"),
        ("signals", "page_closed", "Target page, context or browser has been closed"),
    ]
    assert capture.extra == {"page_01": "http://shop-a.com/a.html"}
    assert capture.failure_of("policy") is not None and capture.failure_of("choice_links") is None


@pytest.mark.parametrize(
    ("timeout", "settle", "step", "late_cmp"),
    [(30, 10, 15, 8), (4, 4 / 3, 5, 2), (2, 1, 5, 1), (120, 10, 15, 8)],
)
def test_limits_follow_the_page_timeout_within_reason(timeout, settle, step, late_cmp):
    limits = PageLimits.for_timeout(timeout, max_body_bytes=123_456)
    assert limits.navigation_timeout == timeout and limits.max_body_bytes == 123_456
    assert (limits.settle_max, limits.step_timeout, limits.late_cmp_wait) == pytest.approx((settle, step, late_cmp))


def test_text_is_cut_on_a_character_boundary():
    text = "é" * 10  # two bytes each
    assert cap_text(text, 100) == (text, False)
    cut, was_cut = cap_text(text, 5)
    assert was_cut and cut == "éé" and len(cut.encode()) <= 5


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"error": "loading the page: refused"}, "could not be loaded"),
        ({"final_url": "http://shop-a.com/", "bot_wall": "title looks like a bot check"}, "bot check"),
        ({"final_url": "http://shop-a.com/", "status": 503}, "HTTP 503"),
        ({"final_url": "http://shop-b.com/welcome", "status": 200}, "redirected to another site"),
        ({"final_url": "http://shop-a.com/", "status": 200, "incomplete": "never finished loading"}, "never finished"),
    ],
)
def test_an_unusable_homepage_says_why(fields, reason):
    page = PageCapture(requested_url="http://shop-a.com/", **fields)
    assert reason in (homepage_unusable(page) or "")


def test_a_good_homepage_is_usable():
    page = PageCapture(requested_url="http://shop-a.com/", final_url="http://www.shop-a.com/", status=200)
    assert homepage_unusable(page) is None


class _HangingPage:
    """A page whose scripts never answer in time: ``evaluate`` raises asyncio's TimeoutError, which has no message."""

    async def evaluate(self, *_args):
        raise TimeoutError


def _visit(page) -> SimpleNamespace:
    capture = ProfileCapture(
        profile="baseline",
        gpc=False,
        started_at=dt.datetime(2026, 5, 1, tzinfo=dt.UTC),
        finished_at=dt.datetime(2026, 5, 1, tzinfo=dt.UTC),
        homepage=PageCapture(requested_url="http://shop-a.com/", final_url="http://shop-a.com/", status=200),
    )
    return SimpleNamespace(
        profile=BASELINE,
        name="baseline",
        url="http://shop-a.com/",
        page=page,
        capture=capture,
        limits=PageLimits(),
        policy_link=DEFAULT_POLICY_LINK_VOCABULARY,
    )


def test_a_policy_probe_that_times_out_says_so_instead_of_raising():
    visit = _visit(_HangingPage())
    asyncio.run(gather_policy(visit))
    policy = visit.capture.policy
    assert policy is not None and not policy.found
    assert policy.error == "could not probe the policy addresses: timed out after 15 s"


class _ShotPage:
    """A page whose screenshots run out of time; ``answers`` says whether it still runs a trivial script."""

    def __init__(self, answers: bool) -> None:
        self.answers = answers

    async def screenshot(self, **options) -> bytes:
        raise PlaywrightTimeout(f"Page.screenshot: Timeout {options['timeout']:.0f}ms exceeded.")

    async def evaluate(self, expression: str) -> int:
        if not self.answers:
            await asyncio.sleep(3600)
        return 1


def test_a_slow_screenshot_of_a_page_that_still_answers_is_left_out_and_said_so():
    capture = PageCapture(requested_url="http://shop-a.com/")
    limits = PageLimits(step_timeout=0.2)
    taken = asyncio.run(_screenshot_or_note(_ShotPage(answers=True), capture, "full-page screenshot", limits))
    assert taken is False
    assert capture.truncated == [
        "full-page screenshot: not taken: it took longer than 0.2 s (a busy machine or a huge page)"
    ]
    assert capture.error is None


def test_a_screenshot_of_a_page_that_no_longer_answers_is_a_hung_page():
    capture = PageCapture(requested_url="http://shop-a.com/")
    with pytest.raises(TimeoutError):
        asyncio.run(
            _screenshot_or_note(_ShotPage(answers=False), capture, "viewport screenshot", PageLimits(step_timeout=0.2))
        )
    assert capture.truncated == []


def test_the_step_clock_records_consecutive_steps_from_the_start_of_the_visit():
    clock = StepClock()
    clock.begin("loading the page")
    clock.begin("collecting links")
    clock.prefix = "page privacy_policy: "
    clock.begin("loading the page")
    clock.end()
    clock.end()  # nothing open: nothing more recorded
    assert [t.step for t in clock.steps] == [
        "loading the page",
        "collecting links",
        "page privacy_policy: loading the page",
    ]
    assert [t.start_ms for t in clock.steps] == sorted(t.start_ms for t in clock.steps)
    assert all(t.duration_ms >= 0 for t in clock.steps)


def test_a_visit_cut_short_keeps_its_homepage_and_records_the_unfinished_gatherers_as_timeouts():
    moment = dt.datetime(2026, 1, 5, tzinfo=dt.UTC)
    capture = ProfileCapture(
        profile="optout", gpc=False, started_at=moment, finished_at=moment, homepage=PageCapture(requested_url="x")
    )
    clock = StepClock()
    clock.begin("gatherer: choice_links")
    clock.begin("gatherer: consent")  # choice_links finished; consent was running when the budget ran out
    kept = cut_short(capture, OPTOUT, clock, "the site took longer than its 60 s budget")
    assert kept.homepage.requested_url == "x"
    failed = {f.step: (f.kind, f.message) for f in kept.failures}
    assert set(failed) == {step_of(g) for g in profile_gatherers(OPTOUT)} - {"choice_links"}
    assert failed["consent"] == ("timeout", "not finished: the site took longer than its 60 s budget")
    assert [t.step for t in kept.timings] == ["gatherer: choice_links", "gatherer: consent"]


def test_signals_whose_top_document_could_not_be_read_are_a_failed_step(monkeypatch):
    from auditor.capture import signals

    async def unread(frame, options, top):
        return "reading signals timed out after 14 s" if top else {}

    async def no_cookies(*_args):
        return None

    top = SimpleNamespace(url="http://shop-a.com/", is_detached=lambda: False, name="", child_frames=[])
    monkeypatch.setattr(signals, "_read_frame", unread)
    monkeypatch.setattr(signals, "_record_cookies", no_cookies)
    visit = _visit(SimpleNamespace(main_frame=top))
    visit.profile = OPTOUT  # not the baseline: no /.well-known/gpc.json fetch
    visit.context = SimpleNamespace()
    asyncio.run(signals.gather_signals(visit))
    failure = visit.capture.failure_of("signals")
    assert failure is not None and failure.kind == "timeout"
    assert failure.message == "the top document's signals could not be read: reading signals timed out after 14 s"
