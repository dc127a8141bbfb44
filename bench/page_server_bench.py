"""The project page under a real server, as ratios to a trivial view on the same server.

    .venv/bin/python bench/page_server_bench.py [--workers 2] [--seconds 10] [--connections 32]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/page_server_bench.py

Seeds the demo world into a fresh database (SQLite in a temporary directory, or a scratch
PostgreSQL database ``gongshi_page_bench`` dropped afterwards), starts
``gunicorn -w 2 bench.server.wsgi`` (Gongshi's settings and middleware, plus two floor
views), and runs ``wrk -t2 -c32 -d10s`` against, in one run:

- ``/bench/trivial/`` — ``HttpResponse("ok")``: the floor the goals are stated against;
- ``/bench/same-size/`` — a constant body as large as the project page: the floor for
  moving the bytes;
- ``/p/<code>/`` of the demo project with the most history, warmed once (cached bytes);
- the same with ``If-None-Match`` (304);
- ``/p/<code>/`` with a fresh cache for every request is not measurable by wrk; the
  uncached render is measured in-process by ``bench/public_bench.py``.

Set REDIS_URL (e.g. redis://127.0.0.1:6379/15) to share the page cache between the workers
as production does; without it each worker has its own in-memory cache. After the load the
workers' resident memory (RSS) is read from /proc. Needs ``wrk`` and gunicorn.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

SCRATCH_DB = "gongshi_page_bench"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wrk(url: str, seconds: float, connections: int, headers: dict | None = None) -> float:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds:g}s", "--latency"]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    out = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        raise SystemExit(f"{url}: {errors.group(1)} error responses\n{out}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of these processes (the gunicorn workers)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def measure(url: str, args, workers: list[int], headers: dict | None = None):
    """(requests/s wall clock, requests per worker CPU-second)."""
    before = cpu_seconds(workers)
    rate = wrk(url, args.seconds, args.connections, headers)
    used = cpu_seconds(workers) - before
    return rate, rate * args.seconds / used if used else 0.0


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def pss_mb(pid: int) -> float:
    """The worker's proportional share: pages shared with the preloaded master and the other
    workers count as a fraction, so the workers' PSS add up to what they really use."""
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1]) / 1024
    return 0.0


def children(pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--runs", type=int, default=3, help="rounds of the four measurements")
    parser.add_argument(
        "--server",
        choices=["gunicorn", "granian"],
        default="gunicorn",
        help="the WSGI server (granian: --interface wsgi, one blocking thread per worker, as"
        " gunicorn's sync workers)",
    )
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install wrk")
    gunicorn = Path(sys.executable).with_name("gunicorn")
    if not gunicorn.exists():
        raise SystemExit(f"gunicorn is needed next to {sys.executable}: pip install gunicorn")

    from public_bench import (
        busiest_project_code,
        migrate,
        pg_admin,
        scratch_postgres,
        seed_demo_world,
        setup,
    )

    database_url = os.environ.get("DATABASE_URL", "")
    maintenance = None
    if database_url:
        scratch, maintenance = scratch_postgres(database_url)
        scratch = scratch.replace("gongshi_public_bench", SCRATCH_DB)
        pg_admin(maintenance, f'DROP DATABASE IF EXISTS "{SCRATCH_DB}"')
        pg_admin(maintenance, f'CREATE DATABASE "{SCRATCH_DB}"')
        os.environ["DATABASE_URL"] = scratch
    server = None
    with tempfile.TemporaryDirectory(prefix="gongshi-page-bench-") as data_dir:
        try:
            setup(data_dir)
            from django.db import connection, connections

            vendor = connection.vendor
            migrate()
            from django.core.management import call_command

            call_command("collectstatic", interactive=False, verbosity=0)
            seed_demo_world()
            code = busiest_project_code()
            connections.close_all()
            if os.environ.get("REDIS_URL"):
                import redis

                client = redis.Redis.from_url(os.environ["REDIS_URL"])
                for key in client.scan_iter("page-bench:*"):
                    client.delete(key)
            port = free_port()
            base = f"http://127.0.0.1:{port}"
            env = dict(
                os.environ,
                DJANGO_SETTINGS_MODULE="bench.server.settings",
                PYTHONPATH=str(REPO),
                DEBUG="False",
            )
            page_url = f"{base}/p/{code}/"
            command = [
                str(gunicorn), "-w", str(args.workers), "-b", f"127.0.0.1:{port}",
                "--access-logfile", "/dev/null", "--log-level", "warning",
                "gongshi.wsgi:application",
            ]  # fmt: skip
            if args.server == "granian":
                command = [
                    str(gunicorn.with_name("granian")), "--interface", "wsgi",
                    "--host", "127.0.0.1", "--port", str(port),
                    "--workers", str(args.workers), "--blocking-threads", "1",
                    "--no-access-log", "--log-level", "warning", "gongshi.wsgi:application",
                ]  # fmt: skip
            server = subprocess.Popen(
                command,
                cwd=REPO,
                env=env,
                stdout=subprocess.DEVNULL,  # the request log line is written (and costs) alike
                stderr=subprocess.DEVNULL,  # for every row
            )
            for _ in range(200):
                try:
                    urllib.request.urlopen(f"{base}/bench/trivial/", timeout=1).read()
                    break
                except OSError:
                    time.sleep(0.1)
            with urllib.request.urlopen(page_url) as response:
                page = response.read()
                etag = response.headers["ETag"]
            for _ in range(20):  # every worker renders and stores once
                urllib.request.urlopen(page_url).read()
            env_size = len(page)
            print(f"database: {vendor}; {os.cpu_count()} CPUs; {args.server} -w {args.workers}; "
                  f"wrk -t2 -c{args.connections} -d{args.seconds:g}s; "
                  f"cache: {'redis' if os.environ.get('REDIS_URL') else 'per-process'}")  # fmt: skip
            print(f"project page {code}: {env_size} bytes")
            print(f"date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
            print(
                f"uptime before: {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}"
            )
            workers = children(server.pid) or [server.pid]
            urls = {
                "trivial": (f"{base}/bench/trivial/", None),
                "same": (f"{base}/bench/same-size/?bytes={env_size}", None),
                "page": (page_url, None),
                "304": (page_url, {"If-None-Match": etag}),
            }
            wall: dict[str, list[float]] = {k: [] for k in urls}
            cpu: dict[str, list[float]] = {k: [] for k in urls}
            for _ in range(args.runs):  # interleaved, so a burst of load hits every row alike
                for key, (url, headers) in urls.items():
                    rate, per_cpu = measure(url, args, workers, headers)
                    wall[key].append(rate)
                    cpu[key].append(per_cpu)
            rss = [rss_mb(pid) for pid in workers]
            pss = [pss_mb(pid) for pid in workers]
            print(
                f"uptime after: {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}"
            )
            print(
                "\n| view | requests/s (median) | runs | ratio to trivial | "
                "requests per worker CPU-s (median) | ratio to trivial (CPU) |"
            )
            print("|---|---:|---|---:|---:|---:|")

            def median(values):
                return sorted(values)[len(values) // 2]

            labels = {
                "trivial": 'trivial view `HttpResponse("ok")`',
                "same": f"constant body of the page's size ({env_size:,} B)",
                "page": "`/p/<code>/` cached bytes (200)",
                "304": "`/p/<code>/` conditional (304)",
            }
            for key, label in labels.items():
                runs = ", ".join(f"{v:.0f}" for v in wall[key])
                w, c = median(wall[key]), median(cpu[key])
                print(
                    f"| {label} | {w:.0f} | {runs} | {w / median(wall['trivial']):.2f} | "
                    f"{c:.0f} | {c / median(cpu['trivial']):.2f} |"
                )
            print(
                f"\nworker RSS after the load: {', '.join(f'{r:.0f} MB' for r in rss)}"
                f" (PSS, shared pages divided: {', '.join(f'{p:.0f} MB' for p in pss)})"
            )
        finally:
            if server is not None:
                server.send_signal(signal.SIGTERM)
                server.wait(timeout=30)
            if maintenance:
                from django.db import connections

                connections.close_all()
                pg_admin(maintenance, f'DROP DATABASE IF EXISTS "{SCRATCH_DB}"')


if __name__ == "__main__":
    main()
