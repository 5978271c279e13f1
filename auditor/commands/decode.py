"""``auditor decode STRING``: a US Privacy, GPP or OptanonConsent value decoded as JSON."""

from __future__ import annotations

import json

import click

from auditor.commands.shared import console
from auditor.errors import UserError
from auditor.signals import SignalDecodeError, decode_any


@click.command("decode")
@click.argument("value")
def command(value: str) -> None:
    """Decode a US Privacy, GPP or OptanonConsent value as JSON."""
    try:
        decoded = decode_any(value)
    except SignalDecodeError as error:
        raise UserError(str(error)) from None
    console.print_json(json.dumps(decoded))
