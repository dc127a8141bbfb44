"""Real processes for the ops tests: a clean environment, gunicorn on a free port, waiting.

Child processes import this checkout (PYTHONPATH), never an installed copy, and get only the
environment given here plus PATH, HOME and LANG.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings

TEST_LOG_SIGNING_KEY = "dGVzdC1vbmx5LWdvbmdzaGktbG9nLWtleS0zMmJ5dGU="
VENV_BIN = Path(sys.executable).parent
DJANGO = [sys.executable, "-m", "django"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def instance_env(data_dir: Path, **extra: str) -> dict[str, str]:
    environment = {key: os.environ[key] for key in ("PATH", "HOME", "LANG") if key in os.environ}
    environment.update(
        PYTHONPATH=str(settings.REPO_DIR),
        DJANGO_SETTINGS_MODULE="gongshi.settings",
        GONGSHI_DATA_DIR=str(data_dir),
        GONGSHI_LOG_SIGNING_KEY=TEST_LOG_SIGNING_KEY,
        GONGSHI_LOG_ORIGIN="gongshi.test/log",
        GONGSHI_REQUEST_LOG="False",
    )
    environment.update(extra)
    return environment


def manage(environment: dict[str, str], *args: str, timeout: int = 300) -> str:
    """Run ``gongshi ARGS`` in a child process; its output, or a failure with it."""
    result = subprocess.run(
        [sys.executable, "-m", "django", *args],
        env=environment,
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=settings.REPO_DIR,
    )
    assert result.returncode == 0, f"gongshi {' '.join(args)}:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def wait_for(url: str, timeout: float = 60, process: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            if process is not None and process.poll() is not None:
                raise AssertionError(
                    f"{process.args[0]} exited with {process.returncode}"
                ) from None
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def start_gunicorn(
    environment: dict[str, str], port: int, log: Path, workers: int = 1, threads: int = 4
) -> subprocess.Popen:
    """gunicorn with the project's config on 127.0.0.1:port, in its own process group."""
    with open(log, "ab") as out:
        return subprocess.Popen(
            [
                str(VENV_BIN / "gunicorn"),
                "-c",
                "python:gongshi.ops.gunicorn_conf",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(workers),
                "--threads",
                str(threads),
                "gongshi.wsgi",
            ],
            env=environment,
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=settings.REPO_DIR,
            start_new_session=True,
        )


@contextlib.contextmanager
def gunicorn(
    environment: dict[str, str], port: int, log: Path, workers: int = 1, threads: int = 4
) -> Iterator[subprocess.Popen]:
    """gunicorn on 127.0.0.1:port, answering /healthz when this yields; stopped after."""
    process = start_gunicorn(environment, port, log, workers, threads)
    try:
        wait_for(f"http://127.0.0.1:{port}/healthz", process=process)
        yield process
    finally:
        stop(process)


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
