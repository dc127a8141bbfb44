"""The reference deployment of deploy/, started on loopback for make stack-test.

PostgreSQL (a fresh database on the running server), Redis (its own database number), moto's
S3 server, two gunicorn processes with the project's config and Debian's nginx with
deploy/nginx/gongshi.conf — the very file — with paths, ports and a fresh certificate put in.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import signal
import subprocess
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.conf import settings

from gongshi.ops import testing

DEPLOY = Path(settings.REPO_DIR) / "deploy"
HOST = "gongshi.example.cn"
PG = os.environ.get("GONGSHI_STACK_POSTGRES", "postgres://postgres@127.0.0.1:5432")
REDIS = os.environ.get("GONGSHI_STACK_REDIS", "redis://127.0.0.1:6379/13")

# Run in the app's own shell: the personas of the permission tests, an item, API tokens.
SETUP = """
import json
from rest_framework.authtoken.models import Token
from gongshi.catalogue.tests.factories import make_item
from gongshi.core.testing import PASSWORD, build_world
world = build_world()
items = [make_item(title=f"栈测试事项{n}") for n in range(80)]
developer = world.users["developer"]
print(json.dumps({
    "project": world.project.code,
    "items": [item.code for item in items],
    "token": Token.objects.create(user=developer).key,
    "username": developer.username,
    "password": PASSWORD,
}))
"""


@dataclass
class Stack:
    root: Path
    env: dict[str, str]
    database_url: str
    https: int
    app_ports: list[int]
    apps: list[subprocess.Popen] = field(default_factory=list)
    processes: list[subprocess.Popen] = field(default_factory=list)
    data: dict = field(default_factory=dict)
    s3_endpoint: str = ""
    replica_url: str = ""

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.https}"

    def app_url(self, n: int) -> str:
        return f"http://127.0.0.1:{self.app_ports[n]}"


def _certificate(directory: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, HOST)])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=2))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(HOST)]), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "fullchain.pem", directory / "privkey.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


def render_nginx(
    root: Path, static_root: Path, app_ports: list[int], http: int, https: int
) -> Path:
    """deploy/nginx/gongshi.conf with this run's paths and ports, inside a minimal nginx.conf."""
    cert, key = _certificate(root)
    site = (DEPLOY / "nginx" / "gongshi.conf").read_text(encoding="utf-8")
    replacements = {
        "127.0.0.1:8001": f"127.0.0.1:{app_ports[0]}",
        "127.0.0.1:8002": f"127.0.0.1:{app_ports[1]}",
        "/var/cache/nginx/gongshi": str(root / "cache"),
        "/var/lib/gongshi/tiles": str(static_root.parent / "tiles"),
        "/var/lib/gongshi/static/": f"{static_root}/",
        "/etc/ssl/gongshi/fullchain.pem": str(cert),
        "/etc/ssl/gongshi/privkey.pem": str(key),
        "/etc/nginx/gongshi_proxy_params": str(DEPLOY / "nginx" / "gongshi_proxy_params"),
        "listen 80;": f"listen 127.0.0.1:{http};",
        "listen [::]:80;": "",
        "listen 443 ssl http2;": f"listen 127.0.0.1:{https} ssl http2;",
        "listen [::]:443 ssl http2;": "",
        "/var/www/letsencrypt": str(root / "acme"),
    }
    for old, new in replacements.items():
        assert old in site, f"deploy/nginx/gongshi.conf no longer has {old!r}"
        site = site.replace(old, new)
    (root / "gongshi.conf").write_text(site, encoding="utf-8")
    for directory in ("cache", "temp", "logs"):
        (root / directory).mkdir(exist_ok=True)
    temp = root / "temp"
    # As root, nginx's workers would switch to nobody, who cannot enter the temporary tree.
    user = "user root;" if os.geteuid() == 0 else ""
    main = f"""
daemon off;
{user}
worker_processes 1;
pid {root}/nginx.pid;
error_log {root}/logs/error.log warn;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {root}/logs/access.log;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    sendfile on;
    include {root}/gongshi.conf;
}}
"""
    conf = root / "nginx.conf"
    conf.write_text(main, encoding="utf-8")
    return conf


def _wait_port(port: int, process: subprocess.Popen, timeout: float = 30) -> None:
    import socket

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"{process.args[0]} exited with {process.returncode}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise AssertionError(f"nothing listens on {port} after {timeout} s")


def start(root: Path, **extra_env: str) -> Stack:
    import boto3
    import redis

    name = f"gongshi_stack_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as pg:
        pg.execute(f'CREATE DATABASE "{name}"')
    redis.Redis.from_url(REDIS).flushdb()

    s3_port = testing.free_port()
    moto = subprocess.Popen(
        [str(testing.VENV_BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(s3_port)],
        stdout=open(root / "moto.log", "wb"),  # noqa: SIM115 - closed with the process
        stderr=subprocess.STDOUT,
    )
    data_dir = root / "data"
    data_dir.mkdir()
    app_ports = [testing.free_port(), testing.free_port()]
    http, https = testing.free_port(), testing.free_port()
    stack = Stack(
        root=root,
        env={},
        database_url=f"{PG}/{name}",
        https=https,
        app_ports=app_ports,
        s3_endpoint=f"http://127.0.0.1:{s3_port}",
    )
    stack.processes.append(moto)
    stack.env = testing.instance_env(
        data_dir,
        DATABASE_URL=stack.database_url,
        REDIS_URL=REDIS,
        S3_BUCKET="gongshi-stack",
        S3_ENDPOINT_URL=stack.s3_endpoint,
        S3_REGION="us-east-1",
        S3_ACCESS_KEY="stack-test",
        S3_SECRET_KEY="stack-test-secret",
        ALLOWED_HOSTS=f"{HOST},127.0.0.1",
        SITE_URL=f"https://{HOST}",
        CSRF_TRUSTED_ORIGINS=f"https://{HOST}",
        SECURE_PROXY_SSL="True",
        GONGSHI_TRUSTED_PROXIES="127.0.0.1/32",
        GONGSHI_LOGIN_MAX_FAILURES="3",
        **{"GONGSHI_REQUEST_LOG": "True", **extra_env},
    )
    try:
        _wait_port(s3_port, moto)
        boto3.client(
            "s3",
            endpoint_url=stack.s3_endpoint,
            region_name="us-east-1",
            aws_access_key_id="stack-test",
            aws_secret_access_key="stack-test-secret",
        ).create_bucket(Bucket="gongshi-stack")
        collect = subprocess.Popen(
            [
                *testing.DJANGO,
                "collectstatic",
                "--noinput",
                "-v",
                "0",
                # The admin's and DRF's files take ~15 s of CPU to compress; the stack test
                # reads neither, and they are collected the same way by make run.
                "-i",
                "admin",
                "-i",
                "rest_framework",
            ],
            env=stack.env,
            cwd=settings.REPO_DIR,
        )
        testing.manage(stack.env, "migrate", "--noinput", "-v", "0")
        output = testing.manage(stack.env, "shell", "-v", "0", "-c", SETUP)
        stack.data = json.loads(output.strip().splitlines()[-1])
        # A copy of the database as it is now stands in for a streaming replica that lags.
        with psycopg.connect(f"{PG}/postgres", autocommit=True) as pg:
            pg.execute(f'CREATE DATABASE "{name}_replica" TEMPLATE "{name}"')
        stack.replica_url = f"{PG}/{name}_replica"
        assert collect.wait(timeout=300) == 0, "collectstatic failed"
        for port in app_ports:
            stack.apps.append(
                testing.start_gunicorn(stack.env, port, root / f"app-{port}.log", workers=1)
            )
        for port, app in zip(app_ports, stack.apps, strict=True):
            testing.wait_for(f"http://127.0.0.1:{port}/healthz", process=app)
        conf = render_nginx(root, data_dir / "static", app_ports, http, https)
        nginx = subprocess.Popen(
            ["nginx", "-c", str(conf), "-p", str(root)],
            stdout=open(root / "logs" / "nginx.out", "wb"),  # noqa: SIM115
            stderr=subprocess.STDOUT,
        )
        stack.processes.append(nginx)
        _wait_port(https, nginx)
    except BaseException:
        stop(stack)
        raise
    return stack


def stop(stack: Stack) -> None:
    for process in [*stack.apps, *reversed(stack.processes)]:
        testing.stop(process)
    try:
        with psycopg.connect(f"{PG}/postgres", autocommit=True) as pg:
            name = stack.database_url.rsplit("/", 1)[1]
            pg.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            pg.execute(f'DROP DATABASE IF EXISTS "{name}_replica" WITH (FORCE)')
    finally:
        if os.environ.get("GONGSHI_STACK_KEEP") != "1":
            shutil.rmtree(stack.root / "cache", ignore_errors=True)


def kill(process: subprocess.Popen) -> None:
    """SIGKILL the gunicorn master and its workers: the process is gone, no shutdown."""
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
