"""Everything a visit captured, as pydantic models: the one boundary between capture and rules.

Capture code fills these models; checks read only these models. ``SiteEvidence`` is saved as
``<site>/evidence/evidence.json`` and can be re-checked later without a browser (``auditor check``).

- ``core``: the site, the profiles, the pages (links, cookies, requests, screenshots).
- ``consent``: the consent manager, banner, preference center and the opt-out flow.
- ``signals``: privacy signals (US Privacy, GPP, OneTrust, other CMPs' stored consent, gpc.json).
- ``failures``: capture steps that did not finish (which step, what kind, why), and what each step fills.
"""

from auditor.evidence.consent import ConsentEvidence
from auditor.evidence.core import (
    EVIDENCE_SCHEMA,
    Box,
    BrowserInfo,
    ConsoleMessage,
    CookieRecord,
    Link,
    PageCapture,
    ProfileCapture,
    ProfileName,
    Redirect,
    RequestRecord,
    ScreenshotArtifact,
    SettleInfo,
    SiteEvidence,
    SiteInfo,
    StepTiming,
    ToolInfo,
    Vantage,
)
from auditor.evidence.failures import CaptureFailure
from auditor.evidence.signals import SignalEvidence

__all__ = [
    "EVIDENCE_SCHEMA",
    "BrowserInfo",
    "Box",
    "CaptureFailure",
    "ConsentEvidence",
    "ConsoleMessage",
    "CookieRecord",
    "Link",
    "PageCapture",
    "ProfileCapture",
    "ProfileName",
    "Redirect",
    "RequestRecord",
    "ScreenshotArtifact",
    "SettleInfo",
    "SignalEvidence",
    "SiteEvidence",
    "SiteInfo",
    "StepTiming",
    "ToolInfo",
    "Vantage",
]
