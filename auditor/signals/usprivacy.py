"""IAB US Privacy (CCPA) string v1, e.g. ``1YNN``.

Positions (IAB ``CCPA/US Privacy String.md``): 1 specification version,
2 explicit notice given, 3 user opted out of sale, 4 LSPA covered
transaction; positions 2-4 are ``Y``, ``N`` or ``-`` (not applicable).
``1---`` means the CCPA does not apply.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, computed_field

from auditor.signals.errors import SignalDecodeError, preview

Flag = Literal["Y", "N", "-"]
_FLAGS = ("Y", "N", "-")
_POSITION_NAMES = ("notice", "opt-out-of-sale", "LSPA")
NOT_APPLICABLE = "1---"


class UsPrivacy(BaseModel):
    """A decoded US Privacy string."""

    model_config = ConfigDict(frozen=True)

    raw: str
    version: int
    notice: Flag
    opt_out_sale: Flag
    lspa: Flag

    @computed_field  # type: ignore[prop-decorator]
    @property
    def sale_opt_out(self) -> bool | None:
        """True if the user opted out of sale, False if not, None if unknown/N.A."""
        return {"Y": True, "N": False}.get(self.opt_out_sale)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def applies(self) -> bool:
        """False only for ``1---``, the IAB way to say the CCPA does not apply."""
        return self.raw != NOT_APPLICABLE

    def contradictions(self) -> list[str]:
        """Combinations the IAB spec rules out ("Opt-Out of Sale may never be unknown")."""
        if self.opt_out_sale == "-" and self.applies:
            return [f"opt-out-of-sale is '-' in {self.raw!r}; '-' is only allowed in '1---'"]
        return []


def decode_usprivacy(value: str) -> UsPrivacy:
    """Decode a US Privacy string such as ``1YNN``; raise SignalDecodeError if invalid."""
    if not isinstance(value, str):
        raise SignalDecodeError(f"US Privacy string must be text, got {type(value).__name__}")
    text = value.strip()
    if len(text) != 4:
        raise SignalDecodeError(f"US Privacy string must be 4 characters, got {len(text)}: {preview(text)}")
    if text[0] != "1":
        raise SignalDecodeError(f"unsupported US Privacy version {text[0]!r} in {preview(text)} (only '1' exists)")
    for name, char in zip(_POSITION_NAMES, text[1:], strict=True):
        if char not in _FLAGS:
            raise SignalDecodeError(f"US Privacy {name} flag must be Y, N or -, got {char!r} in {preview(text)}")
    return UsPrivacy(raw=text, version=1, notice=text[1], opt_out_sale=text[2], lspa=text[3])
