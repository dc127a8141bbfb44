"""Abuse limits (gongshi.core.ratelimit): 429 with Retry-After, counted in the shared cache."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest
import redis
from django.conf import settings

from gongshi.core import ratelimit

ROOT = Path(settings.BASE_DIR).parent


def _until_limited(request, limit: int):
    responses = [request() for _ in range(limit + 1)]
    assert all(r.status_code != 429 for r in responses[:limit]), [r.status_code for r in responses]
    return responses[-1]


def test_exports_are_limited_per_address_with_retry_after(world, client, settings):
    settings.GONGSHI_RATE_LIMIT_SCALE = 0.1  # 30 → 3
    url = f"/p/{world.project.code}/disclosures.csv"
    refused = _until_limited(lambda: client.get(url), 3)
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 600
    assert "请求过于频繁，请在" in refused.content.decode()
    # Another address is not affected.
    assert client.get(url, REMOTE_ADDR="198.51.100.9").status_code == 200


def test_the_answer_is_in_english_for_an_english_browser(world, client, settings):
    settings.GONGSHI_RATE_LIMIT_SCALE = 0.1
    url = "/projects.csv"
    refused = _until_limited(lambda: client.get(url, HTTP_ACCEPT_LANGUAGE="en"), 3)
    assert refused.status_code == 429
    assert "Too many requests" in refused.content.decode()


def test_the_board_pdf_is_limited_per_project_too(world, client, settings):
    settings.GONGSHI_RATE_LIMIT_SCALE = 0.05  # 20 per address → 1; 120 per project → 6
    url = f"/p/{world.project.code}/board.pdf"
    assert client.get(url).status_code == 200
    refused = client.get(url)
    assert refused.status_code == 429 and refused["Retry-After"]


def test_search_is_limited_only_with_a_query(db, client, settings):
    settings.GONGSHI_RATE_LIMIT_SCALE = 0.05  # 120 → 6
    for _ in range(10):
        assert client.get("/").status_code == 200  # the home page without a query is free
    refused = _until_limited(lambda: client.get("/", {"q": "花园"}), 6)
    assert refused.status_code == 429
    api = client.get("/api/v1/projects/", {"search": "花园"})
    assert api.status_code == 429  # the same search budget, whichever door
    assert api.json()["error"]["code"] == "rate_limited"


def test_webhook_registration_answers_429_json_whether_or_not_the_project_exists(
    world, client, settings
):
    settings.GONGSHI_RATE_LIMIT_SCALE = 0.2  # 10 an hour → 2
    for code in (world.project.code, "NOSUCH"):
        client.post(f"/api/v1/projects/{code}/webhooks/", {}, content_type="application/json")
    known = client.post(
        f"/api/v1/projects/{world.project.code}/webhooks/", {}, content_type="application/json"
    )
    unknown = client.post("/api/v1/projects/NOSUCH/webhooks/", {}, content_type="application/json")
    assert known.status_code == unknown.status_code == 429
    assert known.json() == unknown.json()
    assert known.json()["error"]["code"] == "rate_limited"


def test_every_anonymous_write_counts_against_one_budget(db, client, settings):
    settings.GONGSHI_RATE_LIMIT_SCALE = 0.05  # 120 → 6, whatever the route
    for _ in range(6):
        client.post("/i18n/setlang/", {"language": "zh-hans"})
    refused = client.post("/participation/p/NOSUCH/ask/", {"body": "x"})
    assert refused.status_code == 429
    assert refused["Retry-After"]


def test_a_signed_in_user_is_not_counted_as_anonymous(world, settings):
    settings.GONGSHI_RATE_LIMIT_SCALE = 0.05
    client = world.client("developer")
    for _ in range(8):  # a route with no limit of its own: only anonymous writes are counted
        assert client.post("/workspace/p/NOSUCH/stage/", {}).status_code == 404


def test_the_refusal_page_carries_the_csp(db, client, settings):
    settings.GONGSHI_RATE_LIMIT_SCALE = 0.1
    refused = _until_limited(lambda: client.get("/projects.csv"), 3)
    assert "default-src 'self'" in refused["Content-Security-Policy"]
    assert refused["Cache-Control"] == "no-store"


# --- Two app processes sharing Redis ------------------------------------------------------

REDIS_URL = os.environ.get("GONGSHI_TEST_RATELIMIT_REDIS_URL", "redis://127.0.0.1:6379/13")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _status(url: str, data: bytes | None = None) -> tuple[int, dict]:
    request = urllib.request.Request(url, data=data, method="POST" if data is not None else "GET")
    request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers)


def _database_for_subprocesses(data_dir: Path) -> str:
    """A ``DATABASE_URL`` for server processes: the test database, already migrated.

    On SQLite (in memory) a copy of it is written to ``data_dir`` (the embedded default's
    file, so the URL is empty); on PostgreSQL the processes use the test database itself (they
    only read it here). Needs ``transactional_db``: SQLite's backup waits for the transaction
    ``db`` would hold. Migrating a fresh database instead took 18–58 s.
    """
    from django.db import connection

    connection.ensure_connection()
    if connection.vendor == "sqlite":
        import sqlite3

        target = sqlite3.connect(data_dir / "gongshi.sqlite3")
        try:
            connection.connection.backup(target)
        finally:
            target.close()
        return ""
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def two_servers(tmp_path, transactional_db):
    connection = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3)
    try:
        connection.ping()
    except redis.ConnectionError as error:
        pytest.fail(
            f"无法连接 Redis（{REDIS_URL}）：请启动 Redis（`make services`）后重试。/ {error}",
            pytrace=False,
        )
    database_url = _database_for_subprocesses(tmp_path)
    env = {
        **os.environ,
        "REDIS_URL": REDIS_URL,
        "GONGSHI_DATA_DIR": str(tmp_path),
        "DATABASE_URL": database_url,
        "SECRET_KEY": "two-process-test-" + uuid.uuid4().hex,
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    servers, urls = [], []
    for _ in range(2):
        port = _free_port()
        servers.append(
            subprocess.Popen(
                [
                    sys.executable,
                    str(ROOT / "manage.py"),
                    "runserver",
                    "--noreload",
                    "--skip-checks",
                    f"127.0.0.1:{port}",
                ],
                env=env,
                cwd=ROOT,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
        urls.append(f"http://127.0.0.1:{port}")
    try:
        deadline = time.monotonic() + 60
        for url in urls:
            while True:
                try:
                    socket.create_connection(("127.0.0.1", int(url.rsplit(":", 1)[1])), 1).close()
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        pytest.fail(f"测试服务器未能启动：{url}", pytrace=False)
                    time.sleep(0.2)
        yield urls, connection
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=10)
        for key in connection.scan_iter("*gongshi:rl:*"):
            connection.delete(key)


def test_a_limit_trips_across_two_processes_sharing_redis(two_servers):
    """Webhook registration: 10 an hour per address, counted by both processes together."""
    (first, second), connection = two_servers
    for key in connection.scan_iter("*gongshi:rl:*"):
        connection.delete(key)
    path = "/api/v1/projects/NOSUCH/webhooks/"
    statuses = [_status((first, second)[n % 2] + path, b"{}")[0] for n in range(10)]
    assert statuses == [404] * 10, statuses  # 5 in each process: neither alone is at 10
    status, headers = _status(first + path, b"{}")
    assert status == 429
    assert int(headers["Retry-After"]) > 0
    assert _status(second + path, b"{}")[0] == 429
    assert any(b"gongshi:rl:webhook:" in key for key in connection.scan_iter("*gongshi:rl:*"))


def test_the_table_names_only_routes_that_exist():
    from django.urls import get_resolver

    names = set()

    def walk(resolver, prefix=""):
        for pattern in resolver.url_patterns:
            if hasattr(pattern, "url_patterns"):
                ns = pattern.namespace
                walk(pattern, f"{prefix}{ns}:" if ns else prefix)
            elif pattern.name:
                names.add(prefix + pattern.name)

    walk(get_resolver())
    missing = set(ratelimit.ROUTES) - names
    assert not missing, missing
    assert names >= ratelimit.SEARCH_ROUTES
