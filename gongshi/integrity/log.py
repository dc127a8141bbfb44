"""The publication log: append leaves, integrate them into the tree, sign checkpoints, prove.

Every publication event appends exactly one leaf with :func:`append_leaf`, inside the
transaction that publishes, so the leaf and the publication commit or roll back together,
and the caller reads the leaf's final ``index`` in that transaction.

SQLite (one writer at a time anyway): the append locks the log head (the IMMEDIATE
transaction holds the write lock), writes the leaf, the subtrees it completes and the new
head, and a checkpoint is signed after the commit — the leaf is in the tree at once.

PostgreSQL (many publishing processes): a lock on the head held until each publication's
commit is flushed made the commits serial (BENCHMARKS.md, issue 15). So the index comes
from a SEQUENCE (``nextval``, no lock: the 32 publishers' commits group) and the leaf row is
inserted with it; the stored tree (subtrees, head size and frontier) is built afterwards by
:func:`integrate`, serialised by the head row's lock, which reads the entries from the head's
size on, in index order, and appends the contiguous run to the frontier in one batch. It
runs after each publication's commit (an integrator that waited for the lock usually finds
its leaf already integrated by the batch before and returns at once) and in ``gongshi
checkpoint``. Checkpoints cover integrated leaves only, one signature per batch.

Gaps. A number taken by a transaction that then rolls back is never inserted: a sequence is
not transactional. The integrator fills such a hole with a filler leaf,
``{"index": n, "type": "void"}``, but only once it is certain the number's owner has ended,
because a filler written while the owner is still running would take its index (its insert
would then fail on the primary key — safe, but a lost publication). The proof of death:

1. A publisher has a transaction id before it takes a number (``pg_current_xact_id()`` in a
   materialised CTE evaluated before ``nextval``).
2. The integrator reads the sequence's ``last_value`` L, then, in a later statement outside
   any transaction, takes a fresh transaction id X (``pg_current_xact_id()`` in autocommit).
   Transaction ids are handed out in increasing order, so every transaction that took a
   number ≤ L had its id before L was read, hence before X: its id is < X. (Not the
   snapshot's ``xmax``: that is one past the latest *completed* id, and a running
   transaction may hold a larger one.) The pair (L, X) is the *watermark*, kept in the head
   row so any later integrator can complete it.
3. Once no transaction of this database with an id < X is running (each transaction holds
   the lock on its own id until it has ended: ``pg_locks``, the lock a row-lock waiter
   waits on), every number ≤ L that is still missing (read after that check) belongs to a
   transaction that rolled back: it gets a filler. A snapshot's ``xmin`` ≥ X says the same
   for the whole cluster and is tried first; it alone would let a long write transaction in
   another database (a bulk load) hold the fillers back.

A watermark whose X is not yet completed in this cluster's history (a snapshot's ``xmax`` ≤
X, after a restore into another cluster) is dropped and taken again. Inside an outer
transaction (a test, a caller's atomic block) no watermark is taken: its own id predates X.
Publishers must connect as the integrator's role (or one it may see in
``pg_stat_activity``), and not use two-phase commit.

An entry is the canonical JSON of its payload (:func:`gongshi.integrity.merkle.canonical_json`)
with a ``"type"`` member naming its kind.
"""

from __future__ import annotations

import logging
import sqlite3
import time
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
_ENTRY_COLUMNS = '("index", kind, entry, leaf_hash, created_at)'


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


def _prepared(items: Iterable[tuple[str, dict]]) -> list[tuple[str, bytes, bytes]]:
    """(kind, canonical entry, leaf hash) of each item; refuses a mismatched or void kind."""
    rows = []
    for kind, payload in items:
        if payload.get("type", kind) != kind:
            raise ValueError(f"payload type {payload['type']!r} does not match kind {kind!r}")
        if kind == VOID_KIND:
            raise ValueError("void leaves are written by the integrator only")
        body = canonical_json({**payload, "type": kind})
        rows.append((kind, body, leaf_hash(body)))
    return rows


def _as_rows(entries: list[LogEntry]) -> list[LogEntry]:
    for entry in entries:  # they are rows now: saving one again must refuse, not insert
        entry._state.adding, entry._state.db = False, connection.alias
    return entries


def _append_locked(items: Iterable[tuple[str, dict]]) -> list[LogEntry]:
    size, frontier = _locked_head()
    now = timezone.now()
    entries: list[LogEntry] = []
    nodes: list[tuple[int, bytes]] = []
    for kind, body, digest in _prepared(items):
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
    return _as_rows(entries)


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
    entry_rows: list[tuple],
    nodes: list[tuple[int, bytes]],
    size: int,
    frontier: list[bytes],
    watermark: tuple[int | None, int | None] | None = None,
) -> None:
    """Write the sequenced leaves, the subtrees they complete and the new head.

    On SQLite the head lock is held from here until the publication commits; the integrator
    uses it too, on PostgreSQL, where the inserts and the head update are one statement
    (data-modifying CTEs); elsewhere, one multi-row INSERT per table.
    """
    head = f"UPDATE {_HEAD} SET tree_size = %s, frontier = %s WHERE id = %s"
    head_params = [size, b"".join(frontier), HEAD_PK]
    if watermark is not None:  # the integrator's (last number, transaction id) pair
        head = f"UPDATE {_HEAD} SET tree_size = %s, frontier = %s, pending_last = %s,"
        head += " pending_xid = %s WHERE id = %s"
        head_params = [size, b"".join(frontier), *watermark, HEAD_PK]
    inserts = _inserts(_ENTRY, _ENTRY_COLUMNS, entry_rows)
    inserts += _inserts(_NODE, '("key", hash)', nodes)
    with connection.cursor() as cursor:
        if (
            connection.vendor == "postgresql"
            and inserts
            and sum(len(p) for _, p in inserts) <= _MAX_PARAMS
        ):
            ctes = ", ".join(f"w{n} AS ({sql})" for n, (sql, _) in enumerate(inserts))
            params = [value for _, chunk in inserts for value in chunk]
            cursor.execute(f"WITH {ctes} {head}", params + head_params)
            return
        for sql, params in inserts:
            cursor.execute(sql, params)
        cursor.execute(head, head_params)


# PostgreSQL: the sequence and the integrator (see the module docstring) -----------------

SEQUENCE = "integrity_log_index"  # made by migration 0005
VOID_KIND = "void"
# Entries read per pass of the integrator: one round trip, then the hashing in Python.
_BATCH = 5_000
# The publisher's transaction id is assigned before its number is taken (docstring, step 1).
_XID_FIRST = "WITH x AS MATERIALIZED (SELECT pg_current_xact_id())"


def sequenced() -> bool:
    """Whether indices come from the sequence and an integrator builds the tree (PostgreSQL)."""
    return connection.vendor == "postgresql"


def void_entry(index: int) -> bytes:
    """The filler leaf at ``index``, whose publication rolled back."""
    return canonical_json({"index": index, "type": VOID_KIND})


def _append_sequenced(items: Iterable[tuple[str, dict]]) -> list[LogEntry]:
    """Insert the leaves with numbers from the sequence: no lock, one round trip per leaf."""
    rows = _prepared(items)
    if not rows:
        return []
    now = timezone.now()
    created_at = LogEntry._meta.get_field("created_at").get_db_prep_value(now, connection)
    with connection.cursor() as cursor:
        if len(rows) == 1:
            cursor.execute(
                f"{_XID_FIRST} INSERT INTO {_ENTRY} {_ENTRY_COLUMNS}"
                f" SELECT nextval('{SEQUENCE}'), %s, %s, %s, %s FROM x RETURNING \"index\"",
                [*rows[0], created_at],
            )
            indices = [cursor.fetchone()[0]]
        else:
            cursor.execute(
                f"{_XID_FIRST} SELECT nextval('{SEQUENCE}') FROM x, generate_series(1, %s)"
                " ORDER BY 1",
                [len(rows)],
            )
            indices = [index for (index,) in cursor.fetchall()]
            entry_rows = [(i, *row, created_at) for i, row in zip(indices, rows, strict=True)]
            for sql, params in _inserts(_ENTRY, _ENTRY_COLUMNS, entry_rows):
                cursor.execute(sql, params)
    return _as_rows(
        [
            LogEntry(index=i, kind=kind, entry=body, leaf_hash=digest, created_at=now)
            for i, (kind, body, digest) in zip(indices, rows, strict=True)
        ]
    )


@dataclass(frozen=True)
class Integration:
    """What one :func:`integrate` did."""

    tree_size: int
    integrated: int  # leaves added to the stored tree, fillers included
    voids: int  # filler leaves written for rolled-back numbers
    blocked: bool  # a number at ``tree_size`` was handed out and is not in the tree yet
    checkpoint: Checkpoint | None = None
    watermark: bool = False  # a watermark is pending: the gap is being settled


def _covered(up_to: int, checkpoint: bool) -> bool:
    """Leaf ``up_to`` is integrated (and, if asked, signed): one unlocked read."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT tree_size FROM {_HEAD} WHERE id = %s),"
            f" (SELECT MAX(tree_size) FROM {Checkpoint._meta.db_table})",
            [HEAD_PK],
        )
        size, signed = cursor.fetchone()
    return (size or 0) > up_to and (not checkpoint or (signed or 0) > up_to)


def _last_number() -> int:
    """The largest number the sequence has handed out (-1 if none)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT last_value, is_called FROM {SEQUENCE}")
        last, called = cursor.fetchone()
    return last if called else last - 1


# Whether the watermark's transaction id X is settled: True once no transaction of this
# database older than X is running (each holds the lock on its own id until it has ended, the
# lock row-lock waiters wait on), None if X is not yet completed in this cluster (a restore).
# A snapshot's xmin ≥ X says the same for the whole cluster, cheaply, and is tried first.
_SETTLED = f"""
SELECT CASE
  WHEN pg_snapshot_xmax(s)::text::bigint <= %(x)s THEN NULL
  WHEN pg_snapshot_xmin(s)::text::bigint >= %(x)s THEN TRUE
  ELSE NOT EXISTS (
    SELECT 1 FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
    WHERE l.locktype = 'transactionid' AND l.mode = 'ExclusiveLock' AND l.granted
      AND a.datname = current_database() AND a.pid <> pg_backend_pid()
      AND age(l.transactionid) > age((%(x)s %% {1 << 32})::text::xid))
END FROM pg_current_snapshot() s
"""


def _settled(xid: int) -> bool | None:
    with connection.cursor() as cursor:
        cursor.execute(_SETTLED, {"x": xid})
        return cursor.fetchone()[0]


def _fill_voids(start: int, last: int) -> int:
    """Fillers at every number in ``start``…``last`` still missing: their owners have ended."""
    with connection.cursor() as cursor:
        cursor.execute(
            f'SELECT "index" FROM {_ENTRY} WHERE "index" BETWEEN %s AND %s', [start, last]
        )
        present = {index for (index,) in cursor.fetchall()}
        created_at = LogEntry._meta.get_field("created_at").get_db_prep_value(
            timezone.now(), connection
        )
        rows = []
        for index in range(start, last + 1):
            if index not in present:
                body = void_entry(index)
                rows.append((index, VOID_KIND, body, leaf_hash(body), created_at))
        for sql, params in _inserts(_ENTRY, _ENTRY_COLUMNS, rows):
            cursor.execute(sql, params)
    if rows:
        logger.info("log: filler leaves at %s (their publications rolled back)", len(rows))
    return len(rows)


def integrate(
    *, up_to: int | None = None, checkpoint: bool = False, force: bool = False
) -> Integration:
    """Append the committed leaves after the stored tree to it, in index order, in one batch.

    With ``up_to``, returns at once if that leaf is already integrated (and signed, with
    ``checkpoint``). With ``checkpoint``, signs the integrated tree if it grew (once per
    batch). On SQLite every leaf is integrated when it is appended: only the checkpoint.
    """
    if not sequenced():
        made = make_checkpoint(force=force) if checkpoint else None
        return Integration(tree_size(), 0, 0, False, made)
    if up_to is not None and not force and _covered(up_to, checkpoint):
        return Integration(tree_size(), 0, 0, False)
    with transaction.atomic():
        size, frontier = _locked_head()
        if up_to is not None and not force and _covered(up_to, checkpoint):
            return Integration(size, 0, 0, False)
        result = _integrate_locked(size, frontier)
        if checkpoint:
            made = _sign_locked(result.tree_size, frontier, force=force)
            result = Integration(**{**result.__dict__, "checkpoint": made})
    if result.blocked and not result.watermark:
        _take_watermark(result.tree_size)
    return result


def _integrate_locked(size: int, frontier: list[bytes]) -> Integration:
    start, voids = size, 0
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT pending_last, pending_xid FROM {_HEAD} WHERE id = %s", [HEAD_PK])
        last, xid = cursor.fetchone()
        while True:
            cursor.execute(
                f'SELECT "index", leaf_hash FROM {_ENTRY} WHERE "index" >= %s'
                ' ORDER BY "index" LIMIT %s',
                [size, _BATCH],
            )
            rows = cursor.fetchall()
            nodes: list[tuple[int, bytes]] = []
            for index, digest in rows:
                if index != size:
                    break
                for level, node_index, value in tree.frontier_append(frontier, size, bytes(digest)):
                    nodes.append((pack_node_key(level, node_index), value))
                size += 1
            for sql, params in _inserts(_NODE, '("key", hash)', nodes):
                cursor.execute(sql, params)
            if len(rows) == _BATCH and rows[-1][0] == size - 1:
                continue  # more to read
            if xid is not None:
                done = _settled(xid)
                if done is None:  # the watermark comes from another cluster (a restore)
                    last = xid = None
                elif done:  # every number ≤ last still missing is a rolled-back one
                    settled, last, xid = last, None, None
                    if settled >= size:
                        voids += _fill_voids(size, settled)
                        continue
            break
    _write_locked([], [], size, frontier, (last, xid))
    blocked = _last_number() >= size
    return Integration(size, size - start, voids, blocked, watermark=xid is not None)


def _take_watermark(size: int) -> None:
    """Record (last number handed out, a fresh transaction id) for a later integrator.

    Only outside a transaction: the id must be assigned after the number was read.
    """
    if connection.in_atomic_block or not connection.get_autocommit():
        return
    last = _last_number()
    if last < size:
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_xact_id()::text::bigint")  # its own transaction
        (xid,) = cursor.fetchone()
        cursor.execute(
            f"UPDATE {_HEAD} SET pending_last = %s, pending_xid = %s"
            " WHERE id = %s AND pending_xid IS NULL",
            [last, xid, HEAD_PK],
        )


def settle(timeout: float = 10.0) -> Integration:
    """Integrate until no rolled-back number blocks the tree, or ``timeout`` seconds passed.

    For ``gongshi checkpoint`` and tests: a filler waits until every transaction older than
    the watermark has ended, which takes a moment (docstring).
    """
    deadline = time.monotonic() + timeout
    result = integrate()
    if connection.in_atomic_block:  # no watermark can be taken here: waiting would not help
        return result
    while result.blocked:
        if time.monotonic() >= deadline:
            break
        time.sleep(0.05)
        result = integrate()
    return result


def append_leaf(kind: str, payload: dict, *, checkpoint: bool = True) -> LogEntry:
    """Append one leaf for a publication event; returns it with its final ``index``.

    Call it inside the transaction that publishes. Once that transaction commits the leaf is
    integrated into the tree and, with ``checkpoint`` (the default), a signed checkpoint
    covers it — unless an earlier publication still in flight holds the index before it;
    that publication's own integration then takes both.
    """
    return append_leaves([(kind, payload)], checkpoint=checkpoint)[0]


def append_leaves(items: Iterable[tuple[str, dict]], *, checkpoint: bool = True) -> list[LogEntry]:
    """Append many leaves in one go (imports, the demo seeder, benchmarks)."""
    # No savepoint: a failed append fails the publication's whole transaction anyway.
    with transaction.atomic(savepoint=False):
        entries = (_append_sequenced if sequenced() else _append_locked)(items)
    if entries and sequenced():
        last = entries[-1].index
        transaction.on_commit(
            lambda: integrate_after_commit(up_to=last, checkpoint=checkpoint), robust=True
        )
    elif entries and checkpoint:
        transaction.on_commit(make_checkpoint_after_commit, robust=True)
    return entries


def tree_size() -> int:
    """The number of leaves in the stored tree (on PostgreSQL: integrated so far)."""
    return LogHead.objects.filter(pk=HEAD_PK).values_list("tree_size", flat=True).first() or 0


def is_pending(index: int) -> bool:
    """Whether leaf ``index`` is logged but not yet in the stored tree (proofs must wait)."""
    return index >= tree_size() and LogEntry.objects.filter(index=index).exists()


def latest_checkpoint() -> Checkpoint | None:
    return Checkpoint.objects.latest_first().first()


def make_checkpoint(*, force: bool = False) -> Checkpoint | None:
    """Sign the current tree if it grew since the latest checkpoint; returns the new one.

    On PostgreSQL the committed leaves are integrated first. Holds the head lock while
    signing, so checkpoints are made in tree order and no two share a size.
    """
    if sequenced():
        return integrate(checkpoint=True, force=force).checkpoint
    with transaction.atomic():
        size, frontier = _locked_head()
        return _sign_locked(size, frontier, force=force)


def _sign_locked(size: int, frontier: list[bytes], *, force: bool = False) -> Checkpoint | None:
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


def integrate_after_commit(*, up_to: int, checkpoint: bool) -> None:
    made = integrate(up_to=up_to, checkpoint=checkpoint).checkpoint
    if made is not None and settings.GONGSHI_WITNESSES:
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
