"""Measure the audit on generated sites: seconds per site, sites per minute at several concurrencies, peak
memory of the whole process tree, and the floor (the same browser loading the same pages, no analysis)."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import os
import platform
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        tree.setdefault(int(fields[1]), []).append(int(entry))
    return tree


def process_kind(command: list[str]) -> str:
    """What a process of the audit is, from its command line: the auditor (python), Playwright's driver (node), or
    a Chromium process by its ``--type`` (browser when it has none)."""
    if not command:
        return "other"
    program = Path(command[0]).name
    if "python" in program:
        return "python"
    if program == "node":
        return "node"
    if "crashpad" in program:
        return "chromium crashpad"
    if "chrom" in program or "headless_shell" in program:
        kind = next((arg.split("=", 1)[1] for arg in command if arg.startswith("--type=")), "browser")
        return f"chromium {kind}"
    return "other"


def process_cpu(pid: int) -> tuple[str, float]:
    """(start time, CPU seconds used so far, user + system) of a process: the start time tells a reused PID apart."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return fields[19], (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def tree_memory(
    root: int, cpu: dict[tuple[int, str], tuple[str, float]] | None = None
) -> tuple[int, int, int, dict[str, int]]:
    """(RSS sum, PSS sum, process count, PSS sum by :func:`process_kind`) of ``root`` and all its descendants, in
    bytes. With ``cpu``, also records there each process's kind and CPU seconds so far, keyed by (PID, start time)."""
    tree, todo, rss, pss, count = _children(), [root], 0, 0, 0
    by_kind: dict[str, int] = {}
    while todo:
        pid = todo.pop()
        todo += tree.get(pid, [])
        try:
            rss += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE_SIZE
            process_pss = 0
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    process_pss += int(line.split()[1]) * 1024
            # Chromium rewrites its children's command lines into one space-separated string: split on both.
            command = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").replace("\0", " ").split()
            kind = process_kind(command)
            if cpu is not None:
                started, seconds = process_cpu(pid)
                cpu[(pid, started)] = (kind, seconds)
            pss += process_pss
            by_kind[kind] = by_kind.get(kind, 0) + process_pss
            count += 1
        except (OSError, IndexError, ValueError):
            continue
    return rss, pss, count, by_kind


class Sampler(threading.Thread):
    """Samples the memory of a process tree every ``interval`` seconds."""

    def __init__(self, pid: int, interval: float = 0.5) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval, self.samples = pid, interval, []
        self.kind_samples: list[dict[str, int]] = []  # PSS by process kind, one per sample
        # Each process's CPU seconds at its last sample: a process that exits between two samples loses what it used
        # since the last one, so the sums are a slight undercount (Chromium's short-lived renderers most).
        self.cpu: dict[tuple[int, str], tuple[str, float]] = {}
        self._halt = threading.Event()

    def run(self) -> None:
        started = time.monotonic()
        while not self._halt.is_set():
            rss, pss, count, by_kind = tree_memory(self.pid, self.cpu)
            if count:
                self.samples.append((round(time.monotonic() - started, 2), rss, pss, count))
                self.kind_samples.append(by_kind)
            self._halt.wait(self.interval)

    def stop(self) -> None:
        self._halt.set()
        self.join()

    def cpu_by_kind(self) -> dict[str, float]:
        """CPU seconds used by each :func:`process_kind`, largest first."""
        totals: dict[str, float] = {}
        for kind, seconds in self.cpu.values():
            totals[kind] = totals.get(kind, 0.0) + seconds
        return {kind: round(seconds, 2) for kind, seconds in sorted(totals.items(), key=lambda item: -item[1])}


def audit_run(urls_file: Path, out: Path, port: int, concurrency: int, extra: list[str]) -> dict:
    """One `auditor audit` process over the generated sites; timings from its --log-json events."""
    command = [
        sys.executable,
        "-m",
        "auditor.cli",
        "audit",
        "--sites",
        str(urls_file),
        "--out",
        str(out),
        "--format",
        "html,json",  # what a user gets by default, and what issue 13's targets are stated for
        "--concurrency",
        str(concurrency),
        "--log-json",
        "--no-history",
        "--map-host",
        f"*=127.0.0.1:{port}",
        *extra,
    ]
    started = time.monotonic()
    process = subprocess.Popen(
        command,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        # A benchmark started in the background inherits an ignored SIGINT; the auditor must see Ctrl-C.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    sampler = Sampler(process.pid)
    sampler.start()
    events, first_start, finished = [], None, None
    interrupted = False
    while True:
        try:
            line = process.stderr.readline()
        except KeyboardInterrupt:  # stop a long run early: the auditor stops cleanly, the figures so far are kept
            interrupted = True
            process.send_signal(signal.SIGINT)
            continue
        if not line:
            break
        if not line.startswith("{"):
            continue
        event = json.loads(line)
        events.append(event)
        now = time.monotonic()
        if event["event"] == "site_started" and first_start is None:
            first_start = now
        if event["event"] == "site_done":
            finished = now
    process.wait()
    sampler.stop()
    done = [e for e in events if e["event"] == "site_done"]
    span = (finished or time.monotonic()) - (first_start or started)
    rss = [s[1] for s in sampler.samples]
    return {
        "concurrency": concurrency,
        "exit_code": process.returncode,
        "sites": len(done),
        "failed": sum(1 for e in done if e.get("failed")),
        "wall_s": round(time.monotonic() - started, 2),
        "crawl_s": round(span, 2),
        "seconds_per_site": round(span / max(len(done), 1), 3),
        "sites_per_minute": round(len(done) / span * 60, 2) if span else None,
        "median_site_s": round(statistics.median(e["seconds"] for e in done), 2) if done else None,
        "site_seconds": {e["site"]: e["seconds"] for e in done},
        "peak_rss_mib": round(max(rss) / 2**20, 1) if rss else None,
        "peak_pss_mib": round(max(s[2] for s in sampler.samples) / 2**20, 1) if rss else None,
        "max_processes": max((s[3] for s in sampler.samples), default=0),
        "interrupted": interrupted,
        "rss_trend": rss_trend(sampler.samples),
        "pss_by_kind_trend": pss_by_kind_trend(sampler.kind_samples),
        "cpu_seconds_by_kind": sampler.cpu_by_kind(),
        "memory_series": [(t, round(r / 2**20, 1), round(p / 2**20, 1)) for t, r, p, _ in sampler.samples[::4]],
    }


def pss_by_kind_trend(kind_samples: list[dict[str, int]]) -> dict | None:
    """Per process kind, median PSS (MiB) in the second quarter of the run and in the last quarter: which
    process grows, when the whole tree does."""
    halves = _warm_and_late(kind_samples)
    if halves is None:
        return None
    early, late = halves
    kinds = sorted({kind for sample in kind_samples for kind in sample})
    return {
        kind: {
            "pss_after_warmup_mib": round(statistics.median(s.get(kind, 0) for s in early) / 2**20, 1),
            "pss_last_quarter_mib": round(statistics.median(s.get(kind, 0) for s in late) / 2**20, 1),
        }
        for kind in kinds
    }


def _warm_and_late(samples: list) -> tuple[list, list] | None:
    """The samples of the run's second quarter (after warm-up) and of its last quarter; None for a short run."""
    if len(samples) < 8:
        return None
    quarter = len(samples) // 4
    return samples[quarter : 2 * quarter], samples[-quarter:]


def rss_trend(samples: list) -> dict | None:
    """Median RSS/PSS (MiB) of the second quarter of the run (after warm-up) and of the last quarter."""
    halves = _warm_and_late(samples)
    if halves is None:
        return None
    early, late = halves
    return {
        "rss_after_warmup_mib": round(statistics.median(s[1] for s in early) / 2**20, 1),
        "rss_last_quarter_mib": round(statistics.median(s[1] for s in late) / 2**20, 1),
        "pss_after_warmup_mib": round(statistics.median(s[2] for s in early) / 2**20, 1),
        "pss_last_quarter_mib": round(statistics.median(s[2] for s in late) / 2**20, 1),
    }


def step_breakdown(out: Path) -> dict[str, list[dict]]:
    """Where a site's time goes, from the run's evidence (``ProfileCapture.timings``, as ``--timings`` prints
    them): per visit, each step in the order it first ran, with its median and longest duration across the sites
    that ran it, and the visit's own median length (its row named ``(the whole visit)``)."""
    durations: dict[str, dict[str, list[float]]] = {}
    for evidence_path in sorted(out.glob("*/evidence/evidence.json")):
        evidence = json.loads(evidence_path.read_text())
        for name, visit in evidence["profiles"].items():
            steps = durations.setdefault(name, {})
            whole = dt.datetime.fromisoformat(visit["finished_at"]) - dt.datetime.fromisoformat(visit["started_at"])
            steps.setdefault("(the whole visit)", []).append(whole.total_seconds() * 1000)
            for step in visit.get("timings", []):
                steps.setdefault(step["step"], []).append(step["duration_ms"])
    return {
        name: [
            {
                "step": step,
                "sites": len(values),
                "median_s": round(statistics.median(values) / 1000, 3),
                "max_s": round(max(values) / 1000, 3),
            }
            for step, values in steps.items()
        ]
        for name, steps in durations.items()
    }


def floor_pages(out: Path) -> dict[str, dict]:
    """Per site, the pages of the floor, read from the audit's evidence: its homepage, and the privacy policy and
    opt-out page the audit found (either may be missing: the floor then has fewer pages, as the audit had)."""
    sites = {}
    for evidence_path in sorted(out.glob("*/evidence/evidence.json")):
        evidence = json.loads(evidence_path.read_text())
        baseline = evidence["profiles"].get("baseline")
        if baseline is None:
            continue
        pages = baseline.get("pages", {})
        policy = (baseline.get("policy") or {}).get("url") or pages.get("privacy_policy", {}).get("requested_url")
        target = pages.get("dns_target", {}).get("requested_url")
        for visit in evidence["profiles"].values():
            target = target or ((visit.get("consent") or {}).get("dns_target") or {}).get("url")
        sites[evidence["site"]["site_id"]] = {
            "homepage": baseline["homepage"]["requested_url"],
            "policy": policy,
            "optout_page": target,
        }
    return sites


async def floor_run(sites: dict[str, dict], port: int) -> dict:
    """The floor of issue 13, per site, in one browser launch: the homepage cold, cold again with GPC, cold again
    with a reload (the opt-out visit), then the privacy policy and the opt-out page; each waiting for ``load``,
    one after another, with no analysis. The same Chromium, flags and context options as the audit."""
    from playwright.async_api import async_playwright

    from auditor.browser import HostMapping, LaunchSettings, find_chromium, visit_context_options

    settings = LaunchSettings(host_map=[HostMapping.parse(f"*=127.0.0.1:{port}")], native_gpc=False)
    executable = find_chromium().executable

    async def load(page, url: str | None) -> None:
        if url:
            with contextlib.suppress(Exception):  # a failed load still costs its time, as in the audit
                await page.goto(url, wait_until="load", timeout=30_000)

    per_site: dict[str, float] = {}
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=executable, headless=True, args=settings.args())
        for site_id, pages in sites.items():
            started = time.monotonic()
            for gpc, reload in ((False, False), (True, False), (False, True)):
                context = await browser.new_context(**visit_context_options(browser.version, gpc=gpc))
                page = await context.new_page()
                await load(page, pages["homepage"])
                if reload:
                    with contextlib.suppress(Exception):
                        await page.reload(wait_until="load", timeout=30_000)
                if not gpc and not reload:
                    await load(page, pages["policy"])
                    await load(page, pages["optout_page"])
                await context.close()
            per_site[site_id] = round(time.monotonic() - started, 3)
        await browser.close()
    values = list(per_site.values())
    return {
        "wait_until": "load",
        "per_site_s": per_site,
        "seconds_per_site": round(statistics.mean(values), 3) if values else None,
    }


def site_ratios(run: dict, floor: dict) -> dict | None:
    """The audit's time per site over its floor, per site, with min/median/max."""
    ratios = {
        site: round(seconds / floor["per_site_s"][site], 2)
        for site, seconds in run.get("site_seconds", {}).items()
        if floor["per_site_s"].get(site)
    }
    if not ratios:
        return None
    values = sorted(ratios.values())
    return {
        "per_site": ratios,
        "min": values[0],
        "median": round(statistics.median(values), 2),
        "max": values[-1],
    }


def results_path(results_dir: Path, name: str) -> Path:
    """``results_dir/<today>-<name>.json``, or ``…-<name>-2.json`` (``-3`` …) when a run of the same day wrote that
    one already: the figures of an earlier run, perhaps committed, are never overwritten."""
    results_dir.mkdir(parents=True, exist_ok=True)
    stem = f"{dt.datetime.now(dt.UTC):%Y-%m-%d}-{name}"
    path, number = results_dir / f"{stem}.json", 1
    while path.exists():
        number += 1
        path = results_dir / f"{stem}-{number}.json"
    return path


def machine() -> dict:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    mem_kib = int(
        next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal"))
    )
    from auditor.browser import find_chromium
    from auditor.crawl.settings import browser_version

    chromium = find_chromium().executable
    return {
        "nproc": os.cpu_count(),
        "ram_gib": round(mem_kib / 2**20, 1),
        "cpu": cpu,
        "kernel": platform.release(),
        "python": platform.python_version(),
        "chromium": browser_version(chromium),
        "commit": _commit(),
    }


def _commit() -> str:
    """The auditor's git commit the figures were measured on (``+changes`` when the work tree differs), or ""."""
    root = Path(__file__).resolve().parent.parent
    try:
        head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, timeout=10)
        dirty = subprocess.run(["git", "status", "--porcelain"], cwd=root, capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return ""
    if head.returncode != 0:
        return ""
    return head.stdout.strip() + ("+changes" if dirty.stdout.strip() else "")


# The demo site a CI gate audits in the latency figure: the bundled shop, which passes the gate (no fail finding).
CI_SITE = "www.example-shop.com"
TARGETS = {  # issue 13: name -> (comparison, bound)
    "median audit / floor per site": ("<=", 1.5),
    "one-site CI latency / its floor": ("<=", 2.0),
    "throughput c2 / c1": (">=", 1.7),
    "peak PSS at c4 (MiB)": ("<=", 1536.0),
}


def ci_latency(port: int, work_dir: Path) -> dict:
    """``auditor audit URL`` on the demo shop, the whole process, warm disk (a first run warms it), against the
    floor of the same site's pages measured right after."""
    url = f"http://{CI_SITE}/"
    command = [sys.executable, "-m", "auditor.cli", "audit", url, "--no-history", "--quiet"]
    command += ["--map-host", f"*=127.0.0.1:{port}"]
    walls = []
    for attempt in range(2):
        out = work_dir / f"ci-{attempt}"
        started = time.monotonic()
        subprocess.run([*command, "--out", str(out)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        walls.append(time.monotonic() - started)
    floor = asyncio.run(floor_run(floor_pages(work_dir / "ci-1"), port))
    floor_s = floor["per_site_s"].get(CI_SITE)
    return {
        "site": CI_SITE,
        "cold_disk_wall_s": round(walls[0], 2),
        "wall_s": round(walls[1], 2),
        "floor_s": floor_s,
        "ratio": round(walls[1] / floor_s, 2) if floor_s else None,
    }


def target_rows(result: dict) -> list[tuple[str, float | None, str, bool | None]]:
    """Each target of issue 13: (name, measured, bound, met); None where the run did not measure it."""
    levels = result.get("levels") or {str(r["concurrency"]): r for r in result["runs"]}
    measured: dict[str, float | None] = {
        "median audit / floor per site": (result.get("site_ratios") or {}).get("median"),
        "one-site CI latency / its floor": (result.get("ci_latency") or {}).get("ratio"),
        "throughput c2 / c1": result["ratios"].get("throughput_c2_vs_c1") if {"1", "2"} <= set(levels) else None,
        "peak PSS at c4 (MiB)": levels["4"]["peak_pss_mib"] if "4" in levels else None,
    }
    rows = []
    for name, (comparison, bound) in TARGETS.items():
        value = measured[name]
        met = None if value is None else (value <= bound if comparison == "<=" else value >= bound)
        rows.append((name, value, f"{comparison} {bound:g}", met))
    return rows


def run_order(levels: list[int], rounds: int) -> list[tuple[int, int]]:
    """(round, concurrency) in the order they run: the levels forward, then backward, and so on (1 2 4 4 2 1), so a
    machine whose speed drifts during the run (this one's drifts by a quarter within an hour) weighs on every level
    alike instead of flattering the first or the last."""
    return [(r, level) for r in range(rounds) for level in (levels if r % 2 == 0 else levels[::-1])]


def level_summary(runs: list[dict]) -> dict[str, dict]:
    """Each concurrency's figures over all its rounds, keyed by the concurrency as text (as in the JSON): sites a
    minute from the summed sites and crawl spans, each site's median time, the highest peak memory, and each round's
    sites a minute (how far the rounds agree)."""
    groups: dict[int, list[dict]] = {}
    for run in runs:
        groups.setdefault(run["concurrency"], []).append(run)
    summary = {}
    for level, group in groups.items():
        sites, span = sum(r["sites"] for r in group), sum(r["crawl_s"] for r in group)
        times: dict[str, list[float]] = {}
        for run in group:
            for site, seconds in run.get("site_seconds", {}).items():
                times.setdefault(site, []).append(seconds)
        peaks = [r["peak_pss_mib"] for r in group if r.get("peak_pss_mib") is not None]
        summary[str(level)] = {
            "concurrency": level,
            "rounds": len(group),
            "sites": sites,
            "crawl_s": round(span, 2),
            "sites_per_minute": round(sites / span * 60, 2) if span else None,
            "sites_per_minute_by_round": [r["sites_per_minute"] for r in group],
            "median_site_s": round(statistics.median(s for v in times.values() for s in v), 2) if times else None,
            "site_seconds": {site: round(statistics.median(v), 3) for site, v in times.items()},
            "peak_pss_mib": max(peaks) if peaks else None,
        }
    return summary


def throughput_ratios(summary: dict[str, dict], base: int) -> dict[str, float]:
    """Sites a minute at each concurrency over the base's, over all rounds."""
    rate = {level: figures["sites_per_minute"] for level, figures in summary.items()}
    return {
        f"throughput_c{level}_vs_c{base}": round(rate[level] / rate[str(base)], 2)
        for level in summary
        if level != str(base) and rate[level] and rate.get(str(base))
    }


def run_benchmark(
    count: int, levels: list[int], results_dir: Path, extra: list[str], floor: bool = True, rounds: int = 2
) -> dict:
    """Generate ``count`` sites, audit them at each concurrency in ``levels`` in ``rounds`` rounds (see
    :func:`run_order`), measure the floor after the first round; write JSON.

    The JSON file is rewritten after every measurement, so a long run stopped half-way keeps what it measured.
    """
    from auditor.demo.server import HostFolderServer
    from bench.generate import generate

    rounds_part = f"-r{rounds}" if rounds > 1 else ""
    path = results_path(results_dir, f"{count}-c{'-'.join(map(str, levels))}{rounds_part}")
    result: dict = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "sites": count,
        "rounds": rounds,
        "extra_args": extra,
        "runs": [],
        "floor": [],
        "ratios": {},
        "path": str(path),
    }

    def save() -> None:
        result["load_average"] = os.getloadavg()
        result.setdefault("load_averages", []).append(os.getloadavg())
        runs, floors = result["runs"], result["floor"]
        if runs:
            result["levels"] = summary = level_summary(runs)
            if floors and str(levels[0]) in summary:
                result["site_ratios"] = site_ratios(summary[str(levels[0])], floors[0])
            result["ratios"] = throughput_ratios(summary, levels[0])
        path.write_text(json.dumps(result, indent=2), encoding="utf-8")

    with tempfile.TemporaryDirectory(prefix="auditor-bench-") as work:
        work_dir = Path(work)
        urls = generate(work_dir / "sites", count)
        urls_file = work_dir / "sites.txt"
        urls_file.write_text("\n".join(urls) + "\n")
        server = HostFolderServer(work_dir / "sites").start()

        def measure_floor() -> None:
            print("measuring the floor ...", file=sys.stderr, flush=True)
            pages = floor_pages(work_dir / f"out-0-{levels[0]}")
            result["floor"].append(asyncio.run(floor_run(pages, server.port)))
            save()

        try:
            for round_, level in run_order(levels, rounds):
                if round_ == 1 and floor and not result["floor"]:
                    measure_floor()
                print(
                    f"round {round_ + 1}/{rounds}: auditing {count} sites at concurrency {level} ...",
                    file=sys.stderr,
                    flush=True,
                )
                out = work_dir / f"out-{round_}-{level}"
                run = audit_run(urls_file, out, server.port, level, extra)
                run["round"] = round_ + 1
                run["reports_written"] = len(list(out.glob("*/report.json")))
                run["steps"] = step_breakdown(out)
                result["runs"].append(run)
                save()
                if run["interrupted"]:  # Ctrl-C or `kill PID`: the whole benchmark stops, with what it measured
                    result["stopped"] = f"stopped during round {round_ + 1} at concurrency {level}"
                    print(result["stopped"], file=sys.stderr, flush=True)
                    break
            if floor and not result["floor"] and "stopped" not in result:
                measure_floor()
        finally:
            server.stop()
        if floor and "stopped" not in result:
            import auditor.demo

            demo = HostFolderServer(Path(auditor.demo.__file__).parent / "sites").start()
            try:
                print(f"one-site CI latency ({CI_SITE}) ...", file=sys.stderr, flush=True)
                result["ci_latency"] = ci_latency(demo.port, work_dir)
                save()
            finally:
                demo.stop()
    return result


def print_table(result: dict) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"auditor benchmark: {result['sites']} generated sites")
    columns = ("concurrency", "round", "s/site", "sites/min", "median site s", "peak RSS MiB", "peak PSS MiB", "failed")
    for column in columns:
        table.add_column(column, justify="right")
    for run in result["runs"]:
        table.add_row(
            str(run["concurrency"]),
            str(run.get("round", 1)),
            f"{run['seconds_per_site']:.2f}",
            f"{run['sites_per_minute'] or 0:.1f}",
            str(run["median_site_s"]),
            str(run["peak_rss_mib"]),
            str(run["peak_pss_mib"]),
            str(run["failed"]),
        )
    if result.get("rounds", 1) > 1:
        for level, figures in (result.get("levels") or {}).items():
            per_site = figures["crawl_s"] / max(figures["sites"], 1)
            table.add_row(
                level,
                "all",
                f"{per_site:.2f}",
                f"{figures['sites_per_minute'] or 0:.1f}",
                str(figures["median_site_s"]),
                "",
                str(figures["peak_pss_mib"]),
                "",
            )
    for floor in result["floor"]:
        table.add_row(f"floor ({floor['wait_until']})", "", f"{floor['seconds_per_site'] or 0:.2f}", *[""] * 5)
    console = Console()
    console.print(table)
    print_cpu(console, result["runs"])
    print_steps(console, result["runs"][0] if result["runs"] else {})
    ratios = result.get("site_ratios")
    if ratios:
        console.print(f"audit / floor per site: min {ratios['min']}, median {ratios['median']}, max {ratios['max']}")
    latency = result.get("ci_latency")
    if latency:
        console.print(
            f"one-site CI latency ({latency['site']}): {latency['wall_s']} s, the whole process; "
            f"floor {latency['floor_s']} s"
        )
    targets = Table(title="issue 13 targets")
    for column in ("target", "measured", "bound", "met"):
        targets.add_column(column)
    for name, value, bound, met in target_rows(result):
        targets.add_row(name, "-" if value is None else f"{value:g}", bound, {True: "yes", False: "NO"}.get(met, "-"))
    console.print(targets)
    console.print(f"load average during the run (1, 5, 15 min): {result.get('load_averages')}")
    console.print(f"machine: {result['machine']}")
    console.print(f"ratios: {result['ratios']}")
    console.print(f"written: {result['path']}")


def print_cpu(console, runs: list[dict]) -> None:
    """CPU seconds a site, by process kind, at each concurrency: which process a change made cheaper or dearer."""
    for run in runs:
        by_kind, sites = run.get("cpu_seconds_by_kind"), run.get("sites")
        if by_kind and sites:
            parts = ", ".join(
                f"{kind} {seconds / sites:.2f}" for kind, seconds in by_kind.items() if seconds / sites >= 0.01
            )
            total = sum(by_kind.values()) / sites
            where = f"--concurrency {run['concurrency']}, round {run.get('round', 1)}"
            console.print(f"CPU s a site at {where}: {total:.2f} ({parts})")


def print_steps(console, run: dict) -> None:
    """The base run's step breakdown: each visit's steps, median and longest across the sites."""
    from rich.table import Table

    if not run.get("steps"):
        return
    table = Table(title=f"where a site's time goes at --concurrency {run['concurrency']} (seconds, across the sites)")
    for column, justify in (("visit", "left"), ("step", "left"), ("median", "right"), ("max", "right")):
        table.add_column(column, justify=justify)
    for visit, steps in run["steps"].items():
        for row in steps:
            table.add_row(visit, row["step"], f"{row['median_s']:.2f}", f"{row['max_s']:.2f}")
    console.print(table)
