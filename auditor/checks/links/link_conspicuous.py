"""``link_conspicuous``: the opt-out link is shown like the links around it (CA-L2)."""

from __future__ import annotations

import re
from collections import Counter
from statistics import median

from pydantic import Field

from auditor.checks.common import element_evidence, homepage
from auditor.checks.links.matching import OptOutLinkParams, opt_out_links
from auditor.checks.registry import CheckContext, Outcome, check
from auditor.evidence import Link, SiteEvidence
from auditor.findings import Status, TableEvidence

_RGB = re.compile(r"rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)(?:[,\s/]+([\d.]+%?))?\s*\)")


def parse_color(value: str) -> tuple[float, float, float, float] | None:
    """(r, g, b, alpha) of a computed CSS colour such as ``rgb(26, 77, 143)``; None when not rgb()."""
    match = _RGB.search(value or "")
    if not match:
        return None
    alpha = match.group(4)
    a = 1.0 if alpha is None else float(alpha.rstrip("%")) / (100 if alpha.endswith("%") else 1)
    return float(match.group(1)), float(match.group(2)), float(match.group(3)), a


def peer_links(link: Link, links: list[Link]) -> list[Link]:
    """Links shown in the same manner context: the other footer links, or links on the same row."""
    peers = []
    for other in links:
        if other is link or not other.visible or not other.text or other.font_size_px is None:
            continue
        if other.frame_url != link.frame_url or other.tag not in ("a", link.tag):
            continue
        if link.in_footer:
            if other.in_footer:
                peers.append(other)
        elif link.box and other.box:
            row = max(40.0, link.box.height * 2)
            if abs((other.box.y + other.box.height / 2) - (link.box.y + link.box.height / 2)) <= row:
                peers.append(other)
    return peers


class ConspicuousParams(OptOutLinkParams):
    fail_below_ratio: float = Field(
        0.85, gt=0, le=1, description="a link whose type is smaller than this share of its peers' fails"
    )


@check("link_conspicuous", requires=["baseline.homepage.links"])
def link_conspicuous(evidence: SiteEvidence, params: ConspicuousParams, context: CheckContext) -> Outcome:
    """The opt-out link is shown in the same manner as the links around it: not smaller, not fainter."""
    links = opt_out_links(evidence, params)
    if not links:
        return Outcome(Status.NOT_APPLICABLE, "No visible opt-out link to compare (see the opt-out link rule).")
    page = homepage(evidence)
    link = links[0]
    exclude = {id(x) for x in links}
    peers = [p for p in peer_links(link, page.links) if id(p) not in exclude]
    where = "footer links" if link.in_footer else "links on the same row"
    item = element_evidence(link, page, "baseline", "Opt-out link")
    if link.font_size_px is None or len(peers) < 2:
        return Outcome(
            Status.REVIEW,
            f'Too few {where} to compare the link "{link.text}" with ({len(peers)} found). A person must judge '
            "whether it is as conspicuous as the similar links on the homepage.",
            [item],
        )
    sizes = [p.font_size_px for p in peers if p.font_size_px]
    typical_size = median(sizes)
    colors = Counter(p.color for p in peers)
    typical_color = sorted(colors.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
    rows = [[link.text, link.font_size_px, link.color, "the opt-out link"]]
    rows += [[p.text[:80], p.font_size_px, p.color, ""] for p in peers[:12]]
    table = TableEvidence(
        label=f"The opt-out link and the {where}", columns=["link", "font size (px)", "colour", ""], rows=rows
    )
    ratio = link.font_size_px / typical_size
    parsed = parse_color(link.color)
    fail_ratio = params.fail_below_ratio
    if parsed is not None and parsed[3] < 0.2:
        return Outcome(Status.FAIL, f'The link "{link.text}" is drawn in a (nearly) transparent colour.', [item, table])
    if ratio < fail_ratio:
        return Outcome(
            Status.FAIL,
            f'The link "{link.text}" is set in {link.font_size_px:g} px type while the {where} use {typical_size:g} px '
            f"({ratio:.0%}): it is less conspicuous than similar links.",
            [item, table],
        )
    if link.font_size_px < typical_size - 0.5:
        return Outcome(
            Status.REVIEW,
            f'The link "{link.text}" is slightly smaller ({link.font_size_px:g} px) than the {where} '
            f"({typical_size:g} px). A person must judge whether it is as conspicuous.",
            [item, table],
        )
    if link.color != typical_color:
        return Outcome(
            Status.REVIEW,
            f'The link "{link.text}" has another colour ({link.color}) than the {where} ({typical_color}). The '
            "contrast against its background was not measured; a person must judge whether it stands out as much.",
            [item, table],
        )
    return Outcome(
        Status.PASS,
        f'The link "{link.text}" has the same size ({link.font_size_px:g} px) and colour as the {len(peers)} {where}.',
        [item, table],
    )
