"""After the browser work: combine repeated runs, compare with history, write every report, decide the gate.

Kept apart from the capture loop (:mod:`auditor.crawl`), which only produces a
:class:`SiteResult` (``report.json`` written) per site and run; everything here is a function of those reports.
"""

from __future__ import annotations

import datetime as dt
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console

from auditor.aggregation import aggregate_runs, rebase_evidence
from auditor.config import GateConfig, load_config
from auditor.errors import UserError
from auditor.findings import SiteReport
from auditor.gate import (
    GATE_FILE,
    Baseline,
    BaselineError,
    GateResult,
    explain,
    gate_reports,
    load_baseline,
    markdown_lines,
)
from auditor.history import DEFAULT_HISTORY, HistoryError, HistoryStore, apply_history
from auditor.pdf import print_pdfs
from auditor.report import PdfJob, ci_path, write_run_reports, write_site_reports
from auditor.report.annotations import annotation_lines, annotations_wanted
from auditor.sealing import seal_run

RUNS_SCRATCH = ".runs"


@dataclass
class GateSettings:
    """The gate and output settings of one run: the command line over the configuration file over defaults."""

    config: GateConfig
    baseline: Baseline | None
    runs: int
    aggregation: str
    history: Path | None
    today: dt.date
    self_contained: bool = False
    sarif_suppressed: bool = True  # False: leave waived and known findings out of the SARIF files
    annotations: bool = False  # print GitHub workflow annotations (--annotations github, or on GitHub Actions)
    sign_key: Path | None = None  # sign the run manifest with this Ed25519 private key


def gate_settings(
    *,
    config_path: Path | None,
    rule_ids: set[str],
    fail_on: str | None = None,
    baseline: Path | None = None,
    runs: int | None = None,
    aggregation: str | None = None,
    history: Path | None = None,
    no_history: bool = False,
    audit_date: dt.date | None = None,
    self_contained: bool = False,
    sarif_suppressed: bool = True,
    annotations: str | None = None,
    sign_key: Path | None = None,
) -> GateSettings:
    """Read the configuration, apply command-line overrides, load the baseline; raise UserError on problems."""
    config = load_config(config_path)
    config.check_rule_ids(rule_ids)
    if fail_on is not None:
        config = config.model_copy(update={"fail_on": fail_on})
    baseline_path = baseline or config.baseline
    try:
        known = load_baseline(baseline_path) if baseline_path else None
    except BaselineError as error:
        raise UserError(str(error)) from None
    count = runs if runs is not None else config.runs
    if count < 1:
        raise UserError("--runs must be at least 1")
    chosen_history = None if no_history else (history or config.history)
    if chosen_history is not None:  # a history store the user named must work before anything is audited
        try:
            HistoryStore(chosen_history).close()
        except HistoryError as error:
            raise UserError(str(error)) from None
    if sign_key is not None:  # a key that cannot sign must fail before anything is audited
        from auditor.signing import check_signing_key

        check_signing_key(sign_key)
    return GateSettings(
        config=config,
        baseline=known,
        runs=count,
        aggregation=aggregation or config.aggregation,
        history=None if no_history else (history or config.history or DEFAULT_HISTORY),
        today=config.today or audit_date or dt.datetime.now(dt.UTC).date(),
        self_contained=self_contained,
        sarif_suppressed=sarif_suppressed,
        annotations=annotations_wanted(annotations),
        sign_key=sign_key,
    )


def run_scratch_dir(out_dir: Path, run: int) -> Path:
    """Where run ``run`` (2..N) of ``--runs N`` writes before its site folders move under ``<site>/runs/``."""
    return out_dir / RUNS_SCRATCH / str(run)


def combine_runs(results_by_run: list[list], method: str, out_dir: Path) -> list[tuple[SiteReport, Path]]:
    """One (report, site folder) per site: run 1 stays in ``<site>/``, run n moves to ``<site>/runs/<n>/``."""
    combined = []
    for first in results_by_run[0]:
        site_dir: Path = first.site_dir
        shutil.rmtree(site_dir / "runs", ignore_errors=True)
        reports, dirs = [first.report], []
        for number, results in enumerate(results_by_run[1:], start=2):
            match = next((r for r in results if r.target.site_id == first.target.site_id), None)
            if match is None:
                continue
            target = site_dir / "runs" / str(number)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(match.site_dir), str(target))
            reports.append(rebase_evidence(match.report, f"runs/{number}/"))
            dirs.append(f"runs/{number}")
        combined.append((aggregate_runs(reports, method, dirs), site_dir))
    shutil.rmtree(out_dir / RUNS_SCRATCH, ignore_errors=True)
    return combined


def finish_run(
    sites: list[tuple[SiteReport, Path]],
    out_dir: Path,
    formats: list[str],
    settings: GateSettings,
    executable: str | None = None,
    pack_files: list[Path] | None = None,
) -> tuple[list[tuple[SiteReport, Path]], GateResult]:
    """Record history, decide the gate, write every report format (each finding with its gate decision) and
    ``gate.json``, then the manifests (and the signature).

    ``pack_files`` are the rule packs the findings were judged with, in load order: they are copied into the run
    folder and recorded in the manifests, so ``auditor verify`` can judge the evidence again. Without them (a
    distributed ``collect``) the manifests keep the packs recorded when each site was written.
    """
    # Sites in a stable order (by folder): run-wide files then do not depend on which site finished first.
    sites = sorted(sites, key=lambda site: site[1].name)
    reports = [report for report, _ in sites]
    if settings.history is not None:
        try:
            with HistoryStore(settings.history) as store:
                reports = apply_history(store, reports, out_dir)
        except HistoryError as error:
            # History is auxiliary: an audit is never lost because its comparison could not be stored.
            Console(stderr=True, highlight=False).print(f"warning: {error}; reports show no changes", markup=False)
    # The gate decides each finding once; report.json and every other format then carry that decision.
    reports, gate = gate_reports(reports, settings.config, settings.baseline, settings.today)
    sites = [(report, site_dir) for report, (_, site_dir) in zip(reports, sites, strict=True)]
    pdf_jobs: list[PdfJob] = []
    for report, site_dir in sites:
        write_site_reports(
            report,
            site_dir,
            formats,
            self_contained=settings.self_contained,
            pdf_jobs=pdf_jobs,
            sarif_suppressed=settings.sarif_suppressed,
        )
    write_run_reports(reports, out_dir, formats, markdown_lines(gate), settings.sarif_suppressed)
    (out_dir / GATE_FILE).write_text(gate.to_json(), encoding="utf-8")
    print_pdfs(pdf_jobs, executable)
    for note in seal_run(out_dir, [site_dir for _, site_dir in sites], pack_files, settings.sign_key):
        Console(stderr=True, highlight=False).print(note, markup=False, highlight=False, soft_wrap=True)
    if settings.annotations:
        # Plain writes: a workflow command must stay on one line, whatever the terminal width.
        sys.stdout.writelines(line + "\n" for line in annotation_lines(reports, ci_path(out_dir)))
        sys.stdout.flush()
    return sites, gate


def print_gate(
    gate: GateResult,
    out_dir: Path,
    console: Console,
    quiet: bool,
    sites: list[tuple[SiteReport, Path]] | None = None,
) -> None:
    """The gate's one-screen explanation (with ``sites``, why each could not be audited when none could): on
    stdout, or on stderr under ``--quiet`` when the gate did not pass."""
    if quiet and gate.passed:
        return
    target = Console(stderr=True, highlight=False) if quiet else console
    for line in explain(gate, out_dir, [report for report, _ in sites or []]):
        target.print(line, markup=False, highlight=False, soft_wrap=True)
