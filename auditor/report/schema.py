"""The JSON Schema of ``report.json``, generated from the pydantic models and published in ``schemas/``.

Regenerate after changing :mod:`auditor.findings`: ``python -m auditor.report.schema`` (a test fails when the
published file drifts from the models).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from auditor.findings import REPORT_SCHEMA, SiteReport
from auditor.resources import bundled_dir

SCHEMA_FILE = "report.schema.json"
SCHEMA_ID = "urn:auditor:schema:report:1"


def report_schema() -> dict:
    """The JSON Schema (draft 2020-12) of ``report.json``."""
    schema = SiteReport.model_json_schema(by_alias=True)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        **schema,
        "title": f"auditor per-site report ({REPORT_SCHEMA})",
    }


def schema_text() -> str:
    """The published file's exact text."""
    return json.dumps(report_schema(), indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Write ``schemas/report.schema.json`` (or the path given)."""
    args = sys.argv[1:] if argv is None else argv
    target = Path(args[0]) if args else bundled_dir("schemas") / SCHEMA_FILE
    target.write_text(schema_text(), encoding="utf-8")
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
