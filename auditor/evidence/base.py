"""Models shared by every evidence module (core, consent, signals), kept apart to avoid import cycles."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Model(BaseModel):
    """Base for evidence models: unknown keys are kept out, values validated on load."""

    model_config = ConfigDict(extra="forbid")


class Box(Model):
    """A rectangle in CSS pixels, in full-page coordinates (top-left of the document is 0,0)."""

    x: float
    y: float
    width: float
    height: float


class ScreenshotArtifact(Model):
    path: str
    width: int
    height: int
