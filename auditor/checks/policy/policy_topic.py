"""``policy_topic``: the policy covers one topic of :mod:`auditor.policy.topics` (CA-P3)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from auditor.checks.policy.found import OPTIONAL, REQUIRES, page_items, policy_contents, readable_policy
from auditor.checks.registry import CheckContext, CheckParams, Outcome, check
from auditor.evidence import SiteEvidence
from auditor.findings import Status, TextEvidence
from auditor.policy.topics import TOPICS


class TopicParams(CheckParams):
    topic: str = Field(description="the topic the policy must cover", json_schema_extra={"enum": list(TOPICS)})
    missing_status: Literal["fail", "review"] = Field(
        "fail", description="the finding when the policy never mentions the topic"
    )
    missing_reason: str = Field("", description="a sentence the finding adds then (why it is only review)")

    @field_validator("topic")
    @classmethod
    def _known_topic(cls, value: str) -> str:
        if value not in TOPICS:
            raise ValueError(f"unknown policy topic {value!r}; known: {', '.join(TOPICS)}")
        return value


@check("policy_topic", requires=REQUIRES, optional=OPTIONAL)
def policy_topic(evidence: SiteEvidence, params: TopicParams, context: CheckContext) -> Outcome:
    """The policy covers one topic of ``auditor.policy.topics`` (``params.topic``), quoting where it does.

    ``missing_status`` (default ``fail``) is what a policy that never mentions the topic gets; rules whose
    applicability a browser cannot know (the right to limit SPI) set it to ``review``.
    """
    topic = params.topic
    found_policy = readable_policy(evidence)
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
    why = params.missing_reason
    return Outcome(
        Status(params.missing_status),
        f"The privacy policy at {policy.url} does not mention the {title}." + (f" {why}" if why else ""),
        page_items(page),
    )
