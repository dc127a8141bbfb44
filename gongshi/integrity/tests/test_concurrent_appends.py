"""Concurrent publishers get dense, unique leaf indices and a tree that verifies.

On PostgreSQL the publishers are separate processes with their own connections (as app
servers behind a load balancer are); on SQLite, threads (one process is the embedded
deployment), against a WAL file copied from the test database (see concurrency_probe.py).
Both publish through ``publish_version``.
"""

from __future__ import annotations

import multiprocessing
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.db import connection, connections

from gongshi.catalogue.tests.factories import make_item, make_version
from gongshi.disclosures.models import DisclosureVersion
from gongshi.disclosures.services import publish_version
from gongshi.integrity import log
from gongshi.integrity.merkle import root_of, verify_inclusion
from gongshi.integrity.models import LogEntry

PUBLISHERS = 4
PER_PUBLISHER = 6


def _publish_all(version_ids: list[int], user_id: int) -> None:
    from gongshi.accounts.models import User

    user = User.objects.get(pk=user_id)
    for pk in version_ids:
        publish_version(DisclosureVersion.objects.get(pk=pk), user)


def _child(version_ids: list[int], user_id: int) -> None:
    # A forked child must not use the parent's socket: drop it and connect afresh.
    for conn in connections.all():
        conn.inc_thread_sharing()
        conn.connection = None
    try:
        _publish_all(version_ids, user_id)
    finally:
        connections.close_all()


def _publish_in_threads_on_a_file_copy(batches, user_id: int, tmp_path: Path) -> None:
    """SQLite: copy the test database to a WAL file and publish from threads against it."""
    target = sqlite3.connect(tmp_path / "gongshi.sqlite3")
    connection.ensure_connection()
    connection.connection.backup(target)
    target.execute("PRAGMA journal_mode=WAL")
    target.close()
    env = {
        **os.environ,
        "GONGSHI_DATA_DIR": str(tmp_path),
        "GONGSHI_LOG_SIGNING_KEY": settings.GONGSHI_LOG_SIGNING_KEY,
        "GONGSHI_LOG_ORIGIN": settings.GONGSHI_LOG_ORIGIN,
    }
    env.pop("DATABASE_URL", None)
    probe = Path(__file__).with_name("concurrency_probe.py")
    args = [",".join(map(str, batch)) for batch in batches]
    result = subprocess.run(
        [sys.executable, str(probe), str(user_id), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        cwd=settings.REPO_DIR,
    )
    assert result.returncode == 0, result.stderr


def _check_file_copy(path: Path, total: int) -> None:
    """The same checks as on PostgreSQL, read straight from the SQLite file."""
    db = sqlite3.connect(path)
    rows = db.execute('SELECT "index", leaf_hash FROM integrity_logentry ORDER BY "index"')
    indices, leaves = zip(*[(i, bytes(h)) for i, h in rows.fetchall()], strict=True)
    assert list(indices) == list(range(total))
    stamped = sorted(
        i
        for (i,) in db.execute(
            "SELECT leaf_index FROM disclosures_disclosureversion WHERE status = 'published'"
        )
    )
    assert stamped == list(range(total))
    size, root = db.execute(
        "SELECT tree_size, root_hash FROM integrity_checkpoint ORDER BY tree_size DESC LIMIT 1"
    ).fetchone()
    assert size == total
    assert bytes(root) == root_of(list(leaves))
    db.close()


def test_concurrent_publishers_get_dense_unique_indices_and_a_verifying_tree(
    transactional_db, django_db_serialized_rollback, world, tmp_path
):
    developer = world.users["developer"]
    batches = []
    for _ in range(PUBLISHERS):
        batch = []
        for _ in range(PER_PUBLISHER):
            version = make_version(world.project, make_item(), developer, information_date=None)
            version.information_date = version.created_at.date()
            version.save()
            batch.append(version.pk)
        batches.append(batch)

    if connection.vendor == "postgresql":
        connections.close_all()
        context = multiprocessing.get_context("fork")
        workers = [context.Process(target=_child, args=(b, developer.pk)) for b in batches]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(120)
        assert [w.exitcode for w in workers] == [0] * PUBLISHERS
    else:
        _publish_in_threads_on_a_file_copy(batches, developer.pk, tmp_path)

    total = PUBLISHERS * PER_PUBLISHER
    if connection.vendor == "sqlite":
        _check_file_copy(tmp_path / "gongshi.sqlite3", total)
        return
    indices = list(LogEntry.objects.order_by("index").values_list("index", flat=True))
    assert indices == list(range(total))
    stamped = sorted(DisclosureVersion.objects.published().values_list("leaf_index", flat=True))
    assert stamped == list(range(total))
    leaves = [
        bytes(h) for h in LogEntry.objects.order_by("index").values_list("leaf_hash", flat=True)
    ]
    checkpoint = log.latest_checkpoint()
    assert checkpoint.tree_size == total
    assert bytes(checkpoint.root_hash) == root_of(leaves) == log.root_at(total)
    for index in range(total):
        verify_inclusion(
            index, total, leaves[index], log.inclusion_proof(index, total), root_of(leaves)
        )
