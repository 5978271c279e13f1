"""Hand-built evidence for rule tests: rules never touch a browser, so a check's fixtures are pydantic models."""

from __future__ import annotations

import datetime as dt

from auditor.checks import Outcome, get_check
from auditor.engine import default_context, evaluate_rule, missing_evidence
from auditor.evidence import (
    Box,
    BrowserInfo,
    Link,
    PageCapture,
    ProfileCapture,
    RequestRecord,
    SiteEvidence,
    SiteInfo,
    ToolInfo,
    Vantage,
)
from auditor.evidence.consent import ConsentEvidence
from auditor.evidence.notices import ChoiceLink, ChoiceLinkEvidence, LinkIcon, PolicyEvidence
from auditor.findings import Finding
from auditor.rulepacks import Rule, all_rules, builtin_pack_paths, load_packs

SITE = "https://www.example-store.com/"
MOMENT = dt.datetime(2026, 5, 1, 12, 0, tzinfo=dt.UTC)
AUDIT_DATE = dt.date(2026, 6, 1)
AD_REQUEST = RequestRecord(
    url="https://securepubads.g.doubleclick.net/tag/js/gpt.js",
    resource_type="script",
    host="securepubads.g.doubleclick.net",
    registrable_domain="doubleclick.net",
    third_party=True,
)

# A privacy policy long enough to read that names no right, no signal and no contact.
BARE = (
    "Example Store Privacy Policy\nLast Updated: March 3, 2026\nWe care about your privacy and protect the data we "
    "hold. This page explains our commitment to keeping your visit pleasant, secure and fast, and we review it "
    "regularly with our partners.\n"
)

_RULES: dict[str, Rule] = {}


def builtin_rule(rule_id: str) -> Rule:
    """A rule of the built-in packs, as the engine would evaluate it."""
    if not _RULES:
        _RULES.update(all_rules(load_packs(builtin_pack_paths())))
    return _RULES[rule_id]


def link(text: str, *, footer: bool = True, size: float = 14.0, color: str = "rgb(34, 34, 34)", x: float = 0.0,
         y: float = 700.0, href: str = "", visible: bool = True, tag: str = "a") -> Link:  # fmt: skip
    """A link as the capture records it."""
    return Link(
        tag=tag,
        text=text,
        href=href or f"{SITE}{text.lower().replace(' ', '-')}",
        visible=visible,
        box=Box(x=x, y=y, width=8.0 * len(text), height=size + 4),
        in_footer=footer,
        font_size_px=size,
        color=color,
    )


def footer_links(*extra: Link) -> list[Link]:
    """A footer with the usual legal links, plus ``extra``."""
    return [link("About us", x=10), link("Careers", x=100), link("Terms of Use", x=200), *extra]


def page(links: list[Link] | None = None, *, text: str = "Welcome to the store.", ads: bool = True) -> PageCapture:
    return PageCapture(
        requested_url=SITE,
        final_url=SITE,
        status=200,
        title="Example Store",
        visible_text=text,
        links=links if links is not None else footer_links(),
        requests=[AD_REQUEST] if ads else [],
    )


def evidence(
    homepage: PageCapture | None = None,
    *,
    policy: PolicyEvidence | None = None,
    choice_links: ChoiceLinkEvidence | None = None,
    consent: ConsentEvidence | None = None,
    optout_consent: ConsentEvidence | None = None,
    gpc_homepage: PageCapture | None = None,
    gpc_consent: ConsentEvidence | None = None,
) -> SiteEvidence:
    """A site's evidence with a baseline (and a gpc, and optionally an optout) visit.

    Each visit has consent evidence, empty unless given, as the capture's consent step always records one.
    """
    home = homepage or page()

    def profile(name: str, page_: PageCapture, consent_: ConsentEvidence | None, **more) -> ProfileCapture:
        return ProfileCapture(
            profile=name, gpc=name == "gpc", started_at=MOMENT, finished_at=MOMENT, homepage=page_,
            consent=consent_, **more,
        )  # fmt: skip

    profiles = {
        "baseline": profile("baseline", home, consent or ConsentEvidence(), policy=policy, choice_links=choice_links),
        "gpc": profile("gpc", gpc_homepage or home, gpc_consent or ConsentEvidence()),
    }
    if optout_consent is not None:
        profiles["optout"] = profile("optout", home, optout_consent)
    return SiteEvidence(
        site=SiteInfo(url=SITE, host="www.example-store.com", site_id="www.example-store.com", final_url=SITE),
        tool=ToolInfo(version="test"),
        browser=BrowserInfo(version="test"),
        vantage=Vantage(),
        started_at=MOMENT,
        finished_at=MOMENT,
        profiles=profiles,
    )


def policy(text: str, headings: list[str] | None = None, *, url: str = f"{SITE}privacy") -> PolicyEvidence:
    """A privacy policy found through the homepage's "Privacy Policy" link."""
    return PolicyEvidence(
        found=True, url=url, found_by="link_text", link_text="Privacy Policy", text=text, headings=headings or []
    )


def icons(text: str = "Your Privacy Choices", *found: LinkIcon, reference: tuple[float, ...] = (16.0, 16.0)):
    """Choice-link evidence: one link with ``found`` icons, and the page's other icon heights."""
    return ChoiceLinkEvidence(
        links=[ChoiceLink(text=text, visible=True, in_footer=True, font_size_px=14.0, icons=list(found))],
        reference_icon_heights=list(reference),
    )


def icon(src: str = "/img/privacyoptions.svg", *, alt: str = "", height: float = 14.0, position: str = "inside"):
    return LinkIcon(tag="img", position=position, src=src, alt=alt, box=Box(x=0, y=0, width=height * 2, height=height))


def run_check(name: str, site: SiteEvidence, params: dict | None = None, audit_date: dt.date = AUDIT_DATE) -> Outcome:
    """Run a check as the engine does, after making sure ``site`` holds the evidence the check requires."""
    check = get_check(name)
    missing = missing_evidence(site, check.requires)
    assert missing is None, f"the test's evidence lacks what {name} requires: {missing}"
    return check(site, params, default_context(audit_date))


def judge(rule_id: str, site: SiteEvidence, audit_date: dt.date = AUDIT_DATE) -> Finding:
    """The finding of a built-in rule on hand-built evidence."""
    return evaluate_rule(builtin_rule(rule_id), site, default_context(audit_date))
