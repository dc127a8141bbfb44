"""The sequencer (PostgreSQL): indices from a sequence in the publishing transaction, the tree
built by the integrator, rolled-back numbers filled with void leaves once their owners ended.

On SQLite a rolled-back publication takes its index with it (the head lock), so the same
checks hold there with no filler at all.
"""

from __future__ import annotations

import io
import json
import threading

import pytest
from django.core.management import call_command
from django.db import connection, connections, transaction
from django.test import Client

from gongshi.integrity import keys, log, verifier
from gongshi.integrity.merkle import canonical_json, leaf_hash, root_of, verify_inclusion
from gongshi.integrity.models import LogEntry, LogHead
from gongshi.integrity.tests.static_server import serve_directory

PUBLISHERS = 6
PER_PUBLISHER = 8


class RolledBack(Exception):
    pass


def _publish(
    thread: int, outcomes: list[tuple[int, bool]], errors: list[BaseException], own=True
) -> None:
    """One publisher: every third publication fails after taking its index and rolls back."""
    try:
        for n in range(PER_PUBLISHER):
            keep = (thread + n) % 3 != 0
            try:
                with transaction.atomic():
                    entry = log.append_leaf("test", {"publisher": thread, "n": n})
                    outcomes.append((entry.index, keep))
                    if not keep:
                        raise RolledBack
            except RolledBack:
                pass
    except BaseException as exc:  # pragma: no cover - reported by the test
        errors.append(exc)
    finally:
        if own:  # a thread's own connection
            connections.close_all()


def _check_tree(size: int) -> list[LogEntry]:
    """Indices 0…size-1, the stored root = the recomputed one, every proof verifies."""
    entries = list(LogEntry.objects.order_by("index"))
    assert [e.index for e in entries] == list(range(size))
    leaves = [bytes(e.leaf_hash) for e in entries]
    assert all(leaf_hash(bytes(e.entry)) == bytes(e.leaf_hash) for e in entries)
    root = root_of(leaves)
    assert log.root_at(size) == root
    for index in range(size):
        verify_inclusion(index, size, leaves[index], log.inclusion_proof(index, size), root)
    return entries


def test_concurrent_publishers_some_rolling_back_leave_a_dense_log_with_fillers(
    transactional_db, django_db_serialized_rollback
):
    outcomes: list[tuple[int, bool]] = []
    errors: list[BaseException] = []
    if connection.vendor == "postgresql":
        threads = [
            threading.Thread(target=_publish, args=(t, outcomes, errors)) for t in range(PUBLISHERS)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
    else:  # the in-memory test database is one connection (test_concurrent_appends.py)
        for t in range(PUBLISHERS):
            _publish(t, outcomes, errors, own=False)
    assert errors == []

    log.settle(timeout=60)
    checkpoint = log.make_checkpoint()
    kept = sorted(index for index, keep in outcomes if keep)
    rolled_back = sorted(index for index, keep in outcomes if not keep)
    if connection.vendor == "postgresql":  # every number once; the rolled-back ones filled
        total = PUBLISHERS * PER_PUBLISHER
        assert sorted(kept + rolled_back) == list(range(total))
    else:  # a rolled-back append took its index with it
        total = len(kept)
        assert kept == list(range(total))
    assert log.tree_size() == total
    entries = _check_tree(total)
    voids = [e.index for e in entries if e.kind == log.VOID_KIND]
    if connection.vendor == "postgresql":
        assert voids == rolled_back != []
        for index in voids:
            assert bytes(entries[index].entry) == canonical_json({"index": index, "type": "void"})
    else:
        assert voids == []
    assert all(entries[index].kind == "test" for index in kept)
    latest = checkpoint or log.latest_checkpoint()
    assert latest.tree_size == log.tree_size() == total
    assert latest.root_hash == log.root_at(total)


@pytest.mark.postgresql_only  # SQLite has no sequence: the head lock keeps indices dense
def test_a_leaf_of_a_transaction_still_running_is_not_filled(
    transactional_db, django_db_serialized_rollback
):
    taken, release, done = threading.Event(), threading.Event(), threading.Event()
    held: list[int] = []

    def slow_publisher() -> None:
        try:
            with transaction.atomic():
                held.append(log.append_leaf("test", {"slow": True}, checkpoint=False).index)
                taken.set()
                release.wait(60)
        finally:
            connections.close_all()
            done.set()

    log.append_leaf("test", {"n": 0})
    thread = threading.Thread(target=slow_publisher)
    thread.start()
    assert taken.wait(30)
    log.append_leaf("test", {"n": 2})  # committed behind the one in flight

    result = log.settle(timeout=1)
    assert (result.tree_size, result.blocked, result.voids) == (1, True, 0)
    assert not LogEntry.objects.filter(kind=log.VOID_KIND).exists()
    assert log.latest_checkpoint().tree_size == 1  # covers only integrated leaves

    release.set()
    thread.join(30)
    assert done.is_set()
    log.make_checkpoint()
    assert held == [1]
    entries = _check_tree(3)
    assert [e.kind for e in entries] == ["test", "test", "test"]
    assert log.latest_checkpoint().tree_size == 3


def test_a_publication_returns_with_its_leaf_integrated_and_signed(
    transactional_db, django_db_serialized_rollback
):
    entry = log.append_leaf("test", {"n": 1})  # autocommit: its commit is now
    assert log.tree_size() == entry.index + 1
    assert log.latest_checkpoint().tree_size == entry.index + 1


@pytest.mark.postgresql_only  # SQLite has no sequence: the head lock keeps indices dense
def test_one_integration_signs_one_checkpoint_for_the_whole_batch(db):
    for n in range(5):
        log.append_leaf("test", {"n": n}, checkpoint=False)
    assert log.tree_size() == 0  # not committed, not integrated
    result = log.integrate(checkpoint=True)
    assert (result.tree_size, result.integrated) == (5, 5)
    assert result.checkpoint.tree_size == 5
    again = log.integrate(up_to=4, checkpoint=True)  # its leaf is in: returns at once
    assert (again.integrated, again.checkpoint) == (0, None)


@pytest.mark.postgresql_only  # SQLite has no sequence: the head lock keeps indices dense
def test_a_proof_of_a_leaf_not_yet_integrated_says_so(db):
    log.append_leaf("test", {"n": 0}, checkpoint=False)
    log.make_checkpoint()
    pending = log.append_leaf("test", {"n": 1}, checkpoint=False)
    assert log.is_pending(pending.index)
    response = Client().get(f"/api/v1/log/proof/inclusion?index={pending.index}")
    assert response.status_code == 409
    body = response.json()
    assert body["error"]["code"] == "not_integrated"
    assert "还没有并入" in body["error"]["message"]
    entry = Client().get(f"/api/v1/log/entries/{pending.index}").json()
    assert json.loads(entry["entry"]) == {"n": 1, "type": "test"}


def test_callers_may_not_write_void_leaves(db):
    with pytest.raises(ValueError, match="integrator"):
        log.append_leaf("void", {"index": 0})


@pytest.mark.postgresql_only  # SQLite has no sequence: the head lock keeps indices dense
def test_the_verifier_accepts_void_leaves_in_the_tiles_and_catches_a_changed_one(
    transactional_db, django_db_serialized_rollback, world, tmp_path
):
    with pytest.raises(RolledBack), transaction.atomic():
        log.append_leaf("test", {"n": 0})
        raise RolledBack
    log.append_leaf("test", {"n": 1})
    log.settle(timeout=60)
    log.make_checkpoint()
    assert LogEntry.objects.get(index=0).kind == log.VOID_KIND
    pubkey = tmp_path / "gongshi-log.pub"
    pubkey.write_text(keys.public_key().text + "\n", encoding="utf-8")
    call_command("export_tiles", str(tmp_path / "tiles"), stdout=io.StringIO())
    args = ["--pubkey", str(pubkey), "--project", world.project.code]
    with serve_directory(tmp_path / "tiles", tmp_path / "server") as (url, _kind):
        out, err = io.StringIO(), io.StringIO()
        assert verifier.run(["--tiles", url, *args], out=out, err=err) == 0, err.getvalue()
        assert "1 个空位条目" in out.getvalue()
        real, forged = b'{"index":0,"type":"void"}', b'{"index":7,"type":"void"}'
        for bundle in (tmp_path / "tiles" / "tile" / "entries").rglob("*"):
            if bundle.is_file() and real in bundle.read_bytes():
                bundle.write_bytes(bundle.read_bytes().replace(real, forged))
        out, err = io.StringIO(), io.StringIO()
        code = verifier.run(["--tiles", url, *args], out=out, err=err)
    assert code == verifier.EXIT_FAILED
    assert "日志第 0 条自称空位条目" in err.getvalue()


@pytest.mark.postgresql_only  # SQLite has no sequence: the head lock keeps indices dense
def test_a_watermark_from_another_cluster_is_dropped_not_waited_for(db):
    """After a restore into another cluster the stored transaction id means nothing here: a
    later integrator drops it (and takes a new one if a number is still missing)."""
    log.append_leaf("test", {"n": 0}, checkpoint=False)
    LogHead.objects.update_or_create(pk=1, defaults={"pending_last": 0, "pending_xid": 2**62})
    log.integrate()
    head = LogHead.objects.get(pk=1)
    assert (head.tree_size, head.pending_last, head.pending_xid) == (1, None, None)
