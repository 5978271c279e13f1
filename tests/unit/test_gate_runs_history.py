"""``--runs N`` aggregation and the run history: pure combination of reports, and the SQLite store."""

from __future__ import annotations

import datetime as dt

import pytest
from report_factory import finding, report

from auditor.aggregation import aggregate_runs, combine_statuses, rebase_evidence
from auditor.findings import ImageEvidence, ScreenshotRef, Status
from auditor.history import HistoryStore, PreviousRun, apply_history, compare

F, R, NA, P, N = Status.FAIL, Status.REVIEW, Status.NOT_ASSESSABLE, Status.PASS, Status.NOT_APPLICABLE


@pytest.mark.parametrize(
    ("statuses", "pessimistic", "median"),
    [
        ([P, F, P], F, P),
        ([F, F, P], F, F),
        ([P, P], P, P),
        ([P, F], F, F),  # even count: the worse of the two middle ones
        ([P, NA, N], NA, P),
        ([N, N, R], R, N),
    ],
)
def test_combine_statuses(statuses, pessimistic, median):
    assert combine_statuses(statuses, "pessimistic") == pessimistic
    assert combine_statuses(statuses, "median") == median


def shot(path: str) -> ImageEvidence:
    return ImageEvidence(label="banner", screenshot=ScreenshotRef(path=path, width=10, height=10))


def test_aggregate_keeps_the_chosen_runs_evidence_and_every_runs_status():
    run1 = report("a.com", [finding("r.one", "pass", evidence=[shot("evidence/baseline/full.png")])])
    run2 = rebase_evidence(
        report("a.com", [finding("r.one", "fail", evidence=[shot("evidence/baseline/full.png")])], minutes=5),
        "runs/2/",
    )
    combined = aggregate_runs([run1, run2], "pessimistic", ["runs/2"])
    only = combined.findings[0]
    assert only.status == Status.FAIL and only.runs == [P, F]
    assert only.evidence[0].screenshot.path == "runs/2/evidence/baseline/full.png"
    assert "[pessimistic of 2 runs: 1 fail, 1 pass]" in only.message
    assert combined.summary.status == Status.FAIL
    assert combined.aggregation.runs == 2 and combined.aggregation.run_dirs == ["runs/2"]
    assert combined.finished_at == run2.finished_at and combined.started_at == run1.started_at


def test_median_outvotes_a_single_flaky_run_and_a_single_run_is_unchanged():
    runs = [report("a.com", [finding("r.one", s)], minutes=i) for i, s in enumerate(["pass", "fail", "pass"])]
    assert aggregate_runs(runs, "median").findings[0].status == Status.PASS
    assert aggregate_runs(runs[:1], "median") is runs[0]


def test_compare_lists_new_failures_fixed_rules_and_every_change():
    previous = PreviousRun(
        dt.datetime(2026, 10, 1, tzinfo=dt.UTC),
        Status.FAIL,
        {"r.fixed": F, "r.still": F, "r.newfail": P, "r.unclear": F},
    )
    now = report(
        "a.com",
        [
            finding("r.fixed", "pass"),
            finding("r.still", "fail"),
            finding("r.newfail", "fail"),
            finding("r.unclear", "review"),
            finding("r.added", "fail"),
        ],
    )
    changes = compare(previous, now)
    assert changes.new_failures == ["r.newfail", "r.added"]
    assert changes.fixed == ["r.fixed"]  # fail -> review is a change, not a fix
    assert {c.rule for c in changes.changed} == {"r.fixed", "r.newfail", "r.unclear", "r.added"}
    assert next(c for c in changes.changed if c.rule == "r.added").before is None
    assert compare(None, now) is None


def test_store_records_runs_and_reports_get_changes_since_the_previous_one(tmp_path):
    db = tmp_path / "h" / "history.db"
    first = report("a.com", [finding("r.one", "fail"), finding("r.two", "pass")])
    with HistoryStore(db) as store:
        [recorded] = apply_history(store, [first], tmp_path)
    assert recorded.changes is None
    second = report("a.com", [finding("r.one", "pass"), finding("r.two", "fail")], minutes=60)
    with HistoryStore(db) as store:
        [changed] = apply_history(store, [second], tmp_path)
        assert store.previous("a.com").statuses == {"r.one": P, "r.two": F}
    assert changed.changes.fixed == ["r.one"] and changed.changes.new_failures == ["r.two"]
    assert changed.changes.previous_status == Status.FAIL
    assert changed.changes.previous_run_at == first.finished_at


def test_combine_runs_moves_later_runs_under_the_site_folder(tmp_path):
    from dataclasses import dataclass
    from pathlib import Path

    from auditor.finish import combine_runs, run_scratch_dir

    @dataclass
    class Target:
        site_id: str

    @dataclass
    class Result:
        target: Target
        report: object
        site_dir: Path

    out = tmp_path / "out"
    first_dir, second_dir = out / "a.com", run_scratch_dir(out, 2) / "a.com"
    for folder in (first_dir, second_dir):
        (folder / "evidence").mkdir(parents=True)
        (folder / "evidence" / "evidence.json").write_text("{}", encoding="utf-8")
    run1 = report("a.com", [finding("r.one", "pass", evidence=[shot("evidence/baseline/full.png")])])
    run2 = report("a.com", [finding("r.one", "fail", evidence=[shot("evidence/baseline/full.png")])], minutes=3)
    [(combined, site_dir)] = combine_runs(
        [[Result(Target("a.com"), run1, first_dir)], [Result(Target("a.com"), run2, second_dir)]], "pessimistic", out
    )
    assert site_dir == first_dir and (first_dir / "runs" / "2" / "evidence" / "evidence.json").is_file()
    assert not (out / ".runs").exists()
    assert combined.findings[0].evidence[0].screenshot.path == "runs/2/evidence/baseline/full.png"
    assert combined.aggregation.run_dirs == ["runs/2"]
