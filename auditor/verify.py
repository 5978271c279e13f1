"""``auditor verify RUN_DIR``: is this run folder exactly what the auditor wrote, and does every report follow from
its evidence?

Checked, in order, and every problem named (``verify`` never stops at the first one):

1. **Hashes.** The run manifest (``OUT/manifest.json``) against the run-wide files and each site manifest; each site
   manifest against every file of its site folder: changed, missing and unlisted (added) files; a site folder whose
   manifest, report or evidence names another site (a swapped folder).
2. **Signature** (``--public-key PUB``): the detached Ed25519 signature of the run manifest (:mod:`auditor.signing`).
3. **Re-judging.** Each site's saved evidence is judged again with the rule packs its manifest records (the copies
   in ``OUT/rules/``, else the built-in pack with the recorded SHA-256) for the recorded audit date, through the
   same path as ``auditor check`` (:func:`rejudge_site`), and ``--runs`` are combined again. A report whose findings
   differ from what its evidence gives is named, rule by rule. Packs that cannot be had fail the site, saying so.
4. **Derived reports.** ``report.html``, ``report.md``, SARIF, JUnit and Code Quality (per site and run-wide),
   ``summary.md`` and the portfolio are rendered again from the ``report.json`` files and must be identical, and
   each finding's gate decision must agree with ``gate.json``. Skipped, and said, when the run was written by another
   auditor version; ``report.pdf`` is checked by hash only (a print is not byte-for-byte reproducible).

Without a signature, someone who can write the folder can still replace evidence *and* reports *and* manifests
consistently; hashes and re-judging then catch every edit that leaves a report disagreeing with its evidence, its
manifest or the other formats. With a signature checked against a public key kept elsewhere, any edit is caught.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from auditor import __version__
from auditor.aggregation import aggregate_runs, rebase_evidence
from auditor.checks import CheckContext
from auditor.engine import default_context
from auditor.errors import UserError
from auditor.findings import Finding, SiteReport
from auditor.gate import markdown_lines, saved_gate
from auditor.judging import build_report
from auditor.manifest import (
    MANIFEST_NAME,
    PackRecord,
    builtin_packs,
    check_entries,
    is_site_folder,
    read_json,
    run_files,
    run_site_folders,
    sha256_file,
    site_manifest_path,
    top_manifest,
    verify_manifest,
)
from auditor.options import Judging
from auditor.report.stale import stale_run_formats, stale_site_formats
from auditor.rulepacks import Rule, RulePackError, load_packs, resolve_rules
from auditor.run_folder import load_evidence
from auditor.signing import signature_problem

RUN = "run"  # the "where" of problems that are not about one site
OUTCOME_OF_GATE_LIST = {"failing": "blocking", "warnings": "warning", "known": "known", "waived": "waived"}


@dataclass
class Problem:
    kind: str  # changed, missing, unlisted, swapped, signature, packs, differs, manifest
    where: str  # a site id, or "run"
    detail: str


@dataclass
class Verification:
    """What ``verify`` found: problems (the run does not verify) and notes (what could not be checked, and why)."""

    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    sites: dict[str, int] = field(default_factory=dict)  # site id -> files whose hash matched
    signature: str = "not checked"

    @property
    def ok(self) -> bool:
        return not self.problems

    def problem(self, kind: str, where: str, detail: str) -> None:
        self.problems.append(Problem(kind, where, detail))


def _pack_copy(record: PackRecord, site_dir: Path) -> Path | None:
    """The run's copy of a pack (its path is relative to the site folder), only if it lies inside the run folder."""
    if not record.file:
        return None
    copy = (site_dir / record.file).resolve()
    run_dir = site_dir.resolve().parent
    return copy if copy.is_file() and (run_dir in copy.parents) else None


def resolve_packs(records: list[PackRecord], site_dir: Path) -> tuple[list[Path], list[str]]:
    """The pack files the records name: the run's copy, else a built-in pack with the same hash (or, for a
    record without a hash, the same name and version). Returns the files found and why each other one is not."""
    shipped = builtin_packs()
    found, missing = [], []
    for record in records:
        copy = _pack_copy(record, site_dir)
        if copy is not None and (record.sha256 is None or sha256_file(copy) == record.sha256):
            found.append(copy)
            continue
        builtin = shipped.get((record.pack, record.version))
        if builtin is not None and (record.sha256 is None or sha256_file(builtin) == record.sha256):
            found.append(builtin)
            continue
        what = f"rule pack {record.pack!r} {record.version}" + (
            f" (sha256 {record.sha256[:12]}…)" if record.sha256 else ""
        )
        where = f"{record.file} is missing or changed, and " if record.file else ""
        missing.append(f"{what} cannot be had: {where}this auditor does not ship it")
    return found, missing


@functools.lru_cache(maxsize=8)
def _judging(pack_files: tuple[Path, ...], audit_date: dt.date) -> tuple[dict[str, str], dict[str, Rule], CheckContext]:
    """Pack versions, rules by id and check context, loaded once per set of packs and date (a run shares them)."""
    packs = load_packs(list(pack_files))
    rules = {rule.id: rule for rule in resolve_rules(packs)}
    return {p.pack: p.version for p in packs}, rules, default_context(audit_date)


def rejudge_site(site_dir: Path, pack_files: list[Path], rule_ids: list[str], audit_date: dt.date) -> SiteReport:
    """The report the saved evidence of ``site_dir`` gives with these packs, for these rules, on this date.

    The one place ``verify`` judges: through :func:`auditor.judging.build_report`, as ``auditor check`` and the
    audit itself do, so an engine change reaches all three the same way.
    """
    rule_packs, by_id, context = _judging(tuple(pack_files), audit_date)
    unknown = [rule for rule in rule_ids if rule not in by_id]
    if unknown:
        raise LookupError(f"the recorded packs have no rule {', '.join(unknown)}")
    judging = Judging(rules=[by_id[rule] for rule in rule_ids], rule_packs=rule_packs, context=context)
    return build_report(load_evidence(site_dir), judging)


def _comparable(finding: Finding) -> dict:
    return finding.model_dump(mode="json", exclude={"gate"})


def finding_differences(saved: SiteReport, expected: SiteReport) -> list[str]:
    """How a saved report's findings differ from those its evidence gives, one line per rule (empty: none)."""
    ours = {f.rule: f for f in saved.findings}
    theirs = {f.rule: f for f in expected.findings}
    lines = []
    for rule, finding in theirs.items():
        if rule not in ours:
            lines.append(f"{rule}: missing from the report (its evidence gives {finding.status.value})")
        elif ours[rule].status != finding.status:
            lines.append(
                f"{rule}: the report says {ours[rule].status.value}, its evidence gives {finding.status.value}"
            )
        elif _comparable(ours[rule]) != _comparable(finding):
            lines.append(f"{rule}: the message or evidence differs from what its evidence gives")
    lines += [f"{rule}: in the report, but not a rule the recorded packs judge" for rule in ours if rule not in theirs]
    if not lines and saved.summary != expected.summary:
        lines.append(
            f"summary: the report says {saved.summary.status.value}, its findings give {expected.summary.status.value}"
        )
    return lines


def _load_report(path: Path) -> SiteReport | None:
    try:
        return SiteReport.model_validate_json(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValidationError, ValueError):
        return None


def _expected_report(site_dir: Path, report: SiteReport, packs: list[Path], rules: list[str], day: dt.date):
    """The report the site's evidence gives, runs combined again as the saved report says they were."""
    first = rejudge_site(site_dir, packs, rules, day)
    if report.aggregation is None:
        return first, {}
    runs = {run_dir: rejudge_site(site_dir / run_dir, packs, rules, day) for run_dir in report.aggregation.run_dirs}
    combined = aggregate_runs(
        [first, *(rebase_evidence(r, f"{d}/") for d, r in runs.items())],
        report.aggregation.method,
        list(report.aggregation.run_dirs),
    )
    return combined, runs


def _site_packs(manifest: dict, report: SiteReport) -> list[PackRecord]:
    judged = manifest.get("judged") or {}
    if judged.get("packs"):
        return [PackRecord.from_json(p) for p in judged["packs"]]
    return [PackRecord(name, version, None) for name, version in report.rule_packs.items()]


def _check_judging(site_dir: Path, manifest: dict, report: SiteReport, result: Verification) -> None:
    site = site_dir.name
    packs, missing = resolve_packs(_site_packs(manifest, report), site_dir)
    for reason in missing:
        result.problem("packs", site, f"{reason}; the findings cannot be judged again")
    if missing:
        return
    judged = manifest.get("judged") or {}
    rules = judged.get("rules") or [f.rule for f in report.findings]
    day = dt.date.fromisoformat(judged.get("audit_date") or report.audit_date)
    try:
        expected, runs = _expected_report(site_dir, report, packs, rules, day)
    except (LookupError, UserError, RulePackError) as error:
        result.problem("packs", site, f"cannot judge again: {error}")
        return
    for line in finding_differences(report, expected):
        result.problem("differs", site, f"report.json: {line}")
    for run_dir, run_expected in runs.items():
        saved = _load_report(site_dir / run_dir / "report.json")
        if saved is None:
            result.problem("differs", site, f"{run_dir}/report.json is not a readable report")
            continue
        for line in finding_differences(saved, run_expected):
            result.problem("differs", site, f"{run_dir}/report.json: {line}")


def _check_site(site_dir: Path, result: Verification, rerender: bool) -> SiteReport | None:
    site = site_dir.name
    manifest = read_json(site_manifest_path(site_dir))
    if manifest is None:
        result.problem("manifest", site, "evidence/manifest.json is missing or not JSON")
        return None
    hashes = verify_manifest(site_dir / "evidence")
    for kind, names in (("changed", hashes.changed), ("missing", hashes.missing), ("unlisted", hashes.unlisted)):
        for name in names:
            result.problem(kind, site, name if not hashes.legacy else f"evidence/{name}")
    if hashes.legacy:
        result.problem(
            "manifest", site, "the manifest covers the evidence only (auditor.manifest/1): the reports are not covered"
        )
        return None
    result.sites[site] = hashes.checked
    report = _load_report(site_dir / "report.json")
    if report is None:
        result.problem("differs", site, "report.json is missing or not a valid auditor report")
        return None
    named_sites: dict[str, str | None] = {
        "manifest": manifest.get("site_id"),
        "report.json": report.site.site_id or report.site.host,
        "evidence": _evidence_site_id(site_dir),
    }
    for what, named in named_sites.items():
        if named is not None and named != site:
            result.problem("swapped", site, f"the folder is {site}, but its {what} is about {named}")
    if any(named not in (None, site) for named in named_sites.values()):
        return report
    _check_judging(site_dir, manifest, report, result)
    if rerender:
        for name in stale_site_formats(report, site_dir):
            result.problem("differs", site, f"{name} does not follow from report.json")
    return report


def _evidence_site_id(site_dir: Path) -> str | None:
    data = read_json(site_dir / "evidence" / "evidence.json")
    site = data.get("site") if data else None
    return site.get("site_id") if isinstance(site, dict) else None


def _check_run_manifest(run_dir: Path, result: Verification) -> dict | None:
    manifest = read_json(run_dir / MANIFEST_NAME)
    sites = run_site_folders(run_dir)
    if manifest is None:
        result.problem(
            "missing",
            RUN,
            f"{MANIFEST_NAME}: no run manifest (the run did not finish, or an auditor before 0.2 wrote it), "
            "so the run-wide files and the set of sites are not covered",
        )
        return None
    present = {p.relative_to(run_dir).as_posix() for p in run_files(run_dir, sites)}
    files = check_entries(run_dir, manifest.get("files", []), present)
    for kind, names in (("changed", files.changed), ("missing", files.missing), ("unlisted", files.unlisted)):
        for name in names:
            result.problem(kind, RUN, name)
    listed = {entry["site_id"]: entry for entry in manifest.get("sites", [])}
    for site in sites:
        entry = listed.get(site.name)
        if entry is None:
            result.problem("unlisted", RUN, f"{site.name}/ (a site folder the run manifest does not list)")
        elif sha256_file(site_manifest_path(site)) != entry["sha256"]:
            result.problem("changed", RUN, f"{entry['manifest']} (the site's manifest is not the one the run wrote)")
    for name in sorted(set(listed) - {s.name for s in sites}):
        result.problem("missing", RUN, f"{name}/ (a site folder the run manifest lists)")
    return manifest


def verify_run(run_dir: Path, public_key: Path | None = None) -> Verification:
    """Verify a run folder (or one site's folder); see the module's description."""
    single = is_site_folder(run_dir)
    if not run_dir.is_dir() or not (single or (run_dir / MANIFEST_NAME).is_file() or run_site_folders(run_dir)):
        raise UserError(f"no evidence/manifest.json or manifest.json under {run_dir} (is it an auditor output folder?)")
    result = Verification()
    manifest = None if single else _check_run_manifest(run_dir, result)
    written_by = (manifest or read_json(site_manifest_path(run_dir)) or {}).get("tool", {}).get("version")
    rerender = written_by == __version__
    if not rerender:
        result.notes.append(
            f"the run was written by auditor {written_by or 'unknown'}, this is {__version__}: the HTML, Markdown, "
            "SARIF, JUnit and Code Quality files were checked by hash only, and a different finding may come "
            "from a changed check"
        )
    if public_key is not None:
        problem = signature_problem(top_manifest(run_dir), public_key)
        result.signature = "verified" if problem is None else "FAILED"
        if problem:
            result.problem("signature", RUN, problem)
    elif (top_manifest(run_dir).with_name(top_manifest(run_dir).name + ".sig")).is_file():
        result.signature = "present, not checked (pass --public-key)"
    reports = []
    for site_dir in [run_dir] if single else run_site_folders(run_dir):
        report = _check_site(site_dir, result, rerender)
        if report is not None:
            reports.append((report, site_dir))
    if not single and manifest is not None:
        _check_gate(run_dir, [r for r, _ in reports], result)
        if rerender and len(reports) == len(run_site_folders(run_dir)):
            gate = saved_gate(run_dir)
            gate_lines = markdown_lines(gate) if gate is not None else None
            for name in stale_run_formats(run_dir, [r for r, _ in reports], gate_lines):
                result.problem("differs", RUN, f"{name} does not follow from the sites' report.json files")
    result.notes += [f"{d.name}: report.pdf checked by hash only" for _, d in reports if (d / "report.pdf").is_file()]
    return result


def _check_gate(run_dir: Path, reports: list[SiteReport], result: Verification) -> None:
    """Each finding's gate decision in report.json must be the one gate.json lists (and the other way round)."""
    gate = read_json(run_dir / "gate.json")
    if gate is None:
        return
    listed = {
        (item.get("site"), item.get("rule")): outcome
        for key, outcome in OUTCOME_OF_GATE_LIST.items()
        for item in gate.get(key, [])
    }
    decided = {
        (r.site.site_id or r.site.host, f.rule): f.gate.outcome.value
        for r in reports
        for f in r.findings
        if f.gate is not None and f.gate.outcome.value != "off"
    }
    if not decided and not any(f.gate for r in reports for f in r.findings):
        return  # reports from before the gate wrote its decisions into them
    for key in sorted(set(listed) | set(decided)):
        if listed.get(key) != decided.get(key):
            site, rule = key
            result.problem(
                "differs",
                site or RUN,
                f"{rule}: gate.json says {listed.get(key) or 'not gated'}, "
                f"report.json says {decided.get(key) or 'not gated'}",
            )


def verification_lines(result: Verification) -> list[str]:
    """What ``auditor verify`` prints: one line per problem, per verified site, then the verdict."""
    lines = []
    broken = {p.where for p in result.problems}
    for site, count in sorted(result.sites.items()):
        if site not in broken:
            lines.append(f"ok       {site}: {count} files match; the findings follow from the evidence")
    lines += [f"{p.kind:<8} {p.where}: {p.detail}" for p in result.problems]
    lines += [f"note     {note}" for note in result.notes]
    if result.ok:
        lines.append(f"verified: {len(result.sites)} site(s); signature {result.signature}")
    else:
        lines.append(f"NOT VERIFIED: {len(result.problems)} problem(s); signature {result.signature}")
    return lines
