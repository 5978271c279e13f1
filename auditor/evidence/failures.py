"""Capture steps that failed, as data: which step, what kind of failure, and why in one line.

A visit runs capture steps (gatherers and the preparers that set up the browser context) after its homepage
loaded. A step that raises, or gives up on a timeout, leaves its part of the evidence empty or half filled. The
visit then records a :class:`CaptureFailure`, so a rule that needs that part says ``not_assessable`` and why,
instead of judging what was never seen.

:data:`CAPTURE_STEPS` says which part of :class:`~auditor.evidence.core.ProfileCapture` each step fills, so the
rule engine can tell which failure concerns a rule's ``requires``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from pydantic import Field

from auditor.evidence.base import Model
from auditor.evidence.profiles import PROFILE_NAMES, PROFILES, ProfileName

FailureKind = Literal["timeout", "browser_error", "page_closed", "bug"]


class CaptureFailure(Model):
    """One capture step of one visit that did not finish."""

    step: str = Field(
        description="the step's stable id: consent, signals, policy, choice_links, accessibility, optout_flow"
    )
    kind: FailureKind = Field(
        description="timeout: it ran out of time; browser_error: the browser refused an action; page_closed: the "
        "page, context or browser went away; bug: an error in the auditor itself"
    )
    message: str = Field(min_length=1, description="what happened, in one line")


@dataclass(frozen=True)
class CaptureStep:
    """A capture step as the rules see it: its id, its name in words, the evidence it fills, where it runs."""

    id: str
    title: str
    fills: tuple[str, ...]  # dotted paths in ProfileCapture; the first is never null once the step has run
    runs_in: tuple[ProfileName, ...] = PROFILE_NAMES


CAPTURE_STEPS: tuple[CaptureStep, ...] = (
    CaptureStep("choice_links", "reading the opt-out links and the icons beside them", ("choice_links",)),
    CaptureStep("consent", "the consent capture (consent manager and banner)", ("consent",)),
    CaptureStep("signals", "reading the privacy signals", ("signals",)),
    CaptureStep("policy", "the search for the privacy policy", ("policy", "pages.privacy_policy"), ("baseline",)),
    CaptureStep(
        "accessibility",
        "the accessibility capture (axe-core on the notices, the keyboard walk)",
        ("accessibility",),
        ("baseline",),
    ),
    CaptureStep(
        "status_survey",
        "the look for a GPC status display (preference center and opt-out page opened with GPC on)",
        ("consent.status_survey",),
        tuple(p.name for p in PROFILES if p.gpc),
    ),
    CaptureStep(
        "optout_flow",
        "the opt-out flow",
        ("consent.flow", "consent.dns_target", "consent.preference_center", "pages.after_optout"),
        tuple(p.name for p in PROFILES if p.opt_out_flow),
    ),
)
_STEP_PREFIXES = ("gather_", "prepare_", "run_")


def step_id(function_name: str) -> str:
    """The step id of a gatherer or preparer function: ``gather_policy`` -> ``policy``, ``run_optout_flow`` ->
    ``optout_flow``, ``prepare_consent`` -> ``consent`` (setting up the consent capture is part of it)."""
    for prefix in _STEP_PREFIXES:
        if function_name.startswith(prefix):
            return function_name[len(prefix) :]
    return function_name


def step_filling(fields: tuple[str, ...]) -> CaptureStep | None:
    """The step that fills a path of ProfileCapture fields (the most specific one), or None (the homepage)."""
    best: CaptureStep | None = None
    best_depth = 0
    for step in CAPTURE_STEPS:
        for filled in step.fills:
            parts = tuple(filled.split("."))
            if fields[: len(parts)] == parts and len(parts) > best_depth:
                best, best_depth = step, len(parts)
    return best


def step_titled(step: str) -> str:
    """A step id in words (the id itself for a step this version does not know)."""
    return next((s.title for s in CAPTURE_STEPS if s.id == step), f"the {step} step")


# Evidence written before failures were modelled kept them as text in ProfileCapture.extra:
# gatherer_errors: "gather_policy: IndexError: list index out of range" (function, error type, first line);
# preparer_errors: "prepare_consent: timed out" (function, first line; only timeouts and browser errors).
LEGACY_KEYS = ("preparer_errors", "gatherer_errors")


def legacy_failures(extra: dict[str, Any]) -> list[dict[str, str]]:
    """The failures an old evidence file recorded as text in ``extra``, as CaptureFailure data."""
    found = []
    for key in LEGACY_KEYS:
        for text in extra.get(key) or []:
            function, _, rest = str(text).partition(": ")
            error, message = rest.split(": ", 1) if key == "gatherer_errors" and ": " in rest else ("", rest)
            message = message or error or "failed"
            if error == "TimeoutError" or message in ("timed out", "TimeoutError"):
                kind = "timeout"
            elif error in ("", "Error", "TargetClosedError"):
                kind = "page_closed" if "closed" in message else "browser_error"
            else:
                kind, message = "bug", f"{error}: {message}"
            found.append({"step": step_id(function), "kind": kind, "message": message})
    return found
