"""Throughput of the reference deployment, as ratios to floors measured in the same run.

Starts deploy/tests/stack.py's stack (PostgreSQL, Redis, moto S3, two gunicorn processes with
1 worker × 4 threads each, nginx with deploy/nginx/gongshi.conf) and runs wrk against it:

- a trivial Django view (/healthz, the whole middleware stack) on one gunicorn process,
- the project page from the app (stored page) and its 304 (If-None-Match) on that process,
- the project page through nginx's micro-cache, and nginx serving a static file of the same
  size — the floor for the cache;
- a mixed public load through nginx (bench/wrk/mixed.lua: pages, API reads, search, log).

Run: GONGSHI_DATA_DIR=$(mktemp -d) .venv/bin/python -m pytest -q -s bench/stack_bench.py
(it is a pytest module so it gets the project's settings; it is not collected by make test).
BENCH_SECONDS (10) and BENCH_CONNECTIONS (64) set the load.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "deploy" / "tests"))
import stack as stack_module  # noqa: E402

SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "64"))


def wrk(url: str, *extra: str, host: str | None = None, script: str | None = None) -> dict:
    args = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "--latency"]
    if host:
        args += ["-H", f"Host: {host}"]
    for header in extra:
        args += ["-H", header]
    if script:
        args += ["-s", script]
    args.append(url)
    out = subprocess.run(args + ([] if not script else []), capture_output=True, text=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(\w+)", out)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    return {
        "rps": rps,
        "p99": f"{p99.group(1)}{p99.group(2)}" if p99 else "?",
        "non2xx": int(errors.group(1)) if errors else 0,
        "socket_errors": socket_errors.group(1) if socket_errors else "",
    }


def test_bench(tmp_path):
    # One address sends all the load: the per-address abuse limits would answer most of it
    # with 429, so they are scaled up as the setting's comment says for a load test.
    stack = stack_module.start(
        tmp_path, GONGSHI_RATE_LIMIT_SCALE="1000", GONGSHI_REQUEST_LOG="False"
    )
    try:
        code = stack.data["project"]
        page = f"/p/{code}/"
        app = stack.app_url(0)
        body = requests.get(app + page, timeout=30)
        etag = body.headers["ETag"]
        static_dir = Path(stack.env["GONGSHI_DATA_DIR"]) / "static" / "bench"
        static_dir.mkdir(parents=True, exist_ok=True)
        (static_dir / "page.html").write_bytes(body.content)
        nginx = f"https://127.0.0.1:{stack.https}"
        host = stack_module.HOST
        results = {
            "trivial view (app)": wrk(app + "/healthz"),
            "project page (app)": wrk(app + page),
            "project page 304 (app)": wrk(app + page, f"If-None-Match: {etag}"),
            "project page (nginx micro-cache)": wrk(nginx + page, host=host),
            "static file, same size (nginx)": wrk(nginx + "/static/bench/page.html", host=host),
        }
        mixed_script = str(Path(__file__).parent / "wrk" / "mixed.lua")
        session = requests.Session()
        session.trust_env, session.verify = False, False
        routes = [page, f"/api/v1/projects/{code}/", "/api/v1/projects/", "/?q=%E6%B5%8B%E8%AF%95"]
        for path in [*routes, "/"]:  # as bench/wrk/mixed.lua
            status = session.get(nginx + path, headers={"Host": host}, timeout=30).status_code
            print("mixed route", path, status)
        results["mixed public load (nginx)"] = wrk_mixed(nginx, host, mixed_script, code)
        rss = subprocess.run(
            ["ps", "-o", "rss=", "--ppid", str(stack.apps[0].pid)], capture_output=True, text=True
        ).stdout.split()
        print(f"\nmemory per gunicorn worker (RSS): {[int(k) // 1024 for k in rss]} MB")
        load = Path("/proc/loadavg").read_text().split()[:3]
        floor = results["trivial view (app)"]["rps"]
        static = results["static file, same size (nginx)"]["rps"]
        print(
            f"\npage {len(body.content)} bytes, {CONNECTIONS} connections, {SECONDS} s each,"
            f" load average {' '.join(load)}"
        )
        for name, r in results.items():
            ratio = r["rps"] / (static if "nginx" in name and "mixed" not in name else floor)
            print(
                f"| {name} | {r['rps']:.0f} | {ratio:.2f} | {r['p99']} | {r['non2xx']} |"
                f" {r['socket_errors']} |"
            )
    finally:
        stack_module.stop(stack)


def wrk_mixed(nginx: str, host: str, script: str, code: str) -> dict:
    args = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "--latency", "-H",
            f"Host: {host}", "-s", script, nginx, "--", code]  # fmt: skip
    out = subprocess.run(args, capture_output=True, text=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(\w+)", out)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    return {
        "rps": rps,
        "p99": f"{p99.group(1)}{p99.group(2)}" if p99 else "?",
        "non2xx": int(errors.group(1)) if errors else 0,
        "socket_errors": socket_errors.group(1) if socket_errors else "",
    }
