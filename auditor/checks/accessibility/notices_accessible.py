"""``notices_accessible``: the notices and the opt-out can be read and used by people with disabilities (CA-A1).

Judged from the saved accessibility capture alone (``auditor check`` needs no browser): axe-core's WCAG 2.1 A and
AA results inside each notice, the keyboard walk to the opt-out, and the opt-out link's contrast. ``fail`` needs
proof: a serious or critical axe violation inside a notice, focus trapped in a banner that does not cover the
page, an entry or control the keyboard cannot reach or use while a pointer can, text below the WCAG contrast
minimum. What the capture could not see (a notice it could not open, axe checks it left undecided, a walk cut
short) is ``review``, never ``pass``.
"""

from __future__ import annotations

from statistics import median

from pydantic import Field

from auditor.checks.accessibility.tables import (
    contrast_table,
    is_large_text,
    notices_table,
    results_table,
    violation_images,
    walk_table,
)
from auditor.checks.registry import CheckContext, CheckParams, Outcome, check
from auditor.evidence import SiteEvidence
from auditor.evidence.accessibility import (
    NOTICE_TITLES,
    AccessibilityEvidence,
    AxeResult,
    Impact,
    KeyboardWalk,
    NoticeKind,
    NoticeScan,
)
from auditor.findings import EvidenceItem, Status

ALL_NOTICES: tuple[NoticeKind, ...] = ("banner", "preference_center", "optout", "footer", "policy")
SEVERE: tuple[Impact, ...] = ("serious", "critical")
MODERATE: tuple[Impact, ...] = ("moderate",)


class AccessibleParams(CheckParams):
    notices: list[NoticeKind] = Field(
        default_factory=lambda: list(ALL_NOTICES), min_length=1, description="the notices the rule judges"
    )
    fail_impacts: list[Impact] = Field(
        default_factory=lambda: list(SEVERE), description="axe impacts that fail the rule"
    )
    review_impacts: list[Impact] = Field(
        default_factory=lambda: list(MODERATE), description="axe impacts a person must look at"
    )
    undecided_impacts: list[Impact] = Field(
        default_factory=lambda: list(SEVERE),
        description="impacts of the checks axe left undecided (incomplete) that a person must look at",
    )
    keyboard: bool = Field(True, description="judge the keyboard walk to the opt-out")
    min_contrast: float = Field(4.5, gt=1, description="WCAG 1.4.3 minimum contrast of the opt-out link's text")
    min_contrast_large: float = Field(3.0, gt=1, description="the same for large text (24 px, or 18.66 px bold)")
    peer_contrast_share: float = Field(
        0.75, gt=0, le=1, description="review when the link's contrast is below this share of its neighbours'"
    )


@check("notices_accessible", requires=["baseline.accessibility"])
def notices_accessible(evidence: SiteEvidence, params: AccessibleParams, context: CheckContext) -> Outcome:
    """The notices pass axe-core's WCAG 2.1 A/AA rules, the opt-out works by keyboard, the link's text has contrast."""
    accessibility = evidence.profiles["baseline"].accessibility
    assert accessibility is not None  # required: the engine made sure
    judged = [scan for scan in accessibility.notices if scan.notice in params.notices]
    scanned = [scan for scan in judged if scan.outcome == "scanned"]
    fails: list[str] = []
    reviews: list[str] = []
    failing = _results(scanned, "violations", params.fail_impacts)
    doubtful = _results(scanned, "violations", params.review_impacts)
    undecided = _results(scanned, "incomplete", params.undecided_impacts)
    fails += [_says(scan, result) for scan, result in failing]
    reviews += [_says(scan, result) for scan, result in doubtful]
    if undecided:
        reviews.append(
            f"axe-core left {len(undecided)} check(s) for a person to decide ("
            + ", ".join(sorted({f"{result.rule_id} in {NOTICE_TITLES[scan.notice]}" for scan, result in undecided}))
            + ")"
        )
    for scan in judged:
        if scan.outcome in ("not_opened", "error"):
            reviews.append(f"{NOTICE_TITLES[scan.notice]} could not be checked: {scan.reason}")
    walk = accessibility.keyboard
    if params.keyboard and walk is not None:
        _judge_walk(walk, fails, reviews)
    if "footer" in params.notices and accessibility.optout_link is not None:
        _judge_contrast(accessibility, params, fails, reviews)
    items = _evidence(accessibility, judged, failing + doubtful, undecided, params)
    if fails:
        return Outcome(Status.FAIL, _message("Not accessible", fails, reviews), items)
    if reviews:
        return Outcome(Status.REVIEW, _message("A person must look", reviews, []), items)
    if not scanned:
        return Outcome(
            Status.NOT_APPLICABLE,
            "The homepage showed none of the notices this rule checks (no banner, no opt-out link, no policy page).",
            items,
        )
    names = ", ".join(NOTICE_TITLES[scan.notice] for scan in scanned)
    walked = " The opt-out worked with the keyboard alone." if walk is not None and params.keyboard else ""
    return Outcome(
        Status.PASS,
        f"axe-core {accessibility.axe_version} found no WCAG 2.1 A or AA violation in {names}.{walked}",
        items,
    )


def _results(scans: list[NoticeScan], kind: str, impacts: list[Impact]) -> list[tuple[NoticeScan, AxeResult]]:
    return [(scan, result) for scan in scans for result in getattr(scan, kind) if result.impact in impacts]


def _says(scan: NoticeScan, result: AxeResult) -> str:
    wcag = f", WCAG {', '.join(result.wcag)}" if result.wcag else ""
    where = result.nodes[0].selector if result.nodes else ""
    what = result.help or result.rule_id
    return f"{NOTICE_TITLES[scan.notice]}: {what} ({result.rule_id}, {result.impact}{wcag}; {where})"


def _judge_walk(walk: KeyboardWalk, fails: list[str], reviews: list[str]) -> None:
    """Fail on what the walk proved (a trap, an entry or control the keyboard cannot use while a pointer can);
    review on what it could not finish."""
    entry = walk.entry_label or "the opt-out"
    if walk.trapped_in:
        fails.append(
            f"the keyboard focus is trapped in {walk.trapped_in}: neither Tab nor Escape leaves it (WCAG 2.1.2)"
        )
    elif walk.entry_reached is False and not walk.banner_modal:
        fails.append(f"Tab never reaches {entry}: it is not in the page's tab order (WCAG 2.1.1)")
    elif walk.entry_reached is False:
        reviews.append(f"{entry} could not be reached with Tab past the banner, which covers the page")
    elif walk.entry_reached is None:
        reviews.append(f"the keyboard walk stopped before reaching {entry}")
    if walk.opened is False and walk.opened_by_pointer:
        fails.append(f"Enter on {entry} opens nothing, while a click opens the opt-out (WCAG 2.1.1)")
    elif walk.opened is False:
        reviews.append(f"Enter on {entry} opened nothing, and neither did a click")
    if walk.toggles_keyboard_dead:
        fails.append(
            "Space does not switch " + ", ".join(f'"{t}"' for t in walk.toggles_keyboard_dead) + ", while a click "
            "does (WCAG 2.1.1)"
        )
    if walk.toggles_state_unknown:
        reviews.append(
            "the state of " + ", ".join(f'"{t}"' for t in walk.toggles_state_unknown) + " could not be read after "
            "Space or a click"
        )
    missing = walk.toggles_total - walk.toggles_reached
    if missing and walk.notice_walk_complete:
        fails.append(
            f"{missing} of {walk.toggles_total} toggle(s) of the opt-out cannot be reached with Tab (WCAG 2.1.1)"
        )
    elif missing and walk.opened is not False:
        reviews.append(f"the keyboard walk reached {walk.toggles_reached} of {walk.toggles_total} toggle(s)")
    if walk.save_reached is False:
        fails.append("Tab never reaches the opt-out's save button (WCAG 2.1.1)")


def _judge_contrast(
    accessibility: AccessibilityEvidence, params: AccessibleParams, fails: list[str], reviews: list[str]
) -> None:
    measured = accessibility.optout_link
    assert measured is not None
    link = measured.link
    if link.contrast_ratio is None:
        reviews.append(f'the contrast of the "{link.text}" link could not be computed (an image lies behind it)')
        return
    needed = params.min_contrast_large if is_large_text(link) else params.min_contrast
    if link.contrast_ratio < needed:
        fails.append(
            f'the "{link.text}" link\'s text has a contrast of {link.contrast_ratio:g}:1 against its background '
            f"({link.color} on {link.background}), below the {needed:g}:1 WCAG 1.4.3 requires"
        )
        return
    peers = [p.contrast_ratio for p in measured.peers if p.contrast_ratio is not None]
    if len(peers) >= 2 and link.contrast_ratio < median(peers) * params.peer_contrast_share:
        reviews.append(
            f'the "{link.text}" link\'s contrast ({link.contrast_ratio:g}:1) is well below that of {measured.area} '
            f"({median(peers):g}:1): a person must judge whether it is as conspicuous"
        )


def _message(lead: str, first: list[str], then: list[str]) -> str:
    shown = first[:6]
    more = len(first) - len(shown)
    text = f"{lead}: " + "; ".join(shown) + (f"; and {more} more" if more else "") + "."
    if then:
        text += f" Also for a person to look at: {len(then)} item(s) (below)."
    return text


def _evidence(
    accessibility: AccessibilityEvidence,
    judged: list[NoticeScan],
    found: list[tuple[NoticeScan, AxeResult]],
    undecided: list[tuple[NoticeScan, AxeResult]],
    params: AccessibleParams,
) -> list[EvidenceItem]:
    items: list[EvidenceItem] = [notices_table(accessibility, judged)]
    if found:
        items.append(results_table("axe-core violations inside the notices", found))
        items += violation_images(found)
    if undecided:
        items.append(results_table("Checks axe-core left for a person (incomplete)", undecided))
    if params.keyboard and accessibility.keyboard is not None:
        items.append(walk_table(accessibility.keyboard))
    if "footer" in params.notices and accessibility.optout_link is not None:
        items.append(contrast_table(accessibility.optout_link, params.min_contrast, params.min_contrast_large))
    return items
