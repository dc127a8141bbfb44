"""Gongshi's settings plus the floor views of ``bench/page_server_bench.py``."""

from gongshi.settings import *  # noqa: F403
from gongshi.settings import REDIS_URL

ROOT_URLCONF = "bench.server.urls"
if REDIS_URL:
    CACHES["default"]["KEY_PREFIX"] = "page-bench"  # noqa: F405
