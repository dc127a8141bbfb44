"""The publication log: append leaves, integrate them into the tree, sign checkpoints, prove.

Every publication event appends exactly one leaf with :func:`append_leaf`, inside the
transaction that publishes, so the leaf and the publication commit or roll back together,
and the caller reads the leaf's final ``index`` in that transaction.

SQLite (one writer at a time anyway): the append locks the log head (the IMMEDIATE
transaction holds the write lock), writes the leaf, the subtrees it completes and the new
head, and a checkpoint is signed after the commit — the leaf is in the tree at once.

PostgreSQL (many publishing processes): the index comes from a sequence in the publishing
transaction, with no lock, and the tree is built after the commit by the integrator, in
batches; a rolled-back publication's number becomes a void leaf once its owner has surely
ended. How, and why that is sound: :mod:`gongshi.integrity.sequencer`. Checkpoints cover
integrated leaves only.

An entry is the canonical JSON of its payload (:func:`gongshi.integrity.merkle.canonical_json`)
with a ``"type"`` member naming its kind.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.dispatch import Signal
from django.utils import timezone

from gongshi.integrity import sequencer, store, tree
from gongshi.integrity.models import (
    Checkpoint,
    LogEntry,
    LogHead,
    pack_node_key,
    unpack_node_key,
)
from gongshi.integrity.sequencer import Integration, sequenced
from gongshi.integrity.store import VOID_KIND

__all__ = ["VOID_KIND", "Integration", "sequenced"]  # re-exported: callers use ``log.…``

logger = logging.getLogger(__name__)


class ProofRequestError(ValueError):
    """A proof asked for sizes or indices the log cannot prove (bad request, not damage)."""


def _append_locked(items: Iterable[tuple[str, dict]]) -> list[LogEntry]:
    """SQLite: the IMMEDIATE transaction already holds the database's write lock (no FOR
    UPDATE); the leaves, their subtrees and the head are written before the commit."""
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    size, frontier = store.head_row(lock)
    now = timezone.now()
    entries: list[LogEntry] = []
    nodes: list[tuple[int, bytes]] = []
    for kind, body, digest in store.prepared(items):
        entries.append(
            LogEntry(index=size, kind=kind, entry=body, leaf_hash=digest, created_at=now)
        )
        for level, index, value in tree.frontier_append(frontier, size, digest):
            nodes.append((pack_node_key(level, index), value))
        size += 1
    if not entries:
        return entries
    created_at = store.db_time(now)
    store.write_tree(
        [(e.index, e.kind, e.entry, e.leaf_hash, created_at) for e in entries],
        nodes,
        size,
        frontier,
    )
    return store.as_rows(entries)


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
        entries = (sequencer.append if sequenced() else _append_locked)(items)
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
    return LogHead.objects.filter(pk=store.HEAD_PK).values_list("tree_size", flat=True).first() or 0


def logged_size() -> int:
    """The number of leaves logged (one past the highest index), integrated or not yet."""
    last = LogEntry.objects.order_by("-index").values_list("index", flat=True).first()
    return 0 if last is None else last + 1


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
        lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
        size, frontier = store.head_row(lock)
        latest = latest_checkpoint()
        return store.sign(size, frontier, latest and latest.tree_size, force=force)


def integrate(
    *, up_to: int | None = None, checkpoint: bool = False, force: bool = False
) -> Integration:
    """Bring the stored tree up to the committed leaves (PostgreSQL; see ``sequencer``), and
    with ``checkpoint`` sign it if it grew. On SQLite the tree is always up to date."""
    if sequenced():
        return sequencer.integrate(up_to=up_to, checkpoint=checkpoint, force=force)
    made = make_checkpoint(force=force) if checkpoint else None
    return Integration(tree_size(), checkpoint=made)


def settle(timeout: float = 10.0) -> Integration:
    """Integrate, filling rolled-back numbers, until nothing blocks (``gongshi checkpoint``)."""
    return sequencer.settle(timeout) if sequenced() else Integration(tree_size())


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
        parts.append(f'SELECT 0, "index", leaf_hash FROM {store.ENTRY} WHERE "index" IN ({marks})')
        params += leaves
    if inner:
        marks = ", ".join(["%s"] * len(inner))
        parts.append(f'SELECT 1, "key", hash FROM {store.NODE} WHERE "key" IN ({marks})')
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
