"""US Privacy (CCPA) string v1 decoding."""

from __future__ import annotations

import pytest

from auditor.signals import SignalDecodeError, UsPrivacy, decode_usprivacy


def test_notice_given_not_opted_out_not_lspa() -> None:
    usp = decode_usprivacy("1YNN")
    assert (usp.version, usp.notice, usp.opt_out_sale, usp.lspa) == (1, "Y", "N", "N")
    assert usp.sale_opt_out is False
    assert usp.applies is True


def test_opted_out_of_sale_reads_true() -> None:
    assert decode_usprivacy("1NYY").sale_opt_out is True
    assert decode_usprivacy("1-Y-").sale_opt_out is True


def test_does_not_apply_reads_none_without_contradiction() -> None:
    usp = decode_usprivacy("1---")
    assert usp.sale_opt_out is None
    assert usp.applies is False
    assert usp.contradictions() == []


def test_unknown_sale_opt_out_outside_1_dash_dash_dash_is_a_contradiction() -> None:
    assert decode_usprivacy("1Y-N").contradictions() == [
        "opt-out-of-sale is '-' in '1Y-N'; '-' is only allowed in '1---'"
    ]


def test_surrounding_whitespace_is_ignored() -> None:
    assert decode_usprivacy(" 1YYN\n").raw == "1YYN"


def test_json_dump_includes_the_boolean_reading() -> None:
    dumped = decode_usprivacy("1YYN").model_dump()
    assert dumped["sale_opt_out"] is True
    assert dumped["opt_out_sale"] == "Y"
    assert isinstance(decode_usprivacy("1YYN"), UsPrivacy)


@pytest.mark.parametrize(
    "value",
    ["", "1", "1Y", "1YN", "1YNNN", "2YNN", "AYNN", "1YXN", "1ynn", "1 NN", "~~~", "D", None, 17],
)
def test_invalid_strings_raise_signal_decode_error(value: object) -> None:
    with pytest.raises(SignalDecodeError) as info:
        decode_usprivacy(value)  # type: ignore[arg-type]
    assert "\n" not in str(info.value)
