"""Text matching for checks; the functions live in :mod:`auditor.textmatch`, shared with capture."""

from __future__ import annotations

from auditor.textmatch import contains_phrase, first_phrase, normalize

__all__ = ["contains_phrase", "first_phrase", "normalize"]
