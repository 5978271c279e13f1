"""``policy_topic``: the policy covers one topic of :mod:`auditor.policy.topics` (CA-P3)."""

from __future__ import annotations

from typing import Any

from auditor.checks.policy.found import _page_items, policy_contents, policy_or_outcome
from auditor.checks.registry import CheckContext, Outcome, check
from auditor.evidence import SiteEvidence
from auditor.findings import Status, TextEvidence
from auditor.policy.topics import TOPICS


@check("policy_topic")
def policy_topic(evidence: SiteEvidence, params: dict[str, Any], context: CheckContext) -> Outcome:
    """The policy covers one topic of ``auditor.policy.topics`` (``params.topic``), quoting where it does.

    ``missing_status`` (default ``fail``) is what a policy that never mentions the topic gets; rules whose
    applicability a browser cannot know (the right to limit SPI) set it to ``review``.
    """
    topic = params["topic"]
    if topic not in TOPICS:
        raise ValueError(f"unknown policy topic {topic!r}; known: {', '.join(TOPICS)}")
    found_policy = policy_or_outcome(evidence)
    if isinstance(found_policy, Outcome):
        return found_policy
    policy, page = found_policy
    match = policy_contents(policy.text)[topic]
    title = TOPICS[topic].title.lower()
    phrases = ", ".join(f'"{p}"' for p in match.matched_phrases[:5])
    quote = [TextEvidence(label="Passage quoted from the privacy policy", text=match.passage)] if match.passage else []
    if match.status == "found":
        return Outcome(
            Status.PASS,
            f"The privacy policy covers the {title}: it says {phrases}.",
            [*quote, TextEvidence(label="Policy", text=policy.url)],
        )
    if match.status == "ambiguous":
        return Outcome(
            Status.REVIEW,
            f"The privacy policy comes near the {title} ({phrases}) without clearly naming it. A person must read "
            "the passage and decide whether it describes the topic.",
            [*quote, TextEvidence(label="Policy", text=policy.url)],
        )
    missing = Status(params.get("missing_status", "fail"))
    why = params.get("missing_reason", "")
    return Outcome(
        missing,
        f"The privacy policy at {policy.url} does not mention the {title}." + (f" {why}" if why else ""),
        _page_items(page),
    )
