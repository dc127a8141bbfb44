"""Prometheus metrics: what each process counts, and what the database says at scrape time.

Counted in process (and summed over gunicorn's workers through prometheus-client's
multiprocess mode when ``PROMETHEUS_MULTIPROC_DIR`` is set, as the gunicorn config does):
request latency by view, database queries by view, cache hits and misses. Read at scrape
time, so every worker answers the same: task queue depth, the publication log's size, the
age of its latest checkpoint and the entries it does not cover yet, overdue questions.
"""

from __future__ import annotations

import os

from django.utils import timezone
from prometheus_client import (
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily

REQUEST_LATENCY = Histogram(
    "gongshi_http_request_duration_seconds",
    "Time from the first middleware to the response, by view.",
    ["view", "method", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
DB_QUERIES = Counter(
    "gongshi_db_queries_total", "Database queries run while answering requests, by view.", ["view"]
)
CACHE_GETS = Counter("gongshi_cache_gets_total", "Cache reads by result (hit or miss).", ["result"])


def observe_request(view: str, method: str, status: int, seconds: float, queries: int) -> None:
    REQUEST_LATENCY.labels(view, method, str(status)).observe(seconds)
    if queries:
        DB_QUERIES.labels(view).inc(queries)


def count_cache(hits: int, misses: int) -> None:
    if hits:
        CACHE_GETS.labels("hit").inc(hits)
    if misses:
        CACHE_GETS.labels("miss").inc(misses)


class StateCollector:
    """Gauges read from the database when Prometheus scrapes."""

    def collect(self):
        from django_tasks_db.models import DBTaskResult

        from gongshi.integrity.log import latest_checkpoint, logged_size, tree_size
        from gongshi.participation.models import Question
        from gongshi.participation.questions import with_deadlines

        now = timezone.now()
        ready = DBTaskResult.objects.ready()
        yield GaugeMetricFamily(
            "gongshi_tasks_ready", "Background tasks waiting for a worker.", value=ready.count()
        )
        oldest = ready.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
        yield GaugeMetricFamily(
            "gongshi_tasks_oldest_ready_age_seconds",
            "Age of the oldest task waiting for a worker (0 when none).",
            value=(now - oldest).total_seconds() if oldest else 0,
        )
        size = logged_size()  # on PostgreSQL some may not be in the tree yet
        yield GaugeMetricFamily(
            "gongshi_log_entries", "Entries in the publication log.", value=size
        )
        yield GaugeMetricFamily(
            "gongshi_log_pending_entries",
            "Log entries committed but not yet integrated into the stored tree.",
            value=size - tree_size(),
        )
        checkpoint = latest_checkpoint()
        yield GaugeMetricFamily(
            "gongshi_log_unsigned_entries",
            "Log entries not yet covered by a signed checkpoint.",
            value=size - (checkpoint.tree_size if checkpoint else 0),
        )
        yield GaugeMetricFamily(
            "gongshi_log_checkpoint_age_seconds",
            "Age of the latest signed checkpoint (-1 when there is none).",
            value=(now - checkpoint.created_at).total_seconds() if checkpoint else -1,
        )
        unanswered = Question.objects.visible().unanswered()
        overdue = sum(state.is_overdue for state in with_deadlines(unanswered, now=now))
        yield GaugeMetricFamily(
            "gongshi_questions_overdue",
            "Public questions unanswered after their deadline.",
            value=overdue,
        )


def exposition() -> bytes:
    """The text Prometheus scrapes: this process's (or all workers') counters plus the state."""
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.MultiProcessCollector(registry)
    else:
        from prometheus_client import REGISTRY

        registry = REGISTRY
        registry_state = CollectorRegistry()
        registry_state.register(StateCollector())
        return generate_latest(registry) + generate_latest(registry_state)
    registry.register(StateCollector())
    return generate_latest(registry)
