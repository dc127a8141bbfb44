"""Gunicorn's configuration: ``gunicorn -c python:gongshi.ops.gunicorn_conf gongshi.wsgi``.

Worker and thread counts come from settings (GONGSHI_WEB_WORKERS, GONGSHI_WEB_THREADS);
the bind address from GONGSHI_BIND (default 127.0.0.1:8000) unless ``--bind`` is given.
Logs: gunicorn's own lines use the same JSON formatter as the app's, the access log is off
(the app writes one line per request with its request id). Prometheus counters of all
workers are summed through files in PROMETHEUS_MULTIPROC_DIR, emptied at start.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongshi.settings")

from gongshi import settings as _settings  # noqa: E402  (plain module: no Django setup)

_metrics_dir = Path(
    os.environ.setdefault(
        "PROMETHEUS_MULTIPROC_DIR", str(_settings.DATA_DIR / "run" / f"metrics-{os.getpid()}")
    )
)

bind = os.environ.get("GONGSHI_BIND", "127.0.0.1:8000")
workers = _settings.GONGSHI_WEB_WORKERS
threads = _settings.GONGSHI_WEB_THREADS
worker_class = "gthread"
timeout = _settings.GONGSHI_WEB_TIMEOUT
graceful_timeout = 20
# Longer than nginx keeps an idle upstream connection (deploy/nginx/gongshi.conf,
# keepalive_timeout 60s): the side that reuses a connection must be the one that closes it
# first, or nginx may send a request on a connection gunicorn is closing, and a POST, which
# nginx does not resend, fails with 502 (seen as resets under load: bench/stack_load.py).
keepalive = 75
# Recycle a worker now and then: a slow leak never grows without bound.
max_requests = 5000
max_requests_jitter = 500
accesslog = None
forwarded_allow_ips = os.environ.get("GONGSHI_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
proc_name = "gongshi-web"
# Load the app once in the master: workers fork ready (no slow first request) and share
# its memory. Django opens no database connection at import, so nothing is shared wrongly.
preload_app = True
# No gunicornc control socket: its default path is per user, so two servers on one machine
# (two ports, the stack test) would fight over it. Signals (HUP, TERM) control the server.
control_socket_disable = True
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "gongshi.ops.logs.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "loggers": {
        "gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}


def on_starting(server) -> None:
    shutil.rmtree(_metrics_dir, ignore_errors=True)
    _metrics_dir.mkdir(parents=True, exist_ok=True)


def child_exit(server, worker) -> None:
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def on_exit(server) -> None:
    shutil.rmtree(_metrics_dir, ignore_errors=True)
