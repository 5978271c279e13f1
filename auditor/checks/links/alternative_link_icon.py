"""``alternative_link_icon``: the alternative "Your Privacy Choices" link carries the opt-out icon (CA-L3)."""

from __future__ import annotations

import re
from statistics import median

from pydantic import Field

from auditor.checks.common import element_evidence, homepage
from auditor.checks.links.matching import OptOutLinkParams, opt_out_links
from auditor.checks.registry import CheckContext, Outcome, check
from auditor.evidence import SiteEvidence
from auditor.findings import EvidenceItem, Status, TableEvidence, TextEvidence
from auditor.textmatch import first_phrase

# Names, addresses and classes of the official opt-out icon and of the images sites use for it.
_ICON_HINT = re.compile(r"privacy.?options|privacy.?choices|opt.?out|ccpa|cpra|do.?not.?sell|dnsmpi", re.IGNORECASE)


class IconParams(OptOutLinkParams):
    alternative_phrases: list[str] = Field(
        min_length=1, description='the alternative opt-out link, which must carry the icon: "your privacy choices"'
    )


@check("alternative_link_icon", requires=["baseline.homepage.links", "baseline.choice_links"])
def alternative_link_icon(evidence: SiteEvidence, params: IconParams, context: CheckContext) -> Outcome:
    """The alternative "Your Privacy Choices" link carries the opt-out icon, about the size of other icons."""
    alternatives = params.alternative_phrases
    shown = opt_out_links(evidence, params, alternative_only=True)
    if not shown:
        return Outcome(
            Status.NOT_APPLICABLE,
            'The homepage does not use the alternative "Your Privacy Choices" link; the opt-out icon is required '
            "only next to that link.",
        )
    page = homepage(evidence)
    item = element_evidence(shown[0], page, "baseline", "Alternative opt-out link")
    captured = evidence.profiles["baseline"].choice_links
    assert captured is not None  # required: the engine said not_assessable when the icons were not recorded
    recorded = [c for c in captured.links if c.visible and first_phrase(c.text, alternatives)]
    recorded.sort(key=lambda c: not c.in_footer)
    if not recorded:
        return Outcome(
            Status.REVIEW,
            f'The link "{shown[0].text}" is inside a frame the icon capture does not read. A person must check '
            "that the opt-out icon sits next to it.",
            [item],
        )
    link = recorded[0]
    icons = [i for i in link.icons if i.visible]
    if not icons:
        return Outcome(
            Status.FAIL,
            f'The "{link.text}" link has no icon inside it or within a few pixels beside it. The alternative '
            "opt-out link must show the opt-out icon next to its title.",
            [item],
        )
    hinted = [i for i in icons if _ICON_HINT.search(f"{i.src} {i.alt} {i.label} {i.class_name}")]
    icon = (hinted or icons)[0]
    height = icon.box.height if icon.box else None
    reference = median(captured.reference_icon_heights) if captured.reference_icon_heights else None
    rows = [
        [
            i.tag,
            i.position,
            (i.src or "")[-80:],
            i.alt or i.label,
            f"{i.box.width:g}x{i.box.height:g}" if i.box else "",
            i.gap_px,
        ]
        for i in icons
    ]
    table = TableEvidence(
        label="Icons inside or beside the link",
        columns=["tag", "where", "source", "alt / label", "size (px)", "gap (px)"],
        rows=rows,
    )
    items: list[EvidenceItem] = [item, table]
    if reference:
        items.append(TextEvidence(label="Other icons on the page", text=f"median height {reference:g} px"))
    size_ok = height is None or reference is None or 0.5 <= height / reference <= 2.0
    if not hinted:
        return Outcome(
            Status.REVIEW,
            f'An image sits next to the "{link.text}" link, but nothing (file name, alt text, label) identifies it '
            "as the opt-out icon. A person must compare it with the official icon.",
            items,
        )
    if not size_ok:
        return Outcome(
            Status.REVIEW,
            f"The opt-out icon next to the link is {height:g} px high while the page's other icons are about "
            f"{reference:g} px. A person must judge whether it is about the same size.",
            items,
        )
    return Outcome(
        Status.PASS,
        f'The "{link.text}" link shows the opt-out icon ({icon.alt or icon.src.rsplit("/", 1)[-1]}) {icon.position} '
        "the link" + (f", {height:g} px high like the page's other icons." if reference and height else "."),
        items,
    )
