"""Notice evidence: the privacy policy as found and read, and the icons next to the "Privacy Choices" link.

Filled in the baseline visit by ``capture.policy`` and ``capture.choice_links``. The policy page itself
(screenshots, DOM, links, requests) is ``ProfileCapture.pages["privacy_policy"]``; this model says how it
was found and holds its text, so rules can re-read it from saved evidence.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from auditor.evidence.base import Box, Model

FoundBy = Literal["link_text", "link_href", "common_path"]


class PolicyCandidate(Model):
    """One address tried while looking for the privacy policy."""

    url: str
    found_by: FoundBy
    link_text: str = ""
    status: int | None = None
    error: str | None = None
    looks_like_policy: bool = Field(False, description="loaded, not a bot check, and its text mentions privacy")
    off_site: bool = Field(False, description="on another site than the homepage (loaded, never followed further)")


class PolicyEvidence(Model):
    """How the privacy policy was looked for and what it says."""

    found: bool = Field(description="a page that looks like the privacy policy was loaded")
    url: str = Field("", description="the policy's final URL")
    found_by: FoundBy | None = None
    link_text: str = Field("", description="the homepage link that led to it, if one did")
    candidates: list[PolicyCandidate] = []
    text: str = Field("", description="the page's text from its HTML, one line per block, hidden sections included")
    headings: list[str] = []
    text_truncated: bool = False
    last_modified: str | None = Field(None, description="the HTTP Last-Modified header of the policy page, if sent")
    error: str | None = Field(None, description="why the search stopped early, if it did")


class LinkIcon(Model):
    """An image, SVG or icon element inside or right next to a link."""

    tag: str
    position: Literal["inside", "adjacent"]
    src: str = Field("", description="image source (data: URLs cut to 100 characters)")
    alt: str = ""
    label: str = Field("", description="aria-label or title")
    class_name: str = ""
    box: Box | None = None
    gap_px: float = Field(0.0, description="horizontal distance to the link's text box; 0 when inside")
    visible: bool = True


class ChoiceLink(Model):
    """A "Your Privacy Choices" or "Do Not Sell" link and the icons around it."""

    text: str
    href: str = ""
    visible: bool = True
    in_footer: bool = False
    box: Box | None = None
    font_size_px: float | None = None
    icons: list[LinkIcon] = []


class ChoiceLinkEvidence(Model):
    """Opt-out links with their icons, and the sizes of the other small icons on the page for comparison."""

    links: list[ChoiceLink] = []
    reference_icon_heights: list[float] = Field(
        default_factory=list, description="rendered heights of other visible icons (8-64 px) on the homepage"
    )
