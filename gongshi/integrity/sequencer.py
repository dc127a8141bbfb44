"""The log's sequencer on PostgreSQL: indices from a SEQUENCE, the tree built by an integrator.

A lock on the log head held until each publication's commit is flushed made the commits
serial (BENCHMARKS.md, issue 15). Here the publishing transaction takes its leaf's index
from a sequence (``nextval``, no lock, so the publishers' commits group) and inserts the leaf
row with it: the index is final in that transaction, as callers expect. The stored tree
(subtrees, the head's size and frontier) is built afterwards by :func:`integrate`, one at a
time (a transaction-level advisory lock): it reads the entries from the head's size on, in
index order, appends the contiguous run to the frontier, writes the subtrees and the head in
one statement and signs one checkpoint for the batch. It runs after each publication's
commit — an integrator finding another at work waits for it and usually finds its leaf in
that batch — and in ``gongshi checkpoint``. Checkpoints cover integrated leaves only.

The integrator's commit does not wait for its WAL flush (``synchronous_commit`` off for
that transaction only): everything it writes is derived from the durable leaves — the tree,
the fillers (the same numbers are missing after a crash) and the checkpoint (Ed25519 is
deterministic, so a checkpoint lost in a crash is made again byte for byte) — and a flush
per batch, serial under the lock, would cap the rate again.

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

Only the first committed leaf waiting behind a missing number for ``GAP_PATIENCE`` makes
the integrator take a watermark (it costs a transaction id and a commit): at 32 concurrent
publishers a number in flight is the normal case, not a hole.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from gongshi.integrity import store, tree
from gongshi.integrity.merkle import canonical_json, leaf_hash
from gongshi.integrity.models import Checkpoint, LogEntry, pack_node_key

logger = logging.getLogger(__name__)

SEQUENCE = "integrity_log_index"  # made by migration 0005
INTEGRATOR_LOCK = 0x676F6E67_7368  # the advisory lock's key: "gongsh"
# How long a committed leaf may wait behind a missing number before the integrator starts to
# settle that number.
GAP_PATIENCE = dt.timedelta(milliseconds=500)
# Entries read per pass of the integrator: one round trip, then the hashing in Python.
BATCH = 5_000
# Reads more while each brings new leaves: the publishers waiting for this batch find their
# leaves in it when it ends, rather than each trying to integrate again.
EXTRA_READS = 3
# The publisher's transaction id is assigned before its number is taken (step 1 above).
_XID_FIRST = "WITH x AS MATERIALIZED (SELECT pg_current_xact_id())"


def sequenced() -> bool:
    """Whether indices come from the sequence and an integrator builds the tree (PostgreSQL)."""
    return connection.vendor == "postgresql"


def void_entry(index: int) -> bytes:
    """The filler leaf at ``index``, whose publication rolled back."""
    return canonical_json({"index": index, "type": store.VOID_KIND})


def append(items: Iterable[tuple[str, dict]]) -> list[LogEntry]:
    """Insert the leaves with numbers from the sequence: no lock, one round trip per leaf."""
    rows = store.prepared(items)
    if not rows:
        return []
    now = timezone.now()
    created_at = store.db_time(now)
    with connection.cursor() as cursor:
        if len(rows) == 1:
            cursor.execute(
                f"{_XID_FIRST} INSERT INTO {store.ENTRY} {store.ENTRY_COLUMNS}"
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
            for sql, params in store.inserts(store.ENTRY, store.ENTRY_COLUMNS, entry_rows):
                cursor.execute(sql, params)
    return store.as_rows(
        [
            LogEntry(index=i, kind=kind, entry=body, leaf_hash=digest, created_at=now)
            for i, (kind, body, digest) in zip(indices, rows, strict=True)
        ]
    )


@dataclass(frozen=True)
class Integration:
    """What one :func:`integrate` did."""

    tree_size: int
    integrated: int = 0  # leaves added to the stored tree, fillers included
    voids: int = 0  # filler leaves written for rolled-back numbers
    blocked: bool = False  # a number at ``tree_size`` was handed out and is not in the tree
    checkpoint: Checkpoint | None = None
    watermark: bool = False  # a watermark is pending: the gap is being settled
    stalled: bool = False  # blocked, and a committed leaf waited GAP_PATIENCE behind it


def _lock() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [INTEGRATOR_LOCK])


# After a publication's commit it waits with ``integrity_log_wait`` (migration 0005): try
# the integrator's lock; if another integrator holds it, wait until that one ends and look
# whether the leaf was in its batch; at most three times. The integration running at the
# first try may have read the entries before the commit; one that started later cannot
# have, so after the waits the leaf is in the tree — unless a number before it is still in
# flight, and then the integration after that publication's commit takes both. Waiters share
# the lock, so all wake together when a batch ends; not waiting for numbers in flight keeps
# them from waking at every batch.
_COVERED, _LOCKED, _BLOCKED = 0, 1, 2


def integrate(
    *,
    up_to: int | None = None,
    checkpoint: bool = False,
    force: bool = False,
    eager: bool = False,
) -> Integration:
    """Append the committed leaves after the stored tree to it, in index order, in one batch.

    With ``up_to``, returns once that leaf is integrated (and signed, with ``checkpoint``),
    by this call or by another integrator's batch, or once a batch that started after its
    commit has ended (a number before it is still in flight). With ``checkpoint``, signs the
    integrated tree if it grew (once per batch). With ``eager``, a missing number is settled
    at once rather than after ``GAP_PATIENCE``.
    """
    if up_to is None or force or connection.in_atomic_block:
        with transaction.atomic():
            _lock()
            result = _integrate_locked(up_to, checkpoint, force, eager)
    else:
        # The steps above in one statement (0005); the lock it takes is the transaction's, so
        # the integration runs in the same transaction and the commit releases it.
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT state, size FROM integrity_log_wait(%s, %s, %s)",
                    [INTEGRATOR_LOCK, up_to, checkpoint],
                )
                state, size = cursor.fetchone()
            if state != _LOCKED:
                return Integration(size or 0, blocked=state == _BLOCKED)
            result = _integrate_locked(up_to, checkpoint, force, eager)
    if result.stalled and not result.watermark:
        _take_watermark(result.tree_size)
    return result


_HEAD_READ = f"""
SELECT set_config('synchronous_commit', 'off', true), h.tree_size, h.frontier,
  h.pending_last, h.pending_xid, (SELECT MAX(tree_size) FROM {store.CHECKPOINT}),
  (SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END FROM {SEQUENCE})
FROM {store.HEAD} h WHERE h.id = %s
"""


def _integrate_locked(up_to: int | None, checkpoint: bool, force: bool, eager: bool) -> Integration:
    with connection.cursor() as cursor:
        cursor.execute(_HEAD_READ, [store.HEAD_PK])
        row = cursor.fetchone()
        if row is None:  # a new log: make the head row
            store.head_row()
            cursor.execute(_HEAD_READ, [store.HEAD_PK])
            row = cursor.fetchone()
    _, size, blob, last, xid, signed, handed_out = row
    done = (
        size > up_to and (not checkpoint or (signed or 0) > up_to) if up_to is not None else False
    )
    if done and not force:
        return Integration(size)  # integrated by the batch before this one
    frontier = store.split_frontier(blob)
    start, voids, watermark = size, 0, (last, xid)
    nodes: list[tuple[int, bytes]] = []
    waiting = None  # when the first leaf behind a gap was written
    extra = 0
    with connection.cursor() as cursor:
        while True:
            cursor.execute(
                f'SELECT "index", leaf_hash, created_at FROM {store.ENTRY}'
                ' WHERE "index" >= %s ORDER BY "index" LIMIT %s',
                [size, BATCH],
            )
            rows = cursor.fetchall()
            before = size
            for index, digest, created_at in rows:
                if index != size:
                    waiting = created_at
                    break
                for level, at, value in tree.frontier_append(frontier, size, bytes(digest)):
                    nodes.append((pack_node_key(level, at), value))
                size += 1
            if len(nodes) > BATCH:  # a long backlog: keep the statements small
                store.write_tree([], nodes, size, frontier, (last, xid))
                nodes = []
            if len(rows) == BATCH and rows[-1][0] == size - 1:
                continue  # more to read
            if size > before and waiting is None and extra < EXTRA_READS:
                extra += 1  # leaves committed while this batch was read: take them too
                continue
            if xid is not None:
                done = _settled(xid)
                if done is None:  # the watermark comes from another cluster (a restore)
                    last = xid = None
                elif done:  # every number ≤ last still missing is a rolled-back one
                    settled, last, xid = last, None, None
                    if settled >= size:
                        voids += _fill_voids(size, settled)
                        handed_out = max(handed_out, settled)
                        waiting = None
                        continue
            break
    if size != start or (last, xid) != watermark or nodes:
        store.write_tree([], nodes, size, frontier, (last, xid))
    made = store.sign(size, frontier, signed, force=force) if checkpoint else None
    blocked = handed_out >= size
    stalled = blocked and (eager or (waiting is not None and _waited(waiting)))
    return Integration(
        size, size - start, voids, blocked, made, watermark=xid is not None, stalled=stalled
    )


def _waited(created_at) -> bool:
    if not isinstance(created_at, dt.datetime):  # pragma: no cover - a driver giving text
        return True
    if timezone.is_naive(created_at):
        created_at = timezone.make_aware(created_at, dt.UTC)
    return timezone.now() - created_at >= GAP_PATIENCE


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
            f'SELECT "index" FROM {store.ENTRY} WHERE "index" BETWEEN %s AND %s', [start, last]
        )
        present = {index for (index,) in cursor.fetchall()}
        created_at = store.db_time(timezone.now())
        rows = []
        for index in range(start, last + 1):
            if index not in present:
                body = void_entry(index)
                rows.append((index, store.VOID_KIND, body, leaf_hash(body), created_at))
        for sql, params in store.inserts(store.ENTRY, store.ENTRY_COLUMNS, rows):
            cursor.execute(sql, params)
    if rows:
        logger.info("log: %s filler leaves from %s (publications rolled back)", len(rows), start)
    return len(rows)


def _last_number() -> int:
    """The largest number the sequence has handed out (-1 if none)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT last_value, is_called FROM {SEQUENCE}")
        last, called = cursor.fetchone()
    return last if called else last - 1


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
            f"UPDATE {store.HEAD} SET pending_last = %s, pending_xid = %s"
            " WHERE id = %s AND pending_xid IS NULL",
            [last, xid, store.HEAD_PK],
        )


def settle(timeout: float = 10.0) -> Integration:
    """Integrate until no missing number blocks the tree, or ``timeout`` seconds passed.

    For ``gongshi checkpoint`` and tests: a filler waits until every transaction older than
    the watermark has ended, which takes a moment (docstring).
    """
    deadline = time.monotonic() + timeout
    result = integrate(eager=True)
    if connection.in_atomic_block:  # no watermark can be taken here: waiting would not help
        return result
    while result.blocked and time.monotonic() < deadline:
        time.sleep(0.05)
        result = integrate(eager=True)
    return result
