"""The registry of named checks and the types they exchange with the engine."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from auditor.evidence import SiteEvidence
from auditor.findings import EvidenceItem, Status


@dataclass
class Outcome:
    """What a check concluded: a status, a one-paragraph message and structured evidence."""

    status: Status
    message: str
    evidence: Sequence[EvidenceItem] = field(default_factory=list)


@dataclass
class CheckContext:
    """What a check may know besides the evidence: the audit date and the classifiers in use."""

    audit_date: dt.date
    trackers: Any = None  # auditor.trackers.TrackerClassifier; typed loosely to keep checks import-light


CheckFunction = Callable[[SiteEvidence, dict[str, Any], CheckContext], Outcome]
CHECKS: dict[str, CheckFunction] = {}


def check(name: str) -> Callable[[CheckFunction], CheckFunction]:
    """Register a check function under ``name`` (the value rules put in ``check:``)."""

    def register(function: CheckFunction) -> CheckFunction:
        if name in CHECKS:
            raise ValueError(f"check {name!r} registered twice")
        CHECKS[name] = function
        return function

    return register


def get_check(name: str) -> CheckFunction:
    """The check registered as ``name``; KeyError with the known names when there is none."""
    try:
        return CHECKS[name]
    except KeyError:
        raise KeyError(f"unknown check {name!r}; known: {', '.join(sorted(CHECKS))}") from None
