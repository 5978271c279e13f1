"""Findings and the per-site report: the output of the rules, the input of every report writer.

``SiteReport`` is ``report.json`` (schema ``auditor.report/1``). Its JSON Schema is generated from these
models into ``schemas/report.schema.json`` (``python -m auditor.report.schema``; a test fails when it drifts).
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field

REPORT_SCHEMA: Final = "auditor.report/1"


class Status(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    REVIEW = "review"
    NOT_APPLICABLE = "not_applicable"
    NOT_ASSESSABLE = "not_assessable"


class Severity(StrEnum):
    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFO = "info"


SEVERITY_ORDER = [Severity.INFO, Severity.LOW, Severity.MEDIUM, Severity.HIGH, Severity.CRITICAL]


def severity_at_least(severity: Severity, level: Severity) -> bool:
    """True when ``severity`` is ``level`` or more severe."""
    return SEVERITY_ORDER.index(severity) >= SEVERITY_ORDER.index(level)


class _Item(BaseModel):
    model_config = ConfigDict(extra="forbid")
    label: str = ""


class BoxRef(BaseModel):
    model_config = ConfigDict(extra="forbid")
    x: float
    y: float
    width: float
    height: float


class ScreenshotRef(BaseModel):
    """An image artifact of the site folder and its pixel size, so a report can outline a box on it."""

    model_config = ConfigDict(extra="forbid")
    path: str
    width: int
    height: int


class ElementEvidence(_Item):
    """An element the rule looked at: its text, target and where it sits on a screenshot."""

    kind: Literal["element"] = "element"
    tag: str = ""
    text: str = ""
    href: str = ""
    visible: bool = True
    in_footer: bool = False
    in_shadow_root: bool = False
    frame_url: str = ""
    box: BoxRef | None = None
    screenshot: ScreenshotRef | None = None
    profile: str = ""


class TableEvidence(_Item):
    """A table: toggles, signals before/after, requests."""

    kind: Literal["table"] = "table"
    columns: list[str]
    rows: list[list[Any]]
    truncated: int = Field(0, description="rows left out")


class TextEvidence(_Item):
    """A quoted passage or an observation in words."""

    kind: Literal["text"] = "text"
    text: str


class ImageEvidence(_Item):
    """A screenshot, optionally with a box to outline."""

    kind: Literal["image"] = "image"
    screenshot: ScreenshotRef
    box: BoxRef | None = None


EvidenceItem = Annotated[ElementEvidence | TableEvidence | TextEvidence | ImageEvidence, Field(discriminator="kind")]


class GateOutcome(StrEnum):
    """What the CI gate made of a finding; every report format shows this, so they all agree with the exit code."""

    BLOCKING = "blocking"  # fails the gate
    WARNING = "warning"  # shown, does not fail the gate
    WAIVED = "waived"  # accepted by an active waiver until its expiry date
    KNOWN = "known"  # the same status is in the baseline: not new
    OFF = "off"  # not gated: a passing or not applicable finding, or a rule whose level is off


class GateDecision(BaseModel):
    """The gate's decision on one finding, made once by :mod:`auditor.gate` and read by every report writer."""

    model_config = ConfigDict(extra="forbid")
    outcome: GateOutcome
    level: Literal["off", "warn", "error"] = Field(
        description="the level the configuration gives the finding, before waivers and the baseline"
    )
    note: str = Field("", description="why: the waiver's reason, the baseline, an expired waiver")
    waived_until: date | None = Field(None, description="the day an active waiver stops waiving the finding")


class Finding(BaseModel):
    """The verdict of one rule on one site."""

    model_config = ConfigDict(extra="forbid")
    rule: str
    status: Status
    severity: Severity
    title: str
    citations: list[str] = []
    citation_links: list[str | None] = Field(default_factory=list, description="URL of each citation, if any")
    message: str
    rationale: str = ""
    remediation: str = ""
    evidence: list[EvidenceItem] = []
    runs: list[Status] = Field(
        default_factory=list, description="the status in each run when the site was audited several times (--runs N)"
    )
    jurisdictions: list[str] = Field(default_factory=list, description="the rule's jurisdictions, e.g. [co]")
    effective_from: date | None = Field(None, description="the first day the rule is in force, if it has one")
    gate: GateDecision | None = Field(None, description="the CI gate's decision; null when no gate was decided")


class ToolRef(BaseModel):
    name: str = "auditor"
    version: str


class SiteRef(BaseModel):
    url: str
    final_url: str = ""
    host: str
    site_id: str = ""


class BrowserRef(BaseModel):
    name: str = "chromium"
    version: str = ""


class CmpRef(BaseModel):
    name: str | None = None
    detected_by: str | None = None
    confidence: str | None = None


class Summary(BaseModel):
    status: Status
    counts: dict[str, int]


class RunAggregation(BaseModel):
    """How the findings were combined from several audits of the same site (``--runs N``)."""

    method: Literal["pessimistic", "median"]
    runs: int
    run_dirs: list[str] = Field(default_factory=list, description="folders of runs 2..N, relative to the site folder")


class StatusChange(BaseModel):
    rule: str
    before: Status | None = Field(description="null when the rule was not evaluated in the previous run")
    after: Status


class SiteChanges(BaseModel):
    """What changed since the site's previous run recorded in the history store."""

    previous_run_at: datetime
    previous_status: Status
    new_failures: list[str] = Field(default_factory=list, description="rules failing now that did not fail before")
    fixed: list[str] = Field(default_factory=list, description="rules that failed before and now pass or do not apply")
    changed: list[StatusChange] = Field(default_factory=list, description="every rule whose status changed")


class SiteReport(BaseModel):
    """``report.json``: everything a reader or another tool needs about one site's audit."""

    model_config = ConfigDict(populate_by_name=True)
    schema_: Literal["auditor.report/1"] = Field(REPORT_SCHEMA, alias="schema")
    tool: ToolRef
    site: SiteRef
    started_at: datetime
    finished_at: datetime
    audit_date: str = Field(description="the date the rules were evaluated for (effective dates)")
    browser: BrowserRef
    cmp: CmpRef = CmpRef()
    rule_packs: dict[str, str] = Field(default_factory=dict, description="pack name -> version")
    findings: list[Finding]
    summary: Summary
    aggregation: RunAggregation | None = None
    changes: SiteChanges | None = Field(None, description="since the site's previous run; null for a first run")

    def to_json(self) -> str:
        """The report as JSON text, keys in model order."""
        return self.model_dump_json(indent=2, by_alias=True)


def summarize(findings: list[Finding]) -> Summary:
    """The site's verdict: fail if any rule fails, else review if any needs a person, else pass.

    A site where nothing could be assessed is ``not_assessable``, never ``pass``.
    """
    counts = Counter(f.status.value for f in findings)
    full = {s.value: counts.get(s.value, 0) for s in Status}
    if full["fail"]:
        status = Status.FAIL
    elif full["review"]:
        status = Status.REVIEW
    elif full["pass"]:
        status = Status.PASS if not full["not_assessable"] else Status.REVIEW
    elif full["not_assessable"]:
        status = Status.NOT_ASSESSABLE
    else:
        status = Status.NOT_APPLICABLE
    return Summary(status=status, counts=full)
