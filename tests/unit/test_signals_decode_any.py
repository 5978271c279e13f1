"""decode_any: detection, JSON-ready output, and robustness against garbage."""

from __future__ import annotations

import contextlib
import json
import random

import pytest

from auditor.signals import SignalDecodeError, decode_any, decode_gpp, decode_optanon_consent

VALID = [
    "1YNN",
    "DBABBg~BVUAAACA.YA",
    "DBABLA~BVQVAAAABgA.YA",
    "DBABTA~1YNN",
    "isGpcEnabled=1&browserGpcFlag=1&groups=C0001%3A1%2CSSPD_BG%3A0",
]


def test_usprivacy_kind() -> None:
    result = decode_any("1NYN")
    assert result["kind"] == "usprivacy"
    assert result["sale_opt_out"] is True and result["contradictions"] == []


def test_gpp_kind_keys_sections_by_prefix() -> None:
    result = decode_any("DBABBg~BVoAAACA.YA")
    assert result["kind"] == "gpp"
    assert result["header"] == {"type": 3, "version": 1, "section_ids": [8]}
    usca = result["sections"]["usca"]
    assert usca["id"] == 8 and usca["version"] == 1 and usca["Gpc"] is True
    assert usca["fields"]["SaleOptOut"] == 2
    assert usca["reading"]["sale_opt_out"] is False
    assert usca["contradictions"][0] == "Gpc is set but SaleOptOut=2 (did not opt out)"


def test_optanon_kind() -> None:
    result = decode_any(VALID[-1])
    assert result["kind"] == "optanon"
    assert result["groups"] == {"C0001": True, "SSPD_BG": False}
    assert result["fields"]["isGpcEnabled"] == "1"


@pytest.mark.parametrize("value", VALID)
def test_output_is_json_serialisable(value: str) -> None:
    assert json.loads(json.dumps(decode_any(value)))["kind"] in {"usprivacy", "gpp", "optanon"}


@pytest.mark.parametrize(
    "value", ["", "   ", "~~~", "D", "DBABBg~", "1Y", "hello", "CPXxRfAPXxRfA", None, 42, b"1YNN"]
)
def test_garbage_raises_signal_decode_error(value: object) -> None:
    with pytest.raises(SignalDecodeError) as info:
        decode_any(value)  # type: ignore[arg-type]
    assert "\n" not in str(info.value)


def _fuzz_inputs() -> list[str]:
    rng = random.Random(20240501)
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_~.="
    inputs = [bytes(rng.randrange(256) for _ in range(rng.randrange(1, 80))).decode("latin-1")
              for _ in range(300)]
    inputs += ["D" + "".join(rng.choice(alphabet) for _ in range(rng.randrange(1, 60)))
               for _ in range(500)]
    for valid in VALID[:4]:
        inputs += [valid[:cut] for cut in range(len(valid))]
        inputs += [
            valid[:i] + char + valid[i + 1 :] for i in range(len(valid)) for char in "A_~.=%"
        ]
    inputs += ["D" + "_" * 999_999, "D" + "A" * 999_999, "DBABBg~" + "B" * 200_000,
               "1" * 100_000, "=" * 100_000, "D" * 2_000_000, "\x00" * 1000]
    return inputs


def test_fuzzed_input_decodes_or_raises_signal_decode_error_only() -> None:
    for value in _fuzz_inputs():
        try:
            json.dumps(decode_any(value))
        except SignalDecodeError as error:
            assert "\n" not in str(error), repr(value[:80])


@pytest.mark.parametrize("decoder", [decode_gpp, decode_optanon_consent])
def test_each_decoder_alone_only_raises_signal_decode_error(decoder: object) -> None:
    for value in _fuzz_inputs()[:1200]:
        with contextlib.suppress(SignalDecodeError):
            decoder(value)  # type: ignore[operator]


def test_signal_decode_error_is_a_value_error() -> None:
    assert issubclass(SignalDecodeError, ValueError)
