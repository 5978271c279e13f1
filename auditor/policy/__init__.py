"""Text analysis of a privacy policy: its "last updated" date and the CCPA topics it covers.

Pure functions of text, no browser and no network, so rule checks can run on saved evidence.
"""

from auditor.policy.contents import ContentMatch, ContentStatus, find_required_contents
from auditor.policy.dates import (
    DateContext,
    DateLabel,
    PolicyDate,
    find_policy_date,
    find_policy_dates,
    policy_age_days,
    within_months,
)
from auditor.policy.html_text import extract_text_from_html
from auditor.policy.topics import TOPICS, TopicPatterns

__all__ = [
    "TOPICS",
    "ContentMatch",
    "ContentStatus",
    "DateContext",
    "DateLabel",
    "PolicyDate",
    "TopicPatterns",
    "extract_text_from_html",
    "find_policy_date",
    "find_policy_dates",
    "find_required_contents",
    "policy_age_days",
    "within_months",
]
