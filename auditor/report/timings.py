"""``auditor audit --timings``: where each site's time went, step by step, from its saved evidence."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.markup import escape

from auditor.evidence import SiteEvidence


def timing_lines(evidence: SiteEvidence, report_seconds: float | None = None) -> list[str]:
    """The breakdown of one site: its total, then each visit's steps (start offset and duration), slowest last."""
    total = (evidence.finished_at - evidence.started_at).total_seconds()
    written = f"; writing its reports {report_seconds:.2f} s" if report_seconds is not None else ""
    lines = [f"{evidence.site.site_id}: capture {total:.2f} s{written}"]
    for name, visit in evidence.profiles.items():
        visit_seconds = (visit.finished_at - visit.started_at).total_seconds()
        offset = (visit.started_at - evidence.started_at).total_seconds()
        lines.append(f"  {name} visit: starts at {offset:.2f} s, takes {visit_seconds:.2f} s")
        for step in visit.timings:
            lines.append(f"    {step.start_ms / 1000:7.2f} s  {step.duration_ms / 1000:6.2f} s  {step.step}")
        if not visit.timings:
            lines.append("    (no step timings recorded: evidence from an older version)")
    return lines


def print_timings(
    console: Console, site_dirs: list[Path], report_seconds: dict[str, float], finishing_seconds: float
) -> None:
    """Print every site's breakdown (read from ``evidence/evidence.json``), then the run's own report writing."""
    console.print("[bold]Timings[/] (seconds: start within the visit, duration, step)")
    for site_dir in site_dirs:
        path = site_dir / "evidence" / "evidence.json"
        if not path.is_file():
            continue
        evidence = SiteEvidence.load(path)
        for line in timing_lines(evidence, report_seconds.get(evidence.site.site_id)):
            console.print(escape(line), highlight=False)
    console.print(f"writing the run's reports, gate and manifests: {finishing_seconds:.2f} s", highlight=False)
