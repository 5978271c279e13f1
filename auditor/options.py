"""What one run needs besides its sites, validated: read by the crawl, the pipeline and the judging.

Built from the command line by :func:`auditor.runner.build_options`; the defaults a user sees live in
:class:`auditor.runner.RunRequest` alone, so nothing here has a default the command line could contradict.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from auditor.browser import LaunchSettings
from auditor.capture.consent.classify import DEFAULT_DNS_LINK_VOCABULARY
from auditor.capture.page import PageLimits
from auditor.capture.policy import DEFAULT_POLICY_LINK_VOCABULARY
from auditor.checks import CheckContext
from auditor.evidence.profiles import PROFILES, VisitProfile
from auditor.rulepacks import Rule
from auditor.textmatch import LinkVocabulary


@dataclass(frozen=True)
class Judging:
    """What turns a site's evidence into findings: the rules, the versions of their packs, the check context."""

    rules: list[Rule]
    rule_packs: dict[str, str]
    context: CheckContext
    # The pack files the rules came from, in load order. When given, each site written is sealed recording them
    # (copied into the run's rules/ folder), so a run finished elsewhere (workers, then `collect`) stays
    # re-judgeable by `auditor verify`, team packs included.
    pack_files: tuple[Path, ...] = ()


@dataclass
class AuditOptions:
    """Everything one audit run needs besides the sites."""

    out_dir: Path
    judging: Judging
    formats: list[str]
    launch: LaunchSettings
    limits: PageLimits
    site_budget: float  # seconds for one whole site
    # The crawl (auditor.crawl): browser contexts at once, extra same-site pages, robots.txt for them, resume.
    concurrency: int
    extra_pages: int
    obey_robots: bool
    resume: bool
    profiles: tuple[VisitProfile, ...]  # the visits each site gets, in order (--profiles)
    # The "Do Not Sell or Share" link the opt-out flow follows: the words of the rule that counts it.
    dns_link: LinkVocabulary = DEFAULT_DNS_LINK_VOCABULARY
    # A link to the privacy policy, which the policy search follows first: the words of the rule that counts it.
    policy_link: LinkVocabulary = DEFAULT_POLICY_LINK_VOCABULARY
    on_event: Callable[[dict], None] | None = None

    def profiles_not_requested(self) -> str | None:
        """Why some visits are missing by design (``--profiles``), for the evidence; None when all are run."""
        skipped = [p.name for p in PROFILES if p not in self.profiles]
        if not skipped:
            return None
        return f"the {', '.join(skipped)} visit{'s were' if len(skipped) > 1 else ' was'} not requested (--profiles)"
