"""Consent-manager evidence: detection, banner, preference center, opt-out flow (filled by capture.consent)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class ConsentEvidence(BaseModel):
    """What the visit saw of the site's consent manager. Placeholder until the consent gatherer lands."""

    model_config = ConfigDict(extra="allow")
