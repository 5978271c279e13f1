"""The one exception type every decoder in `auditor.signals` raises."""

from __future__ import annotations

_PREVIEW_CHARS = 60


class SignalDecodeError(ValueError):
    """A privacy signal string could not be decoded.

    The message is always a single line, so it can go straight into a report
    cell or a CLI error without reformatting.
    """

    def __init__(self, message: str) -> None:
        super().__init__(" ".join(message.split()))


def preview(value: object) -> str:
    """Return a short, printable, one-line rendering of a bad input for messages."""
    text = repr(value)
    if len(text) > _PREVIEW_CHARS:
        text = text[: _PREVIEW_CHARS - 3] + "..."
    return text
