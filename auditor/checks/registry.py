"""The registry of named checks and the types they exchange with the engine.

A check is a function ``(evidence, params, context) -> Outcome`` registered with :func:`check`:

    class MonthsParams(CheckParams):
        months: int = Field(12, ge=1, description="how old the policy may be")

    @check("policy_updated", requires=["baseline.policy"])
    def policy_updated(evidence: SiteEvidence, params: MonthsParams, context: CheckContext) -> Outcome: ...

- Its **parameter model** is the annotation of ``params``: a :class:`CheckParams` (unknown keys are errors,
  defaults are declared there once). Rule packs are validated against it when they load; the check receives a
  validated instance. A check without parameters annotates :class:`NoParams`.
- Its **requires** are the evidence paths it reads (``VISIT.FIELD[.FIELD...]``, see
  :mod:`auditor.evidence.paths`). The engine, not the check, makes the finding ``not_assessable`` when one is
  missing (:mod:`auditor.engine`), so a check never opens with "is my evidence there?". ``optional`` paths are
  read when present and never required.
"""

from __future__ import annotations

import datetime as dt
import typing
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ConfigDict

from auditor.evidence import SiteEvidence
from auditor.evidence.paths import EvidencePath, parse_evidence_path
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


class CheckParams(BaseModel):
    """Base of every check's parameter model: unknown keys are errors, values are checked when a pack loads."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class NoParams(CheckParams):
    """The parameters of a check that takes none."""


CheckFunction = Callable[[SiteEvidence, Any, CheckContext], Outcome]


@dataclass(frozen=True)
class Check:
    """A registered check: its function, parameter model and the evidence it reads."""

    name: str
    function: CheckFunction
    params: type[CheckParams]
    requires: tuple[EvidencePath, ...]
    optional: tuple[EvidencePath, ...] = ()

    @property
    def summary(self) -> str:
        """The first line of the check's docstring."""
        return next(iter((self.function.__doc__ or "").strip().splitlines()), "")

    def __call__(
        self, evidence: SiteEvidence, params: CheckParams | Mapping[str, Any] | None, context: CheckContext
    ) -> Outcome:
        """Run the check; ``params`` may be the raw mapping of a pack (validated here) or a model instance."""
        if not isinstance(params, self.params):
            params = self.params.model_validate(dict(params or {}))
        return self.function(evidence, params, context)


CHECKS: dict[str, Check] = {}


def check(name: str, *, requires: Sequence[str], optional: Sequence[str] = ()) -> Callable[[CheckFunction], Any]:
    """Register a check function under ``name`` (the value rules put in ``check:``), with the evidence it reads."""

    def register(function: CheckFunction) -> CheckFunction:
        if name in CHECKS:
            raise ValueError(f"check {name!r} registered twice")
        model = typing.get_type_hints(function).get("params")
        if not (isinstance(model, type) and issubclass(model, CheckParams)):
            raise TypeError(f"check {name!r}: annotate its params with a CheckParams model (NoParams if it has none)")
        CHECKS[name] = Check(
            name,
            function,
            model,
            tuple(parse_evidence_path(path) for path in requires),
            tuple(parse_evidence_path(path) for path in optional),
        )
        return function

    return register


def get_check(name: str) -> Check:
    """The check registered as ``name``; KeyError with the known names when there is none."""
    try:
        return CHECKS[name]
    except KeyError:
        raise KeyError(f"unknown check {name!r}; known: {', '.join(sorted(CHECKS))}") from None
