"""Concurrent publishers get dense, unique leaf indices and a tree that verifies.

On PostgreSQL the publishers are separate processes with their own connections (as app
servers behind a load balancer are); on SQLite, threads (one process is the embedded
deployment). Both publish through ``publish_version``.
"""

from __future__ import annotations

import multiprocessing
import threading

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


def _thread(version_ids: list[int], user_id: int, errors: list) -> None:
    try:
        _publish_all(version_ids, user_id)
    except Exception as exc:  # reported by the test, not lost in the thread
        errors.append(exc)
    finally:
        connections.close_all()


def test_concurrent_publishers_get_dense_unique_indices_and_a_verifying_tree(
    transactional_db, django_db_serialized_rollback, world
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
        errors: list = []
        workers = [
            threading.Thread(target=_thread, args=(b, developer.pk, errors)) for b in batches
        ]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(120)
        assert errors == []

    total = PUBLISHERS * PER_PUBLISHER
    indices = list(LogEntry.objects.order_by("index").values_list("index", flat=True))
    assert indices == list(range(total))
    stamped = sorted(DisclosureVersion.objects.published().values_list("leaf_index", flat=True))
    assert stamped == list(range(total))
    leaves = [bytes(h) for h in LogEntry.objects.order_by("index").values_list("leaf_hash", flat=True)]
    checkpoint = log.latest_checkpoint()
    assert checkpoint.tree_size == total
    assert bytes(checkpoint.root_hash) == root_of(leaves) == log.root_at(total)
    for index in range(total):
        verify_inclusion(
            index, total, leaves[index], log.inclusion_proof(index, total), root_of(leaves)
        )
