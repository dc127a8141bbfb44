"""A static file server for a tile export, started as its own process: nginx when the
machine has it (required under CI=true), else Python's http.server."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)

# The same locations deploy's nginx needs in front of the app (see docs/integrity.md).
NGINX_CONF = """\
daemon off;
{user}worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    server {{
        listen 127.0.0.1:{port};
        root {root};
        location = /checkpoint {{
            default_type "text/plain; charset=utf-8";
            add_header Cache-Control "public, max-age=5";
        }}
        location ~ "^/tile/.+\\.p/[0-9]+$" {{
            default_type application/octet-stream;
            add_header Cache-Control "public, max-age=60";
        }}
        location /tile/ {{
            default_type application/octet-stream;
            add_header Cache-Control "public, max-age=31536000, immutable";
        }}
    }}
}}
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, process: subprocess.Popen, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the static server exited with {process.returncode}")
        try:
            urllib.request.urlopen(url, timeout=2).close()  # noqa: S310
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"the static server did not answer {url}")


@contextlib.contextmanager
def serve_directory(root: Path, work: Path) -> Iterator[tuple[str, str]]:
    """Serve ``root``; yields (base URL, "nginx" or "http.server")."""
    if NGINX is None and os.environ.get("CI") == "true":
        raise RuntimeError("nginx is required under CI (apt-get install nginx)")
    port = free_port()
    work.mkdir(parents=True, exist_ok=True)
    if NGINX is not None:
        conf = work / "nginx.conf"
        # As root, nginx's workers would run as nobody, who cannot read pytest's tmp_path.
        user = "user root;\n" if os.geteuid() == 0 else ""
        text = NGINX_CONF.format(prefix=work, port=port, root=root, user=user)
        conf.write_text(text, encoding="utf-8")
        command, kind = [NGINX, "-c", str(conf), "-p", str(work)], "nginx"
    else:
        command = [sys.executable, "-m", "http.server", str(port), "-b", "127.0.0.1"]
        command += ["-d", str(root)]
        kind = "http.server"
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{url}/checkpoint", process)
        yield url, kind
    finally:
        process.terminate()
        process.wait(timeout=10)
