"""nginx closes an idle upstream connection before gunicorn does.

Otherwise nginx may reuse a connection at the moment gunicorn closes it; nginx resends a GET
to the other process, but not a POST (a question, a publication), which fails with 502.
"""

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.one_database  # configuration files, no database

REPO = Path(__file__).resolve().parents[3]
SITE = REPO / "deploy" / "nginx" / "gongshi.conf"
# Read, not imported: importing the gunicorn configuration sets the metrics directory's
# environment variable for the whole test process.
GUNICORN = REPO / "gongshi" / "ops" / "gunicorn_conf.py"


def _seconds(value: str) -> int:
    number, unit = re.fullmatch(r"(\d+)(s|m)?", value).groups()
    return int(number) * (60 if unit == "m" else 1)


def test_gunicorn_keeps_idle_connections_longer_than_nginx_reuses_them():
    upstream = re.search(r"upstream gongshi_app \{(.*?)\}", SITE.read_text(), re.S).group(1)
    assert re.search(r"^\s*keepalive \d+;", upstream, re.M), "nginx reuses upstream connections"
    found = re.search(r"^\s*keepalive_timeout (\S+);", upstream, re.M)
    nginx_idle = _seconds(found.group(1)) if found else 60  # nginx's default
    gunicorn_idle = int(re.search(r"^keepalive = (\d+)$", GUNICORN.read_text(), re.M).group(1))
    assert gunicorn_idle > nginx_idle, (
        f"gunicorn closes idle connections after {gunicorn_idle} s, nginx reuses "
        f"them for {nginx_idle} s: raise gunicorn's keepalive above nginx's keepalive_timeout"
    )
