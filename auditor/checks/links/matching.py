"""Which homepage links a rule means, and the parameters that say so (shared by the link and opt-out checks)."""

from __future__ import annotations

from pydantic import Field

from auditor.checks.common import element_evidence, homepage
from auditor.checks.registry import CheckParams, Outcome
from auditor.evidence import Link, PageCapture, SiteEvidence
from auditor.findings import Status, TextEvidence
from auditor.textmatch import LinkMatch, match_links

MAX_EVIDENCE_LINKS = 5


class LinkPhrases(CheckParams):
    """Links whose visible text (or label) contains one of ``phrases`` and none of ``exclusions``."""

    phrases: list[str] = Field(min_length=1, description="link texts to look for (one is enough)")
    exclusions: list[str] = Field(
        default_factory=list, description="words that disqualify a link (headlines, settings links)"
    )
    max_length: int = Field(150, ge=1, description="longer texts are paragraphs, not links")

    def matches(self, links: list[Link], phrases: list[str] | None = None) -> list[LinkMatch]:
        """The links with one of the rule's ``phrases`` (or of the ``phrases`` given) and none of its exclusions."""
        return match_links(links, self.phrases if phrases is None else phrases, self.exclusions, self.max_length)


class OptOutLinkParams(LinkPhrases):
    """The "Do Not Sell or Share" link and its alternative ("Your Privacy Choices")."""

    alternative_phrases: list[str] = Field(
        default_factory=list, description='the alternative opt-out link, e.g. "your privacy choices"'
    )

    def all_matches(self, links: list[Link]) -> list[LinkMatch]:
        """Links with the opt-out phrases or the alternative ones, visible ones first, then those in the footer."""
        found = self.matches(links, [*self.phrases, *self.alternative_phrases])
        return sorted(found, key=lambda m: (not m.link.visible, not m.link.in_footer))


def opt_out_links(evidence: SiteEvidence, params: OptOutLinkParams, *, alternative_only: bool = False) -> list[Link]:
    """Visible homepage links matching the rule's opt-out phrases (or only the alternative ones), footer first."""
    phrases = params.alternative_phrases if alternative_only else [*params.phrases, *params.alternative_phrases]
    found = sorted(params.matches(homepage(evidence).links, phrases), key=lambda m: not m.link.in_footer)
    return [m.link for m in found if m.link.visible]


def visible_matches(evidence: SiteEvidence, phrases: list[str], exclusions: list[str]) -> list[LinkMatch]:
    """Visible homepage links with one of ``phrases`` and none of ``exclusions``."""
    return [m for m in match_links(homepage(evidence).links, phrases, exclusions) if m.link.visible]


def link_items(matches: list[LinkMatch] | list[Link], evidence: SiteEvidence, label: str, limit: int = 5) -> list:
    """Element evidence (text, target, box on the screenshot) for the first ``limit`` links of the baseline homepage."""
    page = homepage(evidence)
    links = [m.link if isinstance(m, LinkMatch) else m for m in matches]
    return [element_evidence(link, page, "baseline", label) for link in links[:limit]]


def absent_from_cut_links(page: PageCapture, what: str) -> Outcome | None:
    """``review`` when the capture kept only part of the page's links (``PageCapture.truncated``), so that a link
    it did not see may be among those left out; None when every link was read and absence is proof.

    ``what`` says what was not found, as the start of a sentence ("No privacy policy link was found").
    """
    cut = [note for note in page.truncated if note.startswith("links:")]
    if not cut:
        return None
    return Outcome(
        Status.REVIEW,
        f"{what} among the {len(page.links)} links the capture kept, but the page has more than it keeps, so the "
        "link may be among those left out. A person must look at the page.",
        [TextEvidence(label="What the capture left out", text="; ".join(cut))],
    )
