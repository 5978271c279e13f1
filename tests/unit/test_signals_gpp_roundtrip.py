"""Round-trip against the IAB reference encoder: every section, every field.

``tests/js/gpp_vectors.mjs`` uses ``@iabgpp/cmpapi`` (pinned in
``tests/js/package.json``, installed from npm at test time, never vendored)
to set each field of each US section to its non-default values, encode, and
re-decode with the library.  Our decoder must read exactly what it reads.
"""

from __future__ import annotations

import fcntl
import json
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import pytest

from auditor.signals import decode_gpp
from auditor.signals.gpp_sections import LAYOUTS, USPV1_PREFIX

JS_DIR = Path(__file__).resolve().parents[1] / "js"
PACKAGE = "@iabgpp/cmpapi"
Vector = dict[str, Any]


def _installed_version() -> str | None:
    manifest = JS_DIR / "node_modules" / PACKAGE / "package.json"
    return json.loads(manifest.read_text())["version"] if manifest.is_file() else None


def _run(command: list[str], timeout: int) -> str:
    result = subprocess.run(
        command, cwd=JS_DIR, capture_output=True, text=True, timeout=timeout, check=False
    )
    if result.returncode != 0:
        pytest.fail(f"{' '.join(command)} failed in {JS_DIR}:\n{result.stderr[-2000:]}")
    return result.stdout


@pytest.fixture(scope="module")
def vectors() -> list[Vector]:
    """Vectors from the reference encoder; installs it with npm if needed."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        pytest.skip("node/npm not found: the @iabgpp/cmpapi reference encoder cannot run")
    pinned = json.loads((JS_DIR / "package.json").read_text())["dependencies"][PACKAGE]
    # pytest-xdist workers may all get here at once; let one of them install.
    with open(Path(tempfile.gettempdir()) / "auditor-gpp-vectors-npm.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if _installed_version() != pinned:
            _run([npm, "install", "--no-audit", "--no-fund"], timeout=600)
    assert _installed_version() == pinned, f"{PACKAGE} {_installed_version()} != pinned {pinned}"
    lines = _run([node, "gpp_vectors.mjs"], timeout=300).splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def _expected_reading(vector: Vector, prefix: str) -> dict[str, Any]:
    """The library's reading, minus optional-segment fields when that segment is absent."""
    expected = dict(vector["expected"][prefix])
    if not vector["included"][prefix]:
        for name in vector["optional_fields"][prefix]:
            expected.pop(name, None)
    return expected


def _our_reading(string: str, prefix: str) -> dict[str, Any]:
    section = decode_gpp(string).section(prefix)
    assert section is not None and section.decoded, f"{prefix} not decoded in {string}"
    return {**section.fields, **(section.gpc_segment or {})}


def test_every_non_tcf_library_section_is_decoded(vectors: list[Vector]) -> None:
    library_sections = {prefix for vector in vectors for prefix in vector["expected"]}
    ours = {layout.prefix for layout in LAYOUTS.values()} | {USPV1_PREFIX}
    assert library_sections == ours


def test_decoder_reads_every_vector_exactly_as_the_reference_library(
    vectors: list[Vector],
) -> None:
    mismatches = []
    for vector in vectors:
        decoded = decode_gpp(vector["string"])
        if decoded.header.section_ids != vector["section_ids"]:
            mismatches.append(f"{vector['name']}: header {decoded.header.section_ids}")
        for prefix in vector["expected"]:
            ours, theirs = _our_reading(vector["string"], prefix), _expected_reading(vector, prefix)
            if ours != theirs:
                diff = {k: (ours.get(k), theirs.get(k)) for k in ours.keys() | theirs.keys()
                        if ours.get(k) != theirs.get(k)}
                mismatches.append(f"{vector['name']} {vector['string']}: {prefix} {diff}")
    assert not mismatches, f"{len(mismatches)} mismatches, first: " + "\n".join(mismatches[:10])


def test_vectors_really_set_the_values_they_claim(vectors: list[Vector]) -> None:
    """Guards against a vacuous test: the library must read back what the script set."""
    for vector in vectors:
        for prefix, fields in vector["set"].items():
            reading = _expected_reading(vector, prefix)
            for name, value in fields.items():
                if name not in reading and name in vector["optional_fields"][prefix]:
                    continue  # set on a sub-section that was then left out of the string
                if name.endswith("SegmentIncluded"):
                    assert vector["included"][prefix] is value, vector["name"]
                elif isinstance(value, list):  # usnat v1 keeps only a prefix of each list
                    assert reading[name] == value[: len(reading[name])], vector["name"]
                else:
                    assert reading[name] == value, vector["name"]


def test_every_field_takes_several_values_across_vectors(vectors: list[Vector]) -> None:
    seen: dict[tuple[str, str], set[str]] = {}
    for vector in vectors:
        for prefix in vector["expected"]:
            for name, value in _expected_reading(vector, prefix).items():
                seen.setdefault((prefix, name), set()).add(json.dumps(value))
    fixed = {"Version", "MspaVersion", "GpcSegmentType"}
    dull = sorted(key for key, values in seen.items() if len(values) < 2 and key[1] not in fixed)
    assert not dull
    assert len(vectors) > 1000
