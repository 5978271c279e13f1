"""The GitHub Action's step outputs from a finished run folder: ``python -m auditor.github_outputs OUT CODE``.

Prints ``name=value`` lines for ``$GITHUB_OUTPUT``: the gate status and reason, the count of findings per gate
decision and per status, and the paths of the reports — all read from ``gate.json`` and the sites' ``report.json``
(the gate's own record), so the outputs agree with the exit code and every report.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from auditor.gate import EXIT_GATE_FAILED, EXIT_OK, EXIT_UNREACHABLE, EXIT_USAGE
from auditor.report import FORMAT_FILES

GATE_STATUS = {
    EXIT_OK: "passed",
    EXIT_GATE_FAILED: "failed",
    EXIT_USAGE: "usage-error",
    EXIT_UNREACHABLE: "unreachable",
}
GATE_LISTS = {"blocking": "failing", "warning": "warnings", "waived": "waived", "known": "known"}
STATUSES = ["fail", "review", "pass", "not_applicable", "not_assessable"]


def _read(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def step_outputs(out_dir: Path, exit_code: int) -> dict[str, str]:
    """The Action's outputs for a run folder and the auditor's exit code."""
    gate = _read(out_dir / "gate.json")
    reports = [_read(path) for path in sorted(out_dir.glob("*/report.json"))]
    outputs = {
        "exit-code": str(exit_code),
        "gate-status": GATE_STATUS.get(exit_code, "crashed"),
        "gate-reason": " ".join(str(gate.get("reason", "")).split()),
        "sites": str(len(reports)),
    }
    for name, key in GATE_LISTS.items():
        outputs[name] = str(len(gate.get(key, [])))
    for status in STATUSES:
        total = sum(int(r.get("summary", {}).get("counts", {}).get(status, 0)) for r in reports)
        outputs[status.replace("_", "-")] = str(total)
    outputs["report-dir"] = str(out_dir)
    files = {
        "summary": "summary.md",
        "gate-json": "gate.json",
        "sarif": FORMAT_FILES["sarif"],
        "junit": FORMAT_FILES["junit"],
        "codequality": FORMAT_FILES["codequality"],
        "portfolio": "index.html",
        "manifest": "manifest.json",
    }
    for name, file in files.items():
        outputs[name] = str(out_dir / file) if (out_dir / file).is_file() else ""
    return outputs


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2 or not args[1].lstrip("-").isdigit():
        sys.stderr.write("usage: python -m auditor.github_outputs OUT_DIR EXIT_CODE\n")
        return 2
    for name, value in step_outputs(Path(args[0]), int(args[1])).items():
        sys.stdout.write(f"{name}={value}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
