"""Report evidence built from the accessibility capture: the notices scanned, axe's violations with their crops,
the keyboard walk's step log and the opt-out link's contrast beside its neighbours."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from auditor.checks.consent.tables import image
from auditor.evidence.accessibility import (
    NOTICE_TITLES,
    AccessibilityEvidence,
    AxeResult,
    KeyboardWalk,
    LinkColours,
    NoticeScan,
    OptOutLinkContrast,
)
from auditor.findings import BoxRef, ImageEvidence, TableEvidence

MAX_ROWS = 40
MAX_IMAGES = 8


def notices_table(accessibility: AccessibilityEvidence, judged: Iterable[NoticeScan]) -> TableEvidence:
    """Each notice judged: whether axe ran on it, how it was reached, and what it found."""
    rows = []
    for scan in judged:
        found = Counter(v.impact or "unknown" for v in scan.violations)
        ran = scan.outcome == "scanned"  # "none" would read as clean for a notice axe never saw
        rows.append(
            [
                NOTICE_TITLES[scan.notice],
                scan.outcome.replace("_", " "),
                scan.reason or scan.scope,
                (", ".join(f"{n} {impact}" for impact, n in sorted(found.items())) or "none") if ran else "-",
                len(scan.incomplete) if ran else "-",
            ]
        )
    return TableEvidence(
        label=f"The notices axe-core {accessibility.axe_version} checked (WCAG 2.1 A and AA rules)",
        columns=["notice", "outcome", "how it was reached", "violations", "left for a person"],
        rows=rows,
    )


def results_table(label: str, found: list[tuple[NoticeScan, AxeResult]]) -> TableEvidence:
    """axe results: notice, rule, impact, WCAG criteria, elements, the first element's selector, what to fix."""
    rows = [
        [
            NOTICE_TITLES[scan.notice],
            result.rule_id,
            result.impact or "-",
            ", ".join(result.wcag) or "-",
            result.node_count,
            result.nodes[0].selector if result.nodes else "-",
            result.help,
        ]
        for scan, result in found[:MAX_ROWS]
    ]
    return TableEvidence(
        label=label,
        columns=["notice", "axe rule", "impact", "WCAG", "elements", "first element", "what it asks"],
        rows=rows,
        truncated=max(0, len(found) - MAX_ROWS),
    )


def violation_images(found: list[tuple[NoticeScan, AxeResult]]) -> list[ImageEvidence]:
    """A crop around each flagged element that was photographed, worst first."""
    images: list[ImageEvidence] = []
    for scan, result in found:
        for node in result.nodes:
            if node.screenshot is not None and len(images) < MAX_IMAGES:
                wcag = f", WCAG {', '.join(result.wcag)}" if result.wcag else ""
                label = f"{NOTICE_TITLES[scan.notice]}: {result.rule_id} ({result.impact}{wcag}) at {node.selector}"
                shot = image(label[:300], node.screenshot)
                if node.box_in_screenshot is not None:
                    shot.box = BoxRef(**node.box_in_screenshot.model_dump())
                images.append(shot)
    return images


def walk_table(walk: KeyboardWalk) -> TableEvidence:
    """The keyboard walk as a step log."""
    return TableEvidence(
        label=f"The opt-out with the keyboard alone, from {walk.entry_label or 'the top of the homepage'}",
        columns=["#", "key", "presses", "goal", "focus afterwards", "ok", "detail"],
        rows=[
            [i, s.key, s.presses, s.goal, s.focused or "-", "yes" if s.ok else "no", s.detail or "-"]
            for i, s in enumerate(walk.steps, 1)
        ],
    )


def contrast_table(measured: OptOutLinkContrast, minimum: float, large_minimum: float) -> TableEvidence:
    """The opt-out link's size and contrast beside the links around it."""

    def row(link: LinkColours, role: str) -> list:
        needed = large_minimum if is_large_text(link) else minimum
        ratio = f"{link.contrast_ratio:g}:1" if link.contrast_ratio is not None else "unknown (image behind)"
        return [
            link.text[:80],
            link.font_size_px,
            link.font_weight,
            link.color,
            link.background or "-",
            ratio,
            f"{needed:g}:1",
            role,
        ]

    rows = [row(measured.link, "the opt-out link")] + [row(p, "a neighbour") for p in measured.peers[:15]]
    return TableEvidence(
        label=f"The opt-out link's text against its background, beside {measured.area}",
        columns=["link", "font size (px)", "weight", "colour", "background", "contrast", "WCAG 1.4.3 needs", "which"],
        rows=rows,
        truncated=max(0, len(measured.peers) - 15),
    )


def is_large_text(link: LinkColours) -> bool:
    """WCAG's large text: at least 24 px, or 18.66 px (14 pt) bold."""
    size = link.font_size_px or 0.0
    return size >= 24 or (size >= 18.66 and (link.font_weight or 400) >= 700)
