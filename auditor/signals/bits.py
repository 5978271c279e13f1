"""Bit-level reading for GPP: base64url text to bits, then GPP data types.

The GPP encodings (see the IAB GPP "Consent String Specification"):
- Int(n): n-bit big-endian unsigned integer.
- Boolean: one bit.
- N-Bitfield(2, k): k consecutive Int(2) values.
- Fibonacci integer: Zeckendorf code, least significant term first, ended by
  an extra 1 so that the code ends in "11".
- Fibonacci integer range: Int(12) group count, then per group a Boolean
  (0 = single value, 1 = range) and one or two Fibonacci integers that are
  deltas from the previous value.
"""

from __future__ import annotations

import builtins  # the methods int() and bool() shadow the built-in names in the class's annotations

from auditor.signals.errors import SignalDecodeError

BASE64URL_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
_SIX_BITS = {char: format(index, "06b") for index, char in enumerate(BASE64URL_ALPHABET)}


def base64url_to_bits(text: str, what: str) -> str:
    """Expand base64url text (no padding) into a string of '0'/'1' characters."""
    try:
        return "".join(_SIX_BITS[char] for char in text)
    except KeyError as exc:
        raise SignalDecodeError(f"{what}: invalid base64url character {exc.args[0]!r}") from None


class BitReader:
    """Sequential reader over a bit string; every overrun is a SignalDecodeError."""

    def __init__(self, bits: str, what: str) -> None:
        self._bits = bits
        self._pos = 0
        self._what = what

    @property
    def remaining(self) -> int:
        """Number of unread bits (trailing padding included)."""
        return len(self._bits) - self._pos

    def _take(self, width: int) -> str:
        end = self._pos + width
        if end > len(self._bits):
            raise SignalDecodeError(
                f"{self._what}: ran out of bits at bit {self._pos} (needed {width}, {self.remaining} left)"
            )
        chunk = self._bits[self._pos : end]
        self._pos = end
        return chunk

    def int(self, width: int) -> int:
        """Read an Int(width)."""
        return int(self._take(width), 2) if width else 0

    def bool(self) -> bool:
        """Read a Boolean."""
        return self._take(1) == "1"

    def int_list(self, width: builtins.int, count: builtins.int) -> list[builtins.int]:
        """Read an N-Bitfield(width, count) as a list of ints."""
        return [self.int(width) for _ in range(count)]

    def fibonacci(self, max_bits: builtins.int = 32) -> builtins.int:
        """Read one Fibonacci-coded positive integer of at most max_bits bits.

        The cap (F(32) is about 3.5 million) keeps garbage input from turning
        into a quadratic big-integer computation.
        """
        end = self._bits.find("11", self._pos, self._pos + max_bits)
        if end < 0:
            raise SignalDecodeError(
                f"{self._what}: no Fibonacci integer terminator within {max_bits} bits of bit {self._pos}"
            )
        code = self._take(end + 2 - self._pos)
        value, low, high = 0, 1, 2
        for bit in code[:-1]:
            if bit == "1":
                value += low
            low, high = high, low + high
        return value

    def fibonacci_range(self, max_value: builtins.int) -> list[builtins.int]:
        """Read a Fibonacci integer range; values above max_value are an error.

        The cap keeps a hostile string from expanding into millions of ids.
        """
        values: list[int] = []
        last = 0
        for _ in range(self.int(12)):
            is_range = self.bool()
            start = last + self.fibonacci()
            end = start + self.fibonacci() if is_range else start
            if end > max_value:
                raise SignalDecodeError(f"{self._what}: id {end} is out of range (max {max_value})")
            values.extend(range(start, end + 1))
            last = end
        return values
