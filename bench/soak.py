"""``python -m bench.soak --sites 1000``: the soak run of issue 13 (``make soak``).

Generated sites, some faulty (an unknown host, a refused connection, a stalled server, a page that never loads,
a homepage whose download never finishes), audited by the real ``auditor audit --sites FILE`` at
``--concurrency``; the process tree's memory is sampled throughout. At a random point the run is killed with
SIGKILL (the whole process group: auditor, driver, Chromium), then resumed with ``--resume``. From the two runs'
``--log-json`` events and the output folder it proves: no site finished before the kill is audited again, every
site ends with a complete report, and each site was finished exactly once. Figures go to
``bench/results/<date>-soak-<sites>.json``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from bench.run import Sampler, machine, pss_by_kind_trend, results_path, rss_trend

FAULTS = {  # host -> fault-server behaviour (tests/hostile/faults.py)
    "www.soak-stalled-news.com": "hang-after-headers",
    "www.soak-neverloads-mag.com": "never-load",
    "www.soak-stalled-download.com": "download-stalled-home",
}
UNRESOLVABLE = "www.soak-gone-domain.com"
REFUSED = "www.soak-closed-port.com"


def _run(
    urls_file: Path,
    out: Path,
    maps: list[str],
    concurrency: int,
    resume: bool,
    kill: tuple[int, float] | None,
    extra: list[str],
):
    """One ``auditor audit`` process (``extra``: more of its arguments); with ``kill`` = (sites, seconds), SIGKILL its
    process group that many seconds after that many sites were done."""
    command = [sys.executable, "-m", "auditor.cli", "audit", "--sites", str(urls_file), "--out", str(out)]
    command += ["--format", "json", "--concurrency", str(concurrency), "--log-json", "--no-history", *maps, *extra]
    command += ["--resume"] if resume else []
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    sampler = Sampler(process.pid, interval=2.0)
    sampler.start()
    started, events, killed, kill_at = time.monotonic(), [], False, None
    assert process.stderr is not None
    for line in process.stderr:
        if line.startswith("{"):
            events.append(json.loads(line))
        done = sum(1 for e in events if e["event"] == "site_done")
        if kill is not None and kill_at is None and done >= kill[0]:
            kill_at = time.monotonic() + kill[1]
        if kill_at is not None and not killed and time.monotonic() >= kill_at:
            os.killpg(process.pid, signal.SIGKILL)  # a crash: no clean-up of any kind
            killed = True
    process.wait()
    sampler.stop()
    return {
        "killed": killed,
        "exit_code": process.returncode,
        "seconds": round(time.monotonic() - started, 1),
        "events": events,
        "peak_pss_mib": round(max((s[2] for s in sampler.samples), default=0) / 2**20, 1),
        "rss_trend": rss_trend(sampler.samples),
        "pss_by_kind_trend": pss_by_kind_trend(sampler.kind_samples),
        "cpu_seconds_by_kind": sampler.cpu_by_kind(),
        "memory_series": [(t, round(r / 2**20, 1), round(p / 2**20, 1)) for t, r, p, _ in sampler.samples[::5]],
    }


def _sites(events: list[dict], kind: str) -> list[str]:
    return [e["site"] for e in events if e["event"] == kind]


def soak(
    count: int,
    concurrency: int,
    kill_fraction: tuple[float, float],
    results: Path,
    seed: int,
    extra: list[str] | None = None,
) -> dict:
    from auditor.demo.server import HostFolderServer
    from bench.generate import generate
    from tests.hostile.faults import FaultServer, refusing_port

    rng = random.Random(seed)
    measured_on = machine()  # before the run: the commit measured is the one checked out when it started
    with tempfile.TemporaryDirectory(prefix="auditor-soak-") as work:
        work_dir = Path(work)
        urls = generate(work_dir / "sites", count - len(FAULTS) - 2)
        urls += [f"http://{host}/" for host in (*FAULTS, UNRESOLVABLE, REFUSED)]
        rng.shuffle(urls)
        urls_file = work_dir / "sites.txt"
        urls_file.write_text("\n".join(urls) + "\n")
        sites = HostFolderServer(work_dir / "sites").start()
        faults = FaultServer(FAULTS).start()
        port, refusing = refusing_port()
        maps = ["--map-host", f"{UNRESOLVABLE}=~NOTFOUND", "--map-host", f"{REFUSED}=127.0.0.1:{port}"]
        for host in FAULTS:
            maps += ["--map-host", f"{host}=127.0.0.1:{faults.port}"]
        maps += ["--map-host", f"*=127.0.0.1:{sites.port}"]
        out = work_dir / "out"
        try:
            # A random point: a few seconds after a random share of the sites were done, so sites are mid-audit.
            kill = (max(1, round(rng.uniform(*kill_fraction) * count)), rng.uniform(0.5, 5.0))
            first = _run(urls_file, out, maps, concurrency, resume=False, kill=kill, extra=extra or [])
            second = _run(urls_file, out, maps, concurrency, resume=True, kill=None, extra=extra or [])
        finally:
            sites.stop()
            faults.stop()
            refusing.close()
        done_first = _sites(first["events"], "site_done")
        started_second = _sites(second["events"], "site_started")
        done_second = _sites(second["events"], "site_done")
        skipped_second = _sites(second["events"], "site_skipped")
        finished = Counter(done_first) + Counter(done_second)
        reports = sorted(p.parent.name for p in out.glob("*/report.json"))
        all_sites = {u.split("/")[2] for u in urls}
        proof = {
            "sites": len(all_sites),
            "finished_before_kill": len(done_first),
            "audited_again_after_resume": sorted(set(done_first) & set(started_second)),
            "skipped_by_resume": len(skipped_second),
            "finished_after_resume": len(done_second),
            "finished_more_than_once": sorted(site for site, n in finished.items() if n > 1),
            "never_finished": sorted(all_sites - set(finished)),
            "reports": len(reports),
            "not_assessable": sum(1 for e in first["events"] + second["events"] if e.get("not_assessable")),
        }
        proof["holds"] = (
            not proof["audited_again_after_resume"]
            and not proof["finished_more_than_once"]
            and not proof["never_finished"]
            and proof["reports"] == proof["sites"]
        )
    for run in (first, second):
        run.pop("events")
    result = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": measured_on,
        "load_average_at_end": os.getloadavg(),
        "concurrency": concurrency,
        "extra_args": extra or [],
        "killed_after": {"sites_done": kill[0], "then_seconds": round(kill[1], 1)},
        "first_run": first,
        "resumed_run": second,
        "proof": proof,
    }
    path = results_path(results, f"soak-{count}")
    path.write_text(json.dumps(result, indent=2), encoding="utf-8")
    result["path"] = str(path)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.soak", description=__doc__)
    parser.add_argument("--sites", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--results", type=Path, default=Path(__file__).parent / "results")
    parser.add_argument("audit_args", nargs="*", help="extra `auditor audit` arguments (after --)")
    args = parser.parse_args()
    result = soak(args.sites, args.concurrency, (0.2, 0.6), args.results, args.seed, args.audit_args)
    print(json.dumps({k: result[k] for k in ("proof", "killed_after", "load_average_at_end", "path")}, indent=2))
    for name in ("first_run", "resumed_run"):
        run = result[name]
        print(name, {k: run[k] for k in ("killed", "seconds", "peak_pss_mib", "rss_trend", "pss_by_kind_trend")})
    sys.exit(0 if result["proof"]["holds"] else 1)


if __name__ == "__main__":
    main()
