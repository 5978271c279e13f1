"""What the visit with GPC on showed that the visit without it did not (CA-G2, CA-G3, CA-G5).

The two cold visits load the same homepage; text that appears only with GPC on (a prompt, a form, a new
banner) is the site's reaction to the signal. Whether the signal is honored in the site's privacy strings
is the GPC rule's job (``ccpa.gpc-honored``); these checks judge what the visitor is shown.
"""

from __future__ import annotations

import re
from typing import Any

from auditor.checks.common import homepage, indicators_table, sale_sharing_indicators, unassessable
from auditor.checks.notices import opt_out_links
from auditor.checks.policy import policy_contents
from auditor.checks.registry import CheckContext, Outcome, check
from auditor.evidence import SiteEvidence
from auditor.findings import Status, TableEvidence
from auditor.textmatch import normalize

ASKS_FOR_INFO = re.compile(
    r"\b(e-?mail|phone|telephone|verify|verification|identity|date of birth|sign in|log ?in|create an account|"
    r"zip code|postal code)\b",
    re.IGNORECASE,
)
CONFLICT_PROMPT = re.compile(
    r"\b(conflicts?|conflicting|financial incentive|loyalty|rewards?|previously (chose|selected|consented|opted)|"
    r"your (account|profile|privacy) settings?|do you want to|would you like to|confirm)\b",
    re.IGNORECASE,
)
MAX_LINES = 30


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if len(line.strip()) >= 3]


def gpc_only_lines(evidence: SiteEvidence) -> list[str]:
    """Lines of text shown with GPC on and not without it (homepage text, consent banner), in page order."""
    base, gpc = evidence.profiles["baseline"], evidence.profiles["gpc"]
    before = {normalize(line) for line in _lines(base.homepage.visible_text)}
    after = _lines(gpc.homepage.visible_text)
    base_banner = base.consent.banner if base.consent else None
    gpc_banner = gpc.consent.banner if gpc.consent else None
    if gpc_banner is not None and base_banner is None:
        after += _lines(gpc_banner.text)
    new: list[str] = []
    seen: set[str] = set()
    for line in after:
        key = normalize(line)
        if key not in before and key not in seen:
            seen.add(key)
            new.append(line)
    return new


def _blocked(evidence: SiteEvidence) -> Outcome | None:
    return unassessable(evidence) or unassessable(evidence, "gpc")


def _table(lines: list[str], label: str = "Shown only with GPC on") -> TableEvidence:
    return TableEvidence(
        label=label,
        columns=["text"],
        rows=[[line[:300]] for line in lines[:MAX_LINES]],
        truncated=max(0, len(lines) - MAX_LINES),
    )


@check("gpc_no_extra_info")
def gpc_no_extra_info(evidence: SiteEvidence, params: dict[str, Any], context: CheckContext) -> Outcome:
    """With GPC on, the site asks for no more information (e-mail, sign-in, identity) to process the signal."""
    blocked = _blocked(evidence)
    if blocked:
        return blocked
    new = gpc_only_lines(evidence)
    asking = [line for line in new if ASKS_FOR_INFO.search(line)]
    if asking:
        return Outcome(
            Status.REVIEW,
            "With GPC on, the homepage showed text the visit without GPC did not, and it asks for information "
            "(e-mail, sign-in or identity). A person must check whether processing the signal depends on it.",
            [_table(asking, "Shown only with GPC on, asking for information"), _table(new)],
        )
    if new:
        return Outcome(
            Status.PASS,
            f"With GPC on, the homepage showed {len(new)} line(s) of text the visit without GPC did not, none of "
            "which asks for information.",
            [_table(new)],
        )
    return Outcome(
        Status.PASS,
        "With GPC on, the homepage showed nothing the visit without GPC did not: no prompt, form or interstitial "
        "asked for more information.",
    )


@check("gpc_conflict_prompt")
def gpc_conflict_prompt(evidence: SiteEvidence, params: dict[str, Any], context: CheckContext) -> Outcome:
    """A prompt about a conflicting setting shown with GPC on is recorded for a person to review."""
    blocked = _blocked(evidence)
    if blocked:
        return blocked
    prompts = [line for line in gpc_only_lines(evidence) if CONFLICT_PROMPT.search(line)]
    if not prompts:
        return Outcome(
            Status.NOT_APPLICABLE,
            "With GPC on, the site showed no prompt about a conflicting privacy setting or financial incentive. "
            "Whether the signal itself is processed is judged by the GPC rule.",
        )
    return Outcome(
        Status.REVIEW,
        "With GPC on, the site asked the visitor about a conflicting setting or incentive. That is allowed, but the "
        "signal must still be processed; a person must check the prompt and the GPC rule's finding.",
        [_table(prompts)],
    )


@check("frictionless_optout")
def frictionless_optout(evidence: SiteEvidence, params: dict[str, Any], context: CheckContext) -> Outcome:
    """Without an opt-out link: GPC brings no pop-up or change, and the policy describes the signal."""
    blocked = _blocked(evidence)
    if blocked:
        return blocked
    links = opt_out_links(evidence, params)
    if links:
        return Outcome(
            Status.NOT_APPLICABLE,
            f'The homepage posts the opt-out link "{links[0].text}", so frictionless processing is not required '
            "(the signal must still be honored; see the GPC rule).",
        )
    indicators = sale_sharing_indicators(homepage(evidence), context)
    if not indicators:
        return Outcome(
            Status.NOT_APPLICABLE,
            "No opt-out link and no sign of sale or sharing: frictionless processing is judged only for businesses "
            "that sell or share without posting the link.",
        )
    new = gpc_only_lines(evidence)
    if new:
        return Outcome(
            Status.REVIEW,
            "The site posts no opt-out link, and with GPC on the homepage showed content the visit without GPC did "
            "not. Frictionless processing allows no pop-up, notification or interstitial in response to the signal; "
            "a person must judge what was shown.",
            [_table(new), indicators_table(indicators)],
        )
    policy = evidence.profiles["baseline"].policy
    if policy is None or not policy.found:
        return Outcome(
            Status.REVIEW,
            "The site posts no opt-out link and GPC changed nothing visible, but the privacy policy could not be read "
            "to check that it describes how the signal is processed.",
        )
    status = policy_contents(policy.text)["opt_out_preference_signals"].status
    if status == "missing":
        return Outcome(
            Status.FAIL,
            "The site posts no opt-out link, so it must process opt-out preference signals frictionlessly and say so "
            "in its privacy policy; the policy does not mention them.",
            [indicators_table(indicators)],
        )
    if status == "ambiguous":
        return Outcome(
            Status.REVIEW,
            "The site posts no opt-out link and GPC changed nothing visible; the privacy policy only hints at "
            "browser signals. A person must read it.",
        )
    return Outcome(
        Status.PASS,
        "The site posts no opt-out link; with GPC on it showed no pop-up, notification or change, and its privacy "
        "policy describes opt-out preference signals. (Whether the signal is honored is judged by the GPC rule.)",
    )
