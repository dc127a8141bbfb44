"""Readiness checks: can this process serve and write right now?

Each check returns ``(ok, detail)``; :func:`readiness` runs them all (one failing does not
hide the others) and times each. Written here rather than with django-health-check: its
view is async and runs the database check on a thread pool, outside the request's
connection handling, and answers 500 where a load balancer expects 503; ours are a few
lines each and run in the request's own thread and connection.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from django.utils.translation import gettext as _

Check = Callable[[], tuple[bool, str]]

# Set once every migration is applied: they cannot become unapplied while this code runs
# (a deploy with new migrations restarts the processes), and the graph costs ~50 ms to load.
_migrations_applied = False


def check_database() -> tuple[bool, str]:
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return True, connections[DEFAULT_DB_ALIAS].vendor


def check_migrations() -> tuple[bool, str]:
    global _migrations_applied
    if not _migrations_applied:
        connection = connections[DEFAULT_DB_ALIAS]
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if plan:
            names = ", ".join(f"{m.app_label}.{m.name}" for m, _backwards in plan[:5])
            return False, _("有 %(count)d 个迁移未执行（%(names)s）：请运行 gongshi migrate。") % {
                "count": len(plan),
                "names": names,
            }
        _migrations_applied = True
    return True, _("全部已执行")


def check_cache() -> tuple[bool, str]:
    key = f"gongshi:readyz:{uuid.uuid4().hex}"
    cache.set(key, "1", 10)
    value = cache.get(key)
    cache.delete(key)
    if value != "1":
        return False, _("缓存写入后读不回来：请检查 REDIS_URL 指向的 Redis。")
    return True, settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]


def check_storage() -> tuple[bool, str]:
    content = uuid.uuid4().hex.encode()
    name = default_storage.save(f"readyz/{uuid.uuid4().hex}.txt", ContentFile(content))
    try:
        with default_storage.open(name, "rb") as stored:
            back = stored.read()
    finally:
        default_storage.delete(name)
    if back != content:
        return False, _("文件存储写入后读回的内容不同：请检查存储配置。")
    return True, type(default_storage._wrapped).__name__


def check_signing_key() -> tuple[bool, str]:
    from gongshi.integrity.keys import signing_key

    signing_key()  # raises ImproperlyConfigured, with what to set, when there is none
    return True, _("已配置")


# Background work (priority below 0, e.g. reading scans for the cross-check) may wait behind
# the rest for a long time on a busy worker — the demo queues minutes of OCR — so it only
# counts as stuck after this many times the limit.
BACKGROUND_AGE_FACTOR = 24


def check_task_backlog() -> tuple[bool, str]:
    from django_tasks_db.models import DBTaskResult

    ready = DBTaskResult.objects.ready()
    limit = settings.GONGSHI_READY_MAX_TASK_AGE_SECONDS
    now = timezone.now()

    def oldest_age(tasks) -> float:
        oldest = tasks.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
        return (now - oldest).total_seconds() if oldest else 0

    age = oldest_age(ready.filter(priority__gte=0))
    background_age = oldest_age(ready.filter(priority__lt=0))
    count = ready.count() if age or background_age else 0
    detail = _("%(count)d 个任务等待中，最早的已等 %(age)d 秒（上限 %(limit)d 秒）") % {
        "count": count,
        "age": age,
        "limit": limit,
    }
    if background_age:
        detail += _("；后台任务最早的已等 %(age)d 秒（上限 %(limit)d 秒）") % {
            "age": background_age,
            "limit": limit * BACKGROUND_AGE_FACTOR,
        }
    if age > limit or background_age > limit * BACKGROUND_AGE_FACTOR:
        return False, detail + _("：请检查 gongshi db_worker 是否在运行。")
    return True, detail


def check_checkpoint_age() -> tuple[bool, str]:
    """Entries a checkpoint does not cover yet are fine for a while, not for long."""
    from gongshi.integrity.log import latest_checkpoint, logged_size
    from gongshi.integrity.models import LogEntry

    size = logged_size()  # integrated or not: either way a checkpoint must come
    checkpoint = latest_checkpoint()
    signed = checkpoint.tree_size if checkpoint else 0
    if size <= signed:
        return True, _("日志 %(size)d 条，全部已签名") % {"size": size}
    first_unsigned = (
        LogEntry.objects.filter(index__gte=signed).values_list("created_at", flat=True).first()
    )
    age = (timezone.now() - first_unsigned).total_seconds() if first_unsigned else 0
    limit = settings.GONGSHI_READY_MAX_CHECKPOINT_AGE_SECONDS
    detail = _("日志 %(size)d 条，最新检查点覆盖 %(signed)d 条") % {"size": size, "signed": signed}
    if age <= limit:
        return True, detail
    return False, detail + _(
        "，未签名的条目已超过 %(limit)d 秒：请检查 gongshi checkpoint 定时任务。"
    ) % {"limit": limit}


CHECKS: dict[str, Check] = {
    "database": check_database,
    "migrations": check_migrations,
    "cache": check_cache,
    "storage": check_storage,
    "signing_key": check_signing_key,
    "task_backlog": check_task_backlog,
    "checkpoint": check_checkpoint_age,
}


def readiness() -> tuple[bool, dict[str, dict]]:
    results: dict[str, dict] = {}
    for name, check in CHECKS.items():
        started = time.perf_counter()
        try:
            ok, detail = check()
        except Exception as error:  # any failure is a "not ready" with its reason
            ok, detail = False, f"{type(error).__name__}: {error}"
        results[name] = {
            "ok": ok,
            "detail": str(detail),
            "ms": round((time.perf_counter() - started) * 1000, 1),
        }
    return all(r["ok"] for r in results.values()), results
