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


def tree_memory(root: int) -> tuple[int, int, int]:
    """(RSS sum, PSS sum, process count) of ``root`` and all its descendants, in bytes."""
    tree, todo, rss, pss, count = _children(), [root], 0, 0, 0
    while todo:
        pid = todo.pop()
        todo += tree.get(pid, [])
        try:
            rss += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE_SIZE
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    pss += int(line.split()[1]) * 1024
            count += 1
        except (OSError, IndexError, ValueError):
            continue
    return rss, pss, count


class Sampler(threading.Thread):
    """Samples the memory of a process tree every ``interval`` seconds."""

    def __init__(self, pid: int, interval: float = 0.5) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval, self.samples = pid, interval, []
        self._halt = threading.Event()

    def run(self) -> None:
        started = time.monotonic()
        while not self._halt.is_set():
            rss, pss, count = tree_memory(self.pid)
            if count:
                self.samples.append((round(time.monotonic() - started, 2), rss, pss, count))
            self._halt.wait(self.interval)

    def stop(self) -> None:
        self._halt.set()
        self.join()


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
        "json",
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
        "peak_rss_mib": round(max(rss) / 2**20, 1) if rss else None,
        "peak_pss_mib": round(max(s[2] for s in sampler.samples) / 2**20, 1) if rss else None,
        "max_processes": max((s[3] for s in sampler.samples), default=0),
        "interrupted": interrupted,
        "rss_trend": rss_trend(sampler.samples),
        "memory_series": [(t, round(r / 2**20, 1), round(p / 2**20, 1)) for t, r, p, _ in sampler.samples[::4]],
    }


def rss_trend(samples: list) -> dict | None:
    """Median RSS/PSS (MiB) of the second quarter of the run (after warm-up) and of the last quarter."""
    if len(samples) < 8:
        return None
    quarter = len(samples) // 4
    early, late = samples[quarter : 2 * quarter], samples[-quarter:]
    return {
        "rss_after_warmup_mib": round(statistics.median(s[1] for s in early) / 2**20, 1),
        "rss_last_quarter_mib": round(statistics.median(s[1] for s in late) / 2**20, 1),
        "pss_after_warmup_mib": round(statistics.median(s[2] for s in early) / 2**20, 1),
        "pss_last_quarter_mib": round(statistics.median(s[2] for s in late) / 2**20, 1),
    }


def pages_loaded(out: Path) -> list[list[tuple[bool, list[str]]]]:
    """Per site, per visit profile: (gpc, URLs the audit loaded), read from its evidence."""
    sites = []
    for evidence_path in sorted(out.glob("*/evidence/evidence.json")):
        evidence = json.loads(evidence_path.read_text())
        visits = []
        for profile in evidence["profiles"].values():
            urls = [profile["homepage"]["requested_url"]]
            urls += [page["requested_url"] for page in profile.get("pages", {}).values()]
            visits.append((profile["gpc"], urls))
        sites.append(visits)
    return sites


async def floor_run(sites: list, port: int, wait_until: str) -> dict:
    """The same Chromium, flags and contexts loading the same pages one after another, with no analysis."""
    from playwright.async_api import async_playwright

    from auditor.browser import HostMapping, LaunchSettings, find_chromium, visit_context_options

    settings = LaunchSettings(host_map=[HostMapping.parse(f"*=127.0.0.1:{port}")], native_gpc=False)
    executable = find_chromium().executable
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=executable, headless=True, args=settings.args())
        started = time.monotonic()
        pages = 0
        for visits in sites:
            for gpc, urls in visits:
                context = await browser.new_context(**visit_context_options(browser.version, gpc=gpc))
                page = await context.new_page()
                for url in urls:
                    # A failed load still costs its time, as in the audit.
                    with contextlib.suppress(Exception):
                        await page.goto(url, wait_until=wait_until, timeout=30_000)
                    pages += 1
                await context.close()
        span = time.monotonic() - started
        await browser.close()
    return {"wait_until": wait_until, "pages": pages, "seconds_per_site": round(span / max(len(sites), 1), 3)}


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
    }


def run_benchmark(count: int, levels: list[int], results_dir: Path, extra: list[str], floor: bool = True) -> dict:
    """Generate ``count`` sites, audit them at each concurrency in ``levels``, measure the floor; write JSON.

    The JSON file is rewritten after every measurement, so a long run stopped half-way keeps what it measured.
    """
    from auditor.demo.server import HostFolderServer
    from bench.generate import generate

    results_dir.mkdir(parents=True, exist_ok=True)
    path = results_dir / f"{dt.datetime.now(dt.UTC):%Y-%m-%d}-{count}-c{'-'.join(map(str, levels))}.json"
    result: dict = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "sites": count,
        "extra_args": extra,
        "runs": [],
        "floor": [],
        "ratios": {},
        "path": str(path),
    }

    def save() -> None:
        result["load_average"] = os.getloadavg()
        runs, floors = result["runs"], result["floor"]
        if runs:
            base = runs[0]
            result["ratios"] = {
                **{
                    f"audit_vs_floor_{f['wait_until']}": round(base["seconds_per_site"] / f["seconds_per_site"], 2)
                    for f in floors
                    if f["seconds_per_site"]
                },
                **{
                    f"throughput_c{r['concurrency']}_vs_c{base['concurrency']}": round(
                        r["sites_per_minute"] / base["sites_per_minute"], 2
                    )
                    for r in runs[1:]
                    if base["sites_per_minute"] and r["sites_per_minute"]
                },
            }
        path.write_text(json.dumps(result, indent=2), encoding="utf-8")

    with tempfile.TemporaryDirectory(prefix="auditor-bench-") as work:
        work_dir = Path(work)
        urls = generate(work_dir / "sites", count)
        urls_file = work_dir / "sites.txt"
        urls_file.write_text("\n".join(urls) + "\n")
        server = HostFolderServer(work_dir / "sites").start()
        try:
            for level in levels:
                print(f"auditing {count} sites at concurrency {level} ...", file=sys.stderr, flush=True)
                run = audit_run(urls_file, work_dir / f"out-{level}", server.port, level, extra)
                run["reports_written"] = len(list((work_dir / f"out-{level}").glob("*/report.json")))
                result["runs"].append(run)
                save()
            if floor:
                loaded = pages_loaded(work_dir / f"out-{levels[0]}")
                for wait in ("load", "networkidle"):
                    print(f"measuring the floor ({wait}) ...", file=sys.stderr, flush=True)
                    result["floor"].append(asyncio.run(floor_run(loaded, server.port, wait)))
                    save()
        finally:
            server.stop()
    return result


def print_table(result: dict) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"auditor benchmark: {result['sites']} generated sites")
    for column in ("concurrency", "s/site", "sites/min", "median site s", "peak RSS MiB", "peak PSS MiB", "failed"):
        table.add_column(column, justify="right")
    for run in result["runs"]:
        table.add_row(
            str(run["concurrency"]),
            f"{run['seconds_per_site']:.2f}",
            f"{run['sites_per_minute'] or 0:.1f}",
            str(run["median_site_s"]),
            str(run["peak_rss_mib"]),
            str(run["peak_pss_mib"]),
            str(run["failed"]),
        )
    for floor in result["floor"]:
        table.add_row(f"floor ({floor['wait_until']})", f"{floor['seconds_per_site']:.2f}", "", "", "", "", "")
    console = Console()
    console.print(table)
    console.print(f"machine: {result['machine']}")
    console.print(f"ratios: {result['ratios']}")
    console.print(f"written: {result['path']}")
