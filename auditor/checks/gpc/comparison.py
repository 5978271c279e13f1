"""The cold ``baseline`` visit and the cold ``gpc`` visit side by side: their signals read and paired, and what
their advertising requests and cookies did (shared by the GPC checks and their report tables).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from pydantic import Field

from auditor.checks.common import sale_sharing_indicators
from auditor.checks.gpc.readings import Reading, SignalParams, read_signals
from auditor.checks.registry import CheckContext, Outcome
from auditor.evidence import PageCapture, ProfileCapture, SiteEvidence
from auditor.findings import Status

DEFAULT_AD_COOKIES = ("_fbp", "_fbc", "_gcl_au", "_gcl_aw", "_ttp", "_uetsid", "_uetvid", "_pin_unauth", "_rdt_uuid")
# What the comparison reads: both visits' signals, requests and cookies (the gpc visit first: it is the one under
# test). The consent captures only name OneTrust's groups and add consent categories, so they are optional.
REQUIRES = [
    f"{visit}.{part}" for part in ("signals", "homepage.requests", "homepage.cookies") for visit in ("gpc", "baseline")
]
OPTIONAL = ["gpc.consent", "baseline.consent", "optout.consent"]


class GpcParams(SignalParams):
    advertising_cookies: list[str] = Field(
        default_factory=lambda: list(DEFAULT_AD_COOKIES),
        description="cookie names taken for advertising cookies in the request diff, besides the tracker list's",
    )


@dataclass
class Comparison:
    """The two visits' signals, read and paired, and what their requests and cookies did."""

    base: ProfileCapture
    gpc: ProfileCapture
    before: list[Reading]
    after: list[Reading]
    ad_requests: dict[str, tuple[int, int]]  # registrable domain -> (without GPC, with GPC)
    ad_cookies: dict[str, tuple[bool, bool]]  # "name (domain)" -> (without GPC, with GPC)

    @property
    def judged(self) -> list[Reading]:
        return [r for r in self.after if r.judged]

    @property
    def ads_with_gpc(self) -> int:
        return sum(after for _, after in self.ad_requests.values())

    @property
    def ads_without_gpc(self) -> int:
        return sum(before for before, _ in self.ad_requests.values())


def compare(evidence: SiteEvidence, params: GpcParams, context: CheckContext) -> Comparison:
    """Read both visits' signals and diff their advertising requests and cookies."""
    base, gpc = evidence.profiles["baseline"], evidence.profiles["gpc"]
    site = base.homepage.final_url or evidence.site.url
    optout = evidence.profiles.get("optout")
    labels = optout.consent if optout is not None else None  # the optout visit opens the preference center
    before = read_signals(base.signals, params, site_url=site, consents=(base.consent, gpc.consent, labels))
    after = read_signals(gpc.signals, params, site_url=site, consents=(gpc.consent, base.consent, labels))
    return Comparison(
        base, gpc, before, after, _ad_requests(base, gpc, context), _ad_cookies(base, gpc, params, context)
    )


def _ad_requests(base: ProfileCapture, gpc: ProfileCapture, context: CheckContext) -> dict[str, tuple[int, int]]:
    counts: dict[str, list[int]] = {}
    for index, profile in enumerate((base, gpc)):
        page = profile.homepage
        for domain, count in _advertising_domains(page, context).items():
            counts.setdefault(domain, [0, 0])[index] = count
    return {domain: (pair[0], pair[1]) for domain, pair in sorted(counts.items())}


def _advertising_domains(page: PageCapture, context: CheckContext) -> Counter:
    found: Counter = Counter()
    trackers = context.trackers
    if trackers is None:
        return found
    for request in page.requests:
        if not request.third_party:
            continue
        match = trackers.classify_request(request.url, page.final_url, request.resource_type)
        if match is not None and trackers.advertising_like(match.category):
            found[f"{match.domain} ({match.owner}, {match.category})"] += 1
    return found


def _ad_cookies(
    base: ProfileCapture, gpc: ProfileCapture, params: GpcParams, context: CheckContext
) -> dict[str, tuple[bool, bool]]:
    names = set(params.advertising_cookies)
    seen: dict[str, list[bool]] = {}
    for index, profile in enumerate((base, gpc)):
        for cookie in profile.homepage.cookies:
            domain = cookie.domain.lstrip(".")
            match = context.trackers.classify(domain) if context.trackers is not None and domain else None
            advertising = match is not None and context.trackers.advertising_like(match.category)
            if advertising or cookie.name in names:
                seen.setdefault(f"{cookie.name} ({domain})", [False, False])[index] = True
    return {key: (pair[0], pair[1]) for key, pair in sorted(seen.items()) if pair[0] != pair[1]}


def untested(comparison: Comparison) -> Outcome | None:
    """``not_assessable`` when the two visits do not test the signal: GPC did not reach the page, or did without it."""
    base, gpc = comparison.base.signals, comparison.gpc.signals
    assert base is not None and gpc is not None  # required
    if gpc.navigator_gpc is not True:
        return Outcome(
            Status.NOT_ASSESSABLE,
            "In the visit meant to send GPC the page did not see navigator.globalPrivacyControl === true "
            f"(it saw {gpc.navigator_gpc!r}), so the comparison would not test the signal.",
        )
    if base.navigator_gpc is True:
        return Outcome(
            Status.NOT_ASSESSABLE,
            "In the visit without GPC the page saw navigator.globalPrivacyControl === true, so there is no "
            "GPC-off control to compare with.",
        )
    return None


def sale_sharing(comparison: Comparison, context: CheckContext) -> list[list[str]]:
    rows = []
    for profile in (comparison.base, comparison.gpc):
        rows += sale_sharing_indicators(profile.homepage, context, profile.consent, profile.signals)
    unique = {tuple(row): row for row in rows}
    return list(unique.values())
