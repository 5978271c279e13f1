"""From what the user asked for to the options of a run: every check that can be made before a browser starts.

:class:`RunRequest` holds the command line of ``auditor audit`` and ``auditor worker`` as given, and its field
defaults are the defaults those commands show (``auditor.commands.options`` reads them from here);
:func:`build_options` validates it into :class:`~auditor.options.AuditOptions`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from auditor.browser import HostMapError, HostMapping, LaunchSettings
from auditor.capture.consent.classify import DEFAULT_DNS_LINK_VOCABULARY
from auditor.capture.page import DEFAULT_MAX_BODY_BYTES, PageLimits
from auditor.capture.policy import DEFAULT_POLICY_LINK_VOCABULARY
from auditor.checks.links.matching import LinkPhrases, OptOutLinkParams
from auditor.checks.links.privacy_policy_link import PolicyLinkParams
from auditor.engine import default_context
from auditor.errors import UserError
from auditor.evidence.profiles import BASELINE, PROFILE_NAMES, PROFILES, VisitProfile
from auditor.options import AuditOptions, Judging
from auditor.report import parse_formats
from auditor.rulepacks import Rule, RulePack, RulePackError, builtin_pack_paths, load_packs, resolve_rules
from auditor.targets import read_site_list
from auditor.textmatch import LinkVocabulary

# The rule that counts the "Do Not Sell or Share" link: the opt-out flow follows the links it counts.
DNS_LINK_RULE = "ccpa.dns-link"
# The rule that counts the privacy-policy link: the policy search (and the crawl's page plan) follows its links first.
POLICY_LINK_RULE = "ccpa.privacy-policy-link"


@dataclass
class RunRequest:
    """What the user asked for, before validation; the defaults are the command line's."""

    urls: tuple[str, ...] = ()
    out_dir: Path = Path("audit-reports")
    sites_file: Path | None = None
    formats: str = "html,json"
    jurisdictions: str = ""
    rule_paths: tuple[Path, ...] = ()
    map_hosts: tuple[str, ...] = ()
    timeout: float = 30.0
    site_budget: float = 180.0
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    profiles: str = ""  # comma-separated visit profiles; empty: all
    fail_on: str | None = None  # None: from the configuration file, else "low"
    baseline: Path | None = None
    audit_date: dt.date | None = None
    config_path: Path | None = None
    runs: int | None = None  # None: from the configuration file, else 1
    aggregation: str | None = None  # None: from the configuration file, else "pessimistic"
    history: Path | None = None
    no_history: bool = False
    self_contained: bool = False
    annotations: str = "auto"  # GitHub workflow annotations: auto (under GitHub Actions), github or none
    sarif_suppressed: bool = True
    sign_key: Path | None = None
    executable: str | None = None
    proxy: str | None = None
    ignore_https_errors: bool = False
    quiet: bool = False
    concurrency: int = 3  # visit contexts: a lone site's three visits at once (the CI gate's case)
    pages: int = 0
    robots: str = "obey"
    resume: bool = False
    log_json: bool = False
    # Serving the site under test (auditor audit only; auditor.serve)
    static_dir: Path | None = None
    start_server: str | None = None
    wait_for: str | None = None
    wait_timeout: float = 60.0
    timings: bool = False


def rule_pack_files(extra: tuple[Path, ...] | list[Path]) -> list[Path]:
    """Built-in packs, then the user's (files, or every *.yaml in a folder)."""
    paths = builtin_pack_paths()
    for item in extra:
        if item.is_dir():
            found = sorted(item.glob("*.yaml")) + sorted(item.glob("*.yml"))
            if not found:
                raise UserError(f"--rules {item}: the folder has no .yaml rule packs")
            paths += found
        elif item.is_file():
            paths.append(item)
        else:
            raise UserError(f"--rules {item}: no such file or folder")
    return paths


def jurisdiction_set(jurisdictions: str) -> set[str]:
    """``--jurisdiction ca,CO`` as a set of lower-case codes (empty: every jurisdiction)."""
    return {j.strip().lower() for j in jurisdictions.split(",") if j.strip()}


def load_rules(rule_paths: tuple[Path, ...] | list[Path], jurisdictions: str) -> tuple[list[RulePack], list[Rule]]:
    """The packs (built-in plus ``--rules``) and the enabled rules ``--jurisdiction`` selects; UserError when a
    pack is invalid or no rule applies."""
    try:
        packs = load_packs(rule_pack_files(rule_paths))
        rules = resolve_rules(packs, jurisdiction_set(jurisdictions) or None)
    except RulePackError as error:
        raise UserError(str(error)) from None
    if not rules:
        raise UserError(f"no rules apply to --jurisdiction {jurisdictions!r}")
    return packs, rules


def dns_link_vocabulary(rules: list[Rule]) -> LinkVocabulary:
    """The words of the "Do Not Sell or Share" link as the rule counting it reads them (its alternative link's
    too), for the opt-out flow to follow exactly the links the rule counts."""
    return _link_vocabulary(rules, DNS_LINK_RULE, OptOutLinkParams, "the opt-out link's", DEFAULT_DNS_LINK_VOCABULARY)


def policy_link_vocabulary(rules: list[Rule]) -> LinkVocabulary:
    """The words of a privacy-policy link as the rule counting it reads them, for the policy search to follow
    first the links the rule counts."""
    return _link_vocabulary(
        rules, POLICY_LINK_RULE, PolicyLinkParams, "the privacy policy link's", DEFAULT_POLICY_LINK_VOCABULARY
    )


def _link_vocabulary(
    rules: list[Rule], rule_id: str, params_type: type[LinkPhrases], whose: str, default: LinkVocabulary
) -> LinkVocabulary:
    """The link words of rule ``rule_id`` (its check's ``params_type``); capture's built-in vocabulary, ``default``,
    when no selected rule has that id.

    The one place where a rule's parameters reach capture (as data: capture never imports rule packs).
    """
    rule = next((r for r in rules if r.id == rule_id), None)
    if rule is None:
        return default
    params = rule.check_params()  # validated, defaults filled in: exactly what the check reads
    if not isinstance(params, params_type):
        raise UserError(f"rule {rule_id} must use a check that takes {whose} words, not {rule.check!r}")
    alternatives = params.alternative_phrases if isinstance(params, OptOutLinkParams) else []
    return LinkVocabulary(
        phrases=(*params.phrases, *alternatives),
        exclusions=tuple(params.exclusions),
        max_length=params.max_length,
    )


def parse_profiles(text: str) -> tuple[VisitProfile, ...]:
    """``--profiles baseline,gpc`` as visit profiles in their fixed order (empty: all); baseline is always needed."""
    names = {p.strip().lower() for p in text.split(",") if p.strip()}
    if names - set(PROFILE_NAMES) or (names and BASELINE.name not in names):
        raise UserError(f"--profiles {text!r}: choose from {', '.join(PROFILE_NAMES)}; baseline is always needed")
    return tuple(p for p in PROFILES if not names or p.name in names)


def build_options(request: RunRequest) -> AuditOptions:
    """Validate everything that can be checked before a browser starts."""
    formats = parse_formats(request.formats)
    if request.timeout <= 0 or request.site_budget <= 0:
        raise UserError("--timeout and --site-budget must be positive numbers of seconds")
    if request.concurrency < 1 or request.pages < 0 or request.robots not in ("obey", "ignore"):
        raise UserError("--concurrency must be at least 1, --pages 0 or more, --robots obey or ignore")
    try:
        host_map = [HostMapping.parse(text) for text in request.map_hosts]
    except HostMapError as error:
        raise UserError(str(error)) from None
    packs, rules = load_rules(request.rule_paths, request.jurisdictions)
    profiles = parse_profiles(request.profiles)
    return AuditOptions(
        out_dir=request.out_dir,
        judging=Judging(
            rules=rules,
            rule_packs={p.pack: p.version for p in packs},
            context=default_context(request.audit_date),
            pack_files=tuple(rule_pack_files(request.rule_paths)),
        ),
        formats=formats,
        launch=LaunchSettings(
            host_map=host_map,
            executable=request.executable,
            proxy=request.proxy,
            ignore_https_errors=request.ignore_https_errors,
        ),
        limits=PageLimits.for_timeout(request.timeout, request.max_body_bytes),
        site_budget=request.site_budget,
        concurrency=request.concurrency,
        extra_pages=request.pages,
        obey_robots=request.robots == "obey",
        resume=request.resume,
        profiles=profiles,
        dns_link=dns_link_vocabulary(rules),
        policy_link=policy_link_vocabulary(rules),
    )


def collect_urls(request: RunRequest) -> list[str]:
    """The URLs given on the command line, then those of ``--sites``; UserError when there are none."""
    urls = list(request.urls)
    if request.sites_file:
        urls += read_site_list(request.sites_file)
    if not urls:
        raise UserError("no sites given: pass URLs or --sites FILE")
    return urls
