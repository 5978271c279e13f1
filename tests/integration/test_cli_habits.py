"""The habits a user brings from other command-line tools (issue 15, item 6), each through ``python -m auditor``
with no browser: configuration found by walking up like ruff and pytest, and named once; ``-V``, ``-v``; a missing
extra named in one line; ``collect RUN_DIR``; a closed pipe; why no site could be audited (exit 3).
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from auditor import __version__
from auditor.gate import EXIT_UNREACHABLE

REPO = Path(__file__).resolve().parents[2]
SAVED = REPO / "tests" / "unit" / "saved_runs"
BOT_WALL = "www.botwall-outlet.com"


def auditor(*args: str, cwd: Path | None = None, code: str | None = None) -> subprocess.CompletedProcess:
    """``python -m auditor ARGS`` (or ``python -c CODE``) as a user runs it."""
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}
    env.pop("AUDITOR_CRAWL_LOG", None)
    command = [sys.executable, "-c", code, *args] if code else [sys.executable, "-m", "auditor", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, env=env, cwd=cwd)


def closed_port() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}/"


def saved_run(tmp_path: Path, *sites: str) -> Path:
    run = tmp_path / "run"
    for site in sites or tuple(p.name for p in SAVED.iterdir() if (p / "report.json").is_file()):
        shutil.copytree(SAVED / site, run / site)
    return run


# --- configuration ----------------------------------------------------------------------------------------------


def test_audit_from_a_subfolder_uses_and_names_the_repository_configuration_once(tmp_path):
    repo = tmp_path / "shop"
    (repo / ".git").mkdir(parents=True)
    (repo / "pyproject.toml").write_text('[project]\nname = "shop"\n[tool.auditor]\nfail-on = "high"\n', "utf-8")
    (repo / "web" / "src").mkdir(parents=True)
    # The server never answers, so the audit stops (exit 2) right after reading its configuration.
    stop_early = ("--start-server", "exit 0", "--wait-for", closed_port(), "--out", str(tmp_path / "out"))
    result = auditor("audit", "http://www.example.com/", *stop_early, cwd=repo / "web" / "src")
    assert result.returncode == 2, result.stderr
    assert result.stdout.count("Configuration:") == 1
    assert f"Configuration: {repo / 'pyproject.toml'} [tool.auditor]" in result.stdout
    quiet = auditor("audit", "http://www.example.com/", *stop_early, "--quiet", cwd=repo / "web" / "src")
    assert quiet.returncode == 2 and "Configuration" not in quiet.stdout + quiet.stderr


def test_a_config_error_names_its_file_once(tmp_path):
    config = tmp_path / "auditor.toml"
    config.write_text('fial-on = "high"\n', encoding="utf-8")
    result = auditor("gate", str(saved_run(tmp_path, BOT_WALL)), "--config", str(config))
    assert result.returncode == 2
    assert result.stderr.count("auditor.toml") == 1 and "unknown key 'fial-on'" in result.stderr


# --- -V, -v, python -m auditor -----------------------------------------------------------------------------------


def test_dash_capital_v_and_python_dash_m_print_the_version():
    short, long = auditor("-V"), auditor("--version")
    assert short.returncode == long.returncode == 0
    assert short.stdout == long.stdout == f"auditor, version {__version__}\n"


def test_dash_v_logs_each_step_on_stderr():
    result = auditor("-v", "audit", "http://www.example.com/", "--start-server", "exit 0", "--wait-for", closed_port())
    assert result.returncode == 2
    assert re.search(r"INFO +auditor\.serve: starting the server: exit 0", result.stderr), result.stderr


def test_verbosity_sets_scrapys_log_level_unless_the_user_did(monkeypatch):
    from auditor.cli import configure_logging

    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        monkeypatch.delenv("AUDITOR_CRAWL_LOG", raising=False)
        configure_logging(2)
        assert os.environ["AUDITOR_CRAWL_LOG"] == "DEBUG" and root.level == logging.DEBUG
        monkeypatch.setenv("AUDITOR_CRAWL_LOG", "WARNING")
        configure_logging(1)
        assert os.environ["AUDITOR_CRAWL_LOG"] == "WARNING"
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)


# --- the distributed extra ----------------------------------------------------------------------------------------

WITHOUT_REDIS = "import sys; sys.modules['redis'] = None; from auditor.cli import main; main(sys.argv[1:])"


@pytest.mark.parametrize(
    "args",
    [("enqueue", "--redis", "redis://q:6379/0", "http://www.example.com/"), ("worker", "--redis", "redis://q/0")],
)
def test_distributed_commands_without_the_extra_name_it_in_one_line(args):
    result = auditor(*args, code=WITHOUT_REDIS)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.strip() == (
        f"auditor: error: auditor {args[0]} needs the 'distributed' extra: "
        "pip install 'privacy-notice-auditor[distributed]'"
    )


def test_without_the_extra_help_still_lists_every_command_and_collect_works(tmp_path):
    listed = auditor("--help", code=WITHOUT_REDIS)
    assert listed.returncode == 0 and "enqueue" in listed.stdout and "worker" in listed.stdout
    run = saved_run(tmp_path, BOT_WALL)
    collected = auditor("collect", str(run), "--quiet", code=WITHOUT_REDIS)
    assert collected.returncode == EXIT_UNREACHABLE, collected.stderr  # the bot wall: nothing could be audited
    assert (run / "gate.json").is_file()
    with_redis = auditor("collect", str(run), "--redis", "redis://q/0", code=WITHOUT_REDIS)
    assert with_redis.returncode == 2 and "collect --redis needs the 'distributed' extra" in with_redis.stderr


# --- collect RUN_DIR ----------------------------------------------------------------------------------------------


def test_collect_takes_the_run_folder_as_an_argument_and_out_still_works(tmp_path):
    run = saved_run(tmp_path, BOT_WALL)
    result = auditor("collect", str(run))
    assert result.returncode == EXIT_UNREACHABLE and (run / "gate.json").is_file()
    (run / "gate.json").unlink()
    old = auditor("collect", "--out", str(run))
    assert old.returncode == EXIT_UNREACHABLE and (run / "gate.json").is_file()
    assert f"collect --out is deprecated: use auditor collect {run}" in old.stderr
    both = auditor("collect", str(run), "--out", str(tmp_path / "elsewhere"))
    assert both.returncode == 2 and "two different folders" in both.stderr


# --- a closed pipe ------------------------------------------------------------------------------------------------


def test_a_closed_stdout_keeps_the_exit_code_and_prints_no_traceback(tmp_path):
    # Exit 3, not 1: click's own answer to a closed pipe is exit 1, which would pass for a failed gate.
    run = saved_run(tmp_path, BOT_WALL)
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "auditor", "gate", str(run)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env
    )
    process.stdout.close()  # the reader is gone before the first line is written
    stderr = process.stderr.read().decode()
    assert process.wait(timeout=120) == EXIT_UNREACHABLE, stderr  # the gate's verdict, not a crash
    assert "Traceback" not in stderr and "BrokenPipe" not in stderr and "Exception ignored" not in stderr
    piped = subprocess.run(
        ["bash", "-c", f"set -o pipefail; {sys.executable} -m auditor gate {run} | head -1"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert piped.returncode == EXIT_UNREACHABLE and piped.stdout.startswith("Gate: no site could be audited")
    assert "Traceback" not in piped.stderr


# --- exit 3 -------------------------------------------------------------------------------------------------------


def test_exit_3_says_why_each_site_could_not_be_audited(tmp_path):
    result = auditor("gate", str(saved_run(tmp_path, BOT_WALL)))
    assert result.returncode == EXIT_UNREACHABLE
    assert f"  {BOT_WALL}: The homepage showed a bot check instead of the site: page title 'Just a moment...'" in (
        result.stdout
    )
