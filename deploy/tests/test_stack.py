"""The reference deployment behaves as one site (make stack-test; see deploy/tests/stack.py).

Through nginx and directly on each app process: a publication via the API on one process is
on the page at the other and through the micro-cache; a scan goes to S3 and comes back; a
login and the login throttle hold across processes; /readyz is green; and when one process
is killed with SIGKILL in the middle of a stream of requests, nginx sends the rest to the
other and every write that was acknowledged is in the database.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import threading
import time
import warnings

import boto3
import psycopg
import pytest
import requests
import stack as stack_module  # deploy/tests is on sys.path (rootdir-relative, no package)
from urllib3.exceptions import InsecureRequestWarning

from gongshi.files.testing import make_pdf_bytes
from gongshi.ops import testing

warnings.simplefilter("ignore", InsecureRequestWarning)


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    running = stack_module.start(tmp_path_factory.mktemp("stack"))
    yield running
    stack_module.stop(running)


def through_nginx() -> requests.Session:
    session = requests.Session()
    session.trust_env = False  # no proxies or CA bundle from the environment
    session.verify = False  # the run's own self-signed certificate
    session.headers["Host"] = stack_module.HOST
    return session


def api(stack, n: int) -> requests.Session:
    session = requests.Session()
    session.headers["Authorization"] = f"Token {stack.data['token']}"
    session.headers["Accept"] = "application/json"
    return session


def a_month_ago() -> str:
    """An information date the app processes (on the real clock) accept on any day."""
    return (dt.date.today() - dt.timedelta(days=30)).isoformat()


def publish(stack, n: int, item: str, note: str, scan: bytes | None = None) -> dict:
    """Create a version of ``item`` and approve it, both on app process ``n``."""
    base = f"{stack.app_url(n)}/api/v1/workspace/projects/{stack.data['project']}/"
    files = {"files": ("扫描件.pdf", scan, "application/pdf")} if scan else None
    created = api(stack, n).post(
        f"{base}items/{item}/versions/",
        data={"values": json.dumps({"note": note}), "information_date": a_month_ago()},
        files=files,
    )
    assert created.status_code == 201, created.text
    version = created.json()
    approved = api(stack, n).post(f"{base}versions/{version['id']}/approve/", json={})
    assert approved.status_code == 200, approved.text
    assert approved.json()["status"] == "published"
    return approved.json()


def test_readyz_through_nginx_checks_postgresql_redis_and_s3(stack):
    response = through_nginx().get(f"{stack.url}/readyz")
    assert response.status_code == 200, response.text
    checks = response.json()["checks"]
    assert all(check["ok"] for check in checks.values()), checks
    assert checks["database"]["detail"] == "postgresql"
    assert checks["cache"]["detail"] == "CountingRedisCache"
    assert checks["storage"]["detail"] == "S3Storage"
    # nginx's $request_id is the app's request id.
    assert re.fullmatch(r"[0-9a-f]{32}", response.headers["X-Request-ID"])


def test_http_redirects_to_https_and_static_files_are_hashed_and_compressed(stack):
    page = through_nginx().get(f"{stack.url}/")
    assert page.status_code == 200
    css = re.search(r'href="(/static/gongshi/gongshi\.[0-9a-f]{12}\.css)"', page.text).group(1)
    response = through_nginx().get(f"{stack.url}{css}", headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "gzip"
    assert "immutable" in response.headers["Cache-Control"]
    assert "Server" in response.headers and "nginx" in response.headers["Server"]


def test_a_publication_on_one_process_shows_on_the_other_and_through_the_micro_cache(stack):
    page_url = f"/p/{stack.data['project']}/"
    api_url = f"/api/v1/projects/{stack.data['project']}/"
    nginx = through_nginx()
    statuses = [nginx.get(stack.url + api_url).headers["X-Cache-Status"] for _ in range(3)]
    assert statuses[0] == "MISS" and statuses[-1] in ("HIT", "REVALIDATED"), statuses
    statuses = [nginx.get(stack.url + page_url).headers["X-Cache-Status"] for _ in range(3)]
    assert statuses[0] == "MISS" and statuses[-1] in ("HIT", "REVALIDATED"), statuses
    # Each process has rendered (and cached) the page before the publication.
    before = [requests.get(stack.app_url(n) + page_url, timeout=30).text for n in (0, 1)]
    api_before = nginx.get(stack.url + api_url).text
    publish(stack, 0, stack.data["items"][0], "第一次公示的内容")

    after = requests.get(stack.app_url(1) + page_url, timeout=30).text
    assert after != before[1], "process 1 still serves its page from before the publication"
    # nginx keeps the API answer one second, then revalidates: the new version within ~1 s.
    api_after = requests.get(stack.app_url(1) + api_url, timeout=30).text
    assert api_after != api_before
    deadline = time.monotonic() + 3
    while nginx.get(stack.url + api_url).text != api_after:
        assert time.monotonic() < deadline, "nginx still serves the answer before the publication"
        time.sleep(0.2)


def test_a_scan_is_stored_in_s3_and_downloaded_through_nginx(stack):
    scan = make_pdf_bytes(["scan for s3", "对象存储"])
    published = publish(stack, 1, stack.data["items"][1], "带扫描件的公示", scan=scan)
    sha = hashlib.sha256(scan).hexdigest()
    assert [f["sha256"] for f in published["files"]] == [sha]
    s3 = boto3.client(
        "s3",
        endpoint_url=stack.s3_endpoint,
        region_name="us-east-1",
        aws_access_key_id="stack-test",
        aws_secret_access_key="stack-test-secret",
    )
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket="gongshi-stack")["Contents"]]
    assert f"files/{sha[:2]}/{sha[2:4]}/{sha}.pdf" in keys
    download = through_nginx().get(f"{stack.url}/files/{sha}/")
    assert download.status_code == 200, download.status_code
    assert hashlib.sha256(download.content).hexdigest() == sha


def app_session() -> requests.Session:
    """Straight to one app process, as nginx would send it: HTTPS seen by the proxy."""
    session = requests.Session()
    session.headers.update({"Host": stack_module.HOST, "X-Forwarded-Proto": "https"})
    return session


def _keep_secure_cookies(session: requests.Session) -> None:
    # The site's cookies are Secure (HTTPS site); the hop from nginx to the app is plain HTTP.
    for cookie in session.cookies:
        cookie.secure = False


def _login(session: requests.Session, base: str, password: str, username: str):
    form = session.get(f"{base}/accounts/login/")
    _keep_secure_cookies(session)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
    response = session.post(
        f"{base}/accounts/login/",
        data={"username": username, "password": password, "csrfmiddlewaretoken": token},
        headers={"Referer": f"https://{stack_module.HOST}/accounts/login/"},
        allow_redirects=False,
    )
    _keep_secure_cookies(session)
    return response


def test_a_login_on_one_process_holds_on_the_other(stack):
    session = app_session()
    signed_in = _login(session, stack.app_url(0), stack.data["password"], stack.data["username"])
    assert signed_in.status_code == 302, signed_in.text[:500]
    workspace = session.get(f"{stack.app_url(1)}/workspace/", allow_redirects=False)
    assert workspace.status_code == 200
    assert stack.data["username"] in workspace.text or "测试花园一期" in workspace.text


def test_the_login_throttle_is_shared_by_the_processes(stack):
    first = _login(app_session(), stack.app_url(0), "wrong password", "unit")
    assert first.status_code in (200, 401) and "登录失败次数过多" not in first.text
    for _attempt in range(2):  # GONGSHI_LOGIN_MAX_FAILURES=3 in the stack
        _login(app_session(), stack.app_url(0), "wrong password", "unit")
    throttled = _login(app_session(), stack.app_url(1), stack.data["password"], "unit")
    assert throttled.status_code == 429, throttled.status_code
    assert "登录失败次数过多" in throttled.text


def test_killing_one_process_during_a_stream_of_requests_loses_no_write(stack):
    project = stack.data["project"]
    # One new draft per item: every POST is a write. items[2] stays for the replica test.
    items = list(stack.data["items"][3:])
    base = f"{stack.url}/api/v1/workspace/projects/{project}/items/"
    acknowledged: list[int] = []
    failures: list[str] = []
    reads = []
    stop_at = time.monotonic() + 8

    def writer(n: int) -> None:
        session = through_nginx()
        session.headers["Authorization"] = f"Token {stack.data['token']}"
        while time.monotonic() < stop_at and items:
            url = f"{base}{items.pop()}/versions/"
            response = session.post(url, json={"values": {"note": f"草稿 {n}"}})
            if response.status_code == 201:
                acknowledged.append(response.json()["id"])
            else:
                failures.append(f"POST {response.status_code} {response.text[:200]}")
            # Paced, so the items last past the kill on an idle machine too (~15 writes/s).
            time.sleep(0.2)

    def reader() -> None:
        session = through_nginx()
        while time.monotonic() < stop_at:
            reads.append(session.get(f"{stack.url}/p/{project}/").status_code)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(3)]
    threads.append(threading.Thread(target=reader))
    for thread in threads:
        thread.start()
    time.sleep(2)
    deadline = time.monotonic() + 10
    while not acknowledged and time.monotonic() < deadline:  # a loaded machine starts slowly
        time.sleep(0.1)
    before_kill = len(acknowledged)
    stack_module.kill(stack.apps[1])
    for thread in threads:
        thread.join()

    assert before_kill > 0 and len(acknowledged) > before_kill, "no writes after the kill"
    # A POST in flight on the killed process may get 502 (nginx does not resend a request
    # that may have been written); every other request is answered by the survivor.
    assert all(failure.startswith("POST 502") for failure in failures), failures
    assert len(failures) <= 3, failures
    assert set(reads) == {200}, reads
    with psycopg.connect(stack.database_url) as db:
        stored = {
            row[0]
            for row in db.execute(
                "SELECT id FROM disclosures_disclosureversion WHERE id = ANY(%s)", [acknowledged]
            )
        }
    assert stored == set(acknowledged)


def test_anonymous_reads_go_to_the_replica_and_everything_else_to_the_primary(stack, tmp_path):
    """A third process with DATABASE_REPLICA_URL: the replica is the database as it was before
    any test published, so what is read from it is plain to see."""
    port = testing.free_port()
    env = {**stack.env, "DATABASE_REPLICA_URL": stack.replica_url}
    api_url = f"/api/v1/projects/{stack.data['project']}/"
    token = {"Authorization": f"Token {stack.data['token']}"}
    with testing.gunicorn(env, port, tmp_path / "replica-app.log"):
        replica_app = f"http://127.0.0.1:{port}"
        anonymous = requests.get(replica_app + api_url, timeout=30)
        primary = requests.get(stack.app_url(0) + api_url, timeout=30)
        assert anonymous.status_code == primary.status_code == 200
        assert anonymous.json() != primary.json(), "the anonymous read did not use the replica"
        # A signed-in (token) read sees the primary: nobody misses their own change.
        signed_in = requests.get(replica_app + api_url, headers=token, timeout=30)
        assert (
            signed_in.json()
            == requests.get(stack.app_url(0) + api_url, headers=token, timeout=30).json()
        )
        # A write through this process lands on the primary.
        item = stack.data["items"][2]  # never published; the SIGKILL test takes them from the end
        base = f"{replica_app}/api/v1/workspace/projects/{stack.data['project']}/items/"
        created = requests.post(
            f"{base}{item}/versions/", json={"values": {"note": "经副本进程写入"}}, headers=token,
            timeout=30,
        )  # fmt: skip
        assert created.status_code == 201, created.text
    with psycopg.connect(stack.database_url) as primary_db:
        assert primary_db.execute(
            "SELECT count(*) FROM disclosures_disclosureversion WHERE id = %s",
            [created.json()["id"]],
        ).fetchone() == (1,)
    with psycopg.connect(stack.replica_url) as replica_db:
        assert replica_db.execute(
            "SELECT count(*) FROM disclosures_disclosureversion WHERE id = %s",
            [created.json()["id"]],
        ).fetchone() == (0,)
