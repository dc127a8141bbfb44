import datetime as dt

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from gongshi.core.testing import ROLES, assert_matrix
from gongshi.integrity.log import append_leaf

pytestmark = pytest.mark.django_db


def test_it_is_ready_with_every_check_passing(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ready"
    assert set(body["checks"]) == {
        "database",
        "migrations",
        "cache",
        "storage",
        "signing_key",
        "task_backlog",
        "checkpoint",
    }
    assert all(check["ok"] for check in body["checks"].values())


def test_it_is_not_ready_without_a_signing_key(client, settings, tmp_path):
    settings.GONGSHI_LOG_SIGNING_KEY = ""
    settings.GONGSHI_LOG_DEMO_KEY_PATH = tmp_path / "absent.pem"
    response = client.get("/readyz")
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert not checks["signing_key"]["ok"]
    assert "GONGSHI_LOG_SIGNING_KEY" in checks["signing_key"]["detail"]
    assert checks["database"]["ok"]


def _old_task(seconds: int, *, priority: int = 0) -> None:
    result = DBTaskResult.objects.create(
        task_path="gongshi.participation.tasks.send_answer_notice",
        args_kwargs={"args": [1], "kwargs": {}},
        queue_name="default",
        backend_name="default",
        run_after=timezone.now() - dt.timedelta(seconds=seconds),
        priority=priority,
    )
    # enqueued_at is auto_now_add: move it back as a stuck queue would have it.
    DBTaskResult.objects.filter(pk=result.pk).update(
        enqueued_at=timezone.now() - dt.timedelta(seconds=seconds)
    )


def test_a_task_waiting_too_long_means_no_worker_runs(client, settings):
    settings.GONGSHI_READY_MAX_TASK_AGE_SECONDS = 600
    _old_task(30)
    assert client.get("/readyz").status_code == 200
    _old_task(3600)
    response = client.get("/readyz")
    assert response.status_code == 503
    detail = response.json()["checks"]["task_backlog"]["detail"]
    assert "db_worker" in detail and "2 个任务" in detail


def test_background_work_may_wait_longer_behind_the_rest(client, settings):
    # The demo queues minutes of OCR (priority -50) behind notifications: a busy worker, not a
    # dead one. Only a day's worth of waiting background work means no worker runs.
    settings.GONGSHI_READY_MAX_TASK_AGE_SECONDS = 600
    _old_task(3600, priority=-50)
    response = client.get("/readyz")
    assert response.status_code == 200
    assert "后台任务最早的已等 3600 秒" in response.json()["checks"]["task_backlog"]["detail"]
    _old_task(600 * 24 + 60, priority=-50)
    assert client.get("/readyz").status_code == 503


def test_entries_long_without_a_checkpoint_make_it_not_ready(client, settings):
    append_leaf("test", {"n": 1}, checkpoint=False)
    assert client.get("/readyz").status_code == 200  # just appended: within the limit
    settings.GONGSHI_READY_MAX_CHECKPOINT_AGE_SECONDS = -1
    response = client.get("/readyz")
    assert response.status_code == 503
    assert "gongshi checkpoint" in response.json()["checks"]["checkpoint"]["detail"]


def test_a_failing_check_does_not_hide_the_others(client, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    settings.GONGSHI_LOG_SIGNING_KEY = "not a key"
    response = client.get("/readyz")
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert not checks["cache"]["ok"] and "Redis" in checks["cache"]["detail"]
    assert not checks["signing_key"]["ok"]
    assert checks["storage"]["ok"] and checks["migrations"]["ok"]


def test_everyone_may_ask(world):
    assert_matrix(world, "GET", "/readyz", dict.fromkeys(ROLES, 200))
