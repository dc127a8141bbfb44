"""Periodic jobs that are safe to start twice at once: one runs, the other says so and stops.

Timers overlap (a slow run still going when the next one starts, two hosts with the same
timer); each job takes a lock named after it first. On PostgreSQL the lock is a session
advisory lock, so it holds across hosts; on SQLite — one host by construction — it is an
exclusive ``flock`` on a file in the data directory. Either is released when the process
ends, however it ends.
"""

from __future__ import annotations

import contextlib
import fcntl
import zlib
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection
from django.utils.translation import gettext as _


@contextlib.contextmanager
def job_lock(name: str) -> Iterator[bool]:
    """Yields True when this process holds the lock for ``name``, False when another does."""
    if connection.vendor == "postgresql":
        key = zlib.crc32(f"gongshi.job.{name}".encode())
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
            held = cursor.fetchone()[0]
        try:
            yield held
        finally:
            if held:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
        return
    directory = Path(settings.DATA_DIR) / "locks"
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / f"{name}.lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


class PeriodicCommand(BaseCommand):
    """A management command run by a timer: subclasses implement ``run`` instead of ``handle``.

    The lock is named after the command; a second copy started while one runs prints that it
    skipped and exits 0 (the timer did nothing wrong).
    """

    job_name = ""

    def handle(self, *args, **options):
        name = self.job_name or type(self).__module__.rsplit(".", 1)[-1]
        with job_lock(name) as held:
            if not held:
                self.stdout.write(
                    _("另一个 %(job)s 正在运行，本次跳过。") % {"job": f"gongshi {name}"}
                )
                return
            return self.run(*args, **options)

    def run(self, *args, **options):  # pragma: no cover - every subclass defines it
        raise NotImplementedError(f"{type(self).__name__} must define run(), the job itself")
