import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone

from gongshi.core.testing import assert_matrix
from gongshi.integrity.log import append_leaf

pytestmark = pytest.mark.django_db


def _value(text: str, name: str) -> float:
    for line in text.splitlines():
        if line.startswith(name + " ") or line.startswith(name + "{"):
            return float(line.rsplit(" ", 1)[1])
    raise AssertionError(f"{name} not in the metrics")


def test_it_is_refused_from_other_addresses_whoever_asks(world):
    far = {"REMOTE_ADDR": "203.0.113.9"}
    assert_matrix(
        world,
        "GET",
        "/metrics",
        {
            "anonymous": 403,
            "outsider": 403,
            "unit": 403,
            "developer": 403,
            "other_regulator": 403,
            "regulator": 403,
            "admin": 403,
        },
        **far,
    )


def test_a_token_opens_it_from_anywhere(client, settings):
    settings.GONGSHI_METRICS_TOKEN = "s3cret-token"
    far = {"REMOTE_ADDR": "203.0.113.9"}
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong", **far).status_code == 403
    ok = client.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-token", **far)
    assert ok.status_code == 200


def test_it_reports_requests_queries_cache_and_the_state(client, world):
    cache.set("present", 1)
    cache.get("present")
    cache.get("absent")
    client.get(f"/p/{world.project.code}/")
    append_leaf("test", {"n": 1}, checkpoint=False)

    from gongshi.participation.models import Question

    long_ago = timezone.now() - dt.timedelta(days=90)
    Question.objects.create(
        project=world.project,
        body="何时交房？",
        contact="13800000000",
        contact_kind="mobile",
        deadline_working_days=15,
        asker_token_hash="x" * 64,
        asked_at=long_ago,
    )

    text = client.get("/metrics").content.decode()
    assert "gongshi_http_request_duration_seconds_bucket{" in text
    assert 'view="public:project"' in text
    assert _value(text, 'gongshi_db_queries_total{view="public:project"}') > 0
    assert _value(text, 'gongshi_cache_gets_total{result="hit"}') >= 1
    assert _value(text, 'gongshi_cache_gets_total{result="miss"}') >= 1
    assert _value(text, "gongshi_tasks_ready") >= 0
    assert _value(text, "gongshi_log_entries") >= 1
    assert _value(text, "gongshi_log_unsigned_entries") >= 1
    assert _value(text, "gongshi_log_checkpoint_age_seconds") >= -1
    assert _value(text, "gongshi_questions_overdue") == 1
