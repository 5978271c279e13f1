"""The benchmark's figures: audit/floor per site and issue 13's targets, met or not, from a run's numbers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

from bench.run import (
    Sampler,
    level_summary,
    process_kind,
    pss_by_kind_trend,
    results_path,
    run_order,
    site_ratios,
    step_breakdown,
    target_rows,
    throughput_ratios,
    tree_memory,
)


def test_audit_over_floor_is_per_site_with_min_median_and_max():
    run = {"site_seconds": {"a.com": 3.0, "b.com": 6.0, "c.com": 20.0, "gone.com": 9.0}}
    floor = {"per_site_s": {"a.com": 2.0, "b.com": 2.0, "c.com": 4.0}}
    ratios = site_ratios(run, floor)
    assert ratios == {"per_site": {"a.com": 1.5, "b.com": 3.0, "c.com": 5.0}, "min": 1.5, "median": 3.0, "max": 5.0}


def test_each_target_says_what_was_measured_and_whether_it_is_met():
    result = {
        "runs": [
            {"concurrency": 1, "peak_pss_mib": 700.0},
            {"concurrency": 2, "peak_pss_mib": 900.0},
            {"concurrency": 4, "peak_pss_mib": 1600.0},
        ],
        "ratios": {"throughput_c2_vs_c1": 1.8},
        "site_ratios": {"median": 1.4},
        "ci_latency": {"ratio": 2.5},
    }
    rows = {name: (value, met) for name, value, _, met in target_rows(result)}
    assert rows == {
        "median audit / floor per site": (1.4, True),
        "one-site CI latency / its floor": (2.5, False),
        "throughput c2 / c1": (1.8, True),
        "peak PSS at c4 (MiB)": (1600.0, False),
    }


def test_a_target_the_run_did_not_measure_is_neither_met_nor_missed():
    rows = target_rows({"runs": [{"concurrency": 1, "peak_pss_mib": 700.0}], "ratios": {}})
    assert all(value is None and met is None for _, value, _, met in rows)


def test_the_step_breakdown_is_per_visit_with_the_median_and_longest_of_each_step(tmp_path):
    def site(name: str, load_ms: float, shots_ms: float | None) -> None:
        steps = [{"step": "loading the page", "start_ms": 0.0, "duration_ms": load_ms}]
        if shots_ms is not None:
            steps.append({"step": "taking screenshots", "start_ms": load_ms, "duration_ms": shots_ms})
        visit = {"started_at": "2026-12-07T10:00:00Z", "finished_at": "2026-12-07T10:00:04Z", "timings": steps}
        folder = tmp_path / name / "evidence"
        folder.mkdir(parents=True)
        (folder / "evidence.json").write_text(json.dumps({"profiles": {"baseline": visit}}))

    site("a.com", 1000.0, 200.0)
    site("b.com", 3000.0, None)
    site("c.com", 2000.0, 600.0)
    assert step_breakdown(tmp_path) == {
        "baseline": [
            {"step": "(the whole visit)", "sites": 3, "median_s": 4.0, "max_s": 4.0},
            {"step": "loading the page", "sites": 3, "median_s": 2.0, "max_s": 3.0},
            {"step": "taking screenshots", "sites": 2, "median_s": 0.4, "max_s": 0.6},
        ]
    }


def test_memory_is_split_by_process_kind_as_chromium_names_its_processes():
    chromium = "/usr/lib/chromium/chromium"
    assert process_kind([".venv/bin/python", "-m", "auditor.cli", "audit"]) == "python"
    assert process_kind(["/x/playwright/driver/node", "/x/cli.js", "run-driver"]) == "node"
    assert process_kind([chromium, "--headless", "--no-sandbox"]) == "chromium browser"
    assert process_kind([chromium, "--type=renderer", "--lang=en-US"]) == "chromium renderer"
    assert process_kind([chromium, "--type=gpu-process"]) == "chromium gpu-process"
    assert process_kind(["/usr/bin/cat"]) == "other" and process_kind([]) == "other"


def test_the_memory_trend_by_process_kind_shows_which_one_grows():
    mib = 2**20
    samples = [{"python": 100 * mib, "chromium renderer": (400 + 10 * i) * mib} for i in range(16)]
    samples[-1]["node"] = 50 * mib  # a kind seen late counts as 0 where it was absent
    trend = pss_by_kind_trend(samples)
    assert trend["python"] == {"pss_after_warmup_mib": 100.0, "pss_last_quarter_mib": 100.0}
    assert trend["chromium renderer"] == {"pss_after_warmup_mib": 455.0, "pss_last_quarter_mib": 535.0}
    assert trend["node"] == {"pss_after_warmup_mib": 0.0, "pss_last_quarter_mib": 0.0}
    assert pss_by_kind_trend(samples[:7]) is None


def test_cpu_seconds_are_summed_by_process_kind_counting_a_reused_pid_apart():
    sampler = Sampler(os.getpid())
    sampler.cpu = {
        (7, "100"): ("chromium renderer", 1.0),
        (7, "250"): ("chromium renderer", 0.5),  # the same PID, a later process
        (8, "100"): ("python", 0.25),
    }
    assert sampler.cpu_by_kind() == {"chromium renderer": 1.5, "python": 0.25}


def test_each_process_of_the_tree_has_its_cpu_seconds_read_from_proc():
    burn = "import sys, time\nt = time.process_time()\nwhile time.process_time() - t < 0.3: pass\nsys.stdin.read()"
    child = subprocess.Popen([sys.executable, "-c", burn], stdin=subprocess.PIPE)
    try:
        cpu: dict = {}
        deadline = time.monotonic() + 60  # the child needs 0.3 s of CPU: generous on a loaded machine
        while time.monotonic() < deadline:
            tree_memory(os.getpid(), cpu)
            seen = [seconds for (pid, _), (_, seconds) in cpu.items() if pid == child.pid]
            if seen and seen[0] >= 0.3:
                break
            time.sleep(0.1)
        assert [kind for (pid, _), (kind, _) in cpu.items() if pid == child.pid] == ["python"]
        assert seen and 0.3 <= seen[0] < 5
    finally:
        child.communicate(b"")


def test_a_second_run_of_the_same_day_writes_beside_the_first_instead_of_over_it(tmp_path):
    first = results_path(tmp_path, "12-c1-2-4")
    assert first.name.endswith("-12-c1-2-4.json")
    first.write_text("{}")
    second = results_path(tmp_path, "12-c1-2-4")
    assert second.name == first.name.replace(".json", "-2.json")
    second.write_text("{}")
    assert results_path(tmp_path, "12-c1-2-4").name == first.name.replace(".json", "-3.json")


def test_the_rounds_run_the_levels_forward_then_backward():
    assert run_order([1, 2, 4], 1) == [(0, 1), (0, 2), (0, 4)]
    assert run_order([1, 2, 4], 3) == [(0, 1), (0, 2), (0, 4), (1, 4), (1, 2), (1, 1), (2, 1), (2, 2), (2, 4)]


def test_each_level_is_summed_over_its_rounds_and_the_ratios_come_from_the_sums():
    def run(level: int, sites: int, crawl_s: float, seconds: dict, pss: float) -> dict:
        return {
            "concurrency": level,
            "sites": sites,
            "crawl_s": crawl_s,
            "sites_per_minute": round(sites / crawl_s * 60, 2),
            "site_seconds": seconds,
            "peak_pss_mib": pss,
        }

    runs = [
        run(1, 2, 60.0, {"a.com": 10.0, "b.com": 20.0}, 700.0),
        run(2, 2, 40.0, {"a.com": 12.0, "b.com": 22.0}, 900.0),
        run(2, 2, 20.0, {"a.com": 14.0, "b.com": 30.0}, 950.0),
        run(1, 2, 30.0, {"a.com": 30.0, "b.com": 40.0}, 720.0),
    ]
    summary = level_summary(runs)
    assert summary["1"]["sites_per_minute"] == 2.67  # 4 sites in 90 s
    assert summary["1"]["sites_per_minute_by_round"] == [2.0, 4.0]
    assert summary["1"]["site_seconds"] == {"a.com": 20.0, "b.com": 30.0}
    assert summary["1"]["median_site_s"] == 25.0
    assert (summary["2"]["rounds"], summary["2"]["peak_pss_mib"]) == (2, 950.0)
    # 4 sites in 60 s against 4 in 90 s: 1.5, where the rounds alone say 2.0 and 1.0 / 2 and 4
    assert throughput_ratios(summary, 1) == {"throughput_c2_vs_c1": 1.5}
    result = {"runs": runs, "levels": summary, "ratios": throughput_ratios(summary, 1)}
    rows = {name: value for name, value, _, _ in target_rows(result)}
    assert rows["throughput c2 / c1"] == 1.5 and rows["peak PSS at c4 (MiB)"] is None
