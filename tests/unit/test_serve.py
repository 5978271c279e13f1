"""Serving the site under test (``--static-dir``, ``--start-server`` / ``--wait-for``): what a CI job relies on.

The static server answers as a static host would; a started server is waited for with a bounded wait, and its
whole process group is stopped when the audit ends, fails or is interrupted. The audits through these options run
in tests/integration/test_gate_ci.py (the example script, the Action and the GitLab template use them).
"""

from __future__ import annotations

import os
import socket
import struct
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from auditor.demo.server import HostFolderServer
from auditor.errors import UserError
from auditor.serve import SERVER_LOG, plan_serving, serve_site
from auditor.targets import unique_targets


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie, killed but not yet reaped, does not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except OSError:
        return False
    return state != "Z"


def plan(urls=("http://www.example.com/",), **options):
    given = {"static_dir": None, "start_server": None, "wait_for": None, "wait_timeout": 10.0} | options
    return plan_serving(unique_targets(list(urls)), **given)


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, ""


def test_a_static_dir_is_served_under_the_audited_host_names_as_a_static_host_serves_it(tmp_path):
    site = tmp_path / "dist"
    (site / "docs").mkdir(parents=True)
    (site / "index.html").write_text("home", encoding="utf-8")
    (site / "privacy.html").write_text("policy", encoding="utf-8")
    (site / "docs" / "a.txt").write_text("a", encoding="utf-8")
    served_plan = plan(("http://www.example.com/", "http://shop.example.com/x"), static_dir=site)
    with serve_site(served_plan, tmp_path) as served:
        assert [(m.pattern, m.address) for m in served.host_map] == [
            ("www.example.com", "127.0.0.1"),
            ("shop.example.com", "127.0.0.1"),
        ]
        base = f"http://127.0.0.1:{served.host_map[0].port}"
        assert get(base + "/") == (200, "home")
        assert get(base + "/privacy") == (200, "policy")  # a clean URL, as Netlify, Vercel or Pages serve it
        assert get(base + "/docs/")[0] == 404  # no folder listing
        assert get(base + "/missing")[0] == 404
        assert "www.example.com, shop.example.com" in served.note
    with pytest.raises(OSError):
        urllib.request.urlopen(base + "/", timeout=2)  # stopped with the block


@pytest.mark.parametrize(
    ("options", "urls", "message"),
    [
        ({"static_dir": Path("missing-dir")}, ("http://www.example.com/",), "--static-dir missing-dir: no such folder"),
        ({"static_dir": Path(".")}, ("https://www.example.com/",), "audit http://www.example.com/ instead"),
        ({"static_dir": Path("."), "start_server": "x", "wait_for": "http://a/"}, ("http://a.com/",), "choose one"),
        ({"start_server": "npm start"}, ("http://www.example.com/",), "--start-server needs --wait-for URL"),
        ({"static_dir": Path("."), "wait_for": "http://a/"}, ("http://a.com/",), "--wait-for goes with --start-server"),
        ({"wait_for": "localhost:3000"}, ("http://www.example.com/",), "expected an http:// or https:// URL"),
        ({"wait_for": "http://a/", "wait_timeout": 0}, ("http://www.example.com/",), "--wait-timeout must be"),
    ],
)
def test_unusable_serving_options_are_one_line_errors(options, urls, message):
    with pytest.raises(UserError, match="^[^\n]*$") as error:
        plan(urls, **options)
    assert message in str(error.value)


def test_a_started_server_is_waited_for_and_its_whole_process_group_stopped_after_the_audit(tmp_path):
    port = free_port()
    child_pid = tmp_path / "child.pid"
    command = (
        f"sleep 300 & echo $! > {child_pid}; echo starting; "
        f"sleep 0.5; exec {sys.executable} -m http.server {port} --bind 127.0.0.1"
    )
    served_plan = plan(start_server=command, wait_for=f"http://127.0.0.1:{port}/")
    with serve_site(served_plan, tmp_path) as served:
        assert get(f"http://127.0.0.1:{port}/")[0] == 200
        assert served.host_map == [] and "answered after" in served.note and SERVER_LOG in served.note
        background = int(child_pid.read_text())
        assert alive(background)
    assert not alive(background)  # what the server started went with it
    with pytest.raises(OSError):
        urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2)
    assert "starting" in (tmp_path / SERVER_LOG).read_text(encoding="utf-8")


def test_a_server_that_never_answers_is_a_clear_error_within_the_wait_and_is_stopped(tmp_path):
    pid_file = tmp_path / "pid"
    port = free_port()  # nothing listens there
    served_plan = plan(
        start_server=f"echo $$ > {pid_file}; sleep 300", wait_for=f"http://127.0.0.1:{port}/", wait_timeout=1.0
    )
    started = time.monotonic()
    with pytest.raises(UserError) as error, serve_site(served_plan, tmp_path):
        pytest.fail("the block must not run")
    assert time.monotonic() - started < 10
    message = str(error.value)
    assert f"--wait-for http://127.0.0.1:{port}/ did not answer within 1 s" in message
    assert "refused" in message.lower() and str(tmp_path / SERVER_LOG) in message
    assert not alive(int(pid_file.read_text()))


def test_a_server_that_exits_before_answering_says_so_at_once_with_its_log(tmp_path):
    served_plan = plan(
        start_server="echo 'Error: port in use' >&2; exit 3", wait_for=f"http://127.0.0.1:{free_port()}/"
    )
    started = time.monotonic()
    with (
        pytest.raises(UserError, match="--start-server exited with code 3 before --wait-for"),
        serve_site(served_plan, tmp_path),
    ):
        pass
    assert time.monotonic() - started < 5  # not the whole --wait-timeout
    assert "Error: port in use" in (tmp_path / SERVER_LOG).read_text(encoding="utf-8")


def test_ctrl_c_during_the_audit_stops_the_server(tmp_path):
    port, pid_file = free_port(), tmp_path / "pid"
    served_plan = plan(
        start_server=f"echo $$ > {pid_file}; exec {sys.executable} -m http.server {port} --bind 127.0.0.1",
        wait_for=f"http://127.0.0.1:{port}/",
    )
    with pytest.raises(KeyboardInterrupt), serve_site(served_plan, tmp_path):
        assert alive(int(pid_file.read_text()))
        raise KeyboardInterrupt
    assert not alive(int(pid_file.read_text()))


def test_the_audit_command_refuses_a_server_that_never_answers_with_one_line_and_exit_2(tmp_path):
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "auditor.cli", "audit", "http://www.example.com/", "--out", str(tmp_path / "out")]
        + ["--start-server", "exit 0", "--wait-for", f"http://127.0.0.1:{free_port()}/", "--wait-timeout", "2"],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert result.returncode == 2, result.stderr
    assert result.stderr.strip().count("\n") == 0 and "Traceback" not in result.stderr
    assert "--start-server exited with code 0 before --wait-for" in result.stderr


def test_a_terminated_audit_stops_its_server_first(tmp_path):
    """A cancelled CI job sends SIGTERM: the server is stopped and the auditor exits 143, as SIGTERM would."""
    port, pid_file = free_port(), tmp_path / "pid"
    script = f"""
import sys, time
from pathlib import Path
from auditor.serve import plan_serving, serve_site
from auditor.targets import unique_targets
plan = plan_serving(unique_targets(["http://www.example.com/"]), None,
                    "echo $$ > {pid_file}; exec {sys.executable} -m http.server {port} --bind 127.0.0.1",
                    "http://127.0.0.1:{port}/", 10.0)
with serve_site(plan, Path({str(tmp_path)!r})):
    print("serving", flush=True)
    time.sleep(60)
"""
    auditing = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert auditing.stdout.readline() == "serving\n"
    server = int(pid_file.read_text())
    assert alive(server)
    auditing.terminate()
    assert auditing.wait(timeout=30) == 143
    assert not alive(server)


def test_a_client_that_hangs_up_mid_answer_prints_no_traceback(tmp_path, capfd):
    (tmp_path / "www.example.com").mkdir()
    (tmp_path / "www.example.com" / "big.html").write_bytes(b"x" * 20_000_000)
    server = HostFolderServer(tmp_path).start()
    try:
        for _ in range(3):
            with socket.create_connection(("127.0.0.1", server.port)) as client:
                client.sendall(b"GET /big.html HTTP/1.1\r\nHost: www.example.com\r\n\r\n")
                client.recv(1024)  # the answer has begun
                # Hang up with a reset (SO_LINGER 0), as a closed tab does, while the server is still writing.
                client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        # The server still answers afterwards.
        with urllib.request.urlopen(f"http://127.0.0.1:{server.port}/", timeout=5) as response:
            assert response.status == 204
    finally:
        server.stop()
    assert "Traceback" not in capfd.readouterr().err
