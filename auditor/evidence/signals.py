"""Privacy-signal evidence: raw values and where they were read (filled by capture.signals)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class SignalEvidence(BaseModel):
    """Signals read in one visit. Placeholder until the signal gatherer lands."""

    model_config = ConfigDict(extra="allow")
