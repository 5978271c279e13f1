"""axe-core scoped to one notice: inject the pinned script, run the WCAG 2.1 A/AA rules, photograph what it flags.

The script is axe-core as axe-playwright-python ships it (pinned by version and hash, requirements/axe.txt); it is
evaluated in the page, never fetched, so the audit stays offline. Only the four WCAG 2.1 A and AA tags run: the
regulation points at WCAG 2.1 AA, not at axe's best practices.
"""

from __future__ import annotations

import asyncio
import re
import time
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Frame, Page

from auditor.capture.consent.dom import crop, viewport_offset
from auditor.capture.failures import one_line
from auditor.capture.scripts import bundle_call
from auditor.evidence.accessibility import AxeNode, AxeResult, NoticeKind, NoticeScan
from auditor.evidence.base import Box

WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")
MAX_NODES = 5  # elements kept per axe rule
MAX_SHOTS = 8  # cropped screenshots per notice
CROP_MARGIN = 40.0  # CSS pixels of context around a flagged element
AXE_TIMEOUT = 20.0  # seconds for one axe run (a whole policy page on a slow machine)

_CALL = bundle_call("auditor.capture.accessibility", "js/a11y.js")
_CRITERION = re.compile(r"^wcag(\d)(\d)(\d+)$")


@cache
def axe_script() -> str:
    """axe-core's minified source, from the pinned axe-playwright-python package."""
    return files("axe_playwright_python").joinpath("axe.min.js").read_text(encoding="utf-8")


@cache
def axe_version() -> str:
    """The version in axe-core's licence header (``/*! axe v4.12.1``)."""
    match = re.search(r"axe v(\d+\.\d+\.\d+)", axe_script()[:200])
    return match.group(1) if match else ""


def wcag_criteria(tags: list[str]) -> list[str]:
    """The WCAG success criteria among axe's tags: ``wcag143`` -> ``1.4.3``."""
    return [".".join(m.groups()) for m in map(_CRITERION.match, tags) if m]


async def call(frame: Frame | Page, op: str, arg: dict | None = None) -> Any:
    """Run one operation of ``js/a11y.js`` in ``frame``."""
    return await frame.evaluate(_CALL, [op, arg or {}])


async def ensure_axe(frame: Frame | Page) -> None:
    """Evaluate axe-core in the frame unless it is there already (a page's own axe is left alone)."""
    if not await call(frame, "axeVersion"):
        await frame.evaluate(axe_script())


async def scan(
    page: Page,
    frame: Frame,
    notice: NoticeKind,
    selector: str | None,
    shots: Path,
    artifact_prefix: str,
    **fields: Any,
) -> NoticeScan:
    """axe on the element ``selector`` names in ``frame`` (the whole document when None), with crops of what it flags.

    ``fields`` go into the :class:`NoticeScan` (reason, opened_by, url). Errors become an ``error`` scan.
    """
    started = time.monotonic()
    result = NoticeScan(notice=notice, outcome="scanned", url=frame.url[:2000], **fields)
    if frame.parent_frame is not None:
        result.frame_url = frame.url[:2000]
    try:
        scoped = await call(frame, "scope", {"selector": selector})
        if scoped is None:
            result.outcome, result.reason = "not_opened", "the notice was gone when axe was to run"
            return result
        result.scope = scoped["scope"]
        await ensure_axe(frame)
        raw = await asyncio.wait_for(
            call(frame, "runAxe", {"context": scoped["context"], "tags": list(WCAG_TAGS), "maxNodes": MAX_NODES}),
            AXE_TIMEOUT,
        )
    except (PlaywrightError, TimeoutError) as error:
        result.outcome = "error"
        result.reason = f"axe-core could not run: {one_line(error, limit=300, timeout=AXE_TIMEOUT)}"
        return result
    result.violations = [_result(v) for v in raw["violations"]]
    result.incomplete = [_result(v) for v in raw["incomplete"]]
    result.passes = raw["passes"]
    await _photograph(page, frame, raw["violations"], result.violations, shots, artifact_prefix, notice)
    result.duration_ms = round((time.monotonic() - started) * 1000, 1)
    return result


def _result(raw: dict) -> AxeResult:
    return AxeResult(
        rule_id=raw["rule_id"],
        impact=raw["impact"],
        help=raw["help"][:300],
        help_url=raw["help_url"][:300],
        tags=raw["tags"],
        wcag=wcag_criteria(raw["tags"]),
        node_count=raw["node_count"],
        nodes=[AxeNode(selector=n["selector"][:500], html=n["html"], summary=n["summary"]) for n in raw["nodes"]],
    )


async def _photograph(
    page: Page,
    frame: Frame,
    raw: list[dict],
    violations: list[AxeResult],
    folder: Path,
    prefix: str,
    notice: str,
) -> None:
    """A crop around each flagged element (the first few per notice), worst impact first."""
    order = {"critical": 0, "serious": 1, "moderate": 2, "minor": 3}
    pairs = sorted(zip(raw, violations, strict=True), key=lambda p: order.get(p[1].impact or "minor", 4))
    taken = 0
    offset = await viewport_offset(frame) or (0.0, 0.0)
    for raw_violation, violation in pairs:
        for raw_node, node in zip(raw_violation["nodes"], violation.nodes, strict=True):
            if taken >= MAX_SHOTS or not raw_node["handle"]:
                continue
            try:
                rect = await call(frame, "nodeBox", {"handle": raw_node["handle"]})
            except PlaywrightError:
                continue
            if not rect or rect["width"] < 1 or rect["height"] < 1:
                continue
            node.box = Box(
                x=round(rect["x"] + offset[0], 1),
                y=round(rect["y"] + offset[1], 1),
                width=round(rect["width"], 1),
                height=round(rect["height"], 1),
            )
            name = f"{notice}-{violation.rule_id}-{taken + 1}.png"
            node.screenshot = await crop(page, node.box, folder / name, f"{prefix}/{name}", margin=CROP_MARGIN)
            if node.screenshot is not None:  # crop() starts CROP_MARGIN before the box, or at the viewport's edge
                left, top = max(0.0, node.box.x - CROP_MARGIN), max(0.0, node.box.y - CROP_MARGIN)
                node.box_in_screenshot = Box(
                    x=round(node.box.x - left, 1), y=round(node.box.y - top, 1), width=node.box.width,
                    height=node.box.height,
                )  # fmt: skip
            taken += 1
