"""The publication log: append leaves, make signed checkpoints, answer proofs.

Every publication event appends exactly one leaf with :func:`append_leaf`, inside the
transaction that publishes, so the leaf and the publication commit or roll back together.
Appends are serialised by locking the single :class:`LogHead` row (``SELECT … FOR UPDATE``
on PostgreSQL; on SQLite the IMMEDIATE transaction already holds the write lock), which
keeps leaf indices dense and unique with any number of publishing processes.

An entry is the canonical JSON of its payload (:func:`gongshi.integrity.merkle.canonical_json`)
with a ``"type"`` member naming its kind.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.dispatch import Signal
from django.utils import timezone

from gongshi.integrity import keys, tree
from gongshi.integrity.merkle import HASH_SIZE, canonical_json, leaf_hash
from gongshi.integrity.models import (
    Checkpoint,
    LogEntry,
    LogHead,
    LogNode,
    pack_node_key,
    unpack_node_key,
)
from gongshi.integrity.note import sign_checkpoint

logger = logging.getLogger(__name__)

HEAD_PK = 1


class ProofRequestError(ValueError):
    """A proof asked for sizes or indices the log cannot prove (bad request, not damage)."""


# The append path uses plain SQL: it runs inside every publication, and the ORM's overhead
# (four querysets per leaf) was most of its cost — see bench/integrity_bench.py.
_HEAD = LogHead._meta.db_table
_ENTRY = LogEntry._meta.db_table
_NODE = LogNode._meta.db_table


def _locked_head() -> tuple[int, list[bytes]]:
    """Lock the head row for this transaction; returns (tree size, frontier).

    The row is made by the first append (a flushed test database has none). On SQLite the
    IMMEDIATE transaction already holds the database's write lock, so no FOR UPDATE.
    """
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    select = f"SELECT tree_size, frontier FROM {_HEAD} WHERE id = %s{lock}"
    with connection.cursor() as cursor:
        cursor.execute(select, [HEAD_PK])
        row = cursor.fetchone()
        if row is None:
            # Two first appends may race to create it: the loser's insert waits, then does
            # nothing, and both lock the one row below.
            cursor.execute(
                f"INSERT INTO {_HEAD} (id, tree_size, frontier) VALUES (%s, 0, %s)"
                " ON CONFLICT (id) DO NOTHING",
                [HEAD_PK, b""],
            )
            cursor.execute(select, [HEAD_PK])
            row = cursor.fetchone()
    return row[0], _split_frontier(row[1])


def _split_frontier(blob: bytes) -> list[bytes]:
    blob = bytes(blob)
    return [blob[i : i + HASH_SIZE] for i in range(0, len(blob), HASH_SIZE)]


def _append_locked(items: Iterable[tuple[str, dict]]) -> list[LogEntry]:
    size, frontier = _locked_head()
    now = timezone.now()
    entries: list[LogEntry] = []
    nodes: list[tuple[int, bytes]] = []
    for kind, payload in items:
        if payload.get("type", kind) != kind:
            raise ValueError(f"payload type {payload['type']!r} does not match kind {kind!r}")
        body = canonical_json({**payload, "type": kind})
        digest = leaf_hash(body)
        entries.append(
            LogEntry(index=size, kind=kind, entry=body, leaf_hash=digest, created_at=now)
        )
        for level, index, value in tree.frontier_append(frontier, size, digest):
            nodes.append((pack_node_key(level, index), value))
        size += 1
    if not entries:
        return entries
    created_at = LogEntry._meta.get_field("created_at").get_db_prep_value(now, connection)
    _write_locked(
        [(e.index, e.kind, e.entry, e.leaf_hash, created_at) for e in entries],
        nodes,
        size,
        frontier,
    )
    for entry in entries:  # they are rows now: saving one again must refuse, not insert
        entry._state.adding, entry._state.db = False, connection.alias
    return entries


# Rows per multi-row INSERT: well under PostgreSQL's 65,535 parameters a statement and
# SQLite's 32,766 (3.32+), with room for the other parts of a combined statement.
_MAX_PARAMS = 30_000


def _max_params() -> int:
    if connection.vendor == "sqlite":  # 32,766 since SQLite 3.32, 999 before
        connection.ensure_connection()
        limit = connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
        return min(_MAX_PARAMS, limit)
    return _MAX_PARAMS


def _inserts(table: str, columns: str, rows: list[tuple]) -> list[tuple[str, list]]:
    """Multi-row INSERT statements for ``rows``: one per chunk, not one per row."""
    if not rows:
        return []
    width = len(rows[0])
    marks = "(" + ", ".join(["%s"] * width) + ")"
    per = max(1, _max_params() // width)
    statements = []
    for start in range(0, len(rows), per):
        chunk = rows[start : start + per]
        values = ", ".join([marks] * len(chunk))
        params = [value for row in chunk for value in row]
        statements.append((f"INSERT INTO {table} {columns} VALUES {values}", params))
    return statements


def _write_locked(
    entry_rows: list[tuple], nodes: list[tuple[int, bytes]], size: int, frontier: list[bytes]
) -> None:
    """Write the sequenced leaves, the subtrees they complete and the new head.

    The head lock is held from here until the publication commits, so every round trip here
    is time no other publisher can append: on PostgreSQL the inserts and the head update are
    one statement (data-modifying CTEs); elsewhere, one multi-row INSERT per table.
    """
    head = f"UPDATE {_HEAD} SET tree_size = %s, frontier = %s WHERE id = %s"
    head_params = [size, b"".join(frontier), HEAD_PK]
    inserts = _inserts(_ENTRY, '("index", kind, entry, leaf_hash, created_at)', entry_rows)
    inserts += _inserts(_NODE, '("key", hash)', nodes)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and sum(len(p) for _, p in inserts) <= _MAX_PARAMS:
            ctes = ", ".join(f"w{n} AS ({sql})" for n, (sql, _) in enumerate(inserts))
            params = [value for _, chunk in inserts for value in chunk]
            cursor.execute(f"WITH {ctes} {head}", params + head_params)
            return
        for sql, params in inserts:
            cursor.execute(sql, params)
        cursor.execute(head, head_params)


def append_leaf(kind: str, payload: dict, *, checkpoint: bool = True) -> LogEntry:
    """Append one leaf for a publication event; returns it with its ``index``.

    Call it inside the transaction that publishes: the head lock is held until that
    transaction ends, so the index is final. With ``checkpoint`` (the default) a signed
    checkpoint covering the leaf is made once the transaction commits.
    """
    # No savepoint: a failed append fails the publication's whole transaction anyway.
    with transaction.atomic(savepoint=False):
        entry = _append_locked([(kind, payload)])[0]
    if checkpoint:
        transaction.on_commit(make_checkpoint_after_commit, robust=True)
    return entry


def append_leaves(items: Iterable[tuple[str, dict]], *, checkpoint: bool = True) -> list[LogEntry]:
    """Append many leaves under one lock (imports, the demo seeder, benchmarks)."""
    with transaction.atomic(savepoint=False):
        entries = _append_locked(items)
    if checkpoint and entries:
        transaction.on_commit(make_checkpoint_after_commit, robust=True)
    return entries


def tree_size() -> int:
    return LogHead.objects.filter(pk=HEAD_PK).values_list("tree_size", flat=True).first() or 0


def latest_checkpoint() -> Checkpoint | None:
    return Checkpoint.objects.latest_first().first()


def make_checkpoint(*, force: bool = False) -> Checkpoint | None:
    """Sign the current tree if it grew since the latest checkpoint; returns the new one.

    Holds the head lock while signing, so checkpoints are made in tree order and no two
    share a size.
    """
    with transaction.atomic():
        size, frontier = _locked_head()
        latest = latest_checkpoint()
        if latest is not None and latest.tree_size >= size and not force:
            return None
        root = tree.frontier_root(frontier)
        note = sign_checkpoint(keys.log_origin(), size, root, keys.signing_key())
        return Checkpoint.objects.create(tree_size=size, root_hash=root, signed_note=note)


# Sent when a checkpoint was made and witnesses are configured: ``integrity.tasks`` queues the
# push (witnesses are asked by the worker, never in a request; the log never imports tasks).
checkpoint_to_witness = Signal()


def make_checkpoint_after_commit() -> None:
    if make_checkpoint() is not None and settings.GONGSHI_WITNESSES:
        checkpoint_to_witness.send(sender=Checkpoint)


# Proofs -------------------------------------------------------------------------------


def fetch_nodes(wanted: set[tree.NodeKey]) -> dict[tree.NodeKey, bytes]:
    """Stored subtree hashes by (level, index), in one query whatever the number asked.

    Leaves (level 0) are the entries' hashes, inner nodes are in LogNode; one UNION ALL
    round trip, because on PostgreSQL the round trips are most of a proof's cost.
    """
    leaves = [index for level, index in wanted if level == 0]
    inner = [pack_node_key(level, index) for level, index in wanted if level > 0]
    parts, params = [], []
    if leaves:
        marks = ", ".join(["%s"] * len(leaves))
        parts.append(f'SELECT 0, "index", leaf_hash FROM {_ENTRY} WHERE "index" IN ({marks})')
        params += leaves
    if inner:
        marks = ", ".join(["%s"] * len(inner))
        parts.append(f'SELECT 1, "key", hash FROM {_NODE} WHERE "key" IN ({marks})')
        params += inner
    if not parts:
        return {}
    found: dict[tree.NodeKey, bytes] = {}
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        for is_inner, key, digest in cursor.fetchall():
            found[unpack_node_key(key) if is_inner else (0, key)] = bytes(digest)
    return found


@dataclass(frozen=True)
class InclusionProof:
    index: int
    tree_size: int
    leaf_hash: bytes
    hashes: list[bytes]


def _check_size(size: int) -> None:
    current = tree_size()
    if size > current:
        raise ProofRequestError(f"tree_size {size} is larger than the log ({current})")


def inclusion_proof(index: int, size: int) -> list[bytes]:
    if not 0 <= index < size:
        raise ProofRequestError(f"index {index} is not in a tree of size {size}")
    _check_size(size)
    return tree.inclusion_proof(index, size, fetch_nodes)


def inclusion_proofs(indices: Iterable[int], size: int) -> dict[int, list[bytes]]:
    """Proofs for many leaves of one tree with a single fetch (the verify page and API)."""
    indices = [index for index in indices if 0 <= index < size]
    plans = {index: tree.inclusion_ranges(index, size) for index in indices}
    flat = [r for ranges in plans.values() for r in ranges]
    hashes = iter(tree.range_hashes(flat, fetch_nodes))
    return {index: [next(hashes) for _ in ranges] for index, ranges in plans.items()}


def consistency_proof(first: int, second: int) -> list[bytes]:
    if not 0 <= first <= second:
        raise ProofRequestError(f"first ({first}) must not be larger than second ({second})")
    _check_size(second)
    return tree.consistency_proof(first, second, fetch_nodes)


def root_at(size: int) -> bytes:
    return tree.root_hash(size, fetch_nodes)
