"""Checks on the homepage's notices beyond the link's presence: conspicuousness (CA-L2), the opt-out icon
next to the alternative link (CA-L3), other required links (CA-L4) and the notice at collection (CA-P4).
"""

from __future__ import annotations

import re
from collections import Counter
from statistics import median
from typing import Any

from auditor.checks.common import element_evidence, homepage, indicators_table, sale_sharing_indicators, unassessable
from auditor.checks.registry import CheckContext, Outcome, check
from auditor.evidence import Link, SiteEvidence
from auditor.findings import EvidenceItem, Status, TableEvidence, TextEvidence
from auditor.textmatch import LinkMatch, first_phrase, match_links

_RGB = re.compile(r"rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)(?:[,\s/]+([\d.]+%?))?\s*\)")
# Names, addresses and classes of the official opt-out icon and of the images sites use for it.
_ICON_HINT = re.compile(r"privacy.?options|privacy.?choices|opt.?out|ccpa|cpra|do.?not.?sell|dnsmpi", re.IGNORECASE)


def opt_out_links(evidence: SiteEvidence, params: dict[str, Any], *, alternative_only: bool = False) -> list[Link]:
    """Visible homepage links matching the rule's opt-out phrases, footer links first."""
    page = homepage(evidence)
    phrases = list(params.get("alternative_phrases", []))
    if not alternative_only:
        phrases = list(params.get("phrases", [])) + phrases
    matches = match_links(page.links, phrases, params.get("exclusions", []), params.get("max_length", 150))
    return [m.link for m in sorted(matches, key=lambda m: not m.link.in_footer) if m.link.visible]


def _visible_matches(evidence: SiteEvidence, phrases: list[str], exclusions: list[str]) -> list[LinkMatch]:
    return [m for m in match_links(homepage(evidence).links, phrases, exclusions) if m.link.visible]


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


@check("link_conspicuous")
def link_conspicuous(evidence: SiteEvidence, params: dict[str, Any], context: CheckContext) -> Outcome:
    """The opt-out link is shown in the same manner as the links around it: not smaller, not fainter."""
    blocked = unassessable(evidence)
    if blocked:
        return blocked
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
    fail_ratio = float(params.get("fail_below_ratio", 0.85))
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


@check("alternative_link_icon")
def alternative_link_icon(evidence: SiteEvidence, params: dict[str, Any], context: CheckContext) -> Outcome:
    """The alternative "Your Privacy Choices" link carries the opt-out icon, about the size of other icons."""
    blocked = unassessable(evidence)
    if blocked:
        return blocked
    alternatives = list(params["alternative_phrases"])
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
    if captured is None:
        return Outcome(Status.NOT_ASSESSABLE, "This evidence has no record of the icons next to the link.", [item])
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


@check("homepage_link")
def homepage_link(evidence: SiteEvidence, params: dict[str, Any], context: CheckContext) -> Outcome:
    """A homepage link containing one of ``phrases``. Missing: ``missing_status`` (default review).

    When a link with one of ``alternative_phrases`` stands in for it (the alternative opt-out link may cover
    limiting sensitive information too), the outcome is ``review``.
    """
    blocked = unassessable(evidence)
    if blocked:
        return blocked
    page = homepage(evidence)
    exclusions = params.get("exclusions", [])
    matches = match_links(page.links, params["phrases"], exclusions)
    visible = [m for m in matches if m.link.visible]
    if visible:
        best = sorted(visible, key=lambda m: not m.link.in_footer)[0].link
        return Outcome(
            Status.PASS,
            f'The homepage shows the link "{best.text or best.aria_label}".',
            [element_evidence(best, page, "baseline", params.get("label", "Link"))],
        )
    if matches:
        return Outcome(
            Status.REVIEW,
            "A matching link is in the page but was not visible to the visitor. A person must check whether a "
            "California visitor can see it.",
            [element_evidence(m.link, page, "baseline", "Hidden link") for m in matches[:3]],
        )
    stand_in = _visible_matches(evidence, params.get("alternative_phrases", []), exclusions)
    if stand_in:
        link = stand_in[0].link
        return Outcome(
            Status.REVIEW,
            params.get("alternative_message", f'The link "{link.text}" may stand in for this link.'),
            [element_evidence(link, page, "baseline", "Alternative link")],
        )
    return Outcome(
        Status(params.get("missing_status", "review")),
        params.get("missing_message", "The homepage has no such link."),
        [TextEvidence(label="Searched for", text=", ".join(params["phrases"]))],
    )


@check("notice_at_collection")
def notice_at_collection(evidence: SiteEvidence, params: dict[str, Any], context: CheckContext) -> Outcome:
    """A notice at collection is linked from the homepage (or at least the policy has one)."""
    blocked = unassessable(evidence)
    if blocked:
        return blocked
    page = homepage(evidence)
    nac = _visible_matches(evidence, params["phrases"], [])
    if nac:
        return Outcome(
            Status.PASS,
            f'The homepage links to the notice at collection: "{nac[0].link.text}".',
            [element_evidence(nac[0].link, page, "baseline", "Notice at collection link")],
        )
    policy = evidence.profiles["baseline"].policy
    in_policy = bool(policy and policy.found and first_phrase(policy.text, params["phrases"]))
    privacy = _visible_matches(evidence, params["privacy_phrases"], params.get("privacy_exclusions", []))
    items = [element_evidence(m.link, page, "baseline", "Privacy policy link") for m in privacy[:1]]
    if in_policy:
        return Outcome(
            Status.REVIEW,
            "The homepage has no link titled as the notice at collection, but the privacy policy contains one. A "
            "person must check that it is linked where personal information is collected (forms, sign-up).",
            items,
        )
    if privacy:
        return Outcome(
            Status.REVIEW,
            "The homepage has no notice-at-collection link; only the privacy policy link could serve as one. A "
            "person must check that the policy gives the notice and is linked where information is collected.",
            items,
        )
    indicators = sale_sharing_indicators(page, context)
    if indicators:
        return Outcome(
            Status.FAIL,
            "The site collects personal information through third-party trackers, but the homepage links neither "
            "to a notice at collection nor to a privacy policy.",
            [indicators_table(indicators)],
        )
    return Outcome(
        Status.REVIEW,
        "The homepage links neither to a notice at collection nor to a privacy policy. Whether the site collects "
        "personal information could not be told from the capture; a person must check.",
    )
