"""Mixed load on the reference deployment: many concurrent clients, p95 per route, no errors.

Starts deploy/tests/stack.py's stack (PostgreSQL, Redis, moto S3, two gunicorn processes,
nginx with deploy/nginx/gongshi.conf) and drives it with BENCH_CLIENTS (200) concurrent
clients for BENCH_SECONDS (60) — an asyncio client (aiohttp), each client looping over a
weighted choice of routes:

- reads through nginx: the project page, the home page, a search, the project API, the
  projects API list, the printed board (PDF);
- question posts (a verified contact's token, each contact asking at most its five a day),
  sent to the app processes in turn with an X-Real-IP of their own, as nginx would send
  them for visitors behind many addresses (all the load comes from one machine, and the
  question limit per address is a product rule, not scaled);
- a few publications (at most one every BENCH_PUBLISH_EVERY = 5 s; the developer's API
  token: a version drafted and approved, each of a different item), through nginx.

Before the mix, the same client measures its floors in the same run: a trivial Django view
(/healthz through nginx, never cached) and nginx serving a static file of the project page's
size. Printed: requests/s, p50/p95/p99 and errors per route, memory per gunicorn worker
before and after, the load average.

Run: GONGSHI_DATA_DIR=$(mktemp -d) .venv/bin/python -m pytest -q -s bench/stack_load.py
(needs `pip install -e '.[bench]'`; a pytest module for the project's settings, not collected
by make test).
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import ssl
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import quote

import aiohttp
import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "deploy" / "tests"))
import stack as stack_module  # noqa: E402

from gongshi.ops import testing  # noqa: E402

SECONDS = int(os.environ.get("BENCH_SECONDS", "60"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "200"))
FLOOR_SECONDS = int(os.environ.get("BENCH_FLOOR_SECONDS", "10"))
PUBLISH_EVERY = float(os.environ.get("BENCH_PUBLISH_EVERY", "5"))
CONTACTS = 200  # verified contacts for question posts: five questions each a day

# Made in the app's shell: verified contacts (tokens proving a phone number, as the SMS code
# would give them), so the load does not go through SMS codes.
CONTACTS_SETUP = f"""
import datetime as dt, json
from django.utils import timezone
from gongshi.participation.models import ContactVerification
from gongshi.participation.tokens import digest, new_token
now = timezone.now()
tokens = []
for n in range({CONTACTS}):
    token = new_token()
    ContactVerification.objects.create(
        contact=f"1390451{{n:04d}}", contact_kind="phone", code_hash=digest("000000"),
        token_hash=digest(token), created_at=now, expires_at=now + dt.timedelta(minutes=10),
        confirmed_at=now,
    )
    tokens.append(token)
print(json.dumps(tokens))
"""

QUESTIONS = [
    "请问地下室的防水工程是哪家单位施工的？验收结论在哪里可以查到？",
    "二期的外墙保温材料与样板间展示的是否一致？有没有进场复验报告？",
    "交付标准里写的地暖管道试压记录什么时候公示？我想在交房前看到。",
    "3号楼主体结构验收的日期与公示的计划不一致，请说明原因。",
]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


class Load:
    def __init__(self, stack, session: aiohttp.ClientSession, tokens: list[str]):
        self.stack = stack
        self.session = session
        self.code = stack.data["project"]
        self.nginx = f"https://127.0.0.1:{stack.https}"
        self.host = {"Host": stack_module.HOST}
        self.tokens = [t for t in tokens for _ in range(5)]
        self.items = list(stack.data["items"])
        self.latency: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, list[str]] = defaultdict(list)
        self.posted = 0
        self.board_waits = 0  # 202 "being made" pages answered before a board's PDF
        self.last_publication = 0.0
        search = quote("哈尔滨")
        code = self.code
        # route: (weight, coroutine factory)
        self.routes = {
            "project page": (40, lambda: self.get(f"/p/{code}/")),
            "home": (8, lambda: self.get("/")),
            "search": (12, lambda: self.get(f"/?q={search}")),
            "API project": (15, lambda: self.get(f"/api/v1/projects/{code}/")),
            "API projects list": (10, lambda: self.get("/api/v1/projects/")),
            "board PDF": (1, lambda: self.board(f"/p/{code}/board.pdf")),
            "question post": (10, self.ask),
            "publication": (1, self.publish),
        }
        self.names = list(self.routes)
        self.weights = [self.routes[n][0] for n in self.names]

    async def get(self, path: str) -> tuple[int, str]:
        async with self.session.get(self.nginx + path, headers=self.host) as response:
            await response.read()
            return response.status, ""

    async def board(self, path: str) -> tuple[int, str]:
        """The board as a person gets it: while another request renders it, the app answers
        202 with a page saying to reload (Retry-After); they reload until the PDF comes."""
        for _ in range(20):
            async with self.session.get(self.nginx + path, headers=self.host) as response:
                await response.read()
                if response.status != 202:
                    return response.status, ""
                self.board_waits += 1
                await asyncio.sleep(float(response.headers.get("Retry-After", "3")))
        return 202, "still being made after 20 reloads"

    async def ask(self) -> tuple[int, str]:
        token = self.tokens.pop()
        self.posted += 1
        port = self.stack.app_ports[self.posted % 2]
        headers = {
            "Host": stack_module.HOST,
            "X-Forwarded-Proto": "https",
            "X-Real-IP": f"10.{self.posted // 65536 % 256}.{self.posted // 256 % 256}."
            f"{self.posted % 256}",
        }
        body = {
            "verification_token": token,
            "body": random.choice(QUESTIONS),  # noqa: S311 - load mix, not security
            "kind": "question",
        }
        url = f"http://127.0.0.1:{port}/api/v1/projects/{self.code}/questions/"
        async with self.session.post(url, json=body, headers=headers) as response:
            text = await response.text()
            return (200 if response.status == 201 else response.status), text[:200]

    async def publish(self) -> tuple[int, str]:
        # "A few publications": at most one every PUBLISH_EVERY seconds (each changes the
        # project page, the API answers and the board, and the log grows).
        self.last_publication = time.monotonic()
        item = self.items.pop()
        base = f"{self.nginx}/api/v1/workspace/projects/{self.code}/"
        headers = {**self.host, "Authorization": f"Token {self.stack.data['token']}"}
        form = aiohttp.FormData()
        form.add_field("values", json.dumps({"note": f"压力测试公示 {item}"}))
        form.add_field("information_date", time.strftime("%Y-%m-%d"))
        async with self.session.post(
            f"{base}items/{item}/versions/", data=form, headers=headers
        ) as r:
            text = await r.text()
            if r.status != 201:
                return r.status, text[:200]
            version = json.loads(text)["id"]
        async with self.session.post(
            f"{base}versions/{version}/approve/", json={}, headers=headers
        ) as r:
            text = await r.text()
            return r.status, text[:200]

    def available(self, name: str) -> bool:
        if name == "question post":
            return bool(self.tokens)
        if name == "publication":
            return bool(self.items) and (time.monotonic() - self.last_publication >= PUBLISH_EVERY)
        return True

    async def client(self, until: float) -> None:
        rng = random.Random()  # noqa: S311
        while time.monotonic() < until:
            name = rng.choices(self.names, self.weights)[0]
            if not self.available(name):
                name = "project page"
            start = time.perf_counter()
            try:
                status, text = await self.routes[name][1]()
            except (TimeoutError, aiohttp.ClientError) as exc:
                status, text = 0, repr(exc)
            self.latency[name].append(time.perf_counter() - start)
            if status != 200:
                self.errors[name].append(f"{status} {text}")


async def floor(session, url: str, headers: dict, seconds: int) -> tuple[float, float]:
    latencies: list[float] = []

    async def one(until: float) -> None:
        while time.monotonic() < until:
            start = time.perf_counter()
            async with session.get(url, headers=headers) as response:
                await response.read()
                assert response.status == 200, (url, response.status)
            latencies.append(time.perf_counter() - start)

    until = time.monotonic() + seconds
    await asyncio.gather(*(one(until) for _ in range(CLIENTS)))
    return len(latencies) / seconds, percentile(latencies, 0.95)


def worker_rss(stack) -> list[int]:
    rss = []
    for app in stack.apps:
        out = subprocess.run(
            ["ps", "-o", "rss=", "--ppid", str(app.pid)], capture_output=True, text=True
        ).stdout.split()
        rss += [int(k) // 1024 for k in out]
    return rss


async def run(stack, tokens: list[str], page_bytes: int) -> None:
    context = ssl.create_default_context()
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
    connector = aiohttp.TCPConnector(limit=CLIENTS, ssl=context)
    timeout = aiohttp.ClientTimeout(total=60)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        load = Load(stack, session, tokens)
        trivial = await floor(session, load.nginx + "/healthz", load.host, FLOOR_SECONDS)
        static = await floor(
            session, load.nginx + "/static/bench/page.html", load.host, FLOOR_SECONDS
        )
        rss_before = worker_rss(stack)
        until = time.monotonic() + SECONDS
        started = time.monotonic()
        await asyncio.gather(*(load.client(until) for _ in range(CLIENTS)))
        elapsed = time.monotonic() - started
    loadavg = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    total = sum(len(v) for v in load.latency.values())
    errors = sum(len(v) for v in load.errors.values())
    print(
        f"\n{CLIENTS} clients, {SECONDS} s, page {page_bytes} bytes, load average {loadavg}"
        f"\nfloors (same client, {FLOOR_SECONDS} s each): trivial view through nginx"
        f" {trivial[0]:.0f} req/s (p95 {trivial[1] * 1000:.0f} ms); nginx static file of the"
        f" page's size {static[0]:.0f} req/s (p95 {static[1] * 1000:.0f} ms)"
        f"\nmix: {total / elapsed:.0f} req/s = {total / elapsed / trivial[0]:.2f} of the trivial"
        f" view, {errors} errors in {total} requests"
    )
    print("| route | requests | req/s | p50 ms | p95 ms | p99 ms | errors |")
    print("|---|---|---|---|---|---|---|")
    for name in load.names:
        values = load.latency.get(name) or [0.0]
        print(
            f"| {name} | {len(load.latency.get(name, []))} |"
            f" {len(load.latency.get(name, [])) / elapsed:.1f} |"
            f" {statistics.median(values) * 1000:.0f} | {percentile(values, 0.95) * 1000:.0f} |"
            f" {percentile(values, 0.99) * 1000:.0f} | {len(load.errors.get(name, []))} |"
        )
    print(f"board PDF: {load.board_waits} 'being made' pages (202) reloaded before the PDFs")
    print(f"memory per gunicorn worker (RSS, MB): before {rss_before}, after {worker_rss(stack)}")
    for name, messages in load.errors.items():
        print(f"errors of {name}: {sorted(set(messages))[:5]}")


def test_load(tmp_path):
    stack = stack_module.start(
        tmp_path, GONGSHI_RATE_LIMIT_SCALE="1000", GONGSHI_REQUEST_LOG="False"
    )
    try:
        tokens = json.loads(
            testing.manage(stack.env, "shell", "-v", "0", "-c", CONTACTS_SETUP)
            .strip()
            .splitlines()[-1]
        )
        page = requests.get(stack.app_url(0) + f"/p/{stack.data['project']}/", timeout=30)
        static_dir = Path(stack.env["GONGSHI_DATA_DIR"]) / "static" / "bench"
        static_dir.mkdir(parents=True, exist_ok=True)
        (static_dir / "page.html").write_bytes(page.content)
        asyncio.run(run(stack, tokens, len(page.content)))
    finally:
        stack_module.stop(stack)
