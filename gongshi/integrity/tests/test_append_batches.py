"""Appends in batches: a batch bigger than one statement's parameters is split into several
multi-row inserts, and the log is the same as one built leaf by leaf."""

from __future__ import annotations

import pytest

from gongshi.integrity import log, merkle, store
from gongshi.integrity.models import LogEntry, LogNode

pytestmark = pytest.mark.django_db


def test_a_batch_larger_than_one_statement_keeps_the_log_dense_and_its_tree_right(monkeypatch):
    monkeypatch.setattr(store, "MAX_PARAMS", 50)  # 10 leaves or 25 subtrees per INSERT
    log.append_leaf("test", {"n": -1}, checkpoint=False)  # one statement on PostgreSQL
    entries = log.append_leaves([("test", {"n": n}) for n in range(137)], checkpoint=False)
    log.append_leaf("test", {"n": 137}, checkpoint=False)
    log.integrate()  # PostgreSQL: the tree is built after the commit (a no-op on SQLite)

    assert [e.index for e in entries] == list(range(1, 138))
    rows = list(LogEntry.objects.order_by("index").values_list("index", "leaf_hash"))
    assert [index for index, _ in rows] == list(range(139))
    assert log.tree_size() == 139
    root = merkle.root_of([bytes(digest) for _, digest in rows])  # the reference, from scratch
    assert log.root_at(139) == root
    # every perfect subtree of 139 leaves is stored once: 139 - popcount(139) inner nodes
    assert LogNode.objects.count() == 139 - bin(139).count("1")
    for index in (0, 1, 64, 137, 138):
        proof = log.inclusion_proof(index, 139)
        merkle.verify_inclusion(index, 139, bytes(rows[index][1]), proof, root)  # or raises
