"""Distributed mode: a private redis-server, `auditor enqueue`, two `auditor worker` processes, `auditor collect`."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time

import pytest

from tests.conftest import REPO, run_cli

pytestmark = pytest.mark.browser

HOSTS = [
    "www.queue-alpha-news.com",
    "www.queue-bravo-shop.com",
    "www.queue-charlie-blog.com",
    "www.queue-delta-games.com",
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory):
    server = shutil.which("redis-server")
    if server is None:
        message = "redis-server is not installed (make setup runs scripts/ensure-redis.sh)"
        pytest.fail(message) if os.environ.get("CI") else pytest.skip(message)
    port = _free_port()
    folder = tmp_path_factory.mktemp("redis")
    process = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(folder), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    import redis

    client = redis.Redis(port=port)
    deadline = time.monotonic() + 20
    while True:
        try:
            client.ping()
            break
        except redis.ConnectionError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                pytest.fail("redis-server did not start")
            time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}/0"
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="module")
def distributed_run(redis_url, site_server, tmp_path_factory):
    out = tmp_path_factory.mktemp("distributed")
    team = tmp_path_factory.mktemp("team") / "acme.yaml"
    team.write_text(TEAM_PACK, encoding="utf-8")
    queued = run_cli(["enqueue", "--redis", redis_url, *[f"http://{h}/" for h in HOSTS]])
    env = {**os.environ, "NO_COLOR": "1"}
    worker_args = [
        "worker",
        "--redis",
        redis_url,
        "--out",
        str(out),
        "--idle-exit",
        "3",
        "--concurrency",
        "1",
        "--log-json",
        "--rules",
        str(team),
        "--map-host",
        f"*=127.0.0.1:{site_server.port}",
    ]
    workers = [
        subprocess.Popen(
            [sys.executable, "-m", "auditor.cli", *worker_args],
            cwd=REPO,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = []
    try:
        for worker in workers:
            stdout, stderr = worker.communicate(timeout=300)
            outputs.append((worker.returncode, stdout, stderr))
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
    collected = run_cli(["collect", "--out", str(out), "--redis", redis_url])
    return queued, outputs, collected, out


TEAM_PACK = """\
pack: acme
version: "2026.1"
rules:
  - id: acme.privacy-link
    title: The homepage links to the privacy policy
    severity: high
    jurisdictions: [ca]
    citations: [{text: "ACME policy 1"}]
    check: privacy_policy_link
    params:
      phrases: [privacy policy, privacy notice]
      exclusions: [privacy choices, do not sell]
      href_words: [privacy]
"""


def _sites_done(stderr: str) -> list[str]:
    events = [json.loads(line) for line in stderr.splitlines() if line.startswith("{")]
    return [e["site"] for e in events if e["event"] == "site_done"]


def test_enqueue_reports_the_sites_queued(distributed_run):
    queued = distributed_run[0]
    assert queued.returncode == 0, queued.stderr
    assert "Queued 4 site(s)" in queued.stdout


def test_two_workers_share_the_queue_each_site_audited_once(distributed_run):
    _, outputs, _, out = distributed_run
    assert [code for code, _, _ in outputs] == [0, 0], [stderr[-2000:] for _, _, stderr in outputs]
    per_worker = [_sites_done(stderr) for _, _, stderr in outputs]
    assert all(per_worker), f"each worker should audit at least one site: {per_worker}"
    everything = per_worker[0] + per_worker[1]
    assert sorted(everything) == sorted(HOSTS)  # every site once, none twice
    for host in HOSTS:
        assert (out / host / "report.json").is_file()
        assert (out / host / "report.html").is_file()


def test_collect_builds_the_portfolio_and_names_no_missing_site(distributed_run):
    _, _, collected, out = distributed_run
    assert collected.returncode in (0, 1), collected.stderr
    assert (out / "index.html").is_file()
    assert "enqueued but no complete report" not in collected.stdout
    assert "www.queue-alpha-news.com" in collected.stdout


def test_worker_with_unreachable_redis_is_a_usage_error(tmp_path):
    result = run_cli(["worker", "--redis", f"redis://127.0.0.1:{_free_port()}/0", "--out", str(tmp_path)])
    assert result.returncode == 2
    assert "cannot reach Redis" in result.stderr


def test_the_collected_run_verifies_with_the_workers_team_pack(distributed_run):
    """Each worker records the packs it judged with (the team's own too) as it writes a site, so the run `collect`
    finishes can be re-judged by `auditor verify`."""
    _, _, _, out = distributed_run
    verified = run_cli(["verify", str(out)])
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert any(name.startswith("acme-") for name in os.listdir(out / "rules"))
