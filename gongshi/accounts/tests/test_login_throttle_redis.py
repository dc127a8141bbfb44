"""Login throttling on Redis, the cache production uses so every web process shares counts.

Redis must be running on 127.0.0.1:6379 (`make test` starts it); a missing Redis fails.
"""

import os
import uuid

import pytest
import redis
from django.core.cache import caches
from django.test import override_settings

from gongshi.accounts.throttle import LoginThrottle
from gongshi.core.choices import OrganisationType
from gongshi.core.testing import PASSWORD, make_org, make_user

REDIS_URL = os.environ.get("GONGSHI_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def redis_cache():
    connection = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3)
    try:
        connection.ping()
    except redis.ConnectionError as error:
        pytest.fail(
            f"无法连接 Redis（{REDIS_URL}）：请启动 Redis（`make services`）后重试。/ "
            f"Redis is not reachable at {REDIS_URL}: {error}",
            pytrace=False,
        )
    prefix = f"gongshi-test-{uuid.uuid4().hex}"
    config = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    with override_settings(CACHES=config):
        yield connection, prefix
        caches["default"].close()
    for key in connection.scan_iter(f"{prefix}:*"):
        connection.delete(key)


def test_the_lockout_is_kept_in_redis(client, db, settings, redis_cache):
    connection, prefix = redis_cache
    make_user("liwei", make_org(OrganisationType.DEVELOPER))
    for _ in range(settings.GONGSHI_LOGIN_MAX_FAILURES):
        client.post("/accounts/login/", {"username": "liwei", "password": "wrong"})

    response = client.post("/accounts/login/", {"username": "liwei", "password": PASSWORD})

    assert response.status_code == 429
    assert "登录失败次数过多" in " ".join(response.context["form"].non_field_errors())
    stored = [key.decode() for key in connection.scan_iter(f"{prefix}:*")]
    assert any("gongshi:login-failures:" in key for key in stored), stored
    count_key = next(key for key in stored if key.endswith(":count"))
    assert int(connection.get(count_key)) == settings.GONGSHI_LOGIN_MAX_FAILURES
    assert 0 < connection.ttl(count_key) <= settings.GONGSHI_LOGIN_WINDOW_SECONDS


def test_a_reset_removes_the_counts_from_redis(db, rf, redis_cache):
    connection, prefix = redis_cache
    throttle = LoginThrottle(username="liwei", address="203.0.113.7")
    throttle.record_failure()
    assert list(connection.scan_iter(f"{prefix}:*"))
    throttle.reset()
    assert not list(connection.scan_iter(f"{prefix}:*"))
